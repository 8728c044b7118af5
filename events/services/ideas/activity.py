"""From idea to activity: an organiser of the town turns an approved idea into a draft
activity with its fields filled, at one of their venues in that town; once that activity
is published, everyone who said "I would come" gets one mail with the sign-up link.

The mail goes out exactly once per support, however often :func:`notify_supporters` runs
and in however many processes: each support is marked ``notified_at`` by a conditional
UPDATE in the same transaction that queues its mail. :func:`notify_published_ideas` is the
worker's sweep over every published activity with supporters not yet told (also supports
confirmed or merged in after publishing).

Imports models, errors, settings, ``events.i18n``, the events and venues services, the
staff ``Actor`` and the ideas' mail and scope modules.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from tortoise.transactions import in_transaction

from events import i18n
from events.models import (
    Event,
    EventStatus,
    Idea,
    IdeaAudience,
    IdeaStatus,
    IdeaSupport,
    IdeaTiming,
    Venue,
)
from events.services.errors import Conflict, FormError
from events.services.events import NEW_EVENT_DEFAULTS, create_event
from events.services.ideas.mail import event_url, idea_url, queue_idea_mail
from events.services.ideas.public import PublicIdea, to_public
from events.services.ideas.scope import get_idea_for
from events.services.ideas.support import SupportCount, support_counts
from events.services.staff import Actor
from events.services.venues import venues_for
from events.settings import Settings

LEAD_DAYS = 14  # a draft's suggested date: at least two weeks ahead, time to spread the word
WEEKDAY = {IdeaTiming.WEEKDAY_EVENINGS: 3, IdeaTiming.WEEKENDS: 5}  # Thursday, Saturday
TIMES = {IdeaTiming.WEEKENDS: ("14:00", "16:30")}
EVENING = ("19:30", "21:30")


# --- the draft ----------------------------------------------------------------------------


async def venues_for_idea(actor: Actor, idea: Idea) -> list[Venue]:
    """The actor's venues in the idea's town: where its activity may take place."""
    return await venues_for(actor).filter(town__iexact=idea.town).order_by("name")


def suggested_day(idea: Idea, today: date) -> date:
    """The first fitting day in the idea's month (a Thursday for weekday evenings, a
    Saturday for weekends), and never sooner than :data:`LEAD_DAYS` from today."""
    day = today + timedelta(days=LEAD_DAYS)
    if idea.month:
        year, month = (int(part) for part in idea.month.split("-"))
        day = max(day, date(year, month, 1))
    wanted = WEEKDAY.get(IdeaTiming(idea.timing))
    while wanted is not None and day.weekday() != wanted:
        day += timedelta(days=1)
    return day


def draft_values(idea: Idea, venues: list[Venue], *, today: date) -> dict[str, object]:
    """What the "turn into an activity" form starts with."""
    start, end = TIMES.get(IdeaTiming(idea.timing), EVENING)
    venue = next((v for v in venues if v.id == idea.venue_id), venues[0] if venues else None)
    return {
        "venue": venue.id if venue else "",
        "date": suggested_day(idea, today).isoformat(),
        "start_time": start,
        "end_time": end,
    }


@dataclass(frozen=True)
class DraftForm:
    """What the organiser's "turn into an activity" page shows and starts with."""

    idea: PublicIdea
    venues: list[Venue]
    values: dict[str, object]
    has_activity: bool  # an activity was made of it already (and is not cancelled)


async def draft_form(actor: Actor, idea_id: int, *, today: date) -> DraftForm:
    idea = await get_idea_for(actor, idea_id)
    await idea.fetch_related("venue", "event")
    venues = await venues_for_idea(actor, idea)
    counts = await support_counts([idea.id])
    return DraftForm(
        idea=to_public(idea, counts.get(idea.id, SupportCount())),
        venues=venues,
        values=draft_values(idea, venues, today=today),
        has_activity=idea.event is not None and idea.event.status != EventStatus.CANCELLED,
    )


def _places(audience: IdeaAudience) -> dict[str, object]:
    young, older = (
        int(str(NEW_EVENT_DEFAULTS["places_young"])),
        int(str(NEW_EVENT_DEFAULTS["places_older"])),
    )
    if audience == IdeaAudience.YOUNG:
        return {"places_young": young + older, "places_older": 0, "places_open": 0}
    return {"places_young": young, "places_older": older, "places_open": 0}


