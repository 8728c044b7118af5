"""Pairs the organiser sets for the tables: two people kept apart never share a table,
two kept together share one in every round; only the organisation's staff may set them."""

from __future__ import annotations

import pytest

from events.models import Event, Group, Registration
from events.services import tables
from events.services.errors import Invalid, NotFound
from events.settings import Settings
from events.tickets import new_code
from tests import factories


@pytest.fixture
async def event(db: Settings) -> Event:
    org = await factories.organisation()
    venue = await factories.venue(org)
    return await factories.event(
        venue, places_young=10, places_older=10, has_tables=True, table_size=4, table_rounds=3
    )


async def _people(event: Event, n: int) -> list[Registration]:
    return [
        await Registration.create(
            event=event,
            code=new_code(),
            first_name=f"P{i}",
            email=f"p{i}@example.org",
            group=Group.YOUNG if i % 2 else Group.OLDER,
            status="confirmed",
        )
        for i in range(n)
    ]


def _tables_of(rounds: list[list[list[int]]], rid: int) -> list[int]:
    return [next(t for t, table in enumerate(tables_, 1) if rid in table) for tables_ in rounds]


async def test_apart_never_meet_and_together_always_do(event: Event) -> None:
    people = await _people(event, 12)
    staff = await factories.organiser_actor(await event.organisation)
    a, b, c, d = people[0], people[1], people[2], people[3]
    await tables.add_pair(staff, event.id, "apart", a.id, b.id)
    await tables.add_pair(staff, event.id, "together", c.id, d.id)
    shown = await tables.event_pairs(staff, event.id)
    assert {(p.kind, p.first.id, p.second.id) for p in shown} == {
        ("apart", a.id, b.id),
        ("together", c.id, d.id),
    }
    for seed in (1, 2, 3):
        plan = await tables.plan_event_tables(staff, event.id, seed=seed, replace=True)
        assert all(
            x != y
            for x, y in zip(
                _tables_of(plan.rounds, a.id), _tables_of(plan.rounds, b.id), strict=True
            )
        )
        assert _tables_of(plan.rounds, c.id) == _tables_of(plan.rounds, d.id)
    await tables.remove_pair(staff, event.id, "apart", b.id, a.id)
    assert [p.kind for p in await tables.event_pairs(staff, event.id)] == ["together"]


async def test_bad_pairs_and_foreign_actors_are_refused(event: Event) -> None:
    people = await _people(event, 4)
    staff = await factories.organiser_actor(await event.organisation)
    other_event = await factories.event(await factories.venue(await event.organisation))
    stranger = await Registration.create(
        event=other_event, code=new_code(), first_name="X", group=Group.OLDER, status="confirmed"
    )
    for first, second in ((people[0].id, people[0].id), (people[0].id, stranger.id)):
        with pytest.raises(Invalid):
            await tables.add_pair(staff, event.id, "apart", first, second)
    await tables.add_pair(staff, event.id, "apart", people[0].id, people[1].id)
    with pytest.raises(Invalid):  # not both apart and together
        await tables.add_pair(staff, event.id, "together", people[1].id, people[0].id)
    foreign = await factories.organiser_actor(await factories.organisation())
    with pytest.raises(NotFound):
        await tables.add_pair(foreign, event.id, "apart", people[2].id, people[3].id)
    with pytest.raises(NotFound):
        await tables.event_pairs(foreign, event.id)
