"""Figures about ideas for the municipality: how many were proposed, supported and turned
into activities, and how many supporters then signed up. Counts only, never who.

An organiser's figures cover the towns where their organisation has a venue (ideas belong
to a town, not to one organisation), and of the activities only their own; an admin's
cover everything. Imports models, ``services.places``, ``services.scope``, the staff
``Actor`` and ``services.ideas.scope``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from events.models import BringAlong, EventStatus, Idea, IdeaStatus, IdeaSupport, Registration
from events.services.ideas.scope import in_towns, towns_of
from events.services.places import ACTIVE
from events.services.scope import events_for
from events.services.staff import Actor


@dataclass(frozen=True)
class IdeaFigures:
    """Counts over a period (days inclusive, in the local time zone)."""

    proposed: int  # ideas confirmed by their proposer in the period (unconfirmed never count)
    approved: int  # of those, approved by an organiser and not merged away
    supported: int  # ideas with at least one confirmed "I would come" in the period
    supports: int  # confirmed "I would come" in the period (one per address and idea)
    bring_older: int  # of those, how many would bring someone older
    bring_younger: int  # and how many someone younger
    activities: int  # ideas whose activity is published and starts in the period
    supporters_of_activities: int  # confirmed supporters of those ideas
    supporters_signed_up: int  # of them, how many have a place or waiting place at it


def _bounds(start: date, end: date, timezone: str) -> tuple[datetime, datetime]:
    tz = ZoneInfo(timezone)
    low = datetime.combine(start, time(0), tzinfo=tz).astimezone(UTC)
    high = datetime.combine(end + timedelta(days=1), time(0), tzinfo=tz).astimezone(UTC)
    return low, high


async def ideas_report(
    actor: Actor, start: date, end: date, *, timezone: str = "Europe/Amsterdam"
) -> IdeaFigures:
    """The figures about ideas between ``start`` and ``end`` (inclusive) for this actor."""
    if end < start:
        start, end = end, start
    low, high = _bounds(start, end, timezone)
    towns = await towns_of(actor)
    ideas = in_towns(Idea.all(), towns)
    proposed = [
        str(status)
        for status in await ideas.filter(confirmed_at__gte=low, confirmed_at__lt=high).values_list(
            "status", flat=True
        )
    ]
    supports = await IdeaSupport.filter(
        idea_id__in=await ideas.values_list("id", flat=True),
        confirmed_at__gte=low,
        confirmed_at__lt=high,
    ).values_list("idea_id", "bring")
    own_events = events_for(actor).filter(
        status=EventStatus.PUBLISHED, starts_at__gte=low, starts_at__lt=high
    )
    made = await ideas.filter(
        status=IdeaStatus.APPROVED,
        event_id__in=await own_events.values_list("id", flat=True),
    ).values_list("id", "event_id")
    backers, signed_up = await _signed_up(dict((int(i), int(e)) for i, e in made))
    return IdeaFigures(
        proposed=len(proposed),
        approved=sum(1 for status in proposed if status == IdeaStatus.APPROVED),
        supported=len({idea_id for idea_id, _ in supports}),
        supports=len(supports),
        bring_older=sum(1 for _, bring in supports if bring == BringAlong.OLDER),
        bring_younger=sum(1 for _, bring in supports if bring == BringAlong.YOUNGER),
        activities=len(made),
        supporters_of_activities=backers,
        supporters_signed_up=signed_up,
    )


async def _signed_up(event_of_idea: dict[int, int]) -> tuple[int, int]:
    """(confirmed supporters of these ideas, how many of them signed up for its activity).
    A supporter counts as signed up when their address holds a place or a waiting place."""
    if not event_of_idea:
        return 0, 0
    rows = await IdeaSupport.filter(
        idea_id__in=list(event_of_idea), confirmed_at__isnull=False
    ).values_list("idea_id", "email")
    registered = {
        (int(event_id), str(email).lower())
        for event_id, email in await Registration.filter(
            event_id__in=list(set(event_of_idea.values())),
            status__in=ACTIVE,
            email__isnull=False,
        ).values_list("event_id", "email")
    }
    signed = sum(
        1
        for idea_id, email in rows
        if (event_of_idea[int(idea_id)], str(email).lower()) in registered
    )
    return len(rows), signed
