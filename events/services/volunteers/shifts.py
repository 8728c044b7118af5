"""Signing up for a task without an account, the volunteer's own link, cancelling from it,
and the reminder the day before.

Places of a task are counted inside one transaction whose first statement is an UPDATE of
the task row (SQLite takes its write lock, PostgreSQL a row lock), as the places of an
activity are: two people taking the last place at once cannot both get it.

A volunteer is known by email within one organisation; signing up again updates their
name, phone and whether they may be asked again. Every mail is queued in the transaction
of the change that causes it. Imports models, errors, forms, settings and
``volunteers.mails``/``links``/``tasks``.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tortoise.expressions import F
from tortoise.transactions import in_transaction

import events.services.volunteers.mails as mails
from events.models import (
    Event,
    EventStatus,
    HoursStatement,
    ShiftStatus,
    Volunteer,
    VolunteerShift,
    VolunteerTask,
)
from events.services.errors import Conflict, FormError, NotFound
from events.services.forms import Fields
from events.services.volunteers.links import link
from events.services.volunteers.tasks import public_task
from events.settings import Settings

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE_RE = re.compile(r"^\+?[0-9 ()-]{6,20}$")
REMINDER_BEFORE = timedelta(hours=24)


@dataclass(frozen=True)
class VolunteerForm:
    """The checked fields of the "Ik help mee" form."""

    first_name: str
    email: str
    phone: str | None
    ask_again: bool
    school_placement: bool
    locale: str
    buddy: bool = False


def check_volunteer_form(data: Mapping[str, object], *, locale: str) -> VolunteerForm:
    """Name and email required, phone optional (FormError per field)."""
    f = Fields(data)
    first_name = f.text("first_name", required=True, max_length=60)
    email = f.text("email", required=True, max_length=254).lower()
    if email and not EMAIL_RE.match(email):
        f.fail("email", "email_invalid")
    phone = f.text("phone", max_length=30)
    if phone and not PHONE_RE.match(phone):
        f.fail("phone", "phone_invalid")
    if f.errors:
        raise FormError(f.errors)
    return VolunteerForm(
        first_name=first_name,
        email=email,
        phone=phone or None,
        ask_again=f.boolean("ask_again"),
        school_placement=f.boolean("school_placement"),
        locale=locale,
        buddy=f.boolean("buddy"),
    )


async def _volunteer_for(organisation_id: int, form: VolunteerForm) -> Volunteer:
    volunteer = await Volunteer.get_or_none(organisation_id=organisation_id, email=form.email)
    if volunteer is None:
        return await Volunteer.create(
            organisation_id=organisation_id,
            first_name=form.first_name,
            email=form.email,
            phone=form.phone,
            ask_again=form.ask_again,
            school_placement=form.school_placement,
            buddy=form.buddy,
            token=secrets.token_urlsafe(24),
            details={"locale": form.locale},
        )
    volunteer.first_name = form.first_name
    volunteer.phone = form.phone or volunteer.phone
    volunteer.ask_again = form.ask_again
    volunteer.school_placement = volunteer.school_placement or form.school_placement
    volunteer.buddy = volunteer.buddy or form.buddy
    volunteer.details = {**volunteer.details, "locale": form.locale}
    await volunteer.save()
    return volunteer


def locale_of(volunteer: Volunteer) -> str:
    return str(volunteer.details.get("locale") or "nl")


async def _lock_task(task_id: int) -> VolunteerTask:
    """First statement of a shift transaction: lock the task row, then read it."""
    if not await VolunteerTask.filter(id=task_id).update(needed=F("needed")):
        raise NotFound()
    return await VolunteerTask.get(id=task_id)


async def sign_up_for_task(
    event: Event,
    task_id: int,
    data: Mapping[str, object],
    *,
    locale: str,
    settings: Settings,
    now: datetime | None = None,
) -> VolunteerShift:
    """Sign someone up for an open task of a public activity and queue their confirmation
    (with the task as an ``.ics``). Signing up twice gives the same shift back, unmailed;
    ``task_full`` when the last place has just gone."""
    now = now or datetime.now(UTC)
    form = check_volunteer_form(data, locale=locale)
    await public_task(event, task_id, now=now)
    await event.fetch_related("venue", "organisation")
    async with in_transaction():
        task = await _lock_task(task_id)
        volunteer = await _volunteer_for(event.organisation_id, form)
        shift = await VolunteerShift.get_or_none(task_id=task.id, volunteer_id=volunteer.id)
        if shift is not None and shift.status == ShiftStatus.SIGNED_UP:
            return shift
        taken = await VolunteerShift.filter(task_id=task.id, status=ShiftStatus.SIGNED_UP).count()
        if taken >= task.needed:
            raise Conflict("task_full")
        if shift is None:
            shift = await VolunteerShift.create(
                task_id=task.id, volunteer_id=volunteer.id, token=secrets.token_urlsafe(24)
            )
        else:
            shift.status, shift.cancelled_at, shift.reminded_at = ShiftStatus.SIGNED_UP, None, None
            await shift.save(update_fields=["status", "cancelled_at", "reminded_at"])
        await _queue_shift_mail("volunteer_confirmation", shift, task, event, volunteer, settings)
    return shift


def _shift_context(
    shift: VolunteerShift,
    task: VolunteerTask,
    event: Event,
    volunteer: Volunteer,
    settings: Settings,
) -> dict[str, object]:
    base = settings.base_url
    return {
        **mails.task_context(task, event, settings),
        "first_name": volunteer.first_name,
        "shift_url": link(base, "volunteer_shift", token=shift.token),
        "volunteer_url": link(base, "volunteer_home", token=volunteer.token),
        "accompany": task.registration_id is not None,
    }


async def _queue_shift_mail(
    kind: str,
    shift: VolunteerShift,
    task: VolunteerTask,
    event: Event,
    volunteer: Volunteer,
    settings: Settings,
) -> None:
    attachments = []
    if kind in ("volunteer_confirmation", "volunteer_cancelled"):
        ics = mails.task_ics(task, event, settings, cancelled=kind == "volunteer_cancelled")
        attachments.append(mails.ics_attachment(ics))
    await mails.queue(
        kind,
        to_email=volunteer.email,
        locale=locale_of(volunteer),
        context=lambda: _shift_context(shift, task, event, volunteer, settings),
        settings=settings,
        event_id=event.id,
        attachments=attachments,
        reply_to=event.organisation.email,
    )


@dataclass(frozen=True)
class ShiftPage:
    """What a volunteer's own link shows. ``pickup`` is the address and first name of the
    person to fetch, only for an accompaniment the organiser has paired."""

    shift: VolunteerShift
    task: VolunteerTask
    event: Event
    volunteer: Volunteer
    pickup_name: str | None = None
    pickup_address: str | None = None

    @property
    def active(self) -> bool:
        return self.shift.status == ShiftStatus.SIGNED_UP

    @property
    def can_cancel(self) -> bool:
        return self.active and self.event.ends_at > datetime.now(UTC)

    @property
    def name(self) -> str:
        return mails.task_name(self.task)

    @property
    def description(self) -> str:
        return mails.task_description(self.task)

    @property
    def accompany(self) -> bool:
        return self.task.registration_id is not None


async def _shift_by_token(token: str) -> VolunteerShift:
    shift = await VolunteerShift.get_or_none(token=token).prefetch_related(
        "task", "task__event", "task__event__venue", "task__event__organisation", "volunteer"
    )
    if shift is None:
        raise NotFound()
    return shift


async def shift_page(token: str) -> ShiftPage:
    """The shift behind a volunteer's link, with the address only once paired."""
    shift = await _shift_by_token(token)
    task = shift.task
    name = address = None
    if task.registration_id is not None and shift.paired_at and shift.status == "signed_up":
        await task.fetch_related("registration")
        registration = task.registration
        if registration is not None and registration.pickup_address:
            name, address = registration.first_name, registration.pickup_address
    return ShiftPage(shift, task, task.event, shift.volunteer, name, address)


