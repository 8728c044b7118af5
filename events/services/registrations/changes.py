"""Changes after a sign-up: cancelling, the waiting list moving up, staff promoting or
moving someone, admitting at the door, and holds that expire. Each runs in one transaction
that locks the event row first (``services.places``); a freed place goes at once to the
first person waiting in its group.

Staff-facing functions take the ``Actor`` and check it (``registration_for_staff``).
Imports models, errors, mail, places, scope, settings and the staff ``Actor``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tortoise.transactions import in_transaction

from events.models import Event, Group, Registration, RegistrationStatus
from events.services import mail, places
from events.services.errors import Conflict, Invalid, NotFound
from events.services.registrations.form import needs_guardian
from events.services.registrations.lookups import registration_for_staff
from events.services.registrations.state import CANCELLED, OVER, STARTED, phase_of
from events.services.staff import Actor
from events.settings import Settings


async def cancel_registration(
    registration_id: int,
    *,
    settings: Settings,
    now: datetime | None = None,
    mail_kind: str | None = "cancelled",
) -> Registration:
    """Cancel one place (the caller holds the ticket, or is the system); a freed place goes
    at once to the first person waiting in its group."""
    now = now or datetime.now(UTC)
    registration = await Registration.get_or_none(id=registration_id)
    if registration is None:
        raise NotFound()
    async with in_transaction():
        event = await places.lock_event(registration.event_id)
        await registration.refresh_from_db()
        if registration.status == RegistrationStatus.CANCELLED:
            return registration
        held = registration.status in places.HOLDING
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = now
        await registration.save(update_fields=["status", "cancelled_at"])
        if mail_kind:
            await mail.queue_mail(
                mail_kind, registration=registration, event=event, settings=settings
            )
        if held:
            await places.give_back_place(event.id, registration.group)
            await promote_waiting(event, registration.group, settings=settings, now=now)
    return registration


async def cancel_own_place(
    registration_id: int,
    *,
    settings: Settings,
    with_companions: bool = False,
    now: datetime | None = None,
) -> list[Registration]:
    """A participant gives up their place from their ticket: refused when the activity is
    cancelled (``event_cancelled``) or has begun (``cancel_after_start``: it would change
    the no-show figures). A lead may take their companions' places along; companions who
    need an adult (under 16) always go with their lead. Returns what was cancelled."""
    now = now or datetime.now(UTC)
    registration = await Registration.get_or_none(id=registration_id).prefetch_related("event")
    if registration is None:
        raise NotFound()
    event = registration.event
    phase = phase_of(event, now)
    if phase == CANCELLED:
        raise Conflict("event_cancelled")
    if phase in (STARTED, OVER):
        raise Conflict("cancel_after_start")
    going = [registration]
    if registration.lead_id is None:
        day = event.starts_at.date()
        party = await Registration.filter(lead_id=registration.id, status__in=places.ACTIVE)
        going += [c for c in party if with_companions or needs_guardian(c.birth_year, day)]
    done = []
    for one in going:
        kind = "cancelled" if one is registration else None
        done.append(await cancel_registration(one.id, settings=settings, now=now, mail_kind=kind))
    return done


async def cancel_for_staff(actor: Actor, registration_id: int, *, settings: Settings) -> None:
    """Staff cancel someone's place at an event they may change."""
    await registration_for_staff(actor, registration_id, to_change=True)
    await cancel_registration(registration_id, settings=settings)


async def promote_waiting(
    event: Event, group: Group, *, settings: Settings, now: datetime
) -> list[Registration]:
    """Fill free places of a group from its waitlist, first come first served, each with
    their mail. Run it inside the transaction that locked the event (``places.lock_event``)
    whenever places come free: a cancellation, a move, more places."""
    promoted: list[Registration] = []
    while True:
        first = (
            await Registration.filter(
                event_id=event.id, group=group, status=RegistrationStatus.WAITLISTED
            )
            .order_by("waitlist_number", "id")
            .first()
        )
        if first is None or not await places.take_place(event.id, group):
            return promoted
        await _promote(first, event, settings=settings, now=now)
        promoted.append(first)


