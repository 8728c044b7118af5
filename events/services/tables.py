"""Conversation tables (gesprekstafels) of an event: planning them from confirmed sign-ups or
from the people checked in, moving someone by hand, locking, re-planning at the door, the
host's look-up of a person's table, the municipal count of young–older pairs, and an
organisation's own conversation starters.

The planning itself is ``events.pairing`` (pure); this module turns registrations into a
``pairing.Instance`` and stores the result as a ``TablePlan``: rounds of tables (table 1
first) of registration ids, and the planner's scorecard.

Rooms: every table is step-free when the venue has a step-free entrance (otherwise none is,
and the scorecard says so); the table with the highest number is the quiet one, for the
quiet room or the quietest corner.

Imports models, errors, ``events.pairing`` and ``events.starters``.
"""

from __future__ import annotations

import dataclasses
import itertools
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from tortoise.transactions import in_transaction

from events import pairing, starters
from events.models import (
    CheckIn,
    ConversationStarter,
    Event,
    Group,
    Registration,
    RegistrationStatus,
    TablePlan,
    Venue,
)
from events.services.errors import Conflict, FormError, Invalid, NotFound

SOURCES = ("registered", "checked_in")
PLANNER_NEEDS = frozenset(pairing.NEEDS)  # quiet, step_free: the needs a table can meet
MAX_STARTER_LENGTH = 300
MAX_TABLE_SIZE = 12
MAX_ROUNDS = 8
Rounds = list[list[list[int]]]


# --- who takes part ---------------------------------------------------------------------


async def _present_ids(event_id: int) -> set[int]:
    """Registrations checked in and not undone nor checked out."""
    rows = await CheckIn.filter(
        event_id=event_id, undone_at__isnull=True, checked_out_at__isnull=True
    ).values_list("registration_id", flat=True)
    return {int(rid) for rid in rows}  # type: ignore[call-overload]


async def _people(event_id: int, source: str) -> list[Registration]:
    if source not in SOURCES:
        raise Invalid("invalid_choice")
    if source == "registered":
        return await Registration.filter(
            event_id=event_id, status=RegistrationStatus.CONFIRMED
        ).order_by("id")
    present = await _present_ids(event_id)
    return await Registration.filter(
        event_id=event_id, id__in=sorted(present), status__not=RegistrationStatus.CANCELLED
    ).order_by("id")


def participant(registration: Registration) -> pairing.Participant:
    """The planner's view of one registration: party is the lead's id (or its own)."""
    lead_id: int | None = registration.lead_id
    return pairing.Participant(
        id=str(registration.id),
        group=registration.group.value,
        party=str(lead_id or registration.id),
        languages=frozenset(registration.languages),
        interests=frozenset(registration.interests),
        needs=frozenset(registration.needs) & PLANNER_NEEDS,
    )


def _rooms(venue: Venue, n_tables: int) -> tuple[frozenset[int], frozenset[int]]:
    """(quiet tables, step-free tables) for this many tables at this venue."""
    step_free = frozenset(range(1, n_tables + 1)) if venue.step_free_entrance else frozenset()
    return frozenset({max(1, n_tables)}), step_free


def build_instance(
    venue: Venue,
    people: Sequence[Registration],
    *,
    rounds: int,
    seed: int,
    table_size: int | None = None,
    table_count: int | None = None,
) -> pairing.Instance:
    """A planning instance for these people; give ``table_size`` or ``table_count``."""
    base = pairing.Instance(
        participants=tuple(participant(r) for r in people),
        rounds=rounds,
        table_size=table_size,
        table_count=table_count,
        seed=seed,
    )
    quiet, step_free = _rooms(venue, base.tables())
    return dataclasses.replace(base, quiet_tables=quiet, step_free_tables=step_free)


def _as_str(rounds: Rounds) -> pairing.Seating:
    return [[[str(rid) for rid in table] for table in tables] for tables in rounds]


def _as_int(rounds: pairing.Seating) -> Rounds:
    return [[[int(pid) for pid in table] for table in tables] for tables in rounds]


def _scorecard(card: pairing.Scorecard, method: str, mixed: int) -> dict[str, object]:
    out: dict[str, object] = card.as_dict()
    out["method"] = method
    out["mixed_pairs"] = mixed
    return out


# --- planning ---------------------------------------------------------------------------


async def _event(event_id: int) -> Event:
    event = await Event.get_or_none(id=event_id).prefetch_related("venue")
    if event is None:
        raise NotFound()
    return event


def _check_locked(plan: TablePlan | None) -> None:
    if plan is not None and plan.locked:
        raise Conflict("plan_locked")


