"""Mail to volunteers and checkers, written to the outbox like every other mail.

Owns the kinds of volunteer mail (:data:`KINDS`), their subjects, and :func:`queue`, which
renders ``templates/email/<kind>.txt`` and ``<kind>.html`` in the recipient's language and
INSERTs one :class:`OutboxMessage` row in the caller's transaction: the same shape as
``services.mail.queue_mail`` (whose template environment and helpers it reuses), for mail
that is not about a registration. Also builds the ``.ics`` of one task.

Imports models, settings, ``events.i18n``, ``events.calendars`` and ``services.mail``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from icalendar import Calendar

from events import i18n
from events.calendars import CalendarEvent, FeedInfo, Place, build_calendar, host_of
from events.i18n import gettext as _
from events.models import Event, OutboxMessage, VolunteerTask
from events.services import mail
from events.services.volunteers.words import DEFAULT_DESCRIPTIONS, KIND_LABELS
from events.settings import Settings
from events.urls import Urls

KINDS = (
    "volunteer_confirmation",
    "volunteer_reminder",
    "volunteer_cancelled",
    "volunteer_ask",
    "volunteer_paired",
    "volunteer_hours",
    "volunteer_checker_invite",
)

log = logging.getLogger("events.mail")


def _subject(kind: str, context: Mapping[str, Any]) -> str:
    title, task = str(context.get("title", "")), str(context.get("task_name", ""))
    subjects = {
        "volunteer_confirmation": _("You help at %(title)s: %(task)s", title=title, task=task),
        "volunteer_reminder": _("Tomorrow you help at %(title)s", title=title),
        "volunteer_cancelled": _("You no longer help at %(title)s", title=title),
        "volunteer_ask": _("Would you help at %(title)s?", title=title),
        "volunteer_paired": _("You have been paired: %(title)s", title=title),
        "volunteer_hours": _("Your statement of hours from %(org)s", org=context["organisation"]),
        "volunteer_checker_invite": _(
            "Would you check %(venue)s for accessibility?", venue=context.get("venue", "")
        ),
    }
    return subjects[kind]


def task_name(task: VolunteerTask) -> str:
    """The kind of task in the current language."""
    return _(KIND_LABELS[task.kind])


def task_description(task: VolunteerTask) -> str:
    """What the task involves: the organiser's words, else the standard two sentences."""
    return task.description.strip() or _(DEFAULT_DESCRIPTIONS[task.kind])


def task_context(task: VolunteerTask, event: Event, settings: Settings) -> dict[str, Any]:
    """What every mail about one task says (``event.venue`` and ``organisation`` fetched)."""
    fmt = i18n.Formatter(settings.timezone)
    venue = event.venue
    return {
        "title": event.title,
        "organisation": event.organisation.name,
        "task_name": task_name(task),
        "task_description": task_description(task),
        "when": fmt.full(task.starts_at),
        "ends": fmt.time(task.ends_at),
        "place": venue.name,
        "address": f"{venue.address}, {venue.postcode} {venue.town}",
        "event_url": Urls(settings.base_url).absolute("event_detail", slug=event.slug),
        "contact_name": event.organisation.contact_name,
        "contact_phone": event.organisation.contact_phone,
    }


def task_ics(
    task: VolunteerTask, event: Event, settings: Settings, *, cancelled: bool = False
) -> bytes:
    """The task as a calendar file, built by ``events.calendars``; its UID is the task's own
    (``task-<id>@host``), so it never replaces the activity in a calendar."""
    venue = event.venue
    item = CalendarEvent(
        id=task.id,
        slug=event.slug,
        title=f"{task_name(task)}: {event.title}",
        starts_at=task.starts_at,
        ends_at=task.ends_at,
        updated_at=task.created_at or datetime.now(UTC),
        place=Place(venue.name, venue.address, venue.postcode, venue.town),
        summary=task_description(task),
        phone_rules=event.phone_rules,
        sequence=1 if cancelled else 0,
        cancelled=cancelled,
        organisation_name=event.organisation.name,
    )
    info = FeedInfo(
        name=event.title,
        base_url=settings.base_url,
        timezone=settings.timezone,
        path=Urls.path("event_detail", slug=event.slug),
    )
    calendar = Calendar.from_ical(build_calendar([item], info))
    for vevent in calendar.walk("VEVENT"):
        vevent["UID"] = f"task-{task.id}@{host_of(settings.base_url)}"
    return bytes(calendar.to_ical())


def ics_attachment(content: bytes) -> dict[str, str]:
    return mail._attachment("task.ics", "text/calendar", content)


async def queue(
    kind: str,
    *,
    to_email: str,
    locale: str,
    context: Callable[[], Mapping[str, Any]],
    settings: Settings,
    event_id: int | None = None,
    attachments: Sequence[dict[str, str]] = (),
    reply_to: str = "",
) -> OutboxMessage:
    """Render one mail of ``kind`` in ``locale`` and write it to the outbox, in the caller's
    transaction. ``context`` is called in that language and must give ``organisation`` and
    ``event_url`` (the footer); ``reply_to`` is the organisation's address, if any."""
    if kind not in KINDS:
        raise ValueError(f"unknown volunteer mail kind {kind!r}")
    env = mail.environment(settings.timezone)
    with i18n.use_locale(locale):
        values = context()
        subject = _subject(kind, values)
        text = env.get_template(f"email/{kind}.txt").render(values, subject=subject)
        html_body = env.get_template(f"email/{kind}.html").render(
            values, subject=subject, locale=i18n.current_locale()
        )
    message = await OutboxMessage.create(
        kind=kind,
        to_email=to_email,
        subject=subject[:300],
        text_body=mail.BLANK_LINES.sub("\n\n", text).strip() + "\n",
        html_body=html_body,
        attachments=list(attachments),
        locale=locale,
        event_id=event_id,
        reply_to=reply_to,
        next_attempt_at=datetime.now(UTC),
    )
    log.info("queued %s mail %s", kind, message.id)
    return message
