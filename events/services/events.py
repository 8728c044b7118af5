"""Events (activiteiten): the organiser's rules for creating, changing, publishing,
cancelling and copying them, and the public listing of what is coming up.

Imports models, errors, forms, mail (the cancellation notice), scope, settings and the staff
Actor.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from tortoise.transactions import in_transaction

from events.models import Event, EventStatus, Venue
from events.services import mail, places
from events.services.errors import Conflict, FormError, NotFound
from events.services.forms import SLUG_RE, Fields, parse_id, slugify
from events.services.places import counts_by_event
from events.services.registrations.changes import promote_waiting
from events.services.scope import events_for
from events.services.staff import Actor
from events.services.venues import list_venues, venues_for
from events.settings import Settings

MAX_PLACES = 5000


# What a copy or a series occurrence takes over from its original, and what the form edits
# besides dates, venue and slug.
COPIED_FIELDS = (
    "title",
    "summary",
    "description",
    "places_young",
    "places_older",
    "places_open",
    "young_min_age",
    "young_max_age",
    "older_min_age",
    "phone_rules",
    "has_tables",
    "table_size",
    "table_rounds",
)


NEW_EVENT_DEFAULTS: dict[str, object] = {
    "places_young": 8,
    "places_older": 8,
    "places_open": 0,
    "young_min_age": 12,
    "young_max_age": 30,
    "older_min_age": 65,
    "table_size": 4,
    "table_rounds": 2,
    "start_time": "19:30",
    "end_time": "21:30",
}
"""What a new event's form starts with, and what an absent age or table field means."""


def new_event_values(*, today: date) -> dict[str, object]:
    """The form of a new event: the defaults, two weeks from today."""
    return {**NEW_EVENT_DEFAULTS, "date": (today + timedelta(days=14)).isoformat()}


@dataclass(frozen=True)
class Dashboard:
    """The organiser's overview: upcoming events with their counts, the last past ones, and
    the venues."""

    upcoming: list[Event]
    counts: dict[int, dict[str, int]]
    past: list[Event]
    venues: list[Venue]


async def dashboard(actor: Actor, *, now: datetime, past_shown: int = 20) -> Dashboard:
    if not actor.can_organise:
        raise NotFound()
    events = await events_for(actor).order_by("starts_at").prefetch_related("venue")
    upcoming = [e for e in events if e.ends_at >= now]
    return Dashboard(
        upcoming=upcoming,
        counts=await counts_by_event([e.id for e in upcoming]),
        past=[e for e in events if e.ends_at < now][-past_shown:],
        venues=await list_venues(actor),
    )


@dataclass(frozen=True)
class EventForm:
    """Checked values of the event form, times already converted to UTC."""

    values: dict[str, object]
    venue: Venue


async def _check_event_form(
    actor: Actor, data: Mapping[str, object], *, tz: ZoneInfo, now: datetime, is_new: bool
) -> EventForm:
    f = Fields(data)
    values: dict[str, object] = {
        "title": f.text("title", required=True),
        "summary": f.text("summary", max_length=300),
        "description": f.text("description", max_length=8000),
        "phone_rules": f.text("phone_rules", max_length=2000),
        "places_young": f.integer("places_young", default=0, low=0, high=MAX_PLACES),
        "places_older": f.integer("places_older", default=0, low=0, high=MAX_PLACES),
        "places_open": f.integer("places_open", default=0, low=0, high=MAX_PLACES),
        "young_min_age": f.integer(
            "young_min_age", default=_default("young_min_age"), low=0, high=120
        ),
        "young_max_age": f.integer(
            "young_max_age", default=_default("young_max_age"), low=0, high=120
        ),
        "older_min_age": f.integer(
            "older_min_age", default=_default("older_min_age"), low=0, high=120
        ),
        "has_tables": f.boolean("has_tables"),
        "table_size": f.integer("table_size", default=_default("table_size"), low=2, high=8),
        "table_rounds": f.integer("table_rounds", default=_default("table_rounds"), low=1, high=8),
    }
    if not values["has_tables"]:
        # Without tables these fields mean nothing: keep safe values instead of refusing.
        for name in ("table_size", "table_rounds"):
            if f.errors.pop(name, None):
                values[name] = _default(name)
    day, start, end = f.day("date"), f.clock("start_time"), f.clock("end_time")
    venue = None
    venue_id = parse_id(data.get("venue") or "")
    if venue_id < 0:
        f.fail("venue", "required")
    else:
        venue = await venues_for(actor).get_or_none(id=venue_id)
        if venue is None:
            f.fail("venue", "invalid_choice")
    starts_at = _local_to_utc(f, "start_time", day, start, tz)
    ends_at = _local_to_utc(f, "end_time", day, end, tz)
    if starts_at and ends_at:
        if ends_at <= starts_at:
            f.fail("end_time", "end_before_start")
        if is_new and starts_at < now:
            f.fail("date", "in_the_past")
        values["starts_at"], values["ends_at"] = starts_at, ends_at
    if not f.errors.get("places_young") and not any(
        values[k] for k in ("places_young", "places_older", "places_open")
    ):
        f.fail("places_young", "no_places")
    young_min, young_max = int(str(values["young_min_age"])), int(str(values["young_max_age"]))
    if not young_min < young_max < int(str(values["older_min_age"])):
        f.fail("young_max_age", "age_bounds")
    slug = f.text("slug", max_length=120).lower()
    if slug and not SLUG_RE.match(slug):
        f.fail("slug", "invalid_slug")
    values["slug"] = slug
    if f.errors or venue is None:
        raise FormError(f.errors)
    return EventForm(values=values, venue=venue)


