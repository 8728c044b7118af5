"""Which events a staff member may work the door of: hosts of the event's venue, the
event's organisers and admins (the rule itself is ``services.scope``). Every door service
starts here; for anyone else an event does not exist (NotFound).

Imports models, errors, scope and the staff Actor.
"""

from __future__ import annotations

from events.models import Event
from events.services.errors import NotFound
from events.services.scope import events_for
from events.services.staff import Actor


async def door_event(actor: Actor, event_id: int) -> Event:
    """An event this staff member may work the door of, else NotFound."""
    event = await events_for(actor).get_or_none(id=event_id)
    if event is None:
        raise NotFound()
    return event
