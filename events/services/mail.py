"""Mail to participants and guardians, written to the outbox (never sent from here).

Owns what each kind of message says: its recipient, subject, plain-text and HTML parts
(rendered at queue time from ``templates/email/<kind>.txt`` and ``<kind>.html`` in the
person's language) and its attachments (the ticket's QR code as a PNG that the HTML part
also shows inline by ``cid``, and the event as an ``.ics`` file) and its ``reply_to``: the
organisation's contact address, so a participant's reply reaches a person (the sender sets
it as the ``Reply-To`` header). :func:`queue_mail` only
reads and INSERTs, so callers run it inside the transaction of the change that causes the
mail: the mail exists exactly when the change does. The worker (``services/outbox.py``)
sends it later.

Imports models, settings, ``events.i18n``, ``events.tickets``, ``events.calendars``,
``services.calendars``, ``services.organisations`` and ``services.places``.
"""

from __future__ import annotations

import base64
import email.utils
import functools
import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jinja2

from events import i18n
from events.calendars import FeedInfo, Itip, build_calendar
from events.i18n import gettext as _
from events.models import (
    Event,
    OutboxMessage,
    Registration,
    RegistrationStatus,
    Venue,
)
from events.services.calendars import to_calendar_event
from events.services.organisations import contact_of
from events.services.places import ACTIVE, waitlist_position
from events.settings import Settings
from events.tickets import build_qr_png, group_code
from events.urls import Urls

KINDS = (
    "confirmation",
    "waitlisted",
    "awaiting_guardian",
    "guardian_request",
    "promoted",
    "cancelled",
    "hold_expired",
    "existing_ticket",
    "reminder",
    "event_cancelled",
    "event_changed",
    "guardian_declined",
)
QR_CID = "ticket-qr@samen-offline"
BLANK_LINES = re.compile(r"\n{3,}")  # the text templates' optional parts leave gaps
TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "templates"

log = logging.getLogger("events.mail")


@dataclass(frozen=True)
class Change:
    """What an event was before an organiser moved it (``event_changed`` mail)."""

    starts_at: datetime
    ends_at: datetime
    venue: Venue

    def time_changed(self, event: Event) -> bool:
        return (self.starts_at, self.ends_at) != (event.starts_at, event.ends_at)

    def place_changed(self, event: Event) -> bool:
        return self.venue.id != event.venue_id


