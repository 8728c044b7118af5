"""What the calendar feeds contain: which events, mapped to the pure builders' dataclasses,
and how fresh a feed or a public listing is (the cheap validator behind ETag and
Last-Modified, computed with aggregate queries before any body is built).

Feed window: published events that ended less than :data:`HISTORY` ago, and cancelled ones
for :data:`CANCELLED_KEEP` after their cancellation, so subscribed calendars see the
STATUS:CANCELLED (with the organiser's reason) and drop them. Drafts never. A person's own
feed holds their confirmed places and, as TENTATIVE, places that wait for a guardian.
Imports models, errors and ``events.calendars``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from tortoise.expressions import Q, Subquery
from tortoise.functions import Count, Max, Sum
from tortoise.queryset import QuerySet

from events.calendars import CalendarEvent, Place
from events.models import Event, EventStatus, Person, Registration, RegistrationStatus, Venue
from events.services.errors import NotFound

HISTORY = timedelta(days=90)
CANCELLED_KEEP = timedelta(days=30)
ATOM_LIMIT = 50
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)

_VALUES = (
    "id", "slug", "title", "summary", "description", "phone_rules", "starts_at", "ends_at",
    "updated_at", "published_at", "sequence", "status", "venue__name", "venue__address",
    "venue__postcode", "venue__town", "organisation__name", "cancel_reason",
)  # fmt: skip


@dataclass(frozen=True)
class FeedScope:
    """Which events a feed holds: everything public (optionally in one town), one venue's,
    one organisation's, or the events one person is confirmed for."""

    town: str | None = None
    venue_id: int | None = None
    organisation_id: int | None = None
    person_id: int | None = None


@dataclass(frozen=True)
class Freshness:
    """A cheap summary of a set of rows: changes whenever what a page shows may change."""

    count: int
    id_sum: int
    last_change: datetime
    taken: tuple[int, ...] = ()
    """Places taken per group, summed (listings show places left, which counter UPDATEs
    change without moving ``updated_at``)."""

    def tag(self, *parts: object) -> str:
        """A short opaque validator of this summary plus the page's own variants."""
        summary = (self.count, self.id_sum, self.last_change, *self.taken, *parts)
        raw = "|".join(str(p) for p in summary)
        return hashlib.sha256(raw.encode()).hexdigest()[:32]


def _as_datetime(value: object) -> datetime | None:
    """Aggregates come back as datetimes on PostgreSQL and as text on SQLite."""
    if value is None:
        return None
    result = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return result if result.tzinfo else result.replace(tzinfo=UTC)


def _latest(*values: datetime | None) -> datetime:
    return max((v for v in values if v is not None), default=EPOCH)


async def _summary(query: QuerySet[Event]) -> tuple[int, int, datetime | None]:
    """Count, sum of ids and the newest change of the events or their venues.

    The query must not join (Tortoise groups an aggregate over a join by every column):
    filter on related rows through ``Subquery`` instead.
    """
    rows = await query.annotate(n=Count("id"), ids=Sum("id"), changed=Max("updated_at")).values(
        "n", "ids", "changed"
    )
    venues = Venue.filter(id__in=Subquery(query.values("venue_id")))
    venue_rows = await venues.annotate(changed=Max("updated_at")).values("changed")
    row: Mapping[str, Any] = rows[0] if rows else {}
    venue_changed = _as_datetime(venue_rows[0]["changed"]) if venue_rows else None
    changed = _latest(_as_datetime(row.get("changed")), venue_changed)
    return int(row.get("n") or 0), int(row.get("ids") or 0), changed


# --- feeds --------------------------------------------------------------------------------


def _in_town(query: QuerySet[Event], town: str) -> QuerySet[Event]:
    return query.filter(venue_id__in=Subquery(Venue.filter(town__iexact=town).values("id")))


def _scoped(
    query: QuerySet[Event], scope: FeedScope, event_ids: Sequence[int] | None
) -> QuerySet[Event]:
    if scope.town:
        query = _in_town(query, scope.town)
    if scope.venue_id is not None:
        query = query.filter(venue_id=scope.venue_id)
    if scope.organisation_id is not None:
        query = query.filter(organisation_id=scope.organisation_id)
    if event_ids is not None:
        query = query.filter(id__in=list(event_ids))
    return query


PERSON_STATUSES = (RegistrationStatus.CONFIRMED, RegistrationStatus.AWAITING_GUARDIAN)