def _age(f: Fields, name: str) -> int:
    return f.integer(name, default=_default(name), low=0, high=120)


def _default(name: str) -> int:
    return int(str(NEW_EVENT_DEFAULTS[name]))


def _local_to_utc(
    f: Fields, name: str, day: date | None, clock: time | None, tz: ZoneInfo
) -> datetime | None:
    """A wall-clock time on a day, in UTC. On the night the clocks go forward a time in the
    skipped hour does not exist (``nonexistent_time``); on the night they go back a time in
    the repeated hour happens twice, and the form says which with ``<name>_fold`` ("0" the
    first, in summer time; "1" the second), else ``ambiguous_time`` asks."""
    if day is None or clock is None:
        return None
    naive = datetime.combine(day, clock)
    first, second = naive.replace(tzinfo=tz, fold=0), naive.replace(tzinfo=tz, fold=1)
    if first.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != naive:
        f.fail(name, "nonexistent_time")
        return None
    if first.utcoffset() == second.utcoffset():
        return first.astimezone(UTC)
    fold = str(f.data.get(f"{name}_fold") or "")
    if fold not in ("0", "1"):
        f.fail(name, "ambiguous_time")
        return None
    return (second if fold == "1" else first).astimezone(UTC)


def _to_utc(day: date, clock: time, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, clock, tzinfo=tz).astimezone(UTC)


