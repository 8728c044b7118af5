"""Ideas over HTTP: propose and confirm, moderation first (nothing unapproved in pages, the
API or the feeds), one "I would come" per address, the rate limits, no proposer or
supporter ever shown, and an organiser turning an idea into an activity."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from events.models import (
    Event,
    EventStatus,
    Idea,
    IdeaReport,
    IdeaStatus,
    IdeaSupport,
    OutboxMessage,
    Venue,
)
from events.services import ideas
from events.services.ideas import throttle
from events.settings import Settings
from tests import factories
from tests.web.helpers import post_form, sign_in, soup

SECRET_TITLE = "Geheime bordspellenavond"
PROPOSER = {"first_name": "Sanne", "email": "sanne.proposer@example.org"}
SUPPORTERS = ("kees.supporter@example.org", "mila.supporter@example.org")


@pytest.fixture
async def venue(client: httpx.AsyncClient) -> Venue:
    org = await factories.organisation(slug="samen")
    place = await factories.venue(org, slug="zwaan", name="Café De Zwaan", town="Zutphen")
    await factories.organiser(org, email="inge@example.org")
    other = await factories.organisation(slug="elders")
    await factories.venue(other, slug="elders", name="Dorpshuis Elders", town="Lochem")
    await factories.organiser(other, email="olga@example.org")
    return place


def idea_form(**changes: str) -> dict[str, str]:
    data = {
        "title": SECRET_TITLE,
        "summary": "Spelletjes met jong en oud. Iedereen neemt een spel mee.",
        "town": "Zutphen",
        "venue": "",
        "month": "",
        "timing": "weekends",
        "audience": "mixed",
        **PROPOSER,
    }
    data.update(changes)
    return data


async def propose(client: httpx.AsyncClient, **changes: str) -> httpx.Response:
    return await post_form(client, "/ideas/new", idea_form(**changes), form_page="/ideas/new")


async def link_in_mail(kind: str, to: str) -> str:
    """The path of the (last) link in a queued mail of this kind to this address."""
    message = await OutboxMessage.filter(kind=kind, to_email=to).order_by("-id").first()
    assert message is not None, f"no {kind} mail to {to}"
    urls = re.findall(r"https?://[^\s\"<]+", message.text_body)
    path = next(u for u in urls if "/confirm/" in u or "/support/" in u)
    return "/" + path.split("://", 1)[1].split("/", 1)[1]


async def confirm(client: httpx.AsyncClient, path: str) -> httpx.Response:
    return await post_form(client, path, {}, form_page="/ideas/new")


async def proposed_and_confirmed(client: httpx.AsyncClient, **changes: str) -> Idea:
    assert (await propose(client, **changes)).status_code == 303
    email = changes.get("email", PROPOSER["email"])
    assert (await confirm(client, await link_in_mail("idea_confirm", email))).status_code == 303
    idea = await Idea.filter(proposer_first_name=changes.get("first_name", "Sanne")).first()
    assert idea is not None
    return idea


async def approve(
    client: httpx.AsyncClient, idea: Idea, organiser: str = "inge@example.org"
) -> None:
    await sign_in(client, organiser)
    response = await post_form(client, f"/organise/ideas/{idea.id}/approve", {})
    assert response.status_code == 303, response.text
    await client.post("/logout", data={"csrf_token": await _token(client)})


async def _token(client: httpx.AsyncClient) -> str:
    field = soup(await client.get("/ideas/new")).find("input", attrs={"name": "csrf_token"})
    assert field is not None
    return str(field["value"])


async def support(
    client: httpx.AsyncClient, idea: Idea, email: str, bring: str = "nobody"
) -> httpx.Response:
    return await post_form(
        client,
        f"/ideas/{idea.id}/support",
        {"email": email, "bring": bring},
        form_page="/ideas/new",
    )


async def public_everything(client: httpx.AsyncClient, idea: Idea) -> str:
    """Every public page, API answer and feed that could show an idea, as one text."""
    paths = [
        "/",
        "/ideas",
        "/ideas?town=Zutphen",
        f"/ideas/{idea.id}",
        "/api/events",
        "/calendar.ics",
        "/calendar.ics?town=Zutphen",
        "/venues/zwaan",
        "/venues/zwaan/calendar.ics",
        "/organisations/samen/calendar.ics",
        "/feed.atom",
        "/embed",
    ]
    return "\n".join([(await client.get(path)).text for path in paths])


# --- proposing and confirming -------------------------------------------------------------


async def test_a_proposal_counts_only_once_confirmed_by_email(
    client: httpx.AsyncClient, venue: Venue
) -> None:
    page = soup(await client.get("/ideas/new"))
    for field in page.select("form input:not([type=hidden]), form select, form textarea"):
        assert page.find("label", attrs={"for": field["id"]}), field
    response = await propose(client, venue=str(venue.id), month="")
    assert response.status_code == 303 and response.headers["location"] == "/ideas/new/thanks"
    thanks = (await client.get("/ideas/new/thanks")).text
    assert "s***@example.org" in thanks and PROPOSER["email"] not in thanks
    idea = await Idea.get(title=SECRET_TITLE)
    assert idea.status == IdeaStatus.UNCONFIRMED and idea.venue_id == venue.id

    path = await link_in_mail("idea_confirm", PROPOSER["email"])
    assert (await client.get(path)).status_code == 200
    await idea.refresh_from_db()
    assert idea.status == IdeaStatus.UNCONFIRMED, (
        "opening the link (a mail scanner) confirms nothing"
    )
    assert (await confirm(client, path)).status_code == 303
    assert (await confirm(client, path)).status_code == 303  # twice changes nothing
    await idea.refresh_from_db()
    assert idea.status == IdeaStatus.PENDING and idea.confirmed_at is not None
    assert idea.proposer_email == PROPOSER["email"]


async def test_someone_under_16_is_known_by_first_name_only_once_confirmed(
    client: httpx.AsyncClient, venue: Venue
) -> None:
    idea = await proposed_and_confirmed(
        client, under_16="1", first_name="Jip", email="jip@example.org"
    )
    assert idea.proposer_under_16 and idea.proposer_email is None
    assert idea.proposer_first_name == "Jip" and idea.status == IdeaStatus.PENDING


async def test_bad_proposals_get_a_message_per_field(
    client: httpx.AsyncClient, venue: Venue
) -> None:
    other_town = await Venue.get(slug="elders")
    response = await propose(
        client, title="", summary="x" * 301, town="Atlantis", email="nope", venue=str(other_town.id)
    )
    assert response.status_code == 422
    page = soup(response)
    errors = {p["id"]: p.get_text(" ", strip=True) for p in page.select("p.error")}
    assert set(errors) >= {"f-title-error", "f-summary-error", "f-town-error", "f-email-error"}
    response = await propose(client, venue=str(other_town.id))
    assert response.status_code == 422
    assert soup(response).select_one("#f-venue-error") is not None
    assert await Idea.all().count() == 0


# --- moderation ---------------------------------------------------------------------------


async def test_an_unapproved_idea_is_in_no_page_api_or_feed(
    client: httpx.AsyncClient, venue: Venue
) -> None:
    await factories.event(venue, slug="bestaand", title="Bestaande avond")
    idea = await proposed_and_confirmed(client)
    assert (await client.get(f"/ideas/{idea.id}")).status_code == 404
    assert (await client.get(f"/ideas/{idea.id}/report")).status_code == 404
    assert (await support(client, idea, "kees@example.org")).status_code == 404
    text = await public_everything(client, idea)
    assert "Bestaande avond" in text
    assert SECRET_TITLE not in text and "Iedereen neemt een spel mee" not in text

    # An organiser of another town can neither see nor approve it.
    await sign_in(client, "olga@example.org")
    assert SECRET_TITLE not in (await client.get("/organise/ideas")).text
    response = await post_form(client, f"/organise/ideas/{idea.id}/approve", {})
    assert response.status_code == 404
    await idea.refresh_from_db()
    assert idea.status == IdeaStatus.PENDING

    await approve(client, idea)
    assert SECRET_TITLE in (await client.get("/ideas")).text
    assert SECRET_TITLE in (await client.get(f"/ideas/{idea.id}")).text
    # Approved ideas are still not activities: not in the API nor the feeds.
    for path in ("/api/events", "/calendar.ics", "/feed.atom", "/"):
        assert SECRET_TITLE not in (await client.get(path)).text


async def test_rejected_ideas_go_out_of_view(client: httpx.AsyncClient, venue: Venue) -> None:
    idea = await proposed_and_confirmed(client)
    await approve(client, idea)
    await sign_in(client, "inge@example.org")
    assert (await post_form(client, f"/organise/ideas/{idea.id}/reject", {})).status_code == 303
    assert (await client.get(f"/ideas/{idea.id}")).status_code == 404
    assert SECRET_TITLE not in (await client.get("/ideas")).text


async def test_every_idea_has_a_report_link_and_reports_reach_the_organiser(
    client: httpx.AsyncClient, venue: Venue
) -> None:
    idea = await proposed_and_confirmed(client)
    await approve(client, idea)
    page = soup(await client.get(f"/ideas/{idea.id}"))
    assert page.find("a", href=f"/ideas/{idea.id}/report")
    listing = soup(await client.get("/ideas"))
    assert listing.find("a", href=f"/ideas/{idea.id}")
    response = await post_form(
        client,
        f"/ideas/{idea.id}/report",
        {"reason": "Reclame voor een bedrijf"},
        form_page=f"/ideas/{idea.id}/report",
    )
    assert response.status_code == 200 and await IdeaReport.filter(idea_id=idea.id).count() == 1
    await sign_in(client, "inge@example.org")
    overview = (await client.get("/organise/ideas")).text
    assert "Reclame voor een bedrijf" in overview
    assert (await post_form(client, f"/organise/ideas/{idea.id}/keep", {})).status_code == 303
    assert "Reclame voor een bedrijf" not in (await client.get("/organise/ideas")).text


async def test_organiser_merges_a_duplicate_and_its_support_counts_once_per_address(
    client: httpx.AsyncClient, venue: Venue
) -> None:
    kept = await proposed_and_confirmed(client)
    duplicate = await proposed_and_confirmed(
        client, title="Spelletjesavond oud en jong", first_name="Bo", email="bo@example.org"
    )
    await approve(client, kept)
    await approve(client, duplicate)
    for idea, emails in ((kept, SUPPORTERS[:1]), (duplicate, SUPPORTERS)):
        for email in emails:
            assert (await support(client, idea, email)).status_code == 303
            path = await link_in_mail("idea_support_confirm", email)
            assert (await confirm(client, path)).status_code == 303
    await sign_in(client, "inge@example.org")
    response = await post_form(
        client, f"/organise/ideas/{duplicate.id}/merge", {"into": str(kept.id)}
    )
    assert response.status_code == 303
    await duplicate.refresh_from_db()
    assert duplicate.status == IdeaStatus.MERGED and duplicate.merged_into_id == kept.id
    assert await IdeaSupport.filter(idea_id=kept.id, confirmed_at__isnull=False).count() == 2
    assert await IdeaSupport.filter(idea_id=duplicate.id).count() == 0
    moved = await client.get(f"/ideas/{duplicate.id}")
    assert moved.status_code == 303 and moved.headers["location"] == f"/ideas/{kept.id}"
    assert "2 mensen zouden komen" in (await client.get("/ideas")).text


# --- support ------------------------------------------------------------------------------


async def test_one_support_per_address_and_only_confirmed_ones_count(
    client: httpx.AsyncClient, venue: Venue
) -> None:
    idea = await proposed_and_confirmed(client)
    await approve(client, idea)
    email = SUPPORTERS[0]
    first = await support(client, idea, email, bring="older")
    assert first.status_code == 303 and first.headers["location"] == f"/ideas/{idea.id}/supported"
    page = soup(await client.get(f"/ideas/{idea.id}"))
    assert page.select_one(".places-n").get_text(strip=True) == "0", "unconfirmed: not counted"
    path = await link_in_mail("idea_support_confirm", email)
    assert (await confirm(client, path)).status_code == 303
    assert (await support(client, idea, email.upper(), bring="younger")).status_code == 303
    assert (await confirm(client, path)).status_code == 303
    rows = await IdeaSupport.filter(idea_id=idea.id)
    assert len(rows) == 1 and rows[0].bring == "older"
    numbers = [
        n.get_text(strip=True)
        for n in soup(await client.get(f"/ideas/{idea.id}")).select(".places-n")
    ]
    assert numbers == ["1", "1"]  # one would come, one would bring someone older
    assert await OutboxMessage.filter(kind="idea_support_confirm").count() == 1


async def test_nobody_is_ever_shown(client: httpx.AsyncClient, venue: Venue) -> None:
    idea = await proposed_and_confirmed(client)
    await approve(client, idea)
    for email in SUPPORTERS:
        await support(client, idea, email)
        await confirm(client, await link_in_mail("idea_support_confirm", email))
    await sign_in(client, "inge@example.org")
    organiser_pages = [
        (await client.get("/organise/ideas")).text,
        (await client.get(f"/organise/ideas/{idea.id}/activity")).text,
    ]
    await client.post("/logout", data={"csrf_token": await _token(client)})
    text = "\n".join([await public_everything(client, idea), *organiser_pages])
    assert SECRET_TITLE in text
    for secret in (
        PROPOSER["first_name"],
        PROPOSER["email"],
        *SUPPORTERS,
        "supporter@",
        "kees",
        "mila",
    ):
        assert secret.lower() not in text.lower(), secret


# --- rate limits --------------------------------------------------------------------------


async def test_proposals_are_limited_per_address_and_per_email(
    client: httpx.AsyncClient, venue: Venue
) -> None:
    for n in range(3):
        assert (await propose(client, title=f"Idee {n}")).status_code == 303
    response = await propose(client, title="Nog een")
    assert response.status_code == 429 and int(response.headers["Retry-After"]) > 0
    assert "Wacht even" in soup(response).select_one(".notice-error").get_text()
    for n in range(7):
        assert (
            await propose(client, title=f"Ander {n}", email=f"p{n}@example.org")
        ).status_code == 303
    assert (await propose(client, email="nieuw@example.org")).status_code == 429
    assert await Idea.all().count() == 10


async def test_supports_and_reports_are_limited_per_address(
    client: httpx.AsyncClient, venue: Venue
) -> None:
    idea = await proposed_and_confirmed(client)
    await approve(client, idea)
    for n in range(throttle.SUPPORTS_BY_ADDRESS.limit):
        assert (await support(client, idea, f"s{n}@example.org")).status_code == 303
    assert (await support(client, idea, "een-te-veel@example.org")).status_code == 429
    report_page = f"/ideas/{idea.id}/report"
    for _ in range(throttle.REPORTS_BY_ADDRESS.limit):
        assert (await post_form(client, report_page, {}, form_page=report_page)).status_code == 200
    assert (await post_form(client, report_page, {}, form_page=report_page)).status_code == 429
    assert await IdeaReport.all().count() == throttle.REPORTS_BY_ADDRESS.limit


# --- from idea to activity ----------------------------------------------------------------


async def test_organiser_turns_an_idea_into_an_activity_and_supporters_hear_once(
    client: httpx.AsyncClient, venue: Venue, settings: Settings
) -> None:
    month = (datetime.now(UTC) + timedelta(days=62)).strftime("%Y-%m")
    idea = await proposed_and_confirmed(client, month=month, venue=str(venue.id))
    await approve(client, idea)
    for email in SUPPORTERS:
        await support(client, idea, email)
        await confirm(client, await link_in_mail("idea_support_confirm", email))
    await support(client, idea, "nooit-bevestigd@example.org")

    await sign_in(client, "inge@example.org")
    overview = soup(await client.get("/organise/ideas"))
    assert overview.find("a", href=f"/organise/ideas/{idea.id}/activity")
    form_page = soup(await client.get(f"/organise/ideas/{idea.id}/activity"))
    values = {
        name: str(form_page.find(attrs={"name": name}).get("value") or "")
        for name in ("date", "start_time", "end_time")
    }
    assert values["date"].startswith(month) and values["start_time"] == "14:00"  # a Saturday
    values["venue"] = str(venue.id)
    response = await post_form(client, f"/organise/ideas/{idea.id}/activity", values)
    assert response.status_code == 303, response.text
    event = await Event.get(title=SECRET_TITLE)
    assert response.headers["location"] == f"/organise/events/{event.id}"
    assert event.status == EventStatus.DRAFT and event.venue_id == venue.id
    assert event.summary == idea_form()["summary"] and event.places_older > 0
    again = await post_form(client, f"/organise/ideas/{idea.id}/activity", values)
    assert again.status_code == 409 and await Event.filter(title=SECRET_TITLE).count() == 1

    assert await ideas.notify_published_ideas(settings=settings) == 0  # a draft: nothing yet
    assert "Dit gaat door" not in (await client.get(f"/ideas/{idea.id}")).text
    assert (await post_form(client, f"/organise/events/{event.id}/publish", {})).status_code == 303
    # Publishing told the supporters at once; the worker's sweep finds nobody left.
    assert await OutboxMessage.filter(kind="idea_published").count() == 2
    assert await ideas.notify_published_ideas(settings=settings) == 0
    assert await ideas.notify_supporters(event.id, settings=settings) == 0
    news = await OutboxMessage.filter(kind="idea_published").order_by("to_email")
    assert sorted(m.to_email for m in news) == sorted(SUPPORTERS)
    assert all(f"/events/{event.slug}" in m.text_body for m in news)
    page = (await client.get(f"/ideas/{idea.id}")).text
    assert "Dit gaat door!" in page and f'href="/events/{event.slug}"' in page
    assert "Dit gaat door!" in (await client.get("/ideas")).text


async def test_a_draft_needs_an_own_venue_in_the_town(
    client: httpx.AsyncClient, venue: Venue
) -> None:
    idea = await proposed_and_confirmed(client)
    await approve(client, idea)
    await sign_in(client, "inge@example.org")
    elsewhere = await Venue.get(slug="elders")
    values = {
        "venue": str(elsewhere.id),
        "date": "2099-01-03",
        "start_time": "19:30",
        "end_time": "21:30",
    }
    response = await post_form(client, f"/organise/ideas/{idea.id}/activity", values)
    assert response.status_code == 422 and await Event.all().count() == 0


async def test_the_ideas_pages_speak_english_too(client: httpx.AsyncClient, venue: Venue) -> None:
    idea = await proposed_and_confirmed(client)
    await approve(client, idea)
    await client.get("/language/en")
    listing = (await client.get("/ideas")).text
    assert "Ideas for activities" in listing and "Propose an idea" in listing
    assert "Nobody has said they would come yet" in listing
    page = (await client.get(f"/ideas/{idea.id}")).text
    assert "Who would come?" in page and "I&#39;d bring someone older" in page