async def _person_places(scope: FeedScope) -> dict[int, bool] | None:
    """Event id -> whether the person's place there is only tentative (awaiting a guardian);
    None when the feed is not one person's."""
    if scope.person_id is None:
        return None
    rows = await Registration.filter(
        person_id=scope.person_id, status__in=PERSON_STATUSES
    ).values_list("event_id", "status")
    tentative: dict[int, bool] = {}
    for event_id, status in rows:
        key = int(str(event_id))
        waiting = status == RegistrationStatus.AWAITING_GUARDIAN
        tentative[key] = tentative.get(key, True) and waiting
    return tentative


async def _person_event_ids(scope: FeedScope) -> list[int] | None:
    found = await _person_places(scope)
    return None if found is None else sorted(found)


async def _person_changed(scope: FeedScope) -> datetime | None:
    """The last change of the person's own places (a yes from a guardian, a cancellation),
    which the events' own timestamps do not show."""
    if scope.person_id is None:
        return None
    rows = await Registration.filter(person_id=scope.person_id).values_list(
        "created_at", "confirmed_at", "cancelled_at"
    )
    moments = [_as_datetime(value) for row in rows for value in row]
    return _latest(*moments) if rows else None


def _window(now: datetime) -> Q:
    """Published and not long over, or cancelled recently (cancelled_at, else last change)."""
    recent = Q(cancelled_at__gte=now - CANCELLED_KEEP) | Q(
        cancelled_at__isnull=True, updated_at__gte=now - CANCELLED_KEEP
    )
    return Q(ends_at__gte=now - HISTORY) & (
        Q(status=EventStatus.PUBLISHED) | (Q(status=EventStatus.CANCELLED) & recent)
    )


async def feed_freshness(scope: FeedScope, *, now: datetime) -> Freshness:
    """The validator of a feed. Last-Modified also moves when the window lets an event go."""
    ids = await _person_event_ids(scope)
    scoped = _scoped(Event.all(), scope, ids)
    window = _window(now)
    out_of_window = Q(status=EventStatus.PUBLISHED, ends_at__lt=now - HISTORY)
    gone = Q(status=EventStatus.CANCELLED, cancelled_at__lt=now - CANCELLED_KEEP)
    # One statement: aggregates over the scope's events, each filtered to its part (a 304
    # costs this and nothing else for a public feed).
    rows = await scoped.annotate(
        n=Count("id", _filter=window),
        ids=Sum("id", _filter=window),
        changed=Max("updated_at", _filter=window),
        venue_changed=Subquery(
            Venue.filter(id__in=Subquery(scoped.filter(window).values("venue_id")))
            .annotate(m=Max("updated_at"))
            .values("m")
        ),
        ended=Max("ends_at", _filter=out_of_window),
        cancelled=Max("cancelled_at", _filter=gone),
    ).values("n", "ids", "changed", "venue_changed", "ended", "cancelled")
    row: Mapping[str, Any] = rows[0] if rows else {}
    ended, cancelled = _as_datetime(row.get("ended")), _as_datetime(row.get("cancelled"))
    edges = (ended + HISTORY if ended else None, cancelled + CANCELLED_KEEP if cancelled else None)
    changed = _latest(_as_datetime(row.get("changed")), _as_datetime(row.get("venue_changed")))
    latest = _latest(changed, *edges, await _person_changed(scope))
    return Freshness(int(row.get("n") or 0), int(row.get("ids") or 0), latest)


async def feed_events(scope: FeedScope, *, now: datetime) -> list[CalendarEvent]:
    """The events of a feed, soonest first, as the builders' dataclasses."""
    tentative = await _person_places(scope)
    ids = None if tentative is None else sorted(tentative)
    query = _scoped(Event.filter(_window(now)), scope, ids)
    rows = await query.order_by("starts_at", "id").values(*_VALUES)
    return [_from_row(row, tentative=bool((tentative or {}).get(row["id"]))) for row in rows]


async def event_for_file(slug: str) -> CalendarEvent:
    """One public event (published or cancelled, whenever) for its ``event.ics``."""
    rows = await Event.filter(
        slug=slug, status__in=[EventStatus.PUBLISHED, EventStatus.CANCELLED]
    ).values(*_VALUES)
    if not rows:
        raise NotFound()
    return _from_row(rows[0])


async def event_file_freshness(slug: str) -> Freshness:
    """The validator of one event's ``event.ics``; NotFound for drafts and unknown slugs."""
    query = Event.filter(slug=slug, status__in=[EventStatus.PUBLISHED, EventStatus.CANCELLED])
    count, id_sum, changed = await _summary(query)
    if not count:
        raise NotFound()
    return Freshness(count, id_sum, _latest(changed))


