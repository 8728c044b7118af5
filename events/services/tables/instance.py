"""Turning an event's registrations into the planner's instance and back: who takes part
(confirmed sign-ups, or the people checked in), the rooms (every table step-free when the
venue's entrance is; the table with the highest number is the quiet one), people who met
at earlier activities, buddies, and the scorecard as stored with a plan.

Buddies: a referred person and the buddy who comes along to their first activity
(``BuddyPairing``) are the planner's buddy pair, and both are pinned to one table (the
quiet one when either needs quiet), so the plan seats them together in round 1 for
certain: the planner's buddy rule alone only asks for "together at least once", at low
weight. In later rounds the pair keeps its table and the others rotate past them.
:func:`people_for` loads each person's pairings with them (``BUDDIES``), so
:func:`build_instance` needs no query of its own.

Imports models, errors and ``events.pairing``.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Sequence

from tortoise.query_utils import Prefetch

from events import pairing
from events.models import (
    BuddyPairing,
    CheckIn,
    Event,
    Group,
    Registration,
    RegistrationStatus,
    TablePlan,
    Venue,
)
from events.services.errors import Invalid
from events.services.tables.pairs import planner_pairs

SOURCES = ("registered", "checked_in")
PLANNER_NEEDS = frozenset(pairing.NEEDS)  # quiet, step_free: the needs a table can meet
Rounds = list[list[list[int]]]
BUDDIES = "buddy_pairings"
"""The attribute :func:`people_for` fills with the pairings in which a person is the buddy."""


async def present_ids(event_id: int) -> set[int]:
    """Registrations checked in and not undone nor checked out."""
    rows = await CheckIn.filter(
        event_id=event_id, undone_at__isnull=True, checked_out_at__isnull=True
    ).values_list("registration_id", flat=True)
    return {int(rid) for rid in rows}  # type: ignore[call-overload]


async def people_for(event_id: int, source: str) -> list[Registration]:
    """Who takes part, each with the buddy pairings of this event they come along in."""
    if source not in SOURCES:
        raise Invalid("invalid_choice")
    pairings = Prefetch(
        "buddy_of",
        queryset=BuddyPairing.filter(event_id=event_id).select_related("referral"),
        to_attr=BUDDIES,
    )
    if source == "registered":
        return (
            await Registration.filter(event_id=event_id, status=RegistrationStatus.CONFIRMED)
            .order_by("id")
            .prefetch_related(pairings)
        )
    present = await present_ids(event_id)
    return (
        await Registration.filter(
            event_id=event_id, id__in=sorted(present), status__not=RegistrationStatus.CANCELLED
        )
        .order_by("id")
        .prefetch_related(pairings)
    )


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


def quiet_table(n_tables: int) -> int:
    """The quiet table: the one with the highest number (for the quiet room or corner)."""
    return max(1, n_tables)


def rooms(venue: Venue, n_tables: int) -> tuple[frozenset[int], frozenset[int]]:
    """(quiet tables, step-free tables) for this many tables at this venue."""
    step_free = frozenset(range(1, n_tables + 1)) if venue.step_free_entrance else frozenset()
    return frozenset({quiet_table(n_tables)}), step_free


def build_instance(
    venue: Venue,
    people: Sequence[Registration],
    *,
    rounds: int,
    seed: int,
    table_size: int | None = None,
    table_count: int | None = None,
    table_pairs: dict[str, list[list[int]]] | None = None,
) -> pairing.Instance:
    """A planning instance for these people; give ``table_size`` or ``table_count``. Buddy
    pairs among them (loaded by :func:`people_for`) and the organiser's "together" pairs
    sit together at a pinned table; the organiser's "apart" pairs never meet."""
    base = pairing.Instance(
        participants=tuple(participant(r) for r in people),
        rounds=rounds,
        table_size=table_size,
        table_count=table_count,
        seed=seed,
    )
    quiet, step_free = rooms(venue, base.tables())
    apart, together = planner_pairs(table_pairs, {r.id for r in people})
    pairs = tuple(sorted({*buddy_pairs(people), *together}))
    return dataclasses.replace(
        base,
        participants=pin_buddies(base.participants, pairs, n_tables=base.tables()),
        quiet_tables=quiet,
        step_free_tables=step_free,
        buddies=pairs,
        keep_apart=apart,
    )


def buddy_pairs(people: Sequence[Registration]) -> tuple[tuple[str, str], ...]:
    """(referred person, buddy) as planner ids, for the pairings both sides of which are
    among these people."""
    present = {r.id for r in people}
    pairs: set[tuple[str, str]] = set()
    for buddy in people:
        for found in getattr(buddy, BUDDIES, ()):
            person = found.referral.registration_id
            if person in present and person != buddy.id:
                pairs.add((str(person), str(buddy.id)))
    return tuple(sorted(pairs))


def pin_buddies(
    participants: tuple[pairing.Participant, ...],
    pairs: tuple[tuple[str, str], ...],
    *,
    n_tables: int,
) -> tuple[pairing.Participant, ...]:
    """Pin each buddy pair to a table of its own as far as there are tables: the quiet
    table when either of the two needs quiet, else table 1, 2, … (the quiet one last)."""
    by_id = {p.id: p for p in participants}
    quiet = quiet_table(n_tables)
    ordinary = [t for t in range(1, n_tables + 1) if t != quiet] or [quiet]
    pins: dict[str, int] = {}
    for number, (a, b) in enumerate(pairs):
        if a in pins or b in pins:
            continue
        needs_quiet = "quiet" in by_id[a].needs | by_id[b].needs
        pins[a] = pins[b] = quiet if needs_quiet else ordinary[number % len(ordinary)]
    return tuple(
        dataclasses.replace(p, pinned_table=pins[p.id]) if p.id in pins else p for p in participants
    )


def as_str(rounds: Rounds) -> pairing.Seating:
    return [[[str(rid) for rid in table] for table in tables] for tables in rounds]


def as_int(rounds: pairing.Seating) -> Rounds:
    return [[[int(pid) for pid in table] for table in tables] for tables in rounds]


def scorecard(card: pairing.Scorecard, method: str, mixed: int) -> dict[str, object]:
    out: dict[str, object] = card.as_dict()
    out["method"] = method
    out["mixed_pairs"] = mixed
    return out


def count_mixed(rounds: Rounds, groups: dict[int, str]) -> int:
    """Young–older pairs (unordered) who shared a table at least once."""
    young, older = Group.YOUNG.value, Group.OLDER.value
    pairs: set[tuple[int, int]] = set()
    for tables in rounds:
        for table in tables:
            ys = [r for r in table if groups.get(r) == young]
            os_ = [r for r in table if groups.get(r) == older]
            pairs.update((y, o) for y in ys for o in os_)
    return len(pairs)


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