@functools.lru_cache(maxsize=8)
def environment(timezone: str) -> jinja2.Environment:
    """The mail templates' environment: HTML escaped, plain text not. Cached per time zone
    (it holds no state besides compiled templates)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=jinja2.select_autoescape(["html"], default=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    i18n.install(env, timezone)
    return env


def _subject(kind: str, title: str, *, time: bool = False, place: bool = False) -> str:
    """The subject line, in the current language."""
    if kind == "event_changed":
        if time and place:
            return _("New time and place: %(title)s", title=title)
        return (
            _("New place: %(title)s", title=title)
            if place
            else _("New time: %(title)s", title=title)
        )
    subjects = {
        "confirmation": _("Your ticket for %(title)s", title=title),
        "waitlisted": _("You are on the waiting list for %(title)s", title=title),
        "awaiting_guardian": _("We asked your parent or guardian: %(title)s", title=title),
        "guardian_request": _("Please give permission for %(title)s", title=title),
        "promoted": _("A place has come free for you: %(title)s", title=title),
        "cancelled": _("Your place for %(title)s is cancelled", title=title),
        "hold_expired": _("No permission received: %(title)s", title=title),
        "guardian_declined": _("Your parent or guardian said no: %(title)s", title=title),
        "existing_ticket": _("You had already signed up for %(title)s", title=title),
        "reminder": _("Reminder: %(title)s", title=title),
        "event_cancelled": _("Cancelled: %(title)s", title=title),
    }
    return subjects[kind]


def _recipient(kind: str, registration: Registration) -> str | None:
    address = registration.guardian_email if kind == "guardian_request" else registration.email
    return (address or "").strip() or None


def _attachment(
    filename: str, content_type: str, content: bytes, cid: str | None = None
) -> dict[str, str]:
    item = {
        "filename": filename,
        "content_type": content_type,
        "content_b64": base64.b64encode(content).decode("ascii"),
    }
    if cid:
        item["cid"] = cid
    return item


def _has_ticket(kind: str, registration: Registration) -> bool:
    """Whether this mail carries the ticket (QR code) of a confirmed place."""
    confirmed = registration.status == RegistrationStatus.CONFIRMED
    return confirmed and kind in ("confirmation", "promoted", "existing_ticket", "reminder")


async def _companions(registration: Registration, base_url: str) -> list[dict[str, str]]:
    rows = await Registration.filter(lead_id=registration.id, status__in=ACTIVE).order_by("id")
    return [
        {
            "name": row.first_name,
            "status": str(row.status),
            "ticket_url": Urls(base_url).absolute("ticket", code=row.code),
            "code": group_code(row.code),
        }
        for row in rows
    ]


def _address(venue: Venue) -> str:
    return f"{venue.address}, {venue.postcode} {venue.town}"


def _change_context(change: Change | None, event: Event, fmt: i18n.Formatter) -> dict[str, Any]:
    """Before and after, in words, for an ``event_changed`` mail."""
    if change is None:
        return {"time_changed": False, "place_changed": False}
    return {
        "time_changed": change.time_changed(event),
        "place_changed": change.place_changed(event),
        "old_when": fmt.full(change.starts_at),
        "old_ends": fmt.time(change.ends_at),
        "old_place": change.venue.name,
        "old_address": _address(change.venue),
    }


async def _context(
    kind: str,
    registration: Registration,
    event: Event,
    settings: Settings,
    change: Change | None = None,
) -> dict[str, Any]:
    fmt = i18n.Formatter(settings.timezone)
    venue = event.venue
    base, urls = settings.base_url, Urls(settings.base_url)
    default_rules = _(
        "Phones go away for the evening: in a pouch, a locker or a basket at the door."
    )
    hold = registration.hold_expires_at
    return {
        "kind": kind,
        "first_name": registration.first_name,
        "title": event.title,
        "summary": event.summary,
        "organisation": event.organisation.name,
        "when": fmt.full(event.starts_at),
        "ends": fmt.time(event.ends_at),
        "place": venue.name,
        "address": _address(venue),
        "event_url": urls.absolute("event_detail", slug=event.slug),
        "ticket_url": urls.absolute("ticket", code=registration.code),
        "code": group_code(registration.code),
        "status": str(registration.status),
        "confirmed": registration.status == RegistrationStatus.CONFIRMED,
        "awaiting_guardian": registration.status == RegistrationStatus.AWAITING_GUARDIAN,
        "companions": await _companions(registration, base),
        "position": await waitlist_position(registration) if kind == "waitlisted" else None,
        "consent_url": (
            urls.absolute("consent", token=registration.guardian_token)
            if registration.guardian_token
            else None
        ),
        "hold_hours": settings.guardian_hold_hours,
        "hold_until": fmt.full(hold) if hold else "",
        "phone_rules": event.phone_rules.strip() or default_rules,
        "qr_cid": QR_CID if _has_ticket(kind, registration) else "",
        "base_url": base,
        "contact": contact_of(event.organisation),
        "cancel_reason": event.cancel_reason.strip(),
        **_change_context(change, event, fmt),
    }


def _attachments(
    kind: str, registration: Registration, event: Event, settings: Settings
) -> list[dict[str, str]]:
    items: list[dict[str, str]] = []
    if _has_ticket(kind, registration):
        ticket_url = Urls(settings.base_url).absolute("ticket", code=registration.code)
        png = build_qr_png(ticket_url, box_size=8)
        items.append(_attachment("ticket.png", "image/png", png, QR_CID))
    info = FeedInfo(
        name=event.title,
        base_url=settings.base_url,
        timezone=settings.timezone,
        path=Urls.path("calendar_event", slug=event.slug),
    )
    if kind == "event_cancelled":
        # iTIP CANCEL with the same UID and a higher SEQUENCE: mail clients offer to remove
        # the event that the confirmation's PUBLISH file put in the calendar.
        itip = Itip(
            organiser_name=event.organisation.name,
            organiser_email=event.organisation.email
            or email.utils.parseaddr(settings.mail_from)[1],
            attendee_name=registration.first_name,
            attendee_email=registration.email or "",
        )
        ics = build_calendar([to_calendar_event(event)], info, itip=itip)
        items.append({**_attachment("event.ics", "text/calendar", ics), "method": "CANCEL"})
    elif kind == "event_changed" or (
        kind in ("confirmation", "promoted") and registration.status == RegistrationStatus.CONFIRMED
    ):
        ics = build_calendar([to_calendar_event(event)], info)
        items.append({**_attachment("event.ics", "text/calendar", ics), "method": "PUBLISH"})
    return items


async def queue_mail(
    kind: str,
    *,
    registration: Registration,
    event: Event,
    settings: Settings,
    change: Change | None = None,
) -> OutboxMessage | None:
    """Write one mail of ``kind`` about this registration to the outbox, in the caller's
    transaction. Returns None (and writes nothing) when there is no address to send to.
    ``change`` says what an ``event_changed`` mail compares with."""
    if kind not in KINDS:
        raise ValueError(f"unknown mail kind {kind!r}")
    to_email = _recipient(kind, registration)
    if to_email is None:
        log.debug("no address for %s mail of registration %s", kind, registration.id)
        return None
    missing = [name for name in ("venue", "organisation") if not hasattr(event, f"_{name}")]
    if missing:
        await event.fetch_related(*missing)
    env = environment(settings.timezone)
    with i18n.use_locale(registration.locale):
        context = await _context(kind, registration, event, settings, change)
        subject = _subject(
            kind,
            event.title,
            time=bool(context["time_changed"]),
            place=bool(context["place_changed"]),
        )
        text = env.get_template(f"email/{kind}.txt").render(context, subject=subject)
        text_body = BLANK_LINES.sub("\n\n", text).strip() + "\n"
        html_body = env.get_template(f"email/{kind}.html").render(
            context, subject=subject, locale=i18n.current_locale()
        )
        attachments = _attachments(kind, registration, event, settings)
    message = await OutboxMessage.create(
        kind=kind,
        to_email=to_email,
        subject=subject[:300],
        text_body=text_body,
        html_body=html_body,
        attachments=attachments,
        locale=registration.locale,
        event_id=event.id,
        registration_id=registration.id,
        reply_to=event.organisation.email,
        next_attempt_at=datetime.now(UTC),
    )
    log.info("queued %s mail %s for registration %s", kind, message.id, registration.id)
    return message


async def queue_event_cancelled(event: Event, *, settings: Settings) -> int:
    """Queue ``event_cancelled`` to everyone with a place, a waitlist place or a held place
    and an address. Run it in the transaction that cancels the event. Returns how many."""
    registrations = await Registration.filter(
        event_id=event.id, status__in=ACTIVE, email__isnull=False
    ).order_by("id")
    queued = 0
    for registration in registrations:
        if await queue_mail(
            "event_cancelled", registration=registration, event=event, settings=settings
        ):
            queued += 1
    return queued


async def queue_event_changed(event: Event, change: Change, *, settings: Settings) -> int:
    """Queue ``event_changed`` once to everyone with a place, a held place or a waitlist
    place and an address, with the updated calendar file (same UID, higher SEQUENCE). Run it
    in the transaction that changes the event. Returns how many."""
    registrations = await Registration.filter(
        event_id=event.id, status__in=ACTIVE, email__isnull=False
    ).order_by("id")
    queued = 0
    for registration in registrations:
        if await queue_mail(
            "event_changed",
            registration=registration,
            event=event,
            settings=settings,
            change=change,
        ):
            queued += 1
    return queued
