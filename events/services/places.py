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

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
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
_HAS_RETURNING = sqlite3.sqlite_version_info >= (3, 35)


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


@dataclass(frozen=True)
class Claim:
    """What :func:`claim` got: a place (``waitlist_number`` None) or a waiting number."""

    placed: bool
    waitlist_number: int | None


def _sql(db: BaseDBAsyncClient, sql: str) -> str:
    """``?`` placeholders as the connection wants them (``$1`` … on asyncpg)."""
    if db.capabilities.dialect != "postgres":
        return sql
    parts = sql.split("?")
    return "".join(f"{part}${n}" for n, part in enumerate(parts[:-1], start=1)) + parts[-1]


async def _returning(sql: str, values: list[object]) -> list[dict[str, Any]]:
    db = Event._meta.db
    return await db.execute_query_dict(_sql(db, sql), values)


async def claim(event_id: int, group: Group, *, now: datetime) -> Claim | None:
    """First statement of a sign-up's transaction: lock the event row *and* take a place in
    ``group`` if one is free (a conditional ``UPDATE … RETURNING``); when none is, a second
    UPDATE (still one statement) draws the next waiting number. None when the event is not
    open for sign-up (not published, over, or gone): nothing was changed then.

    The WHERE clauses hold the capacity rule (``taken_young < places_young``), so two
    processes racing for the last place cannot both win. Needs RETURNING: PostgreSQL, and
    SQLite from 3.35 (older SQLite falls back to :func:`lock_event` and friends)."""
    column, places = f'"taken_{group.value}"', f'"places_{group.value}"'
    open_now = '"id" = ? AND "status" = ? AND "ends_at" >= ?'
    ends_at = Event._meta.fields_map["ends_at"].to_db_value(now, Event)
    values: list[object] = [event_id, EventStatus.PUBLISHED.value, ends_at]
    if not _HAS_RETURNING:
        event = await lock_event(event_id)
        if not open_for_signup(event, now):
            return None
        if await take_place(event_id, group):
            return Claim(True, None)
        return Claim(False, await next_waitlist_number(event_id))
    took = await _returning(
        f'UPDATE "event" SET {column} = {column} + 1 WHERE {open_now} AND {column} < {places} '
        'RETURNING "id"',
        values,
    )
    if took:
        return Claim(True, None)
    waiting = await _returning(
        'UPDATE "event" SET "waitlist_counter" = "waitlist_counter" + 1 '
        f'WHERE {open_now} RETURNING "waitlist_counter"',
        values,
    )
    if not waiting:
        return None
    return Claim(False, int(str(waiting[0]["waitlist_counter"])))


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
