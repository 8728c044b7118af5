"""Organiser table pages: plan, grid and scorecard, moving by hand, locking, the printed
wall plan and table cards, the organisation's own starters, and who may see them."""

from __future__ import annotations

import re

import httpx
import pytest

from events import i18n
from events.models import Event, Group, Registration, RegistrationStatus, TablePlan
from events.services import tables
from events.tickets import new_code
from events.web import planner_text
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
    assert all(len(row.select("td")) == 2 for row in rules)
    assert all(row.select_one(".rule-explanation").get_text(strip=True) for row in rules)  # type: ignore[union-attr]
    assert page.select("table.scorecard thead th[scope=col]")
    whys = page.select("section[aria-labelledby=why-here] details.why li")
    assert len(whys) == 16
    headings = [li.strong.get_text() if li.strong else "" for li in whys]
    assert all(re.fullmatch(r"Ronde [12], tafel [12]", h) for h in headings), headings
    assert headings[0].startswith("Ronde 1") and headings[1].startswith("Ronde 2")
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
    staff = await factories.organiser_actor(await event.organisation)
    await tables.add_starter(staff, "Wat is je lievelingsboek?", "nl")
    starter_id = (await tables.list_starters(staff))[0].id
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


PLANNER_ENGLISH = ("repeat-free", "sum over tables", "new faces", "shared interests", "young,")


async def test_dutch_page_explains_in_plain_words_without_planner_english(
    client: httpx.AsyncClient, event: Event
) -> None:
    riet = await Registration.get(event_id=event.id, first_name="Riet")
    riet.interests, riet.languages, riet.needs = ["music"], ["nl"], ["quiet"]
    await riet.save()
    for name in ("Bram", "Lotte", "Zeynep"):
        mate = await Registration.get(event_id=event.id, first_name=name)
        mate.interests, mate.languages = ["music"], ["nl"]
        await mate.save()
    await plan(client, event, rounds="3")
    response = await client.get(tables_path(event))
    text = response.text.casefold()
    assert not [phrase for phrase in PLANNER_ENGLISH if phrase in text]
    page = soup(response)
    assert not page.select("main [lang=en]")
    riet_why = next(
        d
        for d in page.select("details.why")
        if "Riet" in d.summary.get_text()  # type: ignore[union-attr]
    )
    lines = [li.get_text(" ", strip=True) for li in riet_why.select("li")]
    assert len(lines) == 3 and lines[0].startswith("Ronde 1, tafel")
    stored = await TablePlan.get(event_id=event.id)
    quiet = len(stored.rounds[0])
    for number, tables_in_round in enumerate(stored.rounds):
        table = next(t for t, ids in enumerate(tables_in_round, start=1) if riet.id in ids)
        assert lines[number].startswith(f"Ronde {number + 1}, tafel {table}")
        if table == quiet:
            assert "Sits at the quiet table" in lines[number] or "rustige tafel" in lines[number]


async def test_replacing_a_plan_needs_the_confirmation_box(
    client: httpx.AsyncClient, event: Event
) -> None:
    await plan(client, event)
    stored = await TablePlan.get(event_id=event.id)
    mover = stored.rounds[0][0][0]
    await post_form(
        client,
        tables_path(event, "/move"),
        {"registration_id": str(mover), "round": "1", "table": "2"},
        form_page=tables_path(event),
    )
    moved = (await TablePlan.get(event_id=event.id)).rounds
    page = soup(await client.get(tables_path(event)))
    assert page.select_one("form.plan-form input[type=checkbox][name=replace]")

    refused = await plan(client, event, seed="7")
    assert refused.headers["location"].endswith("?error=confirm_replace")
    unchanged = await TablePlan.get(event_id=event.id)
    assert unchanged.rounds == moved and unchanged.seed == 1
    shown = soup(await client.get(refused.headers["location"]))
    assert shown.select_one("[role=alert]") and shown.select_one("#f-replace-error")
    assert shown.select_one("#f-replace[aria-invalid=true]")

    accepted = await plan(client, event, seed="7", replace="yes")
    assert accepted.headers["location"] == tables_path(event)
    replaced = await TablePlan.get(event_id=event.id)
    assert replaced.seed == 7 and "+moved" not in str(replaced.scorecard["method"])
    assert not replaced.scorecard["seating_errors"]


def test_planner_codes_and_errors_are_worded_with_their_numbers() -> None:
    scorecard = {
        "repeat_encounters": {
            "value": 4,
            "best": 2,
            "code": "repeat_free_impossible",
            "params": {"people": 10, "size": 4, "limit": 1, "exact": 0},
        },
        "generation_imbalance": {"value": 2, "best": 0, "code": "", "params": {}},
        "language_isolated_seats": {
            "value": 1,
            "best": 0,
            "code": "language_without_repeats",
            "params": {"num": 3},
        },
        "single_generation_tables": {
            "value": 2,
            "best": 2,
            "code": "mix_forced",
            "params": {"young": 1, "older": 5, "tables": 2, "num": 1},
        },
        "something_new": {"value": 1, "best": None, "code": "a_new_code", "params": {}},
        "method": "search",
    }
    with i18n.use_locale("en"):
        lines = {line.name: line for line in planner_text.score_lines(scorecard)}
        errors = planner_text.seating_errors(
            [
                {"code": "not_seated", "round": 2, "ids": ["5", "7"]},
                {"code": "table_sizes_differ", "round": 1},
                "an old English error",
            ],
            {5: "Anton", 7: "Kees"},
        )
    assert set(lines) == {
        "repeat_encounters",
        "generation_imbalance",
        "language_isolated_seats",
        "single_generation_tables",
        "something_new",
    }
    repeat = lines["repeat_encounters"].detail
    assert "10 people" in repeat and "tables of 4" in repeat and "round 1" in repeat
    assert lines["generation_imbalance"].detail == ""  # no code: the rule's explanation
    assert lines["generation_imbalance"].explanation.startswith("Per table")
    assert "at least 3 seats" in lines["language_isolated_seats"].detail
    assert "1 table per round" in lines["single_generation_tables"].detail
    assert lines["something_new"].detail == ""
    assert errors[0] == "Round 2: no seat for Anton and Kees."
    assert errors[1].startswith("Round 1: some tables")
    assert "English" not in errors[2]


async def test_an_organiser_sets_a_pair_on_the_tables_page(
    client: httpx.AsyncClient, event: Event
) -> None:
    """Two people kept apart, set with the form on the tables page, as the page says."""
    people = await Registration.filter(event_id=event.id).order_by("id").limit(2)
    path = f"/organise/events/{event.id}/tables"
    answer = await client.post(
        f"{path}/pair_add",
        data={"kind": "apart", "first": str(people[0].id), "second": str(people[1].id),
              "csrf_token": await csrf_token(client, path)},
    )  # fmt: skip
    assert answer.status_code == 303
    page = await client.get(path)
    assert f"{people[0].first_name} en {people[1].first_name} zitten apart" in page.text
    same = await client.post(
        f"{path}/pair_add",
        data={"kind": "apart", "first": str(people[0].id), "second": str(people[0].id),
              "csrf_token": await csrf_token(client, path)},
    )  # fmt: skip
    assert "error=invalid_pair" in same.headers["location"]
