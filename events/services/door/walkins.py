"""Walk-ins: someone at the door without a sign-up is signed up on the spot (source
``walk_in``, email optional) and checked in when their group has room, by the same capacity
rule as any sign-up; the host may let a waiting walk-in in past capacity. A walk-in carries
a scan (nonce, device, time) like a check-in: sent twice (an offline device syncing), it is
answered from the first time and makes no second sign-up.

Imports models, errors, registrations (sign-up, admitting), settings, the staff Actor and
the door's ``outcomes``, ``access`` and ``scan``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from events.models import Registration, RegistrationSource
from events.services import registrations
from events.services.door.access import door_event, door_event_record
from events.services.door.outcomes import CheckInResult, Scan
from events.services.door.scan import check_in, stored_answer
from events.services.errors import Conflict, NotFound
from events.services.staff import Actor
from events.settings import Settings


@dataclass(frozen=True)
class WalkIn:
    first_name: str
    group: str
    email: str = ""
    override: bool = False
    locale: str = "nl"


async def walk_in(
    actor: Actor,
    event_id: int,
    walk: WalkIn,
    scan: Scan,
    *,
    settings: Settings,
    now: datetime | None = None,
) -> CheckInResult:
    """Someone arrives without a ticket: sign them up as a walk-in and check them in when
    their group has room; with ``override`` the host lets them in past capacity. Without
    room and override they stay on the waiting list (outcome ``waitlisted``). The check-in
    keeps the scan's time (when the walk-in was added, offline perhaps)."""
    now = now or datetime.now(UTC)
    event = await door_event_record(actor, event_id)
    stored = await stored_answer(scan.nonce, event.id, has_plan=True)
    if stored is not None:
        return stored
    request = registrations.check_signup(
        {"first_name": walk.first_name, "email": walk.email, "group": walk.group},
        event=event,
        today=now.date(),
        locale=walk.locale,
        source=RegistrationSource.WALK_IN,
    )
    signed = await registrations.sign_up(event.id, request, settings=settings, now=now)
    lead = signed.lead
    assert lead is not None
    if signed.duplicate:  # their ticket was mailed again; the host finds them by name
        raise Conflict("already_registered")
    return await admit_walk_in(actor, event.id, lead.id, scan, override=walk.override, now=now)


async def admit_walk_in(
    actor: Actor,
    event_id: int,
    registration_id: int,
    scan: Scan,
    *,
    override: bool,
    now: datetime | None = None,
) -> CheckInResult:
    """Check a walk-in in; ``override`` lets a waiting walk-in in past capacity."""
    now = now or datetime.now(UTC)
    event = await door_event(actor, event_id)
    registration = await Registration.get_or_none(id=registration_id, event_id=event.id)
    if registration is None:
        raise NotFound()
    if override and registration.source == RegistrationSource.WALK_IN:
        await registrations.admit_at_door(actor, registration.id, now=now, over_capacity=True)
    return await check_in(actor, event.id, scan, registration_id=registration.id, now=now)