async def cancel_shift(token: str, *, settings: Settings, now: datetime | None = None) -> ShiftPage:
    """The volunteer gives up their task from their link; the place opens again. Doing it
    twice changes nothing."""
    now = now or datetime.now(UTC)
    shift = await _shift_by_token(token)
    event, volunteer = shift.task.event, shift.volunteer
    async with in_transaction():
        task = await _lock_task(shift.task_id)
        marked = await VolunteerShift.filter(id=shift.id, status=ShiftStatus.SIGNED_UP).update(
            status=ShiftStatus.CANCELLED, cancelled_at=now, paired_at=None
        )
        if marked:
            await _queue_shift_mail("volunteer_cancelled", shift, task, event, volunteer, settings)
    return await shift_page(token)


async def queue_task_reminders(*, settings: Settings, now: datetime) -> int:
    """Queue a reminder for each active shift whose task starts within 24 hours, once
    (``reminded_at`` set by a conditional UPDATE, so two workers cannot both queue it).
    Who signed up inside those 24 hours has everything in their confirmation: skipped."""
    due = (
        await VolunteerShift.filter(
            status=ShiftStatus.SIGNED_UP,
            reminded_at__isnull=True,
            task__starts_at__gt=now,
            task__starts_at__lte=now + REMINDER_BEFORE,
            task__event__status=EventStatus.PUBLISHED,
        )
        .order_by("id")
        .prefetch_related("task", "task__event__venue", "task__event__organisation", "volunteer")
    )
    queued = 0
    for shift in due:
        task = shift.task
        if shift.created_at >= task.starts_at - REMINDER_BEFORE:
            continue
        async with in_transaction():
            marked = await VolunteerShift.filter(id=shift.id, reminded_at__isnull=True).update(
                reminded_at=now
            )
            if marked == 1:
                event = task.event
                await _queue_shift_mail(
                    "volunteer_reminder", shift, task, event, shift.volunteer, settings
                )
                queued += 1
    return queued


@dataclass(frozen=True)
class VolunteerHome:
    """What a volunteer's own page shows: their tasks, newest first, and statements."""

    volunteer: Volunteer
    shifts: list[VolunteerShift]
    statements: list[HoursStatement]


async def volunteer_home(token: str) -> VolunteerHome:
    """The volunteer behind a personal link, else NotFound."""
    volunteer = await Volunteer.get_or_none(token=token)
    if volunteer is None:
        raise NotFound()
    shifts = (
        await VolunteerShift.filter(volunteer_id=volunteer.id)
        .order_by("-task__starts_at")
        .prefetch_related("task", "task__event")
    )
    statements = await HoursStatement.filter(volunteer_id=volunteer.id).order_by("-issued_at")
    return VolunteerHome(volunteer, list(shifts), list(statements))


async def set_ask_again(token: str, ask_again: bool) -> Volunteer:
    """The volunteer says whether the organisation may ask them again."""
    volunteer = await Volunteer.get_or_none(token=token)
    if volunteer is None:
        raise NotFound()
    volunteer.ask_again = ask_again
    await volunteer.save(update_fields=["ask_again"])
    return volunteer
