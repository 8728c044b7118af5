"""The stored plan as pages show it, and the look-ups other services make: a person's
table, the seats of a round, and the municipal count of young–older pairs.

Imports models, errors, scope, the staff ``Actor``, ``events.pairing`` and the
``instance`` and ``planning`` modules of this package.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from events import pairing
from events.models import CheckIn, Event, Registration, TablePlan
from events.services.scope import ensure_event_access
from events.services.staff import Actor
from events.services.tables.instance import Rounds, as_str, count_mixed, present_ids, quiet_table
from events.services.tables.planning import get_plan, plan_instance, plan_people


async def seats_in_round(event_id: int, round_index: int = 0) -> dict[int, int]:
    """Registration id -> table number (from 1) in round ``round_index`` (from 0) of the
    event's stored plan; empty without a plan or round."""
    rows = await TablePlan.filter(event_id=event_id).values_list("rounds", flat=True)
    rounds: Rounds = rows[0] if rows else []  # type: ignore[assignment]
    if not 0 <= round_index < len(rounds):
        return {}
    return {
        int(rid): number
        for number, table in enumerate(rounds[round_index], start=1)
        for rid in table
    }


async def table_of(event_id: int, registration_id: int, round_index: int = 0) -> int | None:
    """The table number (from 1) of a registration in one round; None without a seat."""
    return (await seats_in_round(event_id, round_index)).get(registration_id)


async def mixed_pairs(event_id: int) -> int:
    """Young–older pairs who shared a table at least once, for the municipal report.

    Counted on the stored plan; when anyone was checked in, only people checked in count
    (re-plan at the door to match who came). When registrations were erased since, the
    figure stored with the plan is kept (aggregated figures survive erasure)."""
    plan = await get_plan(event_id)
    if plan is None:
        return 0
    people = await plan_people(plan)
    seated = {rid for tables in plan.rounds for table in tables for rid in table}
    if seated - set(people):
        stored = plan.scorecard.get("mixed_pairs", 0)
        return stored if isinstance(stored, int) else 0
    present = await present_ids(event_id)
    any_checkin = await CheckIn.filter(event_id=event_id).exists()
    groups = {
        rid: reg.group.value for rid, reg in people.items() if not any_checkin or rid in present
    }
    return count_mixed(plan.rounds, groups)


def display_names(people: Iterable[Registration]) -> dict[int, str]:
    """First names, with a number added where two people share one (``Ans 2``)."""
    rows = sorted(people, key=lambda r: r.id)
    seen: dict[str, int] = {}
    totals: dict[str, int] = {}
    for r in rows:
        totals[r.first_name] = totals.get(r.first_name, 0) + 1
    out: dict[int, str] = {}
    for r in rows:
        seen[r.first_name] = seen.get(r.first_name, 0) + 1
        n = seen[r.first_name]
        out[r.id] = r.first_name if totals[r.first_name] == 1 else f"{r.first_name} {n}"
    return out


@dataclass(frozen=True)
class Seat:
    """One person at one table in one round."""

    registration_id: int
    name: str
    group: str
    checked_in: bool


@dataclass(frozen=True)
class PersonRow:
    """One person across the plan: the table (from 1) per round, and why they sit there."""

    registration_id: int
    name: str
    group: str
    tables: list[int | None]


@dataclass(frozen=True)
class PlanView:
    """A stored plan with its people: the grid per round, everyone alphabetically, the
    registrations by id, and the rooms (which table is quiet, whether all are step-free)."""

    plan: TablePlan
    rounds: list[list[list[Seat]]]
    people: list[PersonRow]  # alphabetical
    registrations: dict[int, Registration]
    step_free: bool
    # The planner's reasons per registration and round (codes with parameters; the web
    # words them).
    reasons: dict[int, list[pairing.SeatReasons]]

    @property
    def table_count(self) -> int:
        return max((len(tables) for tables in self.rounds), default=0)

    @property
    def quiet_table(self) -> int:
        return quiet_table(self.table_count)


def sort_key(name: str) -> tuple[str, str]:
    """Alphabetical order that ignores case and accents (Émile next to Emma)."""
    plain = unicodedata.normalize("NFKD", name)
    return "".join(c for c in plain if not unicodedata.combining(c)).casefold(), name


async def plan_view(actor: Actor, event_id: int) -> PlanView | None:
    """Everything the table pages show, or None when the event has no plan yet."""
    await ensure_event_access(actor, event_id)
    plan = await get_plan(event_id)
    if plan is None:
        return None
    instance, rounds = await plan_instance(plan)
    explained = pairing.explain_plan(instance, as_str(rounds))
    reasons = {int(pid): seats for pid, seats in explained.items()}
    people = await plan_people(plan)
    names = display_names(people.values())
    present = await present_ids(event_id)
    grid = [
        [
            [Seat(r, names[r], people[r].group.value, r in present) for r in table]
            for table in tables
        ]
        for tables in rounds
    ]
    seat_of = [
        {r: t for t, table in enumerate(tables, start=1) for r in table} for tables in rounds
    ]
    rows = [
        PersonRow(
            registration_id=rid,
            name=names[rid],
            group=reg.group.value,
            tables=[seats.get(rid) for seats in seat_of],
        )
        for rid, reg in people.items()
    ]
    rows.sort(key=lambda row: sort_key(row.name))
    event = await Event.get(id=event_id).prefetch_related("venue")
    return PlanView(
        plan=plan,
        rounds=grid,
        people=rows,
        registrations=people,
        step_free=event.venue.step_free_entrance,
        reasons=reasons,
    )
