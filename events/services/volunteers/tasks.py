"""Volunteer tasks of an activity: adding and removing them (organisers), what is still
open (everyone), and asking earlier volunteers of the organisation to help again.

A task has a kind, a time on the activity's day, what it involves and how many people are
needed; a task is open while fewer people are signed up than needed and it has not ended.
An accompaniment task ("ophalen of meelopen") belongs to one registration
(``services.volunteers.accompany``) and is shown only while that person has a place.

Organiser functions take the Actor and check it through ``services.scope``.
Imports models, errors, forms, scope, places, settings, the staff Actor and
``volunteers.mails``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from tortoise.expressions import Q

import events.services.volunteers.mails as mails
from events.models import (
    Event,
    EventStatus,
    RegistrationStatus,
    ShiftStatus,
    TaskKind,
    Volunteer,
    VolunteerShift,
    VolunteerTask,
)
from events.services.errors import Conflict, FormError, NotFound
from events.services.forms import Fields
from events.services.scope import get_event_for
from events.services.staff import Actor
from events.services.volunteers.links import link
from events.settings import Settings

MAX_NEEDED = 50
ASKED_KEY = "asked_events"  # Volunteer.details: the events this volunteer was asked for


@dataclass
class TaskView:
    """A task with its active shifts (volunteer fetched) and how many are still needed."""

    task: VolunteerTask
    shifts: list[VolunteerShift] = field(default_factory=list)

    @property
    def signed_up(self) -> int:
        return len(self.shifts)

    @property
    def open_places(self) -> int:
        return max(0, self.task.needed - self.signed_up)

    @property
    def is_open(self) -> bool:
        return self.open_places > 0

    @property
    def name(self) -> str:
        """The kind of task, in the current language."""
        return mails.task_name(self.task)

    @property
    def description(self) -> str:
        """What it involves: the organiser's words or the standard two sentences."""
        return mails.task_description(self.task)


def _accompaniment_shown() -> Q:
    """Plain tasks, and accompaniments of people who still have a confirmed place."""
    return Q(registration_id__isnull=True) | Q(registration__status=RegistrationStatus.CONFIRMED)


async def _views(tasks: list[VolunteerTask]) -> list[TaskView]:
    views = {task.id: TaskView(task) for task in tasks}
    shifts = (
        await VolunteerShift.filter(task_id__in=list(views), status=ShiftStatus.SIGNED_UP)
        .order_by("id")
        .prefetch_related("volunteer")
    )
    for shift in shifts:
        views[shift.task_id].shifts.append(shift)
    return list(views.values())


# --- organisers ---------------------------------------------------------------------------


def _at(day: date, clock: time, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, clock, tzinfo=tz).astimezone(UTC)


def check_task_form(data: Mapping[str, object], *, event: Event, tz: ZoneInfo) -> dict[str, object]:
    """Checked fields of a new task (FormError per field). The day is the activity's own
    unless ``date`` says otherwise; the description may stay empty (the standard one)."""
    f = Fields(data)
    kind = f.choice("kind", tuple(TaskKind), default=TaskKind.SETUP)
    if kind == TaskKind.ACCOMPANY:
        f.fail("kind", "invalid_choice")  # made from a registration, never by hand
    start_day = event.starts_at.astimezone(tz).date()
    day = f.day("date") if data.get("date") else start_day
    start, end = f.clock("start_time"), f.clock("end_time")
    description = f.text("description", max_length=400)
    needed = f.integer("needed", default=1, low=1, high=MAX_NEEDED)
    values: dict[str, object] = {"kind": kind, "description": description, "needed": needed}
    if day and start and end:
        values["starts_at"], values["ends_at"] = _at(day, start, tz), _at(day, end, tz)
        if values["ends_at"] <= values["starts_at"]:  # type: ignore[operator]
            f.fail("end_time", "end_before_start")
    if f.errors:
        raise FormError(f.errors)
    return values


async def add_task(
    actor: Actor, event_id: int, data: Mapping[str, object], *, tz: ZoneInfo
) -> VolunteerTask:
    """A new task at an activity the actor may change."""
    event = await get_event_for(actor, event_id, to_change=True)
    task = VolunteerTask(event_id=event.id)
    task.update_from_dict(check_task_form(data, event=event, tz=tz))
    await task.save()
    return task


