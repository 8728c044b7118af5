"""Series (reeksen): a weekly or fortnightly run of events made in one go.

Each occurrence is created by :func:`events.services.events.create_event`, with the same
checks as the event form, so it is an event of its own (own slug, places and sign-ups) that
can be changed or cancelled alone. Occurrences keep the same local wall-clock time across a
daylight-saving change. All or nothing: one transaction. Imports models, errors, forms,
the staff Actor and the events service.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from events.models import Event, Frequency, Series
from events.services import events as event_service
from events.services.errors import FormError, NotFound
from events.services.forms import Fields
from events.services.staff import Actor

MIN_OCCURRENCES = 2
MAX_OCCURRENCES = 26
STEP = {Frequency.WEEKLY: timedelta(days=7), Frequency.FORTNIGHTLY: timedelta(days=14)}


@dataclass(frozen=True)
class SeriesPlan:
    """The checked series-only fields of the form."""

    frequency: Frequency
    occurrences: int
    first_day: date | None
    publish: bool


def series_for(actor: Actor) -> QuerySet[Series]:
    """The series this organiser may see: their own organisation's (all, for an admin)."""
    if actor.is_admin:
        return Series.all()
    if not actor.can_organise:
        return Series.filter(id=-1)
    return Series.filter(organisation_id=actor.organisation_id)


async def recent_series(actor: Actor, *, limit: int = 50) -> list[Series]:
    """The organiser's series, newest first."""
    return await series_for(actor).order_by("-created_at").limit(limit)


async def get_series_for(actor: Actor, series_id: int) -> Series:
    series = await series_for(actor).get_or_none(id=series_id)
    if series is None:
        raise NotFound()
    return series


async def series_events(series: Series) -> list[Event]:
    return (
        await Event.filter(series_id=series.id)
        .order_by("starts_at", "id")
        .prefetch_related("venue")
    )


def occurrence_days(first: date, frequency: Frequency, occurrences: int) -> list[date]:
    """The local dates of a series: the first date, then every week or fortnight."""
    return [first + STEP[frequency] * n for n in range(occurrences)]


def _check_plan(data: Mapping[str, object]) -> tuple[SeriesPlan, dict[str, str]]:
    f = Fields(data)
    frequency = f.choice("frequency", tuple(Frequency), default=Frequency.WEEKLY)
    occurrences = f.integer("occurrences", default=6, low=MIN_OCCURRENCES, high=MAX_OCCURRENCES)
    plan = SeriesPlan(
        frequency=Frequency(frequency),
        occurrences=occurrences,
        first_day=f.day("date"),
        publish=f.boolean("publish"),
    )
    return plan, f.errors


async def create_series(
    actor: Actor, data: Mapping[str, object], *, tz: ZoneInfo, now: datetime | None = None
) -> Series:
    """A series and its occurrences, as drafts or published at once (``publish``).

    ``data`` holds the event form's fields (``date`` is the first occurrence) plus
    ``frequency`` and ``occurrences``. Raises FormError with every field's problem.
    """
    if not actor.can_organise:
        raise NotFound()
    plan, errors = _check_plan(data)
    async with in_transaction():
        created: list[Event] = []
        for day in occurrence_days(plan.first_day or date.min, plan.frequency, plan.occurrences):
            values = {**data, "date": day.isoformat(), "slug": ""}
            if plan.first_day is None:
                values["date"] = ""
            try:
                created.append(await event_service.create_event(actor, values, tz=tz, now=now))
            except FormError as exc:
                raise FormError({**exc.errors, **errors}) from None
            if errors or plan.first_day is None:
                break
        if errors:
            raise FormError(errors)
        first = created[0]
        series = await Series.create(
            organisation_id=first.organisation_id,
            title=first.title,
            frequency=plan.frequency,
        )
        for event in created:
            event.series = series
            await event.save(update_fields=["series_id", "updated_at"])
            if plan.publish:
                await event_service.publish_event(actor, event)
    return series
