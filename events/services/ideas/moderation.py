"""Moderation first: an idea is public only after an organiser of its town approves it.
Organisers approve, reject, merge duplicates and deal with reports; anyone may report an
approved idea (a few times an hour per client address).

Merging moves the duplicate's supports to the kept idea, one per address: an address that
supports both counts once (confirmed if either was), and the duplicate is marked
``merged`` and points at the kept idea.

Owns :func:`approve_idea`, :func:`reject_idea`, :func:`merge_ideas`, :func:`keep_idea`,
:func:`report_idea` and the organiser's overview :func:`organiser_ideas`. Imports models,
errors, the staff ``Actor`` and the ideas' form, scope, public, support and throttle
modules.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from tortoise.transactions import in_transaction

from events.models import Event, Idea, IdeaReport, IdeaStatus, IdeaSupport
from events.services.errors import Conflict, NotFound
from events.services.ideas.form import check_reason
from events.services.ideas.public import PublicIdea, to_public
from events.services.ideas.scope import get_idea_for, ideas_for, towns_of
from events.services.ideas.support import SupportCount, support_counts
from events.services.ideas.throttle import REPORTS_BY_ADDRESS, check_limits, count_attempts
from events.services.staff import Actor

OPEN = (IdeaStatus.PENDING, IdeaStatus.APPROVED)


@dataclass(frozen=True)
class OrganiserIdea:
    """One idea as its organisers see it: still nothing about who proposed or supports."""

    idea: PublicIdea
    status: IdeaStatus
    reports: list[str]  # reasons of the reports not yet dealt with ("" when none given)
    event: Event | None  # the activity made of it, in any state


@dataclass
class TownIdeas:
    town: str
    pending: list[OrganiserIdea] = field(default_factory=list)
    approved: list[OrganiserIdea] = field(default_factory=list)

    @property
    def all(self) -> list[OrganiserIdea]:
        return self.pending + self.approved


async def organiser_ideas(actor: Actor, *, town: str | None = None) -> list[TownIdeas]:
    """Confirmed ideas waiting or approved in the actor's towns, per town: waiting ones
    oldest first, approved ones by support (most first)."""
    query = (await ideas_for(actor)).filter(status__in=OPEN)
    if town:
        query = query.filter(town__iexact=town[:100])
    rows = await query.order_by("created_at", "id").prefetch_related("venue", "event")
    counts = await support_counts([idea.id for idea in rows])
    reports: dict[int, list[str]] = {}
    for idea_id, reason in await IdeaReport.filter(
        idea_id__in=[idea.id for idea in rows], handled_at__isnull=True
    ).values_list("idea_id", "reason"):
        reports.setdefault(int(idea_id), []).append(str(reason))
    towns: dict[str, TownIdeas] = {}
    for idea in rows:
        item = OrganiserIdea(
            idea=to_public(idea, counts.get(idea.id, SupportCount())),
            status=IdeaStatus(idea.status),
            reports=reports.get(idea.id, []),
            event=idea.event,
        )
        group = towns.setdefault(idea.town.casefold(), TownIdeas(town=idea.town))
        (group.pending if idea.status == IdeaStatus.PENDING else group.approved).append(item)
    for group in towns.values():
        group.approved.sort(key=lambda item: (-item.idea.support.total, -item.idea.id))
    return sorted(towns.values(), key=lambda group: group.town.casefold())


async def moderated_towns(actor: Actor) -> list[str] | None:
    """The towns the actor looks after (None: all), for the page's heading and filter."""
    return await towns_of(actor)


async def _moderate(actor: Actor, idea_id: int, status: IdeaStatus, *, now: datetime) -> Idea:
    idea = await get_idea_for(actor, idea_id)
    if idea.status not in OPEN and not (
        idea.status == IdeaStatus.REJECTED and status == IdeaStatus.APPROVED
    ):
        raise Conflict("idea_not_open")
    async with in_transaction():
        idea.status = status
        idea.moderated_by_id = actor.user_id
        idea.moderated_at = now
        await idea.save(update_fields=["status", "moderated_by_id", "moderated_at"])
        await IdeaReport.filter(idea_id=idea.id, handled_at__isnull=True).update(handled_at=now)
    return idea


async def approve_idea(actor: Actor, idea_id: int, *, now: datetime | None = None) -> Idea:
    """Make a waiting (or earlier rejected) idea public; its open reports count as dealt
    with."""
    return await _moderate(actor, idea_id, IdeaStatus.APPROVED, now=now or datetime.now(UTC))


async def reject_idea(actor: Actor, idea_id: int, *, now: datetime | None = None) -> Idea:
    """Take an idea out of view (waiting or approved); it can be approved again later."""
    return await _moderate(actor, idea_id, IdeaStatus.REJECTED, now=now or datetime.now(UTC))


async def keep_idea(actor: Actor, idea_id: int, *, now: datetime | None = None) -> Idea:
    """The reports of an idea were looked at and it stays: they count as dealt with."""
    idea = await get_idea_for(actor, idea_id)
    await IdeaReport.filter(idea_id=idea.id, handled_at__isnull=True).update(
        handled_at=now or datetime.now(UTC)
    )
    return idea


async def merge_ideas(
    actor: Actor, duplicate_id: int, kept_id: int, *, now: datetime | None = None
) -> Idea:
    """Merge a duplicate into the kept idea of the same town. Returns the kept idea."""
    now = now or datetime.now(UTC)
    duplicate = await get_idea_for(actor, duplicate_id)
    kept = await get_idea_for(actor, kept_id)
    if duplicate.id == kept.id or duplicate.town.casefold() != kept.town.casefold():
        raise Conflict("merge_not_possible")
    if duplicate.status not in OPEN or kept.status not in OPEN:
        raise Conflict("idea_not_open")
    if duplicate.event_id is not None:
        raise Conflict("idea_has_activity")
    async with in_transaction():
        for support in await IdeaSupport.filter(idea_id=duplicate.id).order_by("id"):
            await _move_support(support, kept)
        await Idea.filter(id=duplicate.id).update(
            status=IdeaStatus.MERGED,
            merged_into_id=kept.id,
            moderated_by_id=actor.user_id,
            moderated_at=now,
        )
    return kept


async def _move_support(support: IdeaSupport, kept: Idea) -> None:
    """One address supports the kept idea once: move the row, or fold it into the row the
    address already has there."""
    there = await IdeaSupport.get_or_none(idea_id=kept.id, email=support.email)
    if there is None:
        await IdeaSupport.filter(id=support.id).update(idea_id=kept.id)
        return
    if there.confirmed_at is None and support.confirmed_at is not None:
        await IdeaSupport.filter(id=there.id).update(
            confirmed_at=support.confirmed_at, bring=support.bring
        )
    await IdeaSupport.filter(id=support.id).delete()


async def report_idea(
    idea_id: int, data: Mapping[str, object], *, client: str, now: datetime | None = None
) -> None:
    """Someone thinks an approved idea does not belong here. Raises ``Throttled`` past the
    limit per client address. The report goes to the organisers of the town."""
    now = now or datetime.now(UTC)
    idea = await Idea.get_or_none(id=idea_id, status=IdeaStatus.APPROVED)
    if idea is None:
        raise NotFound()
    reason = check_reason(data)
    keys = [(REPORTS_BY_ADDRESS, client)]
    await check_limits("idea_rate_limited", keys, now=now)
    async with in_transaction():
        await IdeaReport.create(idea_id=idea.id, reason=reason)
        await count_attempts(keys, now=now)