async def _free_slug(wanted: str, title: str, starts_at: datetime, exclude_id: int | None) -> str:
    others = Event.exclude(id=exclude_id) if exclude_id else Event.all()
    if wanted:
        if await others.filter(slug=wanted).exists():
            raise FormError({"slug": "slug_taken"})
        return wanted
    base = f"{slugify(title, max_length=80)}-{starts_at:%Y-%m-%d}"
    candidate, n = base, 1
    while await others.filter(slug=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


async def create_event(
    actor: Actor, data: Mapping[str, object], *, tz: ZoneInfo, now: datetime | None = None
) -> Event:
    """A new draft event at one of the organiser's venues."""
    if not actor.can_organise:
        raise NotFound()
    form = await _check_event_form(actor, data, tz=tz, now=now or datetime.now(UTC), is_new=True)
    event = Event(
        organisation_id=form.venue.organisation_id,
        venue=form.venue,
        status=EventStatus.DRAFT,
    )
    event.update_from_dict(form.values)
    event.slug = await _free_slug(event.slug, event.title, event.starts_at, None)
    await event.save()
    return event


async def update_event(
    actor: Actor,
    event: Event,
    data: Mapping[str, object],
    *,
    tz: ZoneInfo,
    settings: Settings,
    now: datetime | None = None,
) -> Event:
    """Change an event in one transaction that locks its row first (``places``).

    Places may not drop below those already taken in a group (``places_below_taken``); new
    places go at once to the first people waiting, with their mail, so nobody who signs up
    later jumps the line. A change of time, place or status raises the calendar SEQUENCE.
    Only the form's own columns are written: counters changed meanwhile stay as they are.
    A new time or place of a published event mails everyone signed up or waiting, once,
    with the updated calendar file, in the same transaction."""
    now = now or datetime.now(UTC)
    form = await _check_event_form(actor, data, tz=tz, now=now, is_new=False)
    values = dict(form.values)
    values["slug"] = await _free_slug(
        str(values["slug"] or event.slug), str(values["title"]), event.starts_at, event.id
    )
    async with in_transaction():
        locked = await places.lock_event(event.id)
        _check_places_not_below_taken(locked, values)
        before = _schedule_of(locked)
        change = mail.Change(locked.starts_at, locked.ends_at, await locked.venue)
        room_before = places.places_left(locked)
        locked.update_from_dict(values)
        locked.venue_id = form.venue.id
        if _schedule_of(locked) != before:
            locked.sequence += 1
        await locked.save(update_fields=[*values, "venue_id", "sequence", "updated_at"])
        for group, left in places.places_left(locked).items():
            if left > room_before[group]:
                await promote_waiting(locked, group, settings=settings, now=now)
        moved = change.time_changed(locked) or change.place_changed(locked)
        if moved and locked.status == EventStatus.PUBLISHED:
            await mail.queue_event_changed(locked, change, settings=settings)
    await locked.fetch_related("venue", "organisation")
    return locked


def _check_places_not_below_taken(event: Event, values: Mapping[str, object]) -> None:
    """Refuse fewer places in a group than people already hold there (the organiser moves
    people to the waiting list by hand first, choosing who)."""
    errors = {
        f"places_{group.value}": "places_below_taken"
        for group in places.places_by_group(event)
        if int(str(values[f"places_{group.value}"])) < places.taken(event, group)
    }
    if errors:
        raise FormError(errors)


def _schedule_of(event: Event) -> tuple[object, ...]:
    """What a calendar subscriber sees change: time, place, status."""
    return (event.starts_at, event.ends_at, event.venue_id, event.status)


async def publish_event(actor: Actor, event: Event) -> Event:
    if event.status == EventStatus.CANCELLED:
        raise Conflict("event_cancelled")
    if event.status != EventStatus.PUBLISHED:
        event.status = EventStatus.PUBLISHED
        event.published_at = datetime.now(UTC)
        event.sequence += 1
        await event.save(update_fields=["status", "published_at", "sequence", "updated_at"])
    return event


async def cancel_event(
    actor: Actor, event: Event, *, settings: Settings, reason: str = ""
) -> Event:
    """Cancel: the event stays visible, marked as cancelled with the organiser's reason (if
    any), and everyone with a place, a waitlist place or a held place gets an email
    (queued in the same transaction) with a calendar file that removes it."""
    if event.status != EventStatus.CANCELLED:
        async with in_transaction():
            event.status = EventStatus.CANCELLED
            event.cancelled_at = datetime.now(UTC)
            event.cancel_reason = reason.replace("\x00", "").strip()[:1000]
            event.sequence += 1
            await event.save(
                update_fields=["status", "cancelled_at", "cancel_reason", "sequence", "updated_at"]
            )
            await mail.queue_event_cancelled(event, settings=settings)
    return event


async def copy_event(
    actor: Actor, event: Event, new_day: date | None, *, tz: ZoneInfo, now: datetime | None = None
) -> Event:
    """A draft copy of an event on a later date, same local times, places and rules."""
    if new_day is None:
        raise FormError({"date": "required"})
    local_start, local_end = event.starts_at.astimezone(tz), event.ends_at.astimezone(tz)
    starts_at = _to_utc(new_day, local_start.time(), tz)
    ends_at = _to_utc(new_day + (local_end.date() - local_start.date()), local_end.time(), tz)
    if starts_at <= event.starts_at or starts_at < (now or datetime.now(UTC)):
        raise FormError({"date": "copy_not_later"})
    fields = {name: getattr(event, name) for name in COPIED_FIELDS}
    slug = await _free_slug("", event.title, starts_at, None)
    return await Event.create(
        slug=slug,
        venue_id=event.venue_id,
        organisation_id=event.organisation_id,
        starts_at=starts_at,
        ends_at=ends_at,
        status=EventStatus.DRAFT,
        **fields,
    )


async def events_at_the_door(actor: Actor, *, now: datetime, limit: int = 50) -> list[Event]:
    """Published events at the actor's venues that have not ended more than 12 hours ago,
    soonest first: what a host may open the scanner for."""
    return await (
        events_for(actor)
        .filter(ends_at__gte=now - timedelta(hours=12), status=EventStatus.PUBLISHED)
        .order_by("starts_at")
        .limit(limit)
        .prefetch_related("venue")
    )
