"""Calendar and syndication builders: iCalendar (RFC 5545), Atom (RFC 4287) and schema.org.

Owns the shape of every feed: which properties a VEVENT carries (stable UID, DTSTAMP,
DTSTART/DTEND with a TZID and a matching VTIMEZONE, SEQUENCE, STATUS, no ORGANIZER; only an
iTIP ``METHOD:CANCEL`` file for one mail names the organiser and the attendee, as RFC 5546
requires, so mail clients offer to remove the event), the
calendar's name and refresh hint, the Atom entries of newly published events, and the
schema.org ``Event`` dictionary that the event page and the JSON API share.

Pure: takes plain dataclasses, never models, and does no I/O. May import ``icalendar``,
the standard library and ``events.i18n`` (for the few words it writes into a feed, in the
current language). Never imports the ORM or anything HTTP.
"""

from __future__ import annotations

from calendar import monthrange
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET
from zoneinfo import ZoneInfo

from icalendar import Calendar, Component, Timezone, vDuration
from icalendar import Event as VEvent

from events.i18n import current_locale
from events.i18n import gettext as _
from events.urls import Urls

PRODID = "-//Samen Offline//Calendars//NL"
REFRESH = timedelta(hours=6)
TZ_FIRST_YEAR, TZ_LAST_YEAR = 2020, 2040  # the span of the VTIMEZONE rules we write
ATOM_NS = "http://www.w3.org/2005/Atom"


@dataclass(frozen=True)
class Place:
    """Where an event happens, as a calendar shows it."""

    name: str
    address: str
    postcode: str
    town: str

    @property
    def one_line(self) -> str:
        return f"{self.name}, {self.address}, {self.postcode} {self.town}"


@dataclass(frozen=True)
class CalendarEvent:
    """One event as the feeds see it. Times are timezone-aware (stored in UTC)."""

    id: int
    slug: str
    title: str
    starts_at: datetime
    ends_at: datetime
    updated_at: datetime
    place: Place
    summary: str = ""
    description: str = ""
    phone_rules: str = ""
    sequence: int = 0
    cancelled: bool = False
    published_at: datetime | None = None
    organisation_name: str = ""
    cancel_reason: str = ""
    tentative: bool = False
    """In one person's own feed: their place waits for a guardian's yes."""


@dataclass(frozen=True)
class Itip:
    """Who an iTIP message is from and for (RFC 5546 asks both in a CANCEL)."""

    organiser_name: str
    organiser_email: str
    attendee_name: str
    attendee_email: str


@dataclass(frozen=True)
class FeedInfo:
    """What a whole feed needs besides its events."""

    name: str
    base_url: str
    timezone: str = "Europe/Amsterdam"
    description: str = ""
    path: str = "/calendar.ics"
    refresh: timedelta = REFRESH


def host_of(base_url: str) -> str:
    return urlsplit(base_url).hostname or "localhost"


def event_uid(event_id: int, base_url: str) -> str:
    """The UID a calendar app keys an event by: never changes for the life of the event."""
    return f"event-{event_id}@{host_of(base_url)}"


def event_url(slug: str, base_url: str) -> str:
    return Urls(base_url).absolute("event_detail", slug=slug)


def webcal_url(url: str) -> str:
    """The same address with the ``webcal://`` scheme, which opens a calendar app."""
    return "webcal://" + url.split("://", 1)[-1]


# --- iCalendar ----------------------------------------------------------------------------


def describe(event: CalendarEvent) -> str:
    """The DESCRIPTION text: summary, description, the phone-free rules, the web page."""
    rules = event.phone_rules.strip() or _(
        "Phones go away for the evening: in a pouch, a locker or a basket at the door."
    )
    parts = [
        _("This activity has been cancelled.") if event.cancelled else "",
        _("Reason: %(reason)s", reason=event.cancel_reason.strip())
        if event.cancelled and event.cancel_reason.strip()
        else "",
        _("Not certain yet: your parent or guardian must still say yes.")
        if event.tentative and not event.cancelled
        else "",
        event.summary.strip(),
        event.description.strip(),
        _("Phone-free rules") + ":\n" + rules,
    ]
    return "\n\n".join(part for part in parts if part)


def build_vevent(event: CalendarEvent, *, base_url: str, tz: ZoneInfo) -> VEvent:
    """One VEVENT. DTSTAMP is the last change (stable between fetches, so ETags hold)."""
    summary = event.title
    if event.cancelled:
        summary = _("Cancelled") + ": " + summary
    elif event.tentative:
        summary = _("Not certain yet") + ": " + summary
    vevent = VEvent()
    vevent.add("UID", event_uid(event.id, base_url))
    vevent.add("DTSTAMP", event.updated_at.astimezone(UTC))
    vevent.add("LAST-MODIFIED", event.updated_at.astimezone(UTC))
    vevent.add("DTSTART", event.starts_at.astimezone(tz))
    vevent.add("DTEND", event.ends_at.astimezone(tz))
    vevent.add("SEQUENCE", event.sequence)
    status = "TENTATIVE" if event.tentative else "CONFIRMED"
    vevent.add("STATUS", "CANCELLED" if event.cancelled else status)
    vevent.add("SUMMARY", summary)
    vevent.add("LOCATION", event.place.one_line)
    vevent.add("URL", event_url(event.slug, base_url))
    vevent.add("DESCRIPTION", describe(event))
    vevent.add("TRANSP", "OPAQUE")
    return vevent


