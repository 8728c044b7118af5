"""Conversation tables as a service: planning from sign-ups or check-ins, moving by hand,
locking, re-planning at the door, the host's table look-up and the young–older count."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from events.models import (
    CheckIn,
    ConversationStarter,
    Event,
    Group,
    Person,
    Registration,
    RegistrationStatus,
    TablePlan,
    Venue,
)
from events.services import registrations as reg
from events.services import tables
from events.services.errors import EventsError, FormError, NotFound
from events.services.staff import Actor
from events.settings import Settings
from events.tickets import new_code
from tests import factories

_n = iter(range(1, 1_000_000))


async def staff_of(event: Event) -> Actor:
    return await factories.organiser_actor(await event.organisation)


@pytest.fixture
async def event(db: Settings) -> Event:
    org = await factories.organisation()
    venue = await factories.venue(org, step_free_entrance=True)
    return await factories.event(
        venue, places_young=10, places_older=10, has_tables=True, table_size=4, table_rounds=3
    )


async def person(
    event: Event,
    name: str,
    group: Group,
    *,
    status: RegistrationStatus = RegistrationStatus.CONFIRMED,
    lead: Registration | None = None,
    **fields: object,
) -> Registration:
    return await Registration.create(
        event=event,
        code=new_code(),
        first_name=name,
        email=f"{name.lower()}{next(_n)}@example.org",
        group=group,
        status=status,
        lead=lead,
        **fields,
    )


async def crowd(event: Event, young: int, older: int) -> list[Registration]:
    people = [await person(event, f"Jong{i}", Group.YOUNG) for i in range(young)]
    people += [await person(event, f"Oud{i}", Group.OLDER) for i in range(older)]
    return people


async def check_in(event: Event, registration: Registration, *, undone: bool = False) -> None:
    now = datetime.now(UTC)
    await CheckIn.create(
        event=event,
        registration=registration,
        scanned_at=now,
        device_id="test",
        nonce=f"n-{next(_n)}",
        undone_at=now if undone else None,
    )


def people_per_round(plan: TablePlan) -> list[list[int]]:
    return [sorted(rid for table in tables for rid in table) for tables in plan.rounds]


async def test_plan_seats_every_confirmed_person_once_per_round(event: Event) -> None:
    people = await crowd(event, 6, 6)
    await person(event, "Wacht", Group.YOUNG, status=RegistrationStatus.WAITLISTED)
    await person(event, "Weg", Group.OLDER, status=RegistrationStatus.CANCELLED)

    plan = await tables.plan_event_tables(await staff_of(event), event.id, replace=True, seed=3)

    expected = sorted(p.id for p in people)
    assert len(plan.rounds) == 3
    assert people_per_round(plan) == [expected] * 3
    assert all(len(round_) == 3 for round_ in plan.rounds)  # 12 people at tables of 4
    stored = await TablePlan.get(event_id=event.id)
    assert stored.rounds == plan.rounds and stored.source == "registered" and stored.seed == 3
    assert stored.scorecard["seating_errors"] == []
    assert stored.scorecard["generation_imbalance"]["value"] == 0  # type: ignore[index]


async def test_plan_keeps_a_party_apart_where_possible(event: Event) -> None:
    await crowd(event, 5, 5)
    lead = await person(event, "Ans", Group.OLDER)
    await person(event, "Piet", Group.OLDER, lead=lead)

    plan = await tables.plan_event_tables(await staff_of(event), event.id, replace=True)

    party = {lead.id, lead.id + 1}
    for tables_ in plan.rounds:
        assert all(len(party & set(table)) <= 1 for table in tables_)
    assert plan.scorecard["party_splits_missed"]["value"] == 0  # type: ignore[index]


async def test_plan_is_the_same_for_the_same_seed_and_replaces_the_old_one(event: Event) -> None:
    await crowd(event, 4, 4)
    first = await tables.plan_event_tables(await staff_of(event), event.id, replace=True, seed=5)
    again = await tables.plan_event_tables(await staff_of(event), event.id, replace=True, seed=5)
    assert first.rounds == again.rounds
    assert await TablePlan.filter(event_id=event.id).count() == 1


async def test_plan_needs_two_people_and_refuses_a_locked_plan(event: Event) -> None:
    await person(event, "Alleen", Group.YOUNG)
    with pytest.raises(EventsError) as exc:
        await tables.plan_event_tables(await staff_of(event), event.id, replace=True)
    assert exc.value.code == "too_few_people"

    await person(event, "Samen", Group.OLDER)
    plan = await tables.plan_event_tables(await staff_of(event), event.id, replace=True)
    await tables.set_locked(await staff_of(event), event.id, locked=True)
    with pytest.raises(EventsError) as exc:
        await tables.plan_event_tables(await staff_of(event), event.id, replace=True, seed=9)
    assert exc.value.code == "plan_locked"
    with pytest.raises(EventsError) as exc:
        first = plan.rounds[0][0][0]
        await tables.move_person(
            await staff_of(event), event.id, registration_id=first, round_index=0, to_table=1
        )
    assert exc.value.code == "plan_locked"
    with pytest.raises(EventsError) as exc:
        await tables.replan_at_door(await staff_of(event), event.id)
    assert exc.value.code == "plan_locked"

    await tables.set_locked(await staff_of(event), event.id, locked=False)
    assert (
        await tables.plan_event_tables(await staff_of(event), event.id, replace=True, seed=9)
    ).locked is False


async def test_plan_from_checked_in_uses_only_people_present(event: Event) -> None:
    people = await crowd(event, 4, 4)
    for p in people[:3] + people[4:7]:
        await check_in(event, p)
    await check_in(event, people[3], undone=True)

    plan = await tables.plan_event_tables(
        await staff_of(event), event.id, replace=True, source="checked_in"
    )

    present = sorted(p.id for p in people[:3] + people[4:7])
    assert plan.source == "checked_in"
    assert people_per_round(plan) == [present] * 3


async def test_plan_maps_needs_and_languages_to_the_planner(event: Event) -> None:
    lead = await person(event, "Ans", Group.OLDER, needs=["quiet", "hearing"], languages=["nl"])
    companion = await person(event, "Piet", Group.OLDER, lead=lead, interests=["music"])
    alone = tables.participant(lead)
    assert alone.needs == frozenset({"quiet"})
    assert alone.party == str(lead.id)
    assert tables.participant(companion).party == str(lead.id)
    assert tables.participant(companion).interests == frozenset({"music"})

    await crowd(event, 4, 2)
    plan = await tables.plan_event_tables(await staff_of(event), event.id, replace=True, rounds=2)
    quiet_table = len(plan.rounds[0])
    for r in range(2):
        assert await tables.table_of(event.id, lead.id, r) == quiet_table


async def test_move_updates_stored_rounds_and_scorecard(event: Event) -> None:
    await crowd(event, 4, 4)
    plan = await tables.plan_event_tables(await staff_of(event), event.id, replace=True, rounds=1)
    mover = plan.rounds[0][0][0]
    assert plan.scorecard["seating_errors"] == []

    moved = await tables.move_person(
        await staff_of(event), event.id, registration_id=mover, round_index=0, to_table=2
    )

    stored = await TablePlan.get(id=plan.id)
    assert mover not in stored.rounds[0][0] and mover in stored.rounds[0][1]
    assert stored.rounds == moved.rounds
    assert [len(t) for t in stored.rounds[0]] == [3, 5]
    errors = stored.scorecard["seating_errors"]
    assert isinstance(errors, list)
    assert {"code": "table_sizes_differ", "round": 1} in errors
    assert await tables.table_of(event.id, mover) == 2


async def test_move_refuses_unknown_rounds_tables_and_people(event: Event) -> None:
    await crowd(event, 2, 2)
    plan = await tables.plan_event_tables(await staff_of(event), event.id, replace=True, rounds=1)
    someone = plan.rounds[0][0][0]
    for kwargs, code in (
        ({"registration_id": someone, "round_index": 1, "to_table": 1}, "bad_round"),
        ({"registration_id": someone, "round_index": 0, "to_table": 3}, "bad_table"),
        ({"registration_id": 999_999, "round_index": 0, "to_table": 1}, "not_in_plan"),
    ):
        with pytest.raises(EventsError) as exc:
            await tables.move_person(await staff_of(event), event.id, **kwargs)  # type: ignore[arg-type]
        assert exc.value.code == code
    with pytest.raises(NotFound):
        await tables.move_person(
            await staff_of(event), 999_999, registration_id=someone, round_index=0, to_table=1
        )


async def test_replan_at_door_drops_no_shows_and_seats_late_arrivals(event: Event) -> None:
    people = await crowd(event, 4, 4)
    plan = await tables.plan_event_tables(await staff_of(event), event.id, replace=True, rounds=2)
    before = {p.id: await tables.table_of(event.id, p.id) for p in people}
    late = await person(event, "Laat", Group.YOUNG)  # people[0] does not come
    for p in [*people[1:], late]:
        await check_in(event, p)

    again = await tables.replan_at_door(await staff_of(event), event.id)

    present = sorted(p.id for p in [*people[1:], late])
    assert again.id == plan.id and again.source == "checked_in"
    assert people_per_round(again) == [present] * 2
    after = {p.id: await tables.table_of(event.id, p.id) for p in people[1:]}
    kept = sum(1 for rid, table in after.items() if table == before[rid])
    assert kept >= 6  # seated people keep their round-1 table where they can
    moved = again.scorecard["moved_people"]
    assert isinstance(moved, dict) and moved["value"] <= 1


async def test_table_of_without_plan_or_seat(event: Event) -> None:
    people = await crowd(event, 2, 2)
    assert await tables.table_of(event.id, people[0].id) is None
    await tables.plan_event_tables(await staff_of(event), event.id, replace=True, rounds=1)
    assert await tables.table_of(event.id, people[0].id) == 1
    assert await tables.table_of(event.id, people[0].id, 1) is None
    assert await tables.table_of(event.id, 999_999) is None


async def test_mixed_pairs_on_a_hand_made_plan(event: Event) -> None:
    y1, y2, y3 = [await person(event, f"Y{i}", Group.YOUNG) for i in range(3)]
    o1, o2 = [await person(event, f"O{i}", Group.OLDER) for i in range(2)]
    x = await person(event, "X", Group.OPEN)
    rounds = [
        [[y1.id, o1.id, x.id], [y2.id, y3.id, o2.id]],  # y1-o1, y2-o2, y3-o2
        [[y1.id, o1.id, y2.id], [y3.id, o2.id, x.id]],  # y1-o1 again, y2-o1, y3-o2 again
    ]
    await TablePlan.create(event=event, rounds=rounds, scorecard={})
    assert await tables.mixed_pairs(event.id) == 4

    # Once people are checked in, only those who came count.
    await check_in(event, y1)
    await check_in(event, o1)
    await check_in(event, y3)
    assert await tables.mixed_pairs(event.id) == 1


async def test_mixed_pairs_survive_erasure(event: Event) -> None:
    people = await crowd(event, 2, 2)
    plan = await tables.plan_event_tables(await staff_of(event), event.id, replace=True, rounds=1)
    count = await tables.mixed_pairs(event.id)
    assert count == plan.scorecard["mixed_pairs"] and count >= 2
    await people[0].delete()
    assert await tables.mixed_pairs(event.id) == count
    assert await tables.mixed_pairs(event.id + 1000) == 0


async def test_plan_from_sign_ups(event: Event, db: Settings) -> None:
    year = event.starts_at.year
    for name, age in (("Sanne", 17), ("Mo", 19), ("Riet", 81), ("Kees", 77)):
        request = reg.SignupRequest(
            first_name=name, email=f"{name.lower()}@example.org", birth_year=year - age
        )
        await reg.sign_up(event.id, request, settings=db)
    plan = await tables.plan_event_tables(
        await staff_of(event), event.id, replace=True, rounds=1, table_size=2
    )
    view = await tables.plan_view(await staff_of(event), event.id)
    assert view is not None
    assert [p.name for p in view.people] == ["Kees", "Mo", "Riet", "Sanne"]
    assert all(len(p.tables) == 1 and p.tables[0] is not None for p in view.people)
    assert plan.scorecard["single_generation_tables"]["value"] == 0  # type: ignore[index]
    assert await tables.mixed_pairs(event.id) == 2


async def test_organisation_starters(event: Event) -> None:
    org_id: int = event.organisation_id
    staff = await staff_of(event)
    added = await tables.add_starter(staff, "  Wat is je  lievelingsplek? ", "nl")
    assert added.text == "Wat is je lievelingsplek?"
    await tables.add_starter(staff, "What is your favourite place?", "en")
    assert await tables.organisation_starters(org_id, "nl") == ["Wat is je lievelingsplek?"]
    for text, locale, field in (
        ("", "nl", "text"),
        ("x" * 301, "nl", "text"),
        ("Hoi?", "de", "locale"),
    ):
        with pytest.raises(FormError) as exc:
            await tables.add_starter(staff, text, locale)
        assert field in exc.value.errors
    other = await factories.organisation()
    with pytest.raises(NotFound):
        await tables.remove_starter(await factories.organiser_actor(other), added.id)
    await tables.remove_starter(staff, added.id)
    assert await ConversationStarter.filter(organisation_id=org_id).count() == 1


async def test_display_names_tell_namesakes_apart(event: Event) -> None:
    a = await person(event, "Ans", Group.OLDER)
    b = await person(event, "Ans", Group.YOUNG)
    c = await person(event, "Émile", Group.YOUNG)
    names = tables.display_names([c, b, a])
    assert names == {a.id: "Ans 1", b.id: "Ans 2", c.id: "Émile"}
    assert sorted(["Fred", "Émile", "emma"], key=tables.sort_key) == ["Émile", "emma", "Fred"]


async def test_people_who_sat_together_before_are_seated_apart(event: Event) -> None:
    """Four people at tables of two, one round: whoever shared a table at an earlier
    activity of the organisation gets another partner, unless the organiser says not to."""
    earlier = await factories.event(
        await Venue.get(id=event.venue_id),  # type: ignore[attr-defined]
        starts_at=event.starts_at - timedelta(days=14),
        ends_at=event.ends_at - timedelta(days=14),
    )
    people = {}
    for name in ("Ans", "Bram", "Cor", "Dirk"):
        p = await Person.create(email=f"{name.lower()}@example.org", feed_token=new_code())
        before = await person(earlier, name, Group.OPEN, person=p)
        now = await person(event, name, Group.OPEN, person=p)
        people[name] = (before, now)
    # Earlier: Ans with Bram, Cor with Dirk.
    await TablePlan.create(
        event=earlier,
        rounds=[
            [
                [people["Ans"][0].id, people["Bram"][0].id],
                [people["Cor"][0].id, people["Dirk"][0].id],
            ]
        ],
    )
    for seed in range(1, 6):
        plan = await tables.plan_event_tables(
            await staff_of(event), event.id, replace=True, seed=seed, table_size=2, rounds=1
        )
        seated = [set(table) for table in plan.rounds[0]]
        assert {people["Ans"][1].id, people["Bram"][1].id} not in seated
        assert {people["Cor"][1].id, people["Dirk"][1].id} not in seated
        assert plan.scorecard["met_before_again"]["value"] == 0  # type: ignore[index]
    pairs = await tables.met_at_earlier_events(event, [p[1] for p in people.values()])
    now_ids = {name: str(p[1].id) for name, p in people.items()}
    assert {frozenset(pair) for pair in pairs} == {
        frozenset((now_ids["Ans"], now_ids["Bram"])),
        frozenset((now_ids["Cor"], now_ids["Dirk"])),
    }
    # Without the option the planner does not know, and the pairs are no longer counted.
    ignored = await tables.plan_event_tables(
        await staff_of(event),
        event.id,
        replace=True,
        seed=1,
        table_size=2,
        rounds=1,
        avoid_earlier=False,
    )
    assert ignored.scorecard["met_before_again"]["value"] == 0  # type: ignore[index]


async def test_an_unlocked_plan_is_replaced_only_when_the_organiser_says_so(event: Event) -> None:
    await person(event, "Ans", Group.YOUNG)
    await person(event, "Bep", Group.OLDER)
    staff = await staff_of(event)
    first = await tables.plan_event_tables(staff, event.id, seed=1)
    with pytest.raises(EventsError) as exc:
        await tables.plan_event_tables(staff, event.id, seed=2)
    assert exc.value.code == "confirm_replace"
    assert (await TablePlan.get(id=first.id)).seed == 1
    assert (await tables.plan_event_tables(staff, event.id, seed=2, replace=True)).seed == 2


async def test_table_services_refuse_a_foreign_actor(event: Event) -> None:
    """Every table service that reads or changes an event checks the actor."""
    await person(event, "Ans", Group.YOUNG)
    await person(event, "Bep", Group.OLDER)
    await tables.plan_event_tables(await staff_of(event), event.id)
    other = await factories.organisation()
    stranger = await factories.organiser_actor(other)
    host = await factories.actor_of(await factories.host(other, [await factories.venue(other)]))
    for actor in (stranger, host):
        calls = [
            tables.plan_event_tables(actor, event.id, replace=True),
            tables.replan_at_door(actor, event.id),
            tables.set_locked(actor, event.id, locked=True),
            tables.move_person(actor, event.id, registration_id=1, round_index=0, to_table=1),
            tables.plan_view(actor, event.id),
            tables.table_cards(actor, event.id, locale="nl"),
        ]
        for call in calls:
            with pytest.raises(NotFound):
                await call
    assert not (await TablePlan.get(event_id=event.id)).locked
