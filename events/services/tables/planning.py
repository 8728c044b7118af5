"""Planning an event's conversation tables and changing the stored plan: plan from the
confirmed sign-ups or the people checked in, replace a plan (only when the organiser says
so), move someone by hand, lock and unlock, re-plan at the door. Every function that
changes a plan takes the ``Actor`` and checks that they may change the event.

Imports models, errors, scope, the staff ``Actor``, ``events.pairing`` and
``tables.instance``.
"""

from __future__ import annotations

import dataclasses

from tortoise.transactions import in_transaction

from events import pairing
from events.models import Event, Registration, TablePlan
from events.services.errors import Conflict, Invalid, NotFound
from events.services.scope import ensure_event_access
from events.services.staff import Actor
from events.services.tables.instance import (
    Rounds,
    as_int,
    as_str,
    build_instance,
    count_mixed,
    met_at_earlier_events,
    people_for,
    scorecard,
)

MAX_TABLE_SIZE = 12
MAX_ROUNDS = 8


async def _event(event_id: int) -> Event:
    event = await Event.get_or_none(id=event_id).prefetch_related("venue")
    if event is None:
        raise NotFound()
    return event


def _check_locked(plan: TablePlan | None) -> None:
    if plan is not None and plan.locked:
        raise Conflict("plan_locked")


async def plan_event_tables(
    actor: Actor,
    event_id: int,
    *,
    source: str = "registered",
    seed: int = 1,
    table_size: int | None = None,
    rounds: int | None = None,
    avoid_earlier: bool = True,
    replace: bool = False,
) -> TablePlan:
    """Plan every round from confirmed registrations (``registered``) or from the people
    checked in (``checked_in``), and store it as the event's one plan. An unlocked plan
    (and its moves by hand) is replaced only with ``replace`` (``confirm_replace``); a
    locked one never (``plan_locked``); fewer than two people is ``too_few_people``.
    ``table_size`` and ``rounds`` default to the event's settings."""
    await ensure_event_access(actor, event_id, to_change=True)
    event = await _event(event_id)
    size = table_size or event.table_size
    n_rounds = rounds or event.table_rounds
    if not 2 <= size <= MAX_TABLE_SIZE or not 1 <= n_rounds <= MAX_ROUNDS:
        raise Invalid("out_of_range")
    existing = await TablePlan.get_or_none(event_id=event_id)
    _check_locked(existing)
    if existing is not None and not replace:
        raise Conflict("confirm_replace")
    people = await people_for(event_id, source)
    if len(people) < 2:
        raise Conflict("too_few_people")
    instance = build_instance(
        event.venue,
        people,
        rounds=n_rounds,
        seed=seed,
        table_size=size,
        table_pairs=event.table_pairs,
    )
    if avoid_earlier:
        met = await met_at_earlier_events(event, people)
        instance = dataclasses.replace(instance, met_before=met, met_before_policy="avoid")
    plan = pairing.plan_tables(instance)
    stored = as_int(plan.rounds)
    groups = {r.id: r.group.value for r in people}
    card = scorecard(plan.scorecard, plan.method, count_mixed(stored, groups))
    return await _store(event_id, source=source, seed=seed, rounds=stored, scorecard=card)


async def _store(
    event_id: int, *, source: str, seed: int, rounds: Rounds, scorecard: dict[str, object]
) -> TablePlan:
    """Create or replace the plan, re-checking the lock inside the transaction."""
    async with in_transaction():
        existing = await TablePlan.filter(event_id=event_id).select_for_update().first()
        if existing is None:
            return await TablePlan.create(
                event_id=event_id, source=source, seed=seed, rounds=rounds, scorecard=scorecard
            )
        _check_locked(existing)
        existing.source, existing.seed = source, seed
        existing.rounds, existing.scorecard = rounds, scorecard
        await existing.save()
        return existing


async def get_plan(event_id: int) -> TablePlan | None:
    """The event's stored plan (for services that checked access already)."""
    return await TablePlan.get_or_none(event_id=event_id)


async def _existing_plan(event_id: int) -> TablePlan:
    plan = await get_plan(event_id)
    if plan is None:
        raise Conflict("no_plan")
    return plan


async def plan_people(plan: TablePlan) -> dict[int, Registration]:
    """The registrations seated in a plan, by id (erased ones are simply missing)."""
    ids = sorted({rid for tables in plan.rounds for table in tables for rid in table})
    rows = await Registration.filter(id__in=ids, event_id=plan.event_id)
    return {r.id: r for r in rows}