@lru_cache(maxsize=32)
def _vtimezone(tzid: str, first: date, last: date) -> bytes:
    """The VTIMEZONE for a span of years, serialised once (generating it is not free)."""
    timezone = Timezone.from_tzid(tzid, first_date=first, last_date=last)
    for observance in timezone.subcomponents:
        _yearly_rule(observance)
    return bytes(timezone.to_ical())


_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _yearly_rule(observance: Component) -> None:
    """Rewrite icalendar's list of RDATEs as one yearly RRULE when the onsets follow one
    (such as "the last Sunday of March at 03:00"): every calendar reads RRULEs, and some
    parsers (vobject, through dateutil) use only the first of several RDATEs."""
    raw = observance.get("RDATE")
    if not raw:
        return
    lists = raw if isinstance(raw, list) else [raw]
    onsets: list[datetime] = [observance.decoded("DTSTART")]
    onsets += [value.dt for rdates in lists for value in rdates.dts]
    years = [onset.year for onset in onsets]
    if years != list(range(years[0], years[0] + len(years))):
        return
    kinds = {(o.month, o.weekday(), o.time()) for o in onsets}
    from_end = {(calendar_days(o) - o.day) // 7 for o in onsets}
    from_start = {(o.day - 1) // 7 + 1 for o in onsets}
    if len(kinds) != 1:
        return
    month, weekday, _clock = kinds.pop()
    if from_end == {0}:
        byday = f"-1{_WEEKDAYS[weekday]}"
    elif len(from_start) == 1:
        byday = f"{from_start.pop()}{_WEEKDAYS[weekday]}"
    else:
        return
    observance.pop("RDATE")
    observance.add("RRULE", {"FREQ": "YEARLY", "BYMONTH": month, "BYDAY": byday})


def calendar_days(moment: datetime) -> int:
    """The number of days in the month of ``moment``."""
    return monthrange(moment.year, moment.month)[1]


def _year_span(events: Sequence[CalendarEvent], tz: ZoneInfo) -> tuple[date, date]:
    """One wide, fixed span (widened only for far-off events), so every feed carries the
    same VTIMEZONE: clients that cache a time zone by its TZID never see a shorter one."""
    first = min([TZ_FIRST_YEAR, *(e.starts_at.astimezone(tz).year for e in events)])
    last = max([TZ_LAST_YEAR, *(e.ends_at.astimezone(tz).year + 1 for e in events)])
    return date(first, 1, 1), date(last, 1, 1)


class VEventCache:
    """Serialised VEVENTs by everything they are built from (the event's own fields, the
    base URL, the time zone and the language), at most ``size`` of them: a feed rebuilt
    after one change serialises one event, not all."""

    def __init__(self, size: int = 20_000) -> None:
        self.size = size
        self._items: OrderedDict[tuple[object, ...], bytes] = OrderedDict()

    def serialise(self, event: CalendarEvent, *, base_url: str, tz: ZoneInfo) -> bytes:
        key = (event, base_url, str(tz), current_locale())
        found = self._items.get(key)
        if found is None:
            found = build_vevent(event, base_url=base_url, tz=tz).to_ical()
            self._items[key] = found
            if len(self._items) > self.size:
                self._items.popitem(last=False)
        else:
            self._items.move_to_end(key)
        return found


def _itip_vevent(event: CalendarEvent, *, base_url: str, tz: ZoneInfo, itip: Itip) -> bytes:
    vevent = build_vevent(event, base_url=base_url, tz=tz)
    vevent.add(
        "ORGANIZER", f"mailto:{itip.organiser_email}", parameters={"CN": itip.organiser_name}
    )
    vevent.add(
        "ATTENDEE",
        f"mailto:{itip.attendee_email}",
        parameters={"CN": itip.attendee_name, "ROLE": "REQ-PARTICIPANT"},
    )
    return bytes(vevent.to_ical())


def build_calendar(
    events: Sequence[CalendarEvent],
    info: FeedInfo,
    *,
    cache: VEventCache | None = None,
    itip: Itip | None = None,
) -> bytes:
    """A VCALENDAR with one VEVENT per event and the VTIMEZONE their times refer to:
    ``METHOD:PUBLISH``, or with ``itip`` an iTIP ``METHOD:CANCEL`` for one recipient (the
    events must be cancelled ones)."""
    tz = ZoneInfo(info.timezone)
    calendar = Calendar()
    calendar.add("PRODID", PRODID)
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    calendar.add("METHOD", "CANCEL" if itip else "PUBLISH")
    # One line each: icalendar refuses a line break in these (an old activity title may
    # hold one, and it names the calendar of its mail's .ics).
    name = " ".join(info.name.split())
    calendar.add("NAME", name)
    calendar.add("X-WR-CALNAME", name)
    if info.description:
        description = " ".join(info.description.split())
        calendar.add("DESCRIPTION", description)
        calendar.add("X-WR-CALDESC", description)
    calendar.add("URL", info.base_url + info.path)
    calendar.add("REFRESH-INTERVAL", vDuration(info.refresh), parameters={"VALUE": "DURATION"})
    calendar.add("X-PUBLISHED-TTL", vDuration(info.refresh))
    head = calendar.to_ical().removesuffix(b"END:VCALENDAR\r\n")
    first, last = _year_span(events, tz)
    body = [head, _vtimezone(info.timezone, first, last)]
    if itip is not None:
        body.extend(_itip_vevent(e, base_url=info.base_url, tz=tz, itip=itip) for e in events)
    elif cache is None:
        body.extend(build_vevent(e, base_url=info.base_url, tz=tz).to_ical() for e in events)
    else:
        body.extend(cache.serialise(e, base_url=info.base_url, tz=tz) for e in events)
    body.append(b"END:VCALENDAR\r\n")
    return b"".join(body)


def build_bare_vevents(events: Sequence[CalendarEvent], *, base_url: str) -> bytes:
    """UID, DTSTAMP and UTC times only: the benchmark's baseline for serialising VEVENTs."""
    out = []
    for event in events:
        vevent = VEvent()
        vevent.add("UID", event_uid(event.id, base_url))
        vevent.add("DTSTAMP", event.updated_at.astimezone(UTC))
        vevent.add("DTSTART", event.starts_at.astimezone(UTC))
        vevent.add("DTEND", event.ends_at.astimezone(UTC))
        out.append(vevent.to_ical())
    return b"".join(out)


# --- Atom ---------------------------------------------------------------------------------


def _rfc3339(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def entry_id(event_id: int, base_url: str) -> str:
    """A tag URI (RFC 4151) that stays the same when the event's slug changes."""
    return f"tag:{host_of(base_url)},2025:event-{event_id}"


def build_atom(
    events: Sequence[CalendarEvent], info: FeedInfo, *, when: Callable[[datetime], str]
) -> bytes:
    """An Atom feed, newest publication first. ``when`` writes an event's start for people."""
    ET.register_namespace("", ATOM_NS)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrs)
        element.text = text
        return element

    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    sub(feed, "id", f"{info.base_url}{info.path}")
    sub(feed, "title", info.name)
    if info.description:
        sub(feed, "subtitle", info.description)
    updated = max((e.updated_at for e in events), default=datetime(2025, 1, 1, tzinfo=UTC))
    sub(feed, "updated", _rfc3339(updated))
    sub(feed, "link", rel="self", type="application/atom+xml", href=info.base_url + info.path)
    sub(feed, "link", rel="alternate", type="text/html", href=info.base_url + "/")
    author = sub(feed, "author")
    sub(author, "name", "Samen Offline")
    for event in events:
        entry = sub(feed, "entry")
        sub(entry, "id", entry_id(event.id, info.base_url))
        sub(entry, "title", event.title)
        sub(entry, "updated", _rfc3339(event.updated_at))
        sub(entry, "published", _rfc3339(event.published_at or event.updated_at))
        sub(
            entry,
            "link",
            rel="alternate",
            type="text/html",
            href=event_url(event.slug, info.base_url),
        )
        lines = [when(event.starts_at), event.place.one_line, event.summary.strip()]
        sub(entry, "summary", "\n".join(line for line in lines if line))
        if event.organisation_name:
            sub(sub(entry, "author"), "name", event.organisation_name)
    xml: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return xml


# --- schema.org ---------------------------------------------------------------------------


def schema_org_event(event: CalendarEvent, *, base_url: str, timezone: str) -> dict[str, Any]:
    """A schema.org ``Event`` (JSON-LD ready, ``@context`` included) for aggregators."""
    tz = ZoneInfo(timezone)
    status = "EventCancelled" if event.cancelled else "EventScheduled"
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "@id": event_url(event.slug, base_url),
        "identifier": event_uid(event.id, base_url),
        "name": event.title,
        "description": event.summary or event.description[:300],
        "startDate": event.starts_at.astimezone(tz).isoformat(),
        "endDate": event.ends_at.astimezone(tz).isoformat(),
        "eventStatus": f"https://schema.org/{status}",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "url": event_url(event.slug, base_url),
        "isAccessibleForFree": True,
        "inLanguage": "nl",
        "location": {
            "@type": "Place",
            "name": event.place.name,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": event.place.address,
                "postalCode": event.place.postcode,
                "addressLocality": event.place.town,
                "addressCountry": "NL",
            },
        },
    }
    if event.organisation_name:
        data["organizer"] = {"@type": "Organization", "name": event.organisation_name}
    return data