async def newly_published(*, now: datetime, town: str | None = None) -> list[CalendarEvent]:
    """Published, upcoming events, the most recently published first (the Atom feed)."""
    query = Event.filter(status=EventStatus.PUBLISHED, ends_at__gte=now)
    if town:
        query = _in_town(query, town)
    rows = await query.order_by("-published_at", "-id").limit(ATOM_LIMIT).values(*_VALUES)
    return [_from_row(row) for row in rows]


async def atom_freshness(*, now: datetime, town: str | None = None) -> Freshness:
    query = Event.filter(status=EventStatus.PUBLISHED, ends_at__gte=now)
    if town:
        query = _in_town(query, town)
    count, id_sum, changed = await _summary(query)
    return Freshness(count, id_sum, _latest(changed))


async def town_name(town: str | None) -> str | None:
    """The town as venues spell it ("lochem" -> "Lochem"); as given when no venue has it."""
    if not town:
        return None
    found = await Venue.filter(town__iexact=town).order_by("id").first().values_list("town")
    return str(found[0]) if found else town


async def person_by_feed_token(token: str) -> Person:
    """The person whose private feed this is; NotFound for any other token (or erased)."""
    person = await Person.get_or_none(feed_token=token) if len(token) >= 16 else None
    if person is None:
        raise NotFound()
    return person


def _from_row(row: Mapping[str, Any], *, tentative: bool = False) -> CalendarEvent:
    return CalendarEvent(
        id=int(row["id"]),
        slug=str(row["slug"]),
        title=str(row["title"]),
        summary=str(row["summary"] or ""),
        description=str(row["description"] or ""),
        phone_rules=str(row["phone_rules"] or ""),
        starts_at=row["starts_at"],
        ends_at=row["ends_at"],
        updated_at=row["updated_at"],
        published_at=row["published_at"],
        sequence=int(row["sequence"]),
        cancelled=row["status"] == EventStatus.CANCELLED,
        place=Place(
            name=str(row["venue__name"]),
            address=str(row["venue__address"]),
            postcode=str(row["venue__postcode"]),
            town=str(row["venue__town"]),
        ),
        organisation_name=str(row["organisation__name"] or ""),
        cancel_reason=str(row["cancel_reason"] or ""),
        tentative=tentative,
    )


def to_calendar_event(event: Event) -> CalendarEvent:
    """Map a model (``venue`` and ``organisation`` fetched) to the builders' dataclass."""
    venue = event.venue
    return CalendarEvent(
        id=event.id,
        slug=event.slug,
        title=event.title,
        summary=event.summary,
        description=event.description,
        phone_rules=event.phone_rules,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        updated_at=event.updated_at,
        published_at=event.published_at,
        sequence=event.sequence,
        cancelled=event.status == EventStatus.CANCELLED,
        place=Place(venue.name, venue.address, venue.postcode, venue.town),
        organisation_name=event.organisation.name,
        cancel_reason=event.cancel_reason,
    )


# --- public pages -------------------------------------------------------------------------


async def listing_freshness(
    *, now: datetime, venue_id: int | None = None, organisation_id: int | None = None
) -> Freshness:
    """The validator of a public listing of upcoming events (home, venue, organisation).

    Covers every upcoming public event in the scope (the home page's town and place filters
    are built from all of them), their venues, the places taken per group (cards say what is
    left), and the moment the last one ended and left.
    """
    public = Event.filter(status__in=[EventStatus.PUBLISHED, EventStatus.CANCELLED])
    if venue_id is not None:
        public = public.filter(venue_id=venue_id)
    if organisation_id is not None:
        public = public.filter(organisation_id=organisation_id)
    # One statement: aggregates over the scope's public events, each filtered to the upcoming
    # ones (or, for the moment the last one left, to the ended ones).
    up, ended = Q(ends_at__gte=now), Q(ends_at__lt=now)
    rows = await public.annotate(
        n=Count("id", _filter=up),
        ids=Sum("id", _filter=up),
        changed=Max("updated_at", _filter=up),
        venue_changed=Subquery(
            Venue.filter(id__in=Subquery(public.filter(up).values("venue_id")))
            .annotate(m=Max("updated_at"))
            .values("m")
        ),
        left=Max("ends_at", _filter=ended),
        young=Sum("taken_young", _filter=up),
        older=Sum("taken_older", _filter=up),
        open=Sum("taken_open", _filter=up),
    ).values("n", "ids", "changed", "venue_changed", "left", "young", "older", "open")
    row: Mapping[str, Any] = rows[0] if rows else {}
    taken = tuple(int(row.get(k) or 0) for k in ("young", "older", "open"))
    changed = _latest(
        _as_datetime(row.get("changed")),
        _as_datetime(row.get("venue_changed")),
        _as_datetime(row.get("left")),
    )
    return Freshness(int(row.get("n") or 0), int(row.get("ids") or 0), changed, taken)