async def draft_from_idea(
    actor: Actor,
    idea_id: int,
    data: Mapping[str, object],
    *,
    tz: ZoneInfo,
    now: datetime | None = None,
) -> Event:
    """A draft activity made of an approved idea: its title, summary and audience, at the
    chosen venue (one of the actor's in the idea's town), day and times from ``data``.
    FormError per field; Conflict when the idea already has a live activity."""
    now = now or datetime.now(UTC)
    idea = await get_idea_for(actor, idea_id)
    if idea.status != IdeaStatus.APPROVED:
        raise Conflict("idea_not_approved")
    old = await Event.get_or_none(id=idea.event_id) if idea.event_id else None
    if old is not None and old.status != EventStatus.CANCELLED:
        raise Conflict("idea_has_activity")
    allowed = {str(v.id) for v in await venues_for_idea(actor, idea)}
    if str(data.get("venue") or "").strip() not in allowed:
        raise FormError({"venue": "invalid_choice"})
    values = {
        **NEW_EVENT_DEFAULTS,
        **_places(IdeaAudience(idea.audience)),
        "title": idea.title,
        "summary": idea.summary,
        **{k: data.get(k, "") for k in ("venue", "date", "start_time", "end_time")},
    }
    async with in_transaction():
        event = await create_event(actor, values, tz=tz, now=now)
        # Only one organiser wins a race to turn the same idea into an activity.
        query = Idea.filter(id=idea.id)
        query = query.filter(event_id=old.id) if old else query.filter(event_id__isnull=True)
        if await query.update(event_id=event.id, supporters_notified_at=None) != 1:
            raise Conflict("idea_has_activity")
        if old is not None:  # a new activity after a cancelled one: tell everyone again
            await IdeaSupport.filter(idea_id=idea.id).update(notified_at=None)
    return event


# --- telling the supporters ---------------------------------------------------------------


async def notify_supporters(
    event_id: int, *, settings: Settings, now: datetime | None = None
) -> int:
    """Queue the "it is going ahead" mail to every confirmed supporter of the ideas made
    into this activity who has not had it, if the activity is published and not over.
    Safe to call on every publish and from every worker. Returns how many were queued."""
    now = now or datetime.now(UTC)
    event = await Event.get_or_none(id=event_id, status=EventStatus.PUBLISHED).prefetch_related(
        "venue", "organisation"
    )
    if event is None or event.ends_at <= now:
        return 0
    queued = 0
    for idea in await Idea.filter(event_id=event.id, status=IdeaStatus.APPROVED).order_by("id"):
        due = await IdeaSupport.filter(
            idea_id=idea.id, confirmed_at__isnull=False, notified_at__isnull=True
        ).order_by("id")
        for support in due:
            async with in_transaction():
                marked = await IdeaSupport.filter(id=support.id, notified_at__isnull=True).update(
                    notified_at=now
                )
                if marked == 1:
                    await _queue_news(idea, support, event, settings=settings)
                    queued += 1
        await Idea.filter(id=idea.id, supporters_notified_at__isnull=True).update(
            supporters_notified_at=now
        )
    return queued


async def _queue_news(
    idea: Idea, support: IdeaSupport, event: Event, *, settings: Settings
) -> None:
    """Supports keep no language: the news goes out in the default one (Dutch)."""
    fmt = i18n.Formatter(settings.timezone)
    venue = event.venue
    with i18n.use_locale(i18n.DEFAULT_LOCALE):
        when, ends = fmt.full(event.starts_at), fmt.time(event.ends_at)
    url = event_url(settings.base_url, event.slug)
    await queue_idea_mail(
        "idea_published",
        to_email=support.email,
        title=event.title,
        locale=i18n.DEFAULT_LOCALE,
        settings=settings,
        event_id=event.id,
        context={
            "idea_title": idea.title,
            "summary": event.summary,
            "when": when,
            "ends": ends,
            "place": venue.name,
            "address": f"{venue.address}, {venue.postcode} {venue.town}",
            "signup_url": url,
            "idea_url": idea_url(settings.base_url, "idea_detail", idea_id=idea.id),
            "organisation": event.organisation.name,
            "event_url": url,
        },
    )


async def notify_published_ideas(*, settings: Settings, now: datetime | None = None) -> int:
    """The worker's sweep: :func:`notify_supporters` for every published activity that
    has not ended and has supporters not yet told. Returns how many mails were queued."""
    now = now or datetime.now(UTC)
    event_ids = (
        await Idea.filter(
            status=IdeaStatus.APPROVED,
            event__status=EventStatus.PUBLISHED,
            event__ends_at__gt=now,
            supports__confirmed_at__isnull=False,
            supports__notified_at__isnull=True,
        )
        .order_by("event_id")
        .distinct()
        .values_list("event_id", flat=True)
    )
    queued = 0
    for event_id in sorted({int(str(e)) for e in event_ids if e is not None}):
        queued += await notify_supporters(event_id, settings=settings, now=now)
    return queued