async def plan_instance(plan: TablePlan) -> tuple[pairing.Instance, Rounds]:
    """The instance a stored plan is scored against (its own people and table count), and
    its rounds without people whose registration no longer exists."""
    event = await _event(plan.event_id)
    people = await plan_people(plan)
    rounds = [[[r for r in table if r in people] for table in tables] for tables in plan.rounds]
    n_tables = max((len(tables) for tables in rounds), default=1)
    instance = build_instance(
        event.venue,
        [people[rid] for rid in sorted(people)],
        rounds=max(1, len(rounds)),
        seed=plan.seed,
        table_count=max(1, n_tables),
        table_pairs=event.table_pairs,
    )
    return instance, rounds


async def move_person(
    actor: Actor, event_id: int, *, registration_id: int, round_index: int, to_table: int
) -> TablePlan:
    """Move one person to table ``to_table`` (from 1) in round ``round_index`` (from 0),
    without swapping anyone back; the plan is rescored and stored. Table sizes may become
    unequal: the scorecard's seating errors then say so. Refuses a locked plan."""
    await ensure_event_access(actor, event_id, to_change=True)
    async with in_transaction():
        plan = await TablePlan.filter(event_id=event_id).select_for_update().first()
        if plan is None:
            raise Conflict("no_plan")
        _check_locked(plan)
        plan.rounds = _moved(plan.rounds, registration_id, round_index, to_table)
        instance, scored = await plan_instance(plan)
        card = pairing.score_plan(instance, as_str(scored))
        groups = {int(p.id): p.group for p in instance.participants}
        method = str(plan.scorecard.get("method", "search"))
        plan.scorecard = scorecard(card, f"{method}+moved", count_mixed(scored, groups))
        await plan.save()
    return plan


def _moved(stored: Rounds, registration_id: int, round_index: int, to_table: int) -> Rounds:
    rounds = [[list(table) for table in tables] for tables in stored]
    if not 0 <= round_index < len(rounds):
        raise Invalid("bad_round")
    tables = rounds[round_index]
    if not 1 <= to_table <= len(tables):
        raise Invalid("bad_table")
    origin = next((t for t in tables if registration_id in t), None)
    if origin is None:
        raise Invalid("not_in_plan")
    origin.remove(registration_id)
    tables[to_table - 1].append(registration_id)
    return rounds


async def set_locked(actor: Actor, event_id: int, *, locked: bool) -> TablePlan:
    """Lock a plan (no re-planning, no moves, until unlocked) or unlock it."""
    await ensure_event_access(actor, event_id, to_change=True)
    plan = await _existing_plan(event_id)
    plan.locked = locked
    await plan.save(update_fields=["locked", "updated_at"])
    return plan


async def replan_at_door(actor: Actor, event_id: int, *, seed: int | None = None) -> TablePlan:
    """Re-plan for the people checked in now: no-shows leave, late arrivals get a seat, and
    people already seated keep their table where the rules allow (``pairing.replan``,
    round 1 frozen). Without a stored plan this plans from the checked-in people."""
    await ensure_event_access(actor, event_id, to_change=True)
    plan = await get_plan(event_id)
    if plan is None:
        return await plan_event_tables(actor, event_id, source="checked_in", seed=seed or 1)
    _check_locked(plan)
    event = await _event(event_id)
    people = await people_for(event_id, "checked_in")
    if len(people) < 2:
        raise Conflict("too_few_people")
    seed = plan.seed if seed is None else seed
    # Keep the table size the plan was made with (the organiser may have chosen another).
    size = max((len(t) for t in plan.rounds[0]), default=0) if plan.rounds else 0
    instance = build_instance(
        event.venue,
        people,
        rounds=max(1, len(plan.rounds)),
        seed=seed,
        table_size=size or event.table_size,
        table_pairs=event.table_pairs,
    )
    result = pairing.replan(instance, as_str(plan.rounds), frozen_rounds=1)
    stored = as_int(result.rounds)
    groups = {r.id: r.group.value for r in people}
    card = scorecard(result.scorecard, result.method, count_mixed(stored, groups))
    return await _store(event_id, source="checked_in", seed=seed, rounds=stored, scorecard=card)