async def task_for_staff(actor: Actor, task_id: int) -> VolunteerTask:
    """A task of an activity the actor may change, else NotFound."""
    task = await VolunteerTask.get_or_none(id=task_id)
    if task is None:
        raise NotFound()
    await get_event_for(actor, task.event_id, to_change=True)
    return task


async def remove_task(actor: Actor, task_id: int) -> int:
    """Remove a task nobody has signed up for; returns its activity's id."""
    task = await task_for_staff(actor, task_id)
    if await VolunteerShift.filter(task_id=task.id, status=ShiftStatus.SIGNED_UP).exists():
        raise Conflict("task_has_volunteers")
    await task.delete()
    return task.event_id


async def event_tasks(actor: Actor, event_id: int) -> tuple[Event, list[TaskView]]:
    """Every task of an activity the actor may change, with who signed up."""
    event = await get_event_for(actor, event_id, to_change=True)
    tasks = await VolunteerTask.filter(event_id=event.id).prefetch_related("registration")
    return event, await _views(tasks)


# --- everyone -----------------------------------------------------------------------------


def _public(event: Event, now: datetime) -> bool:
    return event.status == EventStatus.PUBLISHED and event.ends_at >= now


async def open_tasks(event: Event, *, now: datetime) -> list[TaskView]:
    """The open tasks of a published activity that have not ended, for its public page."""
    if not _public(event, now):
        return []
    tasks = await VolunteerTask.filter(_accompaniment_shown(), event_id=event.id, ends_at__gt=now)
    return [view for view in await _views(tasks) if view.is_open]


async def public_task(event: Event, task_id: int, *, now: datetime) -> TaskView:
    """One task of a public activity, open or not; NotFound when it is not shown."""
    if not _public(event, now):
        raise NotFound()
    task = await VolunteerTask.filter(_accompaniment_shown(), event_id=event.id, id=task_id).first()
    if task is None:
        raise NotFound()
    return (await _views([task]))[0]


async def open_task_freshness(event_id: int) -> tuple[int, int]:
    """Something that changes whenever the open tasks of an activity may (for an ETag)."""
    tasks = await VolunteerTask.filter(event_id=event_id).count()
    shifts = await VolunteerShift.filter(task__event_id=event_id, status=ShiftStatus.SIGNED_UP)
    return tasks, len(shifts)


# --- asking earlier volunteers ------------------------------------------------------------


async def ask_earlier_volunteers(
    actor: Actor, event_id: int, *, settings: Settings, now: datetime
) -> int:
    """Mail the organisation's earlier volunteers who agreed to be asked again, about the
    open tasks of this activity: once per activity, and not those already helping at it.
    Returns how many were asked."""
    event = await get_event_for(actor, event_id, to_change=True)
    await event.fetch_related("venue", "organisation")
    tasks = await open_tasks(event, now=now)
    if not tasks:
        raise Conflict("no_open_tasks")
    helping = await VolunteerShift.filter(
        task__event_id=event.id, status=ShiftStatus.SIGNED_UP
    ).values_list("volunteer_id", flat=True)
    candidates = await Volunteer.filter(
        organisation_id=event.organisation_id, ask_again=True
    ).exclude(id__in=list(helping))
    base = settings.base_url
    asked = 0
    for volunteer in candidates:
        done = [int(i) for i in volunteer.details.get(ASKED_KEY, [])]  # type: ignore[attr-defined]
        if event.id in done:
            continue
        volunteer.details = {**volunteer.details, ASKED_KEY: [*done, event.id]}
        await volunteer.save(update_fields=["details"])

        def context(volunteer: Volunteer = volunteer) -> dict[str, object]:
            first = tasks[0].task
            return {
                **mails.task_context(first, event, settings),
                "first_name": volunteer.first_name,
                "tasks": [
                    {
                        "name": mails.task_name(v.task),
                        "description": mails.task_description(v.task),
                        "when": mails.task_context(v.task, event, settings)["when"],
                        "ends": mails.task_context(v.task, event, settings)["ends"],
                        "url": link(base, "volunteer_task", slug=event.slug, task_id=v.task.id),
                    }
                    for v in tasks
                ],
                "help_url": link(base, "volunteer_help", slug=event.slug),
                "volunteer_url": link(base, "volunteer_home", token=volunteer.token),
            }

        await mails.queue(
            "volunteer_ask",
            to_email=volunteer.email,
            locale=str(volunteer.details.get("locale", "nl")),
            context=context,
            settings=settings,
            event_id=event.id,
            reply_to=event.organisation.email,
        )
        asked += 1
    return asked
