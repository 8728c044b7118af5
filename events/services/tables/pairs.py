"""Pairs the organiser sets for an event's tables: two people who must sit apart (a
quarrel, an ex, a carer who needs a break) and two who always sit together (a couple, a
parent with a shy teenager). Kept on the event by registration id; the planner gets them
as keep-apart pairs and as pairs pinned to one table.

Imports models, errors, scope and the staff ``Actor``.
"""

from __future__ import annotations

from dataclasses import dataclass

from events.models import Event, Registration, RegistrationStatus
from events.services.errors import Invalid
from events.services.scope import get_event_for
from events.services.staff import Actor

KINDS = ("apart", "together")


@dataclass(frozen=True)
class Pair:
    kind: str
    first: Registration
    second: Registration


async def event_pairs(actor: Actor, event_id: int) -> list[Pair]:
    """The event's pairs whose two people still have a place (others are left out)."""
    event = await get_event_for(actor, event_id)
    stored = event.table_pairs or {}
    ids = {rid for kind in KINDS for pair in stored.get(kind, []) for rid in pair}
    people = {
        r.id: r
        for r in await Registration.filter(
            id__in=sorted(ids), event_id=event.id, status=RegistrationStatus.CONFIRMED
        )
    }
    return [
        Pair(kind, people[a], people[b])
        for kind in KINDS
        for a, b in stored.get(kind, [])
        if a in people and b in people
    ]


async def add_pair(actor: Actor, event_id: int, kind: str, first: int, second: int) -> None:
    """Keep two people of this event apart, or together; ``invalid_pair`` for a person of
    another event, the same person twice, or one pair both apart and together."""
    event = await get_event_for(actor, event_id, to_change=True)
    if kind not in KINDS:
        raise Invalid("invalid_choice")
    found = await Registration.filter(id__in=[first, second], event_id=event.id).count()
    if first == second or found != 2:
        raise Invalid("invalid_pair")
    pair = sorted((first, second))
    stored = {k: [list(p) for p in (event.table_pairs or {}).get(k, [])] for k in KINDS}
    other = "together" if kind == "apart" else "apart"
    if pair in stored[other]:
        raise Invalid("invalid_pair")
    if pair not in stored[kind]:
        stored[kind].append(pair)
    await Event.filter(id=event.id).update(table_pairs=stored)


async def remove_pair(actor: Actor, event_id: int, kind: str, first: int, second: int) -> None:
    event = await get_event_for(actor, event_id, to_change=True)
    pair = sorted((first, second))
    stored = {k: [list(p) for p in (event.table_pairs or {}).get(k, [])] for k in KINDS}
    stored[kind] = [p for p in stored.get(kind, []) if p != pair]
    await Event.filter(id=event.id).update(table_pairs=stored)


def planner_pairs(
    table_pairs: dict[str, list[list[int]]] | None, present: set[int]
) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    """(keep apart, together) as planner ids, for the pairs both of whom are seated."""

    def among(kind: str) -> tuple[tuple[str, str], ...]:
        pairs = (table_pairs or {}).get(kind, [])
        return tuple(sorted((str(a), str(b)) for a, b in pairs if a in present and b in present))

    return among("apart"), among("together")


async def pair_options(actor: Actor, event_id: int) -> list[tuple[int, str]]:
    """The people with a place, by name (namesakes numbered), to choose pairs from."""
    event = await get_event_for(actor, event_id)
    people = await Registration.filter(
        event_id=event.id, status=RegistrationStatus.CONFIRMED
    ).order_by("first_name", "id")
    seen: dict[str, int] = {}
    total: dict[str, int] = {}
    for person in people:
        total[person.first_name] = total.get(person.first_name, 0) + 1
    options = []
    for person in people:
        seen[person.first_name] = seen.get(person.first_name, 0) + 1
        many = total[person.first_name] > 1
        name = f"{person.first_name} {seen[person.first_name]}" if many else person.first_name
        options.append((person.id, name))
    return options
