"""Calendar feeds over HTTP: contents, parsing by two parsers, what a subscriber sees when an
event changes, conditional requests (304), subscribe links, the Atom feed, private feeds."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree as ET
from zoneinfo import ZoneInfo

import httpx
import icalendar
import pytest
import vobject
from starlette.applications import Starlette

from events.calendars import ATOM_NS
from events.models import Event, EventStatus, Group, Person, Registration, Venue
from events.web.caching import BodyCache
from tests import factories
from tests.web.helpers import post_form, sign_in, soup

AMS = ZoneInfo("Europe/Amsterdam")
ICS = "text/calendar; charset=utf-8"


def _parse(response: httpx.Response) -> icalendar.Calendar:
    """Parse with icalendar, and check vobject reads the same events at the same instants."""
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == ICS
    calendar = icalendar.Calendar.from_ical(response.content)
    second = vobject.readOne(response.text)
    ours = {str(e["UID"]): e.decoded("DTSTART") for e in calendar.walk("VEVENT")}
    theirs = {v.uid.value: v.dtstart.value for v in getattr(second, "vevent_list", [])}
    assert ours.keys() == theirs.keys()
    assert all(ours[uid] == theirs[uid] for uid in ours)
    return calendar


async def _change(event: Event, **fields: object) -> None:
    """Change an event the way the services do (a save, which moves updated_at)."""
    fresh = await Event.get(id=event.id)
    fresh.update_from_dict(fields)
    await fresh.save()


def _titles(calendar: icalendar.Calendar) -> set[str]:
    return {str(e["SUMMARY"]) for e in calendar.walk("VEVENT")}


def _by_url(calendar: icalendar.Calendar, slug: str) -> icalendar.Event:
    found = [e for e in calendar.walk("VEVENT") if str(e["URL"]).endswith(f"/events/{slug}")]
    assert len(found) == 1, slug
    return found[0]


async def _world() -> dict[str, Event]:
    org = await factories.organisation(slug="samen")
    other = await factories.organisation(slug="anders")
    zwaan = await factories.venue(org, slug="de-zwaan", name="Café De Zwaan", town="Zutphen")
    bieb = await factories.venue(other, slug="bieb", name="Bibliotheek", town="Lochem")
    winter = datetime(2027, 1, 14, 19, 30, tzinfo=AMS).astimezone(UTC)
    summer = datetime(2027, 7, 15, 19, 30, tzinfo=AMS).astimezone(UTC)
    return {
        "winter": await factories.event(
            zwaan, slug="winter", title="Winteravond", starts_at=winter,
            ends_at=winter + timedelta(hours=2), phone_rules="Telefoon in het zakje.",
        ),
        "summer": await factories.event(
            bieb, slug="zomer", title="Zomeravond", starts_at=summer,
            ends_at=summer + timedelta(hours=2),
        ),
        "draft": await factories.event(
            zwaan, slug="concept", title="Concept", status=EventStatus.DRAFT
        ),
        "old": await factories.event(
            zwaan, slug="lang-geleden", title="Lang geleden",
            starts_at=datetime.now(UTC) - timedelta(days=200),
            ends_at=datetime.now(UTC) - timedelta(days=200, hours=-2),
        ),
    }  # fmt: skip


async def test_all_town_venue_and_organisation_feeds(client: httpx.AsyncClient) -> None:
    await _world()
    everything = _parse(await client.get("/calendar.ics"))
    assert _titles(everything) == {"Winteravond", "Zomeravond"}
    assert str(everything["X-WR-CALNAME"]) == "Samen Offline"
    lochem = _parse(await client.get("/calendar.ics", params={"town": "lochem"}))
    assert _titles(lochem) == {"Zomeravond"} and "Lochem" in str(lochem["X-WR-CALNAME"])
    venue = _parse(await client.get("/venues/de-zwaan/calendar.ics"))
    assert _titles(venue) == {"Winteravond"}
    assert "Café De Zwaan" in str(venue["X-WR-CALNAME"])
    organisation = await client.get("/organisations/anders/calendar.ics")
    assert _titles(_parse(organisation)) == {"Zomeravond"}
    assert organisation.headers["content-disposition"] == 'inline; filename="anders.ics"'
    for path in ("/venues/nope/calendar.ics", "/organisations/nope/calendar.ics"):
        assert (await client.get(path)).status_code == 404


async def test_times_are_amsterdam_local_in_winter_and_summer(client: httpx.AsyncClient) -> None:
    await _world()
    calendar = _parse(await client.get("/calendar.ics"))
    winter, summer = _by_url(calendar, "winter"), _by_url(calendar, "zomer")
    for vevent in (winter, summer):
        assert vevent["DTSTART"].params["TZID"] == "Europe/Amsterdam"
        start = vevent.decoded("DTSTART")
        assert (start.hour, start.minute) == (19, 30)
    assert winter.decoded("DTSTART").utcoffset() == timedelta(hours=1)
    assert summer.decoded("DTSTART").utcoffset() == timedelta(hours=2)
    assert winter.decoded("DTSTART") == datetime(2027, 1, 14, 19, 30, tzinfo=AMS)
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/Amsterdam"]
    assert "Telefoon in het zakje." in str(winter["DESCRIPTION"])
    assert "ORGANIZER" not in winter
    assert b"REFRESH-INTERVAL;VALUE=DURATION:" in calendar.to_ical()
    assert "X-PUBLISHED-TTL" in calendar


async def test_event_file_is_a_download_and_drafts_have_none(client: httpx.AsyncClient) -> None:
    await _world()
    response = await client.get("/events/winter/event.ics")
    assert response.headers["content-disposition"] == 'attachment; filename="winter.ics"'
    assert _titles(_parse(response)) == {"Winteravond"}
    assert (await client.get("/events/concept/event.ics")).status_code == 404
    assert (await client.get("/events/nope/event.ics")).status_code == 404


async def test_subscriber_sees_time_change_then_cancellation(client: httpx.AsyncClient) -> None:
    events = await _world()
    org = await factories.organisation(slug="org-of-winter")
    await Event.filter(id=events["winter"].id).update(organisation_id=org.id)
    await Venue.filter(id=events["winter"].venue_id).update(organisation_id=org.id)  # type: ignore[attr-defined]
    await factories.organiser(org, email="inge@example.org")
    await sign_in(client, "inge@example.org")

    first = _by_url(_parse(await client.get("/calendar.ics")), "winter")
    uid, sequence = str(first["UID"]), int(first["SEQUENCE"])
    assert str(first["STATUS"]) == "CONFIRMED"

    winter = events["winter"]
    form = {
        "title": winter.title, "venue": str(winter.venue_id),  # type: ignore[attr-defined]
        "date": "2027-01-14", "start_time": "20:00", "end_time": "22:00",
        "places_young": "10", "places_older": "10", "places_open": "0",
        "phone_rules": winter.phone_rules, "slug": winter.slug,
    }  # fmt: skip
    edit = f"/organise/events/{winter.id}/edit"
    assert (await post_form(client, edit, form, form_page=edit)).status_code == 303
    moved = _by_url(_parse(await client.get("/calendar.ics")), "winter")
    assert str(moved["UID"]) == uid
    assert int(moved["SEQUENCE"]) > sequence
    assert moved.decoded("DTSTART") == datetime(2027, 1, 14, 20, 0, tzinfo=AMS)
    assert str(moved["STATUS"]) == "CONFIRMED"

    cancel = f"/organise/events/{winter.id}/cancel"
    confirm = {"confirm": "yes"}
    assert (await post_form(client, cancel, confirm, form_page="/organise/")).status_code == 303
    cancelled = _by_url(_parse(await client.get("/calendar.ics")), "winter")
    assert str(cancelled["UID"]) == uid
    assert int(cancelled["SEQUENCE"]) > int(moved["SEQUENCE"])
    assert str(cancelled["STATUS"]) == "CANCELLED"


async def test_cancelled_events_stay_in_feeds_for_thirty_days(client: httpx.AsyncClient) -> None:
    events = await _world()
    now = datetime.now(UTC)
    await Event.filter(id=events["winter"].id).update(
        status=EventStatus.CANCELLED, cancelled_at=now - timedelta(days=29)
    )
    await Event.filter(id=events["summer"].id).update(
        status=EventStatus.CANCELLED, cancelled_at=now - timedelta(days=31)
    )
    calendar = _parse(await client.get("/calendar.ics"))
    assert str(_by_url(calendar, "winter")["STATUS"]) == "CANCELLED"
    assert not [e for e in calendar.walk("VEVENT") if str(e["URL"]).endswith("/zomer")]


async def test_conditional_requests_answer_304(client: httpx.AsyncClient) -> None:
    events = await _world()
    first = await client.get("/calendar.ics")
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    again = await client.get("/calendar.ics", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag
    since = await client.get("/calendar.ics", headers={"If-Modified-Since": modified})
    assert since.status_code == 304
    # A language is a different representation with its own tag.
    english = await client.get(
        "/calendar.ics", headers={"If-None-Match": etag, "Accept-Language": "en"}
    )
    assert english.status_code == 200
    await _change(events["summer"], title="Zomeravond in de tuin")
    changed = await client.get("/calendar.ics", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    assert "Zomeravond in de tuin" in _titles(_parse(changed))


async def test_304_is_answered_without_building_the_feed(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _world()
    etag = (await client.get("/venues/de-zwaan/calendar.ics")).headers["etag"]

    def must_not_build(*args: object, **kwargs: object) -> bytes:
        raise AssertionError("the body was built for a 304")

    monkeypatch.setattr("events.web.calendar.build_calendar", must_not_build)
    again = await client.get("/venues/de-zwaan/calendar.ics", headers={"If-None-Match": etag})
    assert again.status_code == 304


@pytest.mark.parametrize(
    "path", ["/", "/?town=Zutphen", "/venues/de-zwaan", "/organisations/samen"]
)
async def test_public_pages_answer_304(client: httpx.AsyncClient, path: str) -> None:
    events = await _world()
    first = await client.get(path)
    assert first.status_code == 200 and first.headers["etag"]
    again = await client.get(path, headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    await _change(events["winter"], title="Nieuwe titel")
    after = await client.get(path, headers={"If-None-Match": first.headers["etag"]})
    assert after.status_code == 200


async def test_subscribe_links_on_venue_organisation_and_town_pages(
    client: httpx.AsyncClient,
) -> None:
    await _world()
    pages = {
        "/venues/de-zwaan": "/venues/de-zwaan/calendar.ics",
        "/organisations/samen": "/organisations/samen/calendar.ics",
        "/?town=Zutphen": "/calendar.ics?town=Zutphen",
    }
    for page, feed in pages.items():
        html = soup(await client.get(page))
        section = html.find("section", class_="subscribe")
        assert section is not None, page
        webcal = section.find("a", attrs={"data-feed": "subscribe"})
        assert webcal["href"] == f"webcal://127.0.0.1:8000{feed}"
        field = section.find("input", readonly=True)
        assert field["value"] == f"http://127.0.0.1:8000{feed}"
        assert html.find("label", attrs={"for": field["id"]}) is not None
        assert section.find("a", attrs={"data-feed": "download"})["href"] == feed
    home = soup(await client.get("/"))
    assert home.find("section", class_="subscribe") is None
    assert home.find("a", href="webcal://127.0.0.1:8000/calendar.ics") is not None


async def test_atom_feed_lists_newly_published_events(client: httpx.AsyncClient) -> None:
    events = await _world()
    now = datetime.now(UTC)
    await Event.filter(id=events["winter"].id).update(published_at=now - timedelta(days=2))
    await Event.filter(id=events["summer"].id).update(published_at=now - timedelta(days=1))
    response = await client.get("/feed.atom")
    assert response.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    titles = [e.findtext(f"{{{ATOM_NS}}}title") for e in root.findall(f"{{{ATOM_NS}}}entry")]
    assert titles == ["Zomeravond", "Winteravond"]
    lochem = ET.fromstring((await client.get("/feed.atom", params={"town": "Lochem"})).content)
    assert len(lochem.findall(f"{{{ATOM_NS}}}entry")) == 1


async def _person_with(events: dict[str, Event]) -> Person:
    person = await Person.create(email="sam@example.org", feed_token=secrets.token_urlsafe(32))
    for n, (key, status) in enumerate(
        [("winter", "confirmed"), ("summer", "waitlisted"), ("draft", "confirmed")]
    ):
        await Registration.create(
            event=events[key], person=person, code=f"CODE{n}", first_name="Sam",
            email="sam@example.org", group=Group.YOUNG, status=status,
        )  # fmt: skip
    return person


async def test_private_feed_holds_confirmed_events_only(client: httpx.AsyncClient) -> None:
    person = await _person_with(await _world())
    response = await client.get(f"/feeds/{person.feed_token}.ics")
    assert _titles(_parse(response)) == {"Winteravond"}
    assert response.headers["cache-control"].startswith("private")
    assert "noindex" in response.headers["x-robots-tag"]
    assert (await client.get("/feeds/not-a-real-token-at-all.ics")).status_code == 404


async def test_a_repeat_request_is_served_from_the_body_cache_until_data_changes(
    client: httpx.AsyncClient, app: Starlette
) -> None:
    org = await factories.organisation()
    event = await factories.event(await factories.venue(org), title="Eerste titel")
    first = await client.get("/calendar.ics")
    assert "Eerste titel" in first.text
    cache = app.state.feed_bodies
    assert cache.get(first.headers["etag"].strip('"')) == first.content
    again = await client.get("/calendar.ics")  # no If-None-Match, as many apps do
    assert again.content == first.content and again.headers["etag"] == first.headers["etag"]
    event.title = "Nieuwe titel"
    await event.save()
    changed = await client.get("/calendar.ics")
    assert "Nieuwe titel" in changed.text and changed.headers["etag"] != first.headers["etag"]


def test_body_cache_drops_the_oldest_past_its_size() -> None:
    cache = BodyCache(max_bytes=10)
    cache.put("a", b"12345")
    cache.put("b", b"12345")
    assert cache.get("a") == b"12345"  # now the most recently used
    cache.put("c", b"123")
    assert cache.get("b") is None and cache.get("a") and cache.get("c")
    cache.put("huge", b"x" * 11)
    assert cache.get("huge") is None
