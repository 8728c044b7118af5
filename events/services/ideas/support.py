"""Saying "I would come" (ik zou komen) to an approved idea, once per confirmed email, with
whether one would bring someone older or younger; and counting it.

A support counts once its address is confirmed through the mailed link. An address that
already supports an idea gets the same answer as a new one (nothing is revealed) and no
second row: the table holds one row per idea and address. Who supports is never shown;
only the counts leave this module.

Imports models, errors, settings and the ideas' form, mail, proposals (tokens) and throttle
modules.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from events.models import BringAlong, Idea, IdeaStatus, IdeaSupport
from events.services.errors import Conflict, NotFound
from events.services.ideas.form import SupportRequest, check_support
from events.services.ideas.mail import idea_url, queue_idea_mail
from events.services.ideas.proposals import CONFIRM_WITHIN, new_token
from events.services.ideas.throttle import (
    SUPPORTS_BY_ADDRESS,
    SUPPORTS_BY_EMAIL,
    check_limits,
    count_attempts,
)
from events.settings import Settings


@dataclass(frozen=True)
class SupportCount:
    """How many would come, and how many of them would bring someone older or younger."""

    total: int = 0
    older: int = 0
    younger: int = 0


async def support_counts(idea_ids: Sequence[int]) -> dict[int, SupportCount]:
    """Confirmed supports per idea (ideas without any are left out)."""
    if not idea_ids:
        return {}
    rows = await IdeaSupport.filter(
        idea_id__in=list(idea_ids), confirmed_at__isnull=False
    ).values_list("idea_id", "bring")
    tally: dict[int, list[int]] = {}
    for idea_id, bring in rows:
        counts = tally.setdefault(int(idea_id), [0, 0, 0])
        counts[0] += 1
        counts[1] += bring == BringAlong.OLDER
        counts[2] += bring == BringAlong.YOUNGER
    return {idea_id: SupportCount(*counts) for idea_id, counts in tally.items()}


async def support_idea(
    idea_id: int,
    data: Mapping[str, object],
    *,
    client: str,
    locale: str,
    settings: Settings,
    now: datetime | None = None,
) -> SupportRequest:
    """Check the form, store an unconfirmed support and mail its confirmation link. For an
    address that already supports the idea: the link again while unconfirmed, else nothing.
    Raises ``Throttled`` past the limits per client address and per email address."""
    now = now or datetime.now(UTC)
    idea = await Idea.get_or_none(id=idea_id, status=IdeaStatus.APPROVED)
    if idea is None:
        raise NotFound()
    checked = check_support(data)
    keys = [(SUPPORTS_BY_ADDRESS, client), (SUPPORTS_BY_EMAIL, checked.email)]
    await check_limits("idea_rate_limited", keys, now=now)
    try:
        async with in_transaction():
            support = await IdeaSupport.get_or_none(idea_id=idea.id, email=checked.email)
            if support is None:
                support = await IdeaSupport.create(
                    idea_id=idea.id,
                    email=checked.email,
                    bring=checked.bring,
                    confirm_token=new_token(),
                )
            if support.confirmed_at is None:
                await _queue_confirmation(idea, support, locale=locale, settings=settings)
            await count_attempts(keys, now=now)
    except IntegrityError:
        pass  # the same address at the same moment from another request: that one counts
    return checked


async def _queue_confirmation(
    idea: Idea, support: IdeaSupport, *, locale: str, settings: Settings
) -> None:
    await queue_idea_mail(
        "idea_support_confirm",
        to_email=support.email,
        title=idea.title,
        locale=locale,
        settings=settings,
        context={
            "summary": idea.summary,
            "town": idea.town,
            "bring": str(support.bring),
            "confirm_url": idea_url(
                settings.base_url, "idea_support_confirm", token=support.confirm_token
            ),
            "idea_url": idea_url(settings.base_url, "idea_detail", idea_id=idea.id),
        },
    )


async def support_by_token(token: str) -> tuple[IdeaSupport, Idea]:
    """The support a confirmation link belongs to, and its idea (for the asking page)."""
    support = await IdeaSupport.get_or_none(confirm_token=token[:64]).prefetch_related("idea")
    if support is None or support.idea.status not in (IdeaStatus.APPROVED, IdeaStatus.MERGED):
        raise NotFound()
    return support, support.idea


async def confirm_support(token: str, *, now: datetime | None = None) -> Idea:
    """Count the support. Doing it twice changes nothing; an old link no longer works.
    Returns the idea it counts for."""
    now = now or datetime.now(UTC)
    support, idea = await support_by_token(token)
    if support.confirmed_at is None:
        if support.created_at + CONFIRM_WITHIN < now:
            raise Conflict("link_expired")
        await IdeaSupport.filter(id=support.id, confirmed_at__isnull=True).update(confirmed_at=now)
    return idea
