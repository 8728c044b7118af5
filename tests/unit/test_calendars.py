"""The pure builders: iCalendar read back by icalendar and by vobject, Atom, schema.org."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree as ET
from zoneinfo import ZoneInfo

import icalendar
import vobject

from events.calendars import (
    ATOM_NS,
    CalendarEvent,
    FeedInfo,
    Place,
    VEventCache,
    build_atom,
    build_calendar,
    event_uid,
    schema_org_event,
    webcal_url,
)
from events.i18n import use_locale

AMS = ZoneInfo("Europe/Amsterdam")
BASE = "https://samen.example.nl"
PLACE = Place("Café De Zwaan", "Markt 1", "7201 AA", "Zutphen")
INFO = FeedInfo(name="Samen Offline · Zutphen", base_url=BASE, description="Phone-free")
CHANGED = datetime(2026, 1, 5, 10, 15, 30, 123456, tzinfo=UTC)


def _event(n: int, local_start: datetime, **changes: object) -> CalendarEvent:
    start = local_start.astimezone(UTC)
    event = CalendarEvent(
        id=n, slug=f"avond-{n}", title=f"Avond {n}", starts_at=start,
        ends_at=start + timedelta(hours=2), updated_at=CHANGED, place=PLACE,
        phone_rules="Telefoons gaan in een zakje bij de deur.", sequence=2,
    )  # fmt: skip
    return replace(event, **changes)  # type: ignore[arg-type]


# Winter, summer, and both sides of the change to summer time on 29 March 2026.
LOCAL_STARTS = [
    datetime(2026, 1, 15, 19, 30, tzinfo=AMS),
    datetime(2026, 7, 15, 19, 30, tzinfo=AMS),
    datetime(2026, 3, 28, 19, 30, tzinfo=AMS),
    datetime(2026, 3, 30, 19, 30, tzinfo=AMS),
]


def _events() -> list[CalendarEvent]:
    return [_event(n, start) for n, start in enumerate(LOCAL_STARTS, start=1)]


def test_times_round_trip_through_icalendar_across_dst() -> None:
    calendar = icalendar.Calendar.from_ical(build_calendar(_events(), INFO))
    vevents = calendar.walk("VEVENT")
    assert [e.decoded("DTSTART") for e in vevents] == LOCAL_STARTS
    for vevent, local in zip(vevents, LOCAL_STARTS, strict=True):
        assert vevent["DTSTART"].params["TZID"] == "Europe/Amsterdam"
        assert vevent["DTEND"].params["TZID"] == "Europe/Amsterdam"
        assert vevent.decoded("DTSTART").astimezone(UTC) == local.astimezone(UTC)
        assert vevent.decoded("DTEND") - vevent.decoded("DTSTART") == timedelta(hours=2)
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/Amsterdam"]
    assert calendar.get_missing_tzids() == set()
    # Winter is UTC+1, summer UTC+2: 18:30Z and 17:30Z.
    assert [e.decoded("DTSTART").astimezone(UTC).hour for e in vevents] == [18, 17, 18, 17]


def test_times_round_trip_through_vobject_using_our_vtimezone() -> None:
    parsed = vobject.readOne(build_calendar(_events(), INFO).decode("utf-8"))
    starts = [vevent.dtstart.value for vevent in parsed.vevent_list]
    # vobject builds its time zone from our VTIMEZONE, not from its own database.
    assert [s.utcoffset() for s in starts] == [
        timedelta(hours=1), timedelta(hours=2), timedelta(hours=1), timedelta(hours=2)
    ]  # fmt: skip
    assert [s.astimezone(UTC) for s in starts] == [s.astimezone(UTC) for s in LOCAL_STARTS]
    assert all((s.hour, s.minute) == (19, 30) for s in starts)
    assert parsed.vtimezone.tzid.value == "Europe/Amsterdam"


def test_vevent_properties() -> None:
    cancelled = _event(7, LOCAL_STARTS[0], cancelled=True, sequence=5)
    calendar = icalendar.Calendar.from_ical(build_calendar([_events()[0], cancelled], INFO))
    first, second = calendar.walk("VEVENT")
    assert str(first["UID"]) == "event-1@samen.example.nl" == event_uid(1, BASE)
    assert first.decoded("DTSTAMP") == CHANGED.replace(microsecond=0) and first[
        "DTSTAMP"
    ].to_ical().endswith(b"Z")
    assert str(first["URL"]) == f"{BASE}/events/avond-1"
    assert str(first["LOCATION"]) == "Café De Zwaan, Markt 1, 7201 AA Zutphen"
    assert "Telefoons gaan in een zakje" in str(first["DESCRIPTION"])
    assert first["SEQUENCE"] == 2 and str(first["STATUS"]) == "CONFIRMED"
    assert "ORGANIZER" not in first and "ORGANIZER" not in second
    assert str(second["STATUS"]) == "CANCELLED" and second["SEQUENCE"] == 5


def test_calendar_name_and_refresh_hint() -> None:
    raw = build_calendar([], INFO)
    calendar = icalendar.Calendar.from_ical(raw)
    assert str(calendar["X-WR-CALNAME"]) == "Samen Offline · Zutphen"
    assert str(calendar["VERSION"]) == "2.0" and "PRODID" in calendar
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT6H\r\n" in raw
    assert b"X-PUBLISHED-TTL:PT6H\r\n" in raw
    assert vobject.readOne(raw.decode()).x_wr_calname.value == "Samen Offline · Zutphen"


def test_same_input_same_bytes() -> None:
    assert build_calendar(_events(), INFO) == build_calendar(_events(), INFO)


def test_atom_feed() -> None:
    events = [replace(e, published_at=CHANGED) for e in _events()[:2]]
    root = ET.fromstring(build_atom(events, INFO, when=lambda d: d.isoformat()))
    ns = {"a": ATOM_NS}
    assert root.tag == f"{{{ATOM_NS}}}feed"
    assert root.findtext("a:title", namespaces=ns) == INFO.name
    entries = root.findall("a:entry", ns)
    assert [e.findtext("a:title", namespaces=ns) for e in entries] == ["Avond 1", "Avond 2"]
    assert entries[0].find("a:link", ns).get("href") == f"{BASE}/events/avond-1"  # type: ignore[union-attr]
    assert entries[0].findtext("a:id", namespaces=ns) == "tag:samen.example.nl,2025:event-1"
    assert entries[0].findtext("a:published", namespaces=ns) == "2026-01-05T10:15:30Z"


def test_schema_org_event() -> None:
    event = replace(_events()[1], organisation_name="Stichting Samen")
    data = schema_org_event(event, base_url=BASE, timezone="Europe/Amsterdam")
    assert data["@type"] == "Event" and data["name"] == "Avond 2"
    assert data["startDate"] == "2026-07-15T19:30:00+02:00"
    assert data["location"]["address"]["addressLocality"] == "Zutphen"
    assert data["organizer"]["name"] == "Stichting Samen"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    cancelled = schema_org_event(replace(event, cancelled=True), base_url=BASE, timezone="UTC")
    assert cancelled["eventStatus"] == "https://schema.org/EventCancelled"


def test_webcal_url() -> None:
    assert webcal_url("https://x.nl/calendar.ics?town=Zutphen") == (
        "webcal://x.nl/calendar.ics?town=Zutphen"
    )


def test_vtimezone_rules_hold_for_years_ahead_in_both_parsers() -> None:
    far = [
        _event(n, datetime(year, 7, 1, 19, 30, tzinfo=AMS))
        for n, year in enumerate([2031, 2039, 2045])
    ]
    raw = build_calendar(far, INFO)
    assert b"RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3" in raw
    starts = [v.dtstart.value for v in vobject.readOne(raw.decode()).vevent_list]
    assert [s.utcoffset() for s in starts] == [timedelta(hours=2)] * 3
    parsed = icalendar.Calendar.from_ical(raw).walk("VEVENT")
    assert [e.decoded("DTSTART").utcoffset() for e in parsed] == [timedelta(hours=2)] * 3


def test_vevent_cache_gives_the_same_bytes_and_notices_every_change() -> None:
    events = _events()
    cache = VEventCache(size=100)
    assert build_calendar(events, INFO, cache=cache) == build_calendar(events, INFO)
    assert build_calendar(events, INFO, cache=cache) == build_calendar(events, INFO)
    moved = [replace(events[0], sequence=events[0].sequence + 1), *events[1:]]
    assert build_calendar(moved, INFO, cache=cache) == build_calendar(moved, INFO)
    with use_locale("en"):
        english = build_calendar([replace(events[0], cancelled=True)], INFO, cache=cache)
    with use_locale("nl"):
        dutch = build_calendar([replace(events[0], cancelled=True)], INFO, cache=cache)
    assert b"SUMMARY:Cancelled:" in english and b"SUMMARY:Cancelled:" not in dutch
    small = VEventCache(size=2)
    build_calendar(events, INFO, cache=small)
    assert len(small._items) == 2
