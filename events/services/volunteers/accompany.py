"""Accompaniment ("ophalen of meelopen"): an older participant who asked to be fetched or
walked with gets a task of their own; the organiser pairs a volunteer who signed up for
it, and only then does that volunteer see the address (``shifts.shift_page``).

The address lives on the registration alone (never copied into a task, a mail or a log),
so erasing the registration erases it: :func:`forget_addresses` clears the addresses of
registrations that have been erased or whose activity is past retention.

Imports models, errors, scope, settings, the staff Actor and ``volunteers.mails``/``links``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tortoise.expressions import Q, Subquery
from tortoise.transactions import in_transaction

import events.services.volunteers.mails as mails
from events.models import (
    Event,
    Registration,
    RegistrationStatus,
    ShiftStatus,
    TaskKind,
    VolunteerShift,
    VolunteerTask,
)
from events.services.errors import Conflict, NotFound
from events.services.scope import ensure_event_access, get_event_for
from events.services.staff import Actor
from events.services.volunteers.links import link
from events.settings import Settings

FETCH_BEFORE = timedelta(minutes=45)  # leave home this long before the start
BRING_BACK = timedelta(minutes=30)  # and walk back after the end


async def ensure_accompaniment_task(registration: Registration) -> VolunteerTask | None:
    """The "ophalen of meelopen" task of a registration that asked for it, made once; None
    when it did not ask (or has no place any more)."""
    if not registration.accompany or registration.status == RegistrationStatus.CANCELLED:
        return None
    existing = await VolunteerTask.filter(registration_id=registration.id).first()
    if existing is not None:
        return existing
    event = await Event.get(id=registration.event_id)
    return await VolunteerTask.create(
        event_id=event.id,
        kind=TaskKind.ACCOMPANY,
        starts_at=event.starts_at - FETCH_BEFORE,
        ends_at=event.ends_at + BRING_BACK,
        needed=1,
        registration_id=registration.id,
    )


async def sync_accompaniment_tasks(actor: Actor, event_id: int) -> int:
    """Make the missing accompaniment tasks of an activity (for sign-ups that asked before
    anything made them); returns how many were made."""
    await ensure_event_access(actor, event_id, to_change=True)
    made = VolunteerTask.filter(event_id=event_id, registration_id__isnull=False)
    asked = await Registration.filter(
        event_id=event_id, accompany=True, status=RegistrationStatus.CONFIRMED
    ).exclude(id__in=Subquery(made.values("registration_id")))
    count = 0
    for registration in asked:
        if await ensure_accompaniment_task(registration) is not None:
            count += 1
    return count


async def _shift_for_staff(actor: Actor, shift_id: int) -> VolunteerShift:
    shift = await VolunteerShift.get_or_none(id=shift_id).prefetch_related(
        "task", "task__event__venue", "task__event__organisation", "volunteer"
    )
    if shift is None:
        raise NotFound()
    await get_event_for(actor, shift.task.event_id, to_change=True)
    return shift


async def pair_shift(
    actor: Actor, shift_id: int, *, settings: Settings, now: datetime | None = None
) -> VolunteerShift:
    """The organiser pairs a volunteer with the person who asked to be fetched: from now on
    the volunteer's link shows the address. The mail says so, without the address."""
    now = now or datetime.now(UTC)
    shift = await _shift_for_staff(actor, shift_id)
    task = shift.task
    if task.registration_id is None:
        raise Conflict("not_an_accompaniment")
    if shift.status != ShiftStatus.SIGNED_UP:
        raise Conflict("shift_cancelled")
    async with in_transaction():
        marked = await VolunteerShift.filter(id=shift.id, paired_at__isnull=True).update(
            paired_at=now
        )
        if marked:
            event, volunteer = task.event, shift.volunteer
            locale = str(volunteer.details.get("locale") or "nl")
            await mails.queue(
                "volunteer_paired",
                to_email=volunteer.email,
                locale=locale,
                context=lambda: {
                    **mails.task_context(task, event, settings),
                    "first_name": volunteer.first_name,
                    "shift_url": link(settings.base_url, "volunteer_shift", token=shift.token),
                },
                settings=settings,
                event_id=event.id,
                reply_to=event.organisation.email,
            )
    await shift.refresh_from_db()
    return shift


async def unpair_shift(actor: Actor, shift_id: int) -> VolunteerShift:
    """Undo a pairing: the address is hidden from the volunteer again."""
    shift = await _shift_for_staff(actor, shift_id)
    shift.paired_at = None
    await shift.save(update_fields=["paired_at"])
    return shift


async def forget_addresses(*, now: datetime, retention_days: int) -> int:
    """Clear the pickup address of every registration that has been erased (no name, no
    email) or whose activity ended more than ``retention_days`` ago. Returns how many."""
    cutoff = now - timedelta(days=retention_days)
    old = Event.filter(ends_at__lt=cutoff).values_list("id", flat=True)
    cleared = await Registration.filter(
        Q(first_name="", email=None) | Q(event_id__in=await old),
        pickup_address__isnull=False,
    ).update(pickup_address=None)
    return int(cleared)
