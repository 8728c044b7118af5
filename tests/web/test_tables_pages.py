"""Organiser table pages: plan, grid and scorecard, moving by hand, locking, the printed
wall plan and table cards, the organisation's own starters, and who may see them."""

from __future__ import annotations

import httpx
import pytest

from events.models import Event, Group, Registration, RegistrationStatus, TablePlan
from events.services import tables
from events.tickets import new_code
from tests import factories
from tests.web.helpers import csrf_token, post_form, sign_in, soup

NAMES = [
    ("Zeynep", Group.YOUNG),
    ("Bram", Group.YOUNG),
    ("Lotte", Group.YOUNG),
    ("Émile", Group.YOUNG),
    ("Riet", Group.OLDER),
    ("Anton", Group.OLDER),
    ("Kees", Group.OLDER),
    ("Dini", Group.OLDER),
]


@pytest.fixture
async def event(client: httpx.AsyncClient) -> Event:
    org = await factories.organisation()
    venue = await factories.venue(org)
    await factories.organiser(org, email="inge@example.org")
    made = await factories.event(
        venue, has_tables=True, table_size=4, table_rounds=2, title="Verhalentafel"
    )
    for name, group in NAMES:
        await Registration.create(
            event=made,
            code=new_code(),
            first_name=name,
            group=group,
            status=RegistrationStatus.CONFIRMED,
        )
    await sign_in(client, "inge@example.org")
    return made


def tables_path(event: Event, rest: str = "") -> str:
    return f"/organise/events/{event.id}/tables{rest}"


async def plan(client: httpx.AsyncClient, event: Event, **data: str) -> httpx.Response:
    form = {"source": "registered", "seed": "1", **data}
    return await post_form(client, tables_path(event, "/plan"), form, form_page=tables_path(event))


async def test_event_page_links_to_tables_only_when_the_event_has_them(
    client: httpx.AsyncClient, event: Event
) -> None:
    page = soup(await client.get(f"/organise/events/{event.id}"))
    assert page.find("a", href=tables_path(event))
    event.has_tables = False
    await event.save()
    page = soup(await client.get(f"/organise/events/{event.id}"))
    assert not page.find("a", href=tables_path(event))
    dashboard = soup(await client.get("/organise/"))
    assert dashboard.find("a", href="/organise/starters")


async def test_organiser_plans_and_sees_every_round_and_the_scorecard(
    client: httpx.AsyncClient, event: Event
) -> None:
    empty = await client.get(tables_path(event))
    assert empty.status_code == 200 and soup(empty).select_one(".empty")

    response = await plan(client, event)
    assert response.status_code == 303 and response.headers["location"] == tables_path(event)

    page = soup(await client.get(tables_path(event)))
    rounds = page.select("section[aria-labelledby^=round-]")
    assert len(rounds) == 2
    for section in rounds:
        boxes = section.select(".table-box")
        assert len(boxes) == 2
        names = sorted(n.get_text(strip=True) for n in section.select(".seat-name"))
        assert names == sorted(name for name, _ in NAMES)
        badges = section.select(".badge-group")
        assert len(badges) == 8 and all(b.get_text(strip=True) for b in badges)
    rules = page.select("table.scorecard tbody tr")
    assert len(rules) >= 10
    assert all(len(row.select("td")) == 3 for row in rules)
    assert page.select("table.scorecard thead th[scope=col]")
    whys = page.select("table.people details.why li")
    assert len(whys) == 16 and "round 1, table" in whys[0].get_text()
    stored = await TablePlan.get(event_id=event.id)
    assert len(stored.rounds) == 2


async def test_move_by_hand_updates_plan_and_scorecard_then_lock_refuses(
    client: httpx.AsyncClient, event: Event
) -> None:
    await plan(client, event, rounds="1")
    stored = await TablePlan.get(event_id=event.id)
    mover = stored.rounds[0][0][0]
    response = await post_form(
        client,
        tables_path(event, "/move"),
        {"registration_id": str(mover), "round": "1", "table": "2"},
        form_page=tables_path(event),
    )
    assert response.status_code == 303
    stored = await TablePlan.get(event_id=event.id)
    assert mover in stored.rounds[0][1]
    assert stored.scorecard["seating_errors"]
    page = soup(await client.get(tables_path(event)))
    assert page.select_one(".notice-error")  # the broken balance is shown

    await post_form(client, tables_path(event, "/lock"), {}, form_page=tables_path(event))
    assert (await TablePlan.get(event_id=event.id)).locked
    page = soup(await client.get(tables_path(event)))
    assert not page.select("form.move-form")
    response = await post_form(
        client,
        tables_path(event, "/move"),
        {"registration_id": str(mover), "round": "1", "table": "1"},
        form_page=tables_path(event),
    )
    assert response.headers["location"].endswith("?error=plan_locked")
    shown = soup(await client.get(response.headers["location"]))
    assert shown.select_one("[role=alert]")
    await post_form(client, tables_path(event, "/unlock"), {}, form_page=tables_path(event))
    assert not (await TablePlan.get(event_id=event.id)).locked


