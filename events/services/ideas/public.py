"""What the public sees of ideas: approved ones only, each with how many would come, never
who, and nothing about whoever proposed it.

Owns :class:`PublicIdea`, a record that carries only what may be shown (the web layer never
holds an ``Idea`` row, so it cannot show a proposer by mistake), the list per town and one
idea. An idea "goes ahead" once the activity made of it is published.

Imports models, errors and ``services.ideas.support``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from events.models import Event, EventStatus, Idea, IdeaAudience, IdeaStatus, IdeaTiming
from events.services.errors import NotFound
from events.services.ideas.support import SupportCount, support_counts


@dataclass(frozen=True)
class PublicIdea:
    id: int
    title: str
    summary: str
    town: str
    venue_name: str | None
    venue_slug: str | None
    month: str  # "2027-03" or ""
    timing: IdeaTiming
    audience: IdeaAudience
    support: SupportCount
    event_slug: str | None  # the activity made of it, once published
    event_starts_at: datetime | None

    @property
    def goes_ahead(self) -> bool:
        return self.event_slug is not None


def _published(event: Event | None) -> Event | None:
    return event if event is not None and event.status == EventStatus.PUBLISHED else None


def to_public(idea: Idea, support: SupportCount) -> PublicIdea:
    event = _published(idea.event)
    return PublicIdea(
        id=idea.id,
        title=idea.title,
        summary=idea.summary,
        town=idea.town,
        venue_name=idea.venue.name if idea.venue else None,
        venue_slug=idea.venue.slug if idea.venue else None,
        month=idea.month,
        timing=IdeaTiming(idea.timing),
        audience=IdeaAudience(idea.audience),
        support=support,
        event_slug=event.slug if event else None,
        event_starts_at=event.starts_at if event else None,
    )


async def _with_counts(ideas: Sequence[Idea]) -> list[PublicIdea]:
    counts = await support_counts([idea.id for idea in ideas])
    return [to_public(idea, counts.get(idea.id, SupportCount())) for idea in ideas]


def _still_current(idea: PublicIdea, *, now: datetime, this_month: str) -> bool:
    """Listed while its activity has not happened yet, or (without one) while its month
    has not passed."""
    if idea.event_starts_at is not None:
        return idea.event_starts_at >= now
    return not idea.month or idea.month >= this_month


async def approved_ideas(
    *, now: datetime, this_month: str, town: str | None = None
) -> list[PublicIdea]:
    """Approved ideas that are still current, by town, then most support first, then
    newest. ``this_month`` is ``YYYY-MM`` in the local time zone."""
    query = Idea.filter(status=IdeaStatus.APPROVED)
    if town:
        if len(town) > 100:
            return []
        query = query.filter(town__iexact=town)
    rows = await query.prefetch_related("venue", "event")
    ideas = [
        i for i in await _with_counts(rows) if _still_current(i, now=now, this_month=this_month)
    ]
    ideas.sort(key=lambda i: (i.town.casefold(), -i.support.total, -i.id))
    return ideas


async def towns_with_ideas() -> list[str]:
    """Towns with an approved idea, for the filter."""
    rows = await Idea.filter(status=IdeaStatus.APPROVED).values_list("town", flat=True)
    seen: dict[str, str] = {}
    for town in rows:
        seen.setdefault(str(town).casefold(), str(town))
    return sorted(seen.values(), key=str.casefold)


async def public_idea(idea_id: int) -> PublicIdea:
    """One approved idea; NotFound for anything else (unconfirmed, waiting, rejected)."""
    idea = await Idea.get_or_none(id=idea_id, status=IdeaStatus.APPROVED).prefetch_related(
        "venue", "event"
    )
    if idea is None:
        raise NotFound()
    return (await _with_counts([idea]))[0]


async def merged_into(idea_id: int, *, hops: int = 5) -> int | None:
    """For a duplicate that was merged (perhaps into another duplicate): the approved idea
    it lives on in, else None."""
    for _ in range(hops):
        idea = await Idea.get_or_none(id=idea_id)
        if idea is None:
            return None
        if idea.status == IdeaStatus.APPROVED:
            return idea.id
        if idea.status != IdeaStatus.MERGED or idea.merged_into_id is None:
            return None
        idea_id = idea.merged_into_id
    return None
