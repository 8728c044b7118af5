"""Places (plekken): how many an event has per generation group, how many are taken, and
the only code that takes or gives one back.

Capacity rule: every change to an event's places happens in one database transaction that
first locks the event row (:func:`lock_event`, an UPDATE, so SQLite takes its write lock and
PostgreSQL its row lock), and takes a place only through a conditional UPDATE whose WHERE
clause holds the rule (``taken_young < places_young``). Two processes racing for the last
place cannot both win, on SQLite or on PostgreSQL.

Also owns the statuses that hold or queue for a place and waitlist positions.
Imports models and errors only.
"""

from __future__ import annotations

from datetime import datetime

from tortoise.expressions import F

from events.models import Event, EventStatus, Group, Registration, RegistrationStatus
from events.services.errors import NotFound

ACTIVE = (
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITLISTED,
    RegistrationStatus.AWAITING_GUARDIAN,
)
"""Statuses of someone still in the running: a place, a held place or a waitlist place."""
HOLDING = (RegistrationStatus.CONFIRMED, RegistrationStatus.AWAITING_GUARDIAN)
"""Statuses that hold one of the event's places."""


def capacity(event: Event, group: Group) -> int:
    return int(getattr(event, f"places_{group.value}"))


def taken(event: Event, group: Group) -> int:
    return int(getattr(event, f"taken_{group.value}"))


def places_left(event: Event) -> dict[Group, int]:
    return {g: max(0, capacity(event, g) - taken(event, g)) for g in Group}


def places_by_group(event: Event) -> dict[Group, int]:
    return {g: capacity(event, g) for g in (Group.YOUNG, Group.OLDER, Group.OPEN)}


def open_for_signup(event: Event, now: datetime) -> bool:
    return event.status == EventStatus.PUBLISHED and event.ends_at >= now


# --- inside a transaction -----------------------------------------------------------------


async def lock_event(event_id: int) -> Event:
    """First statement of every places transaction: lock the event row, then read it."""
    locked = await Event.filter(id=event_id).update(waitlist_counter=F("waitlist_counter"))
    if not locked:
        raise NotFound()
    return await Event.get(id=event_id)


async def take_place(event_id: int, group: Group, *, over_capacity: bool = False) -> bool:
    """Take one place in a group if one is free: a single conditional UPDATE. With
    ``over_capacity`` a place is taken even when none is free (staff overrides)."""
    column = f"taken_{group.value}"
    query = Event.filter(id=event_id)
    if not over_capacity:
        query = query.filter(**{f"{column}__lt": F(f"places_{group.value}")})
    return await query.update(**{column: F(column) + 1}) == 1


async def give_back_place(event_id: int, group: Group) -> None:
    column = f"taken_{group.value}"
    await Event.filter(id=event_id, **{f"{column}__gt": 0}).update(**{column: F(column) - 1})


async def next_waitlist_number(event_id: int) -> int:
    await Event.filter(id=event_id).update(waitlist_counter=F("waitlist_counter") + 1)
    return (await Event.get(id=event_id)).waitlist_counter


# --- waiting lists ------------------------------------------------------------------------


async def waitlist_position(registration: Registration) -> int | None:
    """1 for the first person waiting in this group, None when not waiting."""
    if registration.status != RegistrationStatus.WAITLISTED or registration.waitlist_number is None:
        return None
    ahead = await Registration.filter(
        event_id=registration.event_id,
        group=registration.group,
        status=RegistrationStatus.WAITLISTED,
        waitlist_number__lt=registration.waitlist_number,
    ).count()
    return ahead + 1


def waitlist_positions(rows: list[Registration]) -> dict[int, int]:
    """Registration id -> place in its group's waitlist, for a list from one event."""
    positions: dict[int, int] = {}
    counters: dict[Group, int] = {}
    waiting = [r for r in rows if r.status == RegistrationStatus.WAITLISTED]
    for row in sorted(waiting, key=lambda r: (r.waitlist_number or 0, r.id)):
        counters[row.group] = counters.get(row.group, 0) + 1
        positions[row.id] = counters[row.group]
    return positions


async def counts_by_event(event_ids: list[int]) -> dict[int, dict[str, int]]:
    """Per event: how many hold a place (confirmed or awaiting a guardian) and how many
    wait, for the organiser's overview."""
    counts = {event_id: {"placed": 0, "waiting": 0} for event_id in event_ids}
    rows = await Registration.filter(event_id__in=event_ids, status__in=ACTIVE).values_list(
        "event_id", "status"
    )
    for event_id, status in rows:
        key = "waiting" if status == RegistrationStatus.WAITLISTED else "placed"
        counts[int(event_id)][key] += 1
    return counts