async def met_at_earlier_events(
    event: Event, people: Sequence[Registration]
) -> tuple[tuple[str, str], ...]:
    """Pairs of these people (as planner ids) who shared a table in a stored plan of an
    earlier activity of the same organisation, recognised by their person record (people
    signed up with an email address; companions cannot be recognised)."""
    by_person = {int(r.person_id): r.id for r in people if r.person_id is not None}
    if len(by_person) < 2:
        return ()
    earlier = await Registration.filter(
        person_id__in=list(by_person),
        event__organisation_id=event.organisation_id,
        event__starts_at__lt=event.starts_at,
    ).values_list("id", "person_id", "event_id")
    person_of = {int(rid): int(pid) for rid, pid, _event in earlier}
    plans = await TablePlan.filter(
        event_id__in=list({int(e) for _r, _p, e in earlier})
    ).values_list("rounds", flat=True)
    pairs: set[tuple[int, int]] = set()
    for stored in plans:
        for tables in stored:
            for table in tables:
                persons = sorted({person_of[r] for r in table if r in person_of})
                pairs.update(itertools.combinations(persons, 2))
    return tuple(sorted((str(by_person[a]), str(by_person[b])) for a, b in pairs))


async def plan_event_tables(
    event_id: int,
    *,
    source: str = "registered",
    seed: int = 1,
    table_size: int | None = None,
    rounds: int | None = None,
    avoid_earlier: bool = True,
) -> TablePlan:
    """Plan every round from confirmed registrations (``registered``) or from the people
    checked in (``checked_in``), and store it as the event's one plan (replacing an unlocked
    one). Refuses a locked plan (``plan_locked``) and fewer than two people
    (``too_few_people``). ``table_size`` and ``rounds`` default to the event's settings."""
    event = await _event(event_id)
    size = table_size or event.table_size
    n_rounds = rounds or event.table_rounds
    if not 2 <= size <= MAX_TABLE_SIZE or not 1 <= n_rounds <= MAX_ROUNDS:
        raise Invalid("out_of_range")
    _check_locked(await TablePlan.get_or_none(event_id=event_id))
    people = await _people(event_id, source)
    if len(people) < 2:
        raise Conflict("too_few_people")
    instance = build_instance(event.venue, people, rounds=n_rounds, seed=seed, table_size=size)
    if avoid_earlier:
        met = await met_at_earlier_events(event, people)
        instance = dataclasses.replace(instance, met_before=met, met_before_policy="avoid")
    plan = pairing.plan_tables(instance)
    stored = _as_int(plan.rounds)
    groups = {r.id: r.group.value for r in people}
    card = _scorecard(plan.scorecard, plan.method, _count_mixed(stored, groups))
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
    return await TablePlan.get_or_none(event_id=event_id)


async def _plan(plan_id: int) -> TablePlan:
    plan = await TablePlan.get_or_none(id=plan_id)
    if plan is None:
        raise NotFound()
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
    )
    return instance, rounds


async def move_person(
    plan_id: int, *, registration_id: int, round_index: int, to_table: int
) -> TablePlan:
    """Move one person to table ``to_table`` (from 1) in round ``round_index`` (from 0),
    without swapping anyone back; the plan is rescored and stored. Table sizes may become
    unequal: the scorecard's seating errors then say so. Refuses a locked plan."""
    async with in_transaction():
        plan = await TablePlan.filter(id=plan_id).select_for_update().first()
        if plan is None:
            raise NotFound()
        _check_locked(plan)
        rounds = [[list(table) for table in tables] for tables in plan.rounds]
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
        plan.rounds = rounds
        instance, scored = await plan_instance(plan)
        card = pairing.score_plan(instance, _as_str(scored))
        groups = {int(p.id): p.group for p in instance.participants}
        method = str(plan.scorecard.get("method", "search"))
        plan.scorecard = _scorecard(card, f"{method}+moved", _count_mixed(scored, groups))
        await plan.save()
    return plan


async def _set_lock(plan_id: int, locked: bool) -> TablePlan:
    plan = await _plan(plan_id)
    plan.locked = locked
    await plan.save(update_fields=["locked", "updated_at"])
    return plan


async def lock_plan(plan_id: int) -> TablePlan:
    """Lock a plan: no re-planning, no moves, until unlocked."""
    return await _set_lock(plan_id, True)


async def unlock_plan(plan_id: int) -> TablePlan:
    return await _set_lock(plan_id, False)


async def replan_at_door(event_id: int, *, seed: int | None = None) -> TablePlan:
    """Re-plan for the people checked in now: no-shows leave, late arrivals get a seat, and
    people already seated keep their table where the rules allow (``pairing.replan``,
    round 1 frozen). Without a stored plan this plans from the checked-in people."""
    plan = await get_plan(event_id)
    if plan is None:
        return await plan_event_tables(event_id, source="checked_in", seed=seed or 1)
    _check_locked(plan)
    event = await _event(event_id)
    people = await _people(event_id, "checked_in")
    if len(people) < 2:
        raise Conflict("too_few_people")
    n_rounds = max(1, len(plan.rounds))
    seed = plan.seed if seed is None else seed
    # Keep the table size the plan was made with (the organiser may have chosen another).
    size = max((len(t) for t in plan.rounds[0]), default=0) if plan.rounds else 0
    instance = build_instance(
        event.venue, people, rounds=n_rounds, seed=seed, table_size=size or event.table_size
    )
    result = pairing.replan(instance, _as_str(plan.rounds), frozen_rounds=1)
    stored = _as_int(result.rounds)
    groups = {r.id: r.group.value for r in people}
    card = _scorecard(result.scorecard, result.method, _count_mixed(stored, groups))
    return await _store(event_id, source="checked_in", seed=seed, rounds=stored, scorecard=card)