async def test_planning_from_check_ins_with_nobody_here_says_so(
    client: httpx.AsyncClient, event: Event
) -> None:
    response = await plan(client, event, source="checked_in")
    assert response.headers["location"].endswith("?error=too_few_people")
    assert not await TablePlan.exists(event_id=event.id)
    bad = await plan(client, event, source="everyone")
    assert bad.status_code == 303 and "error=" in bad.headers["location"]


async def test_wall_plan_is_alphabetical_with_a_table_per_round(
    client: httpx.AsyncClient, event: Event
) -> None:
    assert (await client.get(tables_path(event, "/wall"))).status_code == 303  # no plan yet
    await plan(client, event)
    page = soup(await client.get(tables_path(event, "/wall")))
    assert page.find("link", href="/static/css/tables-print.css")
    rows = page.select("table.wall-plan tbody tr")
    names = [row.th.get_text(strip=True) for row in rows if row.th]
    assert names == ["Anton", "Bram", "Dini", "Émile", "Kees", "Lotte", "Riet", "Zeynep"]
    assert len(page.select("table.wall-plan thead th")) == 3
    stored = await TablePlan.get(event_id=event.id)
    anton = await Registration.get(event_id=event.id, first_name="Anton")
    expected = [str(await tables.table_of(event.id, anton.id, r)) for r in range(2)]
    assert [td.get_text(strip=True) for td in rows[0].select("td")] == expected
    assert len(stored.rounds) == 2


async def test_cards_have_different_starters_per_table_and_round(
    client: httpx.AsyncClient, event: Event
) -> None:
    await plan(client, event)
    page = soup(await client.get(tables_path(event, "/cards")))
    cards = page.select("section.table-card")
    assert len(cards) == 4  # 2 tables x 2 rounds
    numbers = [c.select_one(".card-number").get_text(strip=True) for c in cards]  # type: ignore[union-attr]
    assert numbers == ["1", "2", "1", "2"]
    sets = [tuple(li.get_text(strip=True) for li in c.select(".card-starters li")) for c in cards]
    assert all(len(s) == 3 for s in sets)
    assert len({text for s in sets for text in s}) == 12


async def test_own_starters_can_be_added_and_removed(
    client: httpx.AsyncClient, event: Event
) -> None:
    page = await client.get("/organise/starters")
    assert page.status_code == 200 and len(soup(page).select(".starter-list li")) >= 40
    response = await post_form(
        client,
        "/organise/starters",
        {"text": "Welke boom staat in je straat?", "locale": "nl"},
        form_page="/organise/starters",
    )
    assert response.status_code == 303
    page = soup(await client.get("/organise/starters"))
    assert "Welke boom staat in je straat?" in page.get_text()
    empty = await post_form(
        client, "/organise/starters", {"text": " ", "locale": "nl"}, form_page="/organise/starters"
    )
    assert empty.status_code == 422 and soup(empty).select_one(".field .error")
    form = page.select_one("ul.rows form")
    assert form is not None
    removed = await post_form(client, str(form["action"]), {}, form_page="/organise/starters")
    assert removed.status_code == 303
    assert "Welke boom" not in (await client.get("/organise/starters")).text


async def test_another_organisation_gets_404(client: httpx.AsyncClient, event: Event) -> None:
    await plan(client, event)
    await tables.add_starter(
        event.organisation_id,  # type: ignore[attr-defined]
        "Wat is je lievelingsboek?",
        "nl",
    )
    starter_id = (await tables.list_starters(event.organisation_id))[0].id  # type: ignore[attr-defined]
    other = await factories.organisation()
    await factories.organiser(other, email="piet@example.org")
    await client.post("/logout", data={"csrf_token": await csrf_token(client, "/organise/")})
    await sign_in(client, "piet@example.org")
    for path in (tables_path(event), tables_path(event, "/wall"), tables_path(event, "/cards")):
        assert (await client.get(path)).status_code == 404, path
    for action in ("plan", "move", "lock", "replan"):
        response = await post_form(
            client,
            tables_path(event, f"/{action}"),
            {"source": "registered"},
            form_page="/organise/",
        )
        assert response.status_code == 404, action
    removed = await post_form(
        client, f"/organise/starters/{starter_id}/remove", {}, form_page="/organise/"
    )
    assert removed.status_code == 404
    assert "lievelingsboek" not in (await client.get("/organise/starters")).text


async def test_host_and_anonymous_cannot_reach_table_pages(
    client: httpx.AsyncClient, event: Event
) -> None:
    venue = await event.venue
    await factories.host(await venue.organisation, [venue], email="host@example.org")
    await client.post("/logout", data={"csrf_token": await csrf_token(client, "/organise/")})
    assert (await client.get(tables_path(event))).status_code == 303  # to the sign-in page
    await sign_in(client, "host@example.org")
    assert (await client.get(tables_path(event))).status_code == 404


async def test_forms_without_csrf_token_are_refused(
    client: httpx.AsyncClient, event: Event
) -> None:
    response = await client.post(tables_path(event, "/plan"), data={"source": "registered"})
    assert response.status_code == 403
    assert not await TablePlan.exists(event_id=event.id)
    response = await client.post(
        "/organise/starters", data={"text": "Zonder token?", "locale": "nl"}
    )
    assert response.status_code == 403