async def _promote(
    registration: Registration, event: Event, *, settings: Settings, now: datetime
) -> None:
    if registration.guardian_email and registration.guardian_consent_at is None:
        registration.status = RegistrationStatus.AWAITING_GUARDIAN
        registration.hold_expires_at = now + timedelta(hours=settings.guardian_hold_hours)
    else:
        registration.status = RegistrationStatus.CONFIRMED
        registration.confirmed_at = now
    await registration.save(update_fields=["status", "hold_expires_at", "confirmed_at"])
    await mail.queue_mail("promoted", registration=registration, event=event, settings=settings)


async def promote_by_hand(
    actor: Actor, registration_id: int, *, settings: Settings, over_capacity: bool = False
) -> Registration:
    """An organiser gives a waiting person a place; past capacity only when asked."""
    now = datetime.now(UTC)
    registration = await registration_for_staff(actor, registration_id, to_change=True)
    async with in_transaction():
        event = await places.lock_event(registration.event_id)
        await registration.refresh_from_db()
        if registration.status != RegistrationStatus.WAITLISTED:
            raise Conflict("not_waitlisted")
        if not await places.take_place(event.id, registration.group):
            if not over_capacity:
                raise Conflict("group_full")
            await places.take_place(event.id, registration.group, over_capacity=True)
        await _promote(registration, event, settings=settings, now=now)
    return registration


async def admit_at_door(
    actor: Actor, registration_id: int, *, now: datetime, over_capacity: bool = False
) -> Registration:
    """A host lets someone in at the door who is waiting or awaiting a guardian. A waiting
    person takes a free place of their group through the same conditional UPDATE as a
    sign-up (``group_full`` when there is none), or past capacity only when asked (a walk-in
    the host chose to admit); a held place is simply confirmed. No mail: they are at the
    door."""
    registration = await registration_for_staff(actor, registration_id)
    async with in_transaction():
        event = await places.lock_event(registration.event_id)
        await registration.refresh_from_db()
        if registration.status == RegistrationStatus.WAITLISTED:
            if not await places.take_place(event.id, registration.group):
                if not over_capacity:
                    raise Conflict("group_full")
                await places.take_place(event.id, registration.group, over_capacity=True)
        elif registration.status != RegistrationStatus.AWAITING_GUARDIAN:
            return registration
        registration.status = RegistrationStatus.CONFIRMED
        registration.confirmed_at = now
        registration.hold_expires_at = None
        await registration.save(update_fields=["status", "confirmed_at", "hold_expires_at"])
    return registration


async def move_group(
    actor: Actor, registration_id: int, group_name: str, *, settings: Settings
) -> Registration:
    """Move a person to another group: their place moves if the new group has room, else
    they join the end of its waitlist; the place they leave goes to the next in line."""
    if group_name not in tuple(Group):
        raise Invalid("invalid_choice")
    group, now = Group(group_name), datetime.now(UTC)
    registration = await registration_for_staff(actor, registration_id, to_change=True)
    async with in_transaction():
        event = await places.lock_event(registration.event_id)
        await registration.refresh_from_db()
        old = registration.group
        if old == group or registration.status == RegistrationStatus.CANCELLED:
            return registration
        held = registration.status in places.HOLDING
        registration.group = group
        if held and not await places.take_place(event.id, group):
            registration.status = RegistrationStatus.WAITLISTED
        if registration.status == RegistrationStatus.WAITLISTED:
            registration.waitlist_number = await places.next_waitlist_number(event.id)
        await registration.save(update_fields=["group", "status", "waitlist_number"])
        if held:
            await places.give_back_place(event.id, old)
            await promote_waiting(event, old, settings=settings, now=now)
        else:
            await promote_waiting(event, group, settings=settings, now=now)
    return registration


async def release_expired_holds(*, settings: Settings, now: datetime | None = None) -> int:
    """Give up places held too long for a guardian's consent; the waitlist moves up."""
    now = now or datetime.now(UTC)
    expired = await Registration.filter(
        status=RegistrationStatus.AWAITING_GUARDIAN, hold_expires_at__lt=now
    ).values_list("id", flat=True)
    for registration_id in expired:
        await cancel_registration(
            int(registration_id),  # type: ignore[call-overload]
            settings=settings,
            now=now,
            mail_kind="hold_expired",
        )
    return len(expired)
