"""The public listing of activities: what is coming up (by town, venue, organisation or
date, a page at a time), one public activity, the towns and venues for the filters, and
the local-day helpers the pages share. Drafts are never listed; cancelled activities are,
marked as cancelled.

Imports models and errors.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from tortoise.expressions import Subquery
from tortoise.queryset import QuerySet

from events.models import Event, EventStatus, Organisation, Venue
from events.services.errors import NotFound


def public_events() -> QuerySet[Event]:
    """Events the public may see: published or cancelled (shown as cancelled), never drafts."""
    return Event.filter(status__in=[EventStatus.PUBLISHED, EventStatus.CANCELLED])


async def upcoming_events(
    *,
    now: datetime,
    town: str | None = None,
    venue_slug: str | None = None,
    organisation_slug: str | None = None,
    from_day: datetime | None = None,
    limit: int = 200,
    offset: int = 0,
) -> list[Event]:
    """Published (and cancelled) events that have not ended, soonest first, with their venue
    and organisation read in the same statement."""
    query = public_events().filter(ends_at__gte=now)
    # Longer than any stored value: nothing can match (and the ORM would refuse it).
    if len(town or "") > 100 or len(venue_slug or "") > 80 or len(organisation_slug or "") > 80:
        return []
    if from_day is not None:
        query = query.filter(starts_at__gte=from_day)
    if town:
        query = query.filter(venue__town__iexact=town)
    if venue_slug:
        query = query.filter(venue__slug=venue_slug)
    if organisation_slug:
        query = query.filter(organisation__slug=organisation_slug)
    query = query.order_by("starts_at", "id").limit(limit)
    if offset:
        query = query.offset(offset)
    return await query.select_related("venue", "organisation")


PAGE_SIZE = 50
MAX_PAGE = 10_000


@dataclass(frozen=True)
class Page:
    """One page of a public listing: its events, its number, whether one follows."""

    events: list[Event]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def page_number(raw: str | None) -> int:
    """``?page=N`` as a page number; anything else (empty, not a number, below 1, absurdly
    large) is page 1."""
    text = (raw or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 6:
        return 1
    number = int(text)
    return number if 1 <= number <= MAX_PAGE else 1


async def upcoming_page(
    *,
    now: datetime,
    page: int = 1,
    size: int = PAGE_SIZE,
    town: str | None = None,
    venue_slug: str | None = None,
    organisation_slug: str | None = None,
    from_day: datetime | None = None,
) -> Page:
    """One page of :func:`upcoming_events` (one statement: a row more than the page tells
    whether another page follows)."""
    found = await upcoming_events(
        now=now,
        town=town,
        venue_slug=venue_slug,
        organisation_slug=organisation_slug,
        from_day=from_day,
        limit=size + 1,
        offset=(page - 1) * size,
    )
    return Page(found[:size], page, len(found) > size)


async def public_event(slug: str) -> Event:
    """A public event with its venue and organisation, in one statement."""
    event = await public_events().filter(slug=slug).select_related("venue", "organisation").first()
    if event is None:
        raise NotFound()
    return event


async def towns() -> list[str]:
    """Towns that have a venue with an upcoming public event, for the filter."""
    rows = await Venue.filter(
        id__in=Subquery(public_events().filter(ends_at__gte=datetime.now(UTC)).values("venue_id"))
    ).values_list("town", flat=True)
    return sorted({str(t) for t in rows})


def group_by_day(events: list[Event], tz: ZoneInfo) -> list[tuple[date, list[Event]]]:
    """Events in local-day buckets, in order."""
    days: dict[date, list[Event]] = {}
    for event in events:
        days.setdefault(event.starts_at.astimezone(tz).date(), []).append(event)
    return list(days.items())


def start_of_day(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)


async def listed_venues() -> list[Venue]:
    """Venues with a public upcoming event, for the venue filter."""
    upcoming = public_events().filter(ends_at__gte=datetime.now(UTC)).values("venue_id")
    return await Venue.filter(id__in=Subquery(upcoming)).order_by("name")


async def public_venue(slug: str) -> Venue:
    venue = await Venue.get_or_none(slug=slug).prefetch_related("organisation")
    if venue is None:
        raise NotFound()
    return venue


async def public_organisation(slug: str) -> Organisation:
    organisation = await Organisation.get_or_none(slug=slug)
    if organisation is None:
        raise NotFound()
    return organisation
