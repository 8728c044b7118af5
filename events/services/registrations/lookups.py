"""Finding registrations: by ticket code, by guardian token, a lead's party, and the ones
a staff member may see (with the permission check built in).

Imports models, errors, scope and the staff ``Actor``.
"""

from __future__ import annotations

from events.models import Registration
from events.services.errors import NotFound
from events.services.scope import ensure_event_access
from events.services.staff import Actor


async def registration_by_code(code: str) -> Registration:
    registration = await Registration.get_or_none(code=code).prefetch_related(
        "event", "event__venue", "event__organisation", "person"
    )
    if registration is None:
        raise NotFound()
    return registration


async def registration_by_guardian_token(token: str) -> Registration:
    registration = await Registration.get_or_none(guardian_token=token).prefetch_related(
        "event", "event__venue", "event__organisation"
    )
    if registration is None:
        raise NotFound()
    return registration


async def party_of(registration: Registration) -> list[Registration]:
    """The companions a lead brought (empty for a companion or someone alone)."""
    if registration.lead_id is not None:
        return []
    return await Registration.filter(lead_id=registration.id).order_by("id")


async def registration_for_staff(
    actor: Actor, registration_id: int, *, to_change: bool = False
) -> Registration:
    """A registration of an event the actor may see (or change), else NotFound (the same
    answer for both)."""
    registration = await Registration.get_or_none(id=registration_id)
    if registration is None:
        raise NotFound()
    await ensure_event_access(actor, registration.event_id, to_change=to_change)
    return registration


async def event_registrations(actor: Actor, event_id: int) -> list[Registration]:
    """Everyone who signed up for one event, waitlist in its order, with their lead."""
    await ensure_event_access(actor, event_id)
    return (
        await Registration.filter(event_id=event_id)
        .order_by("group", "status", "waitlist_number", "id")
        .prefetch_related("lead")
    )
