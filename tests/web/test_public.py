"""Public pages: listing, one event, venue and organisation pages, 404s, no outside hosts."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from urllib.parse import urlparse

import httpx

from events.models import Event, EventStatus
from tests import factories
from tests.web.helpers import soup


async def _world() -> dict[str, object]:
    org = await factories.organisation(slug="samen")
    cafe = await factories.venue(org, slug="de-zwaan", name="Café De Zwaan", town="Zutphen")
    bieb = await factories.venue(org, slug="bieb", name="Bibliotheek", town="Lochem")
    published = await factories.event(cafe, slug="spelletjes", title="Spelletjesavond")
    draft = await factories.event(
        cafe, slug="geheim", title="Geheim concept", status=EventStatus.DRAFT
    )
    cancelled = await factories.event(
        bieb, slug="afgelast", title="Afgelaste avond", status=EventStatus.CANCELLED
    )
    return {"published": published, "draft": draft, "cancelled": cancelled}


async def test_home_lists_published_and_cancelled_but_not_drafts(client: httpx.AsyncClient) -> None:
    await _world()
    page = await client.get("/")
    assert page.status_code == 200
    assert "Spelletjesavond" in page.text
    assert "Afgelaste avond" in page.text
    assert "Geheim concept" not in page.text
    cancelled_card = soup(page).find("a", href="/events/afgelast").find_parent("li")
    assert "is-cancelled" in cancelled_card["class"]


async def test_filters_by_town_venue_and_date(client: httpx.AsyncClient) -> None:
    await _world()
    lochem = await client.get("/", params={"town": "lochem"})
    assert "Afgelaste avond" in lochem.text and "Spelletjesavond" not in lochem.text
    zwaan = await client.get("/", params={"venue": "de-zwaan"})
    assert "Spelletjesavond" in zwaan.text and "Afgelaste avond" not in zwaan.text
    later = (datetime.now(UTC) + timedelta(days=30)).date().isoformat()
    assert "Spelletjesavond" not in (await client.get("/", params={"from": later})).text
    bad = await client.get("/", params={"from": "next tuesday"})
    assert bad.status_code == 200 and 'aria-invalid="true"' in bad.text


async def test_event_page_has_places_rules_json_ld_and_open_graph(
    client: httpx.AsyncClient,
) -> None:
    await _world()
    page = await client.get("/events/spelletjes")
    assert page.status_code == 200
    html = soup(page)
    data = json.loads(html.find("script", type="application/ld+json").string)
    assert data["@type"] == "Event" and data["name"] == "Spelletjesavond"
    assert data["location"]["address"]["addressLocality"] == "Zutphen"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert html.find("meta", property="og:title")["content"] == "Spelletjesavond"
    assert [li.find(class_="places-n").text for li in html.select(".places li")] == ["10", "10"]


async def test_drafts_and_unknown_slugs_are_friendly_404s(client: httpx.AsyncClient) -> None:
    await _world()
    for path in (
        "/events/geheim",
        "/events/nope",
        "/venues/nope",
        "/organisations/nope",
        "/no/such/page",
    ):
        page = await client.get(path)
        assert page.status_code == 404, path
        assert soup(page).find("h1").text.strip() == "We konden deze pagina niet vinden"


async def test_venue_and_organisation_pages_list_their_events(client: httpx.AsyncClient) -> None:
    await _world()
    venue = await client.get("/venues/de-zwaan")
    assert venue.status_code == 200 and "Spelletjesavond" in venue.text
    facts = soup(venue).select(".facts li")
    assert len(facts) == 4 and all(li.find("svg") and li.get_text(strip=True) for li in facts)
    org = await client.get("/organisations/samen")
    assert org.status_code == 200 and "Spelletjesavond" in org.text


async def test_no_page_loads_anything_from_another_host(client: httpx.AsyncClient) -> None:
    await _world()
    pages = [
        "/",
        "/events/spelletjes",
        "/events/afgelast",
        "/venues/de-zwaan",
        "/organisations/samen",
        "/privacy",
        "/login",
        "/nope",
    ]
    for path in pages:
        html = soup(await client.get(path))
        for tag in html.find_all(["script", "link", "img", "iframe", "source", "video", "audio"]):
            for attr in ("src", "href"):
                url = tag.get(attr)
                if url and (tag.name != "link" or tag.get("rel") != ["canonical"]):
                    assert not urlparse(url).netloc, f"{path} loads {url}"


async def test_language_switch_and_accept_language(client: httpx.AsyncClient) -> None:
    dutch = await client.get("/")
    assert soup(dutch).find("html")["lang"] == "nl"
    english = await client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert soup(english).find("html")["lang"] == "en"
    switched = await client.get("/language/en", params={"next": "/privacy"})
    assert switched.status_code == 303 and switched.headers["location"] == "/privacy"
    client.cookies.set("lang", "en")
    assert soup(await client.get("/")).find("html")["lang"] == "en"
    away = await client.get("/language/nl", params={"next": "https://evil.example/"})
    assert away.headers["location"] == "/"


async def test_event_page_answers_304_until_places_change(client: httpx.AsyncClient) -> None:
    world = await _world()
    first = await client.get("/events/spelletjes")
    etag = first.headers["etag"]
    assert first.headers["last-modified"]
    again = await client.get("/events/spelletjes", headers={"If-None-Match": etag})
    assert again.status_code == 304 and not again.content
    published = world["published"]
    assert isinstance(published, Event)
    await Event.filter(id=published.id).update(taken_young=3)  # a sign-up elsewhere
    changed = await client.get("/events/spelletjes", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    places = [li.find(class_="places-n").text for li in soup(changed).select(".places li")]
    assert places[0] == "7"


async def test_json_ld_cannot_break_out_of_its_script_block(client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    venue = await factories.venue(org)
    title = "<!--<script> & </script><b>bold</b>"
    await factories.event(venue, slug="lastig", title=title)
    page = await client.get("/events/lastig")
    block = soup(page).find("script", type="application/ld+json")
    assert json.loads(block.string)["name"] == title
    assert "<" not in block.string and soup(page).find("form", class_="stack")


async def test_every_card_says_places_left_per_group_or_a_waiting_list(
    client: httpx.AsyncClient,
) -> None:
    org = await factories.organisation()
    venue = await factories.venue(org)
    await factories.event(venue, slug="ruim", places_young=3, places_older=2)
    await factories.event(venue, slug="vol", places_young=1, places_older=0, taken_young=1)
    first = await client.get("/")
    html = soup(first)

    def lines(slug: str) -> list[str]:
        card = html.find("a", href=f"/events/{slug}").find_parent("li")
        return [" ".join(li.text.split()) for li in card.select(".card-places li")]

    assert lines("ruim") == ["Jongeren: nog 3 plekken", "Ouderen: nog 2 plekken"]
    assert lines("vol") == ["Jongeren: vol, wachtlijst"]
    # Places taken change no updated_at: the listing's validator still notices.
    await Event.filter(slug="ruim").update(taken_older=2)
    again = await client.get("/", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 200
    html = soup(again)
    assert lines("ruim")[1] == "Ouderen: vol, wachtlijst"


async def test_home_folds_the_filters_away_unless_one_is_used(client: httpx.AsyncClient) -> None:
    await _world()
    folded = soup(await client.get("/")).select_one("details.filters-fold")
    assert folded is not None and not folded.has_attr("open")
    opened = soup(await client.get("/", params={"town": "Lochem"})).select_one(
        "details.filters-fold"
    )
    assert opened.has_attr("open")
