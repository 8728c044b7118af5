"""Scope: which events a staff member may see or change. Every service that reads or
changes an organisation's events starts here, so the permission rule lives in one place.

Owns :func:`events_for`, :func:`get_event_for` and :func:`ensure_event_access`.
Imports models, errors and the staff ``Actor``.
"""

from __future__ import annotations

from tortoise.queryset import QuerySet

from events.models import Event
from events.services.errors import NotFound
from events.services.staff import Actor


def events_for(actor: Actor) -> QuerySet[Event]:
    """The events this staff member may see: own organisation's, or at a host's venues."""
    if actor.event_ids is not None:  # a door pass: its one event, whatever the role says
        return Event.filter(id__in=sorted(actor.event_ids))
    if actor.is_admin:
        return Event.all()
    if actor.can_organise:
        return Event.filter(organisation_id=actor.organisation_id)
    return Event.filter(venue_id__in=list(actor.venue_ids))


async def get_event_for(actor: Actor, event_id: int, *, to_change: bool = False) -> Event:
    """One event the actor may see (or change); NotFound for anything else."""
    if to_change and not actor.can_organise:
        raise NotFound()
    event = await events_for(actor).get_or_none(id=event_id).prefetch_related("venue")
    if event is None:
        raise NotFound()
    return event


async def ensure_event_access(actor: Actor, event_id: int, *, to_change: bool = False) -> None:
    """NotFound unless the actor may see (or change) this event; one cheap query."""
    if to_change and not actor.can_organise:
        raise NotFound()
    if not await events_for(actor).filter(id=event_id).exists():
        raise NotFound()