# --- look-ups ---------------------------------------------------------------------------


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


def _count_mixed(rounds: Rounds, groups: dict[int, str]) -> int:
    """Young–older pairs (unordered) who shared a table at least once."""
    young, older = Group.YOUNG.value, Group.OLDER.value
    pairs: set[tuple[int, int]] = set()
    for tables in rounds:
        for table in tables:
            ys = [r for r in table if groups.get(r) == young]
            os_ = [r for r in table if groups.get(r) == older]
            pairs.update((y, o) for y in ys for o in os_)
    return len(pairs)


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
    present = await _present_ids(event_id)
    any_checkin = await CheckIn.filter(event_id=event_id).exists()
    groups = {
        rid: reg.group.value for rid, reg in people.items() if not any_checkin or rid in present
    }
    return _count_mixed(plan.rounds, groups)


# --- explanations -------------------------------------------------------------------------


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


def explanations(
    instance: pairing.Instance, rounds: Rounds, names: dict[int, str]
) -> dict[int, list[str]]:
    """Per registration the planner's one sentence per round, with names instead of ids."""
    label = {p.id: names.get(int(p.id), p.id) for p in instance.participants}
    renamed = dataclasses.replace(
        instance,
        participants=tuple(
            dataclasses.replace(p, id=label[p.id], party=p.party) for p in instance.participants
        ),
    )
    seating = [[[label[str(r)] for r in table] for table in tables] for tables in rounds]
    return {int(pid): pairing.explain_seat(renamed, seating, name) for pid, name in label.items()}


# --- the plan as pages show it ----------------------------------------------------------


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
    why: list[str]


@dataclass(frozen=True)
class PlanView:
    plan: TablePlan
    rounds: list[list[list[Seat]]]
    people: list[PersonRow]  # alphabetical

    @property
    def table_count(self) -> int:
        return max((len(tables) for tables in self.rounds), default=0)


def sort_key(name: str) -> tuple[str, str]:
    """Alphabetical order that ignores case and accents (Émile next to Emma)."""
    plain = unicodedata.normalize("NFKD", name)
    return "".join(c for c in plain if not unicodedata.combining(c)).casefold(), name


async def plan_view(event_id: int, *, explain: bool = True) -> PlanView | None:
    """Everything the table pages show, or None when the event has no plan yet."""
    plan = await get_plan(event_id)
    if plan is None:
        return None
    instance, rounds = await plan_instance(plan)
    people = await plan_people(plan)
    names = display_names(people.values())
    present = await _present_ids(event_id)
    why = explanations(instance, rounds, names) if explain else {}
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
            why=why.get(rid, []),
        )
        for rid, reg in people.items()
    ]
    rows.sort(key=lambda row: sort_key(row.name))
    return PlanView(plan=plan, rounds=grid, people=rows)


# --- conversation starters --------------------------------------------------------------


async def organisation_starters(organisation_id: int, locale: str | None = None) -> list[str]:
    query = ConversationStarter.filter(organisation_id=organisation_id)
    if locale is not None:
        query = query.filter(locale=locale)
    return [str(t) for t in await query.order_by("id").values_list("text", flat=True)]


async def list_starters(organisation_id: int) -> list[ConversationStarter]:
    return await ConversationStarter.filter(organisation_id=organisation_id).order_by("id")


async def add_starter(organisation_id: int, text: str, locale: str) -> ConversationStarter:
    """Add an organisation's own starter; FormError for empty, too long or odd language."""
    cleaned = " ".join(text.split())
    if not cleaned:
        raise FormError({"text": "required"})
    if len(cleaned) > MAX_STARTER_LENGTH:
        raise FormError({"text": "too_long"})
    if locale not in starters.LOCALES:
        raise FormError({"locale": "invalid_choice"})
    return await ConversationStarter.create(
        organisation_id=organisation_id, text=cleaned, locale=locale
    )


async def remove_starter(organisation_id: int, starter_id: int) -> None:
    deleted = await ConversationStarter.filter(
        id=starter_id, organisation_id=organisation_id
    ).delete()
    if not deleted:
        raise NotFound()


def card_starters(
    rounds: Rounds, *, locale: str, extra: Sequence[str], seed: int
) -> list[list[list[str]]]:
    """Starters per round per table (table 1 first), different on every card."""
    n_tables = max((len(tables) for tables in rounds), default=0)
    return [
        [
            starters.starters_for(
                t, r, locale=locale, extra=list(extra), seed=seed, tables=n_tables
            )
            for t in range(1, len(tables) + 1)
        ]
        for r, tables in enumerate(rounds, start=1)
    ]


def scorecard_lines(scorecard: dict[str, Any]) -> list[tuple[str, Any, Any, str]]:
    """(metric, value, best, note) for each metric stored in a plan's scorecard."""
    return [
        (name, line["value"], line["best"], str(line.get("note", "")))
        for name, line in scorecard.items()
        if isinstance(line, dict) and "value" in line
    ]
