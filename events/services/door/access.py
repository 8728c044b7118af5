"""Which events a staff member may work the door of: hosts of the event's venue, the
event's organisers and admins (the rule itself is ``services.scope``). Every door service
starts here; for anyone else an event does not exist (NotFound).

Owns :class:`DoorEvent`, the few facts of an event the door needs, read with the access
check in one statement (whether a table plan is stored comes along, so events without one
never ask for it). Imports models, errors, scope and the staff Actor.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.expressions import Subquery

from events.models import Event, TablePlan
from events.services.errors import NotFound
from events.services.scope import events_for
from events.services.staff import Actor


@dataclass(frozen=True)
class DoorEvent:
    """An event as the door needs it."""

    id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    has_plan: bool


async def door_event(actor: Actor, event_id: int) -> DoorEvent:
    """An event this staff member may work the door of, else NotFound (one statement)."""
    plan = Subquery(TablePlan.filter(event_id=event_id).values("id"))
    rows = (
        await events_for(actor)
        .filter(id=event_id)
        .annotate(plan_id=plan)
        .values("id", "title", "starts_at", "ends_at", "plan_id")
    )
    if not rows:
        raise NotFound()
    row = rows[0]
    return DoorEvent(
        id=int(row["id"]),
        title=str(row["title"]),
        starts_at=row["starts_at"],
        ends_at=row["ends_at"],
        has_plan=row["plan_id"] is not None,
    )


async def door_event_record(actor: Actor, event_id: int) -> Event:
    """The whole event record (a walk-in is signed up by its rules), else NotFound."""
    event = await events_for(actor).get_or_none(id=event_id)
    if event is None:
        raise NotFound()
    return event
