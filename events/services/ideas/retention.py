"""How long what people left with an idea is kept. Unconfirmed proposals and supports are
deleted once their link has expired (they never counted). Past the retention period an
idea forgets its proposer (first name and address), and each support its address, which
becomes ``erased:<id>`` so the counts stay: aggregated figures survive erasure. An erased
support counts as told, so no mail is ever queued to it.

A support's address is kept while it may still be needed: until the retention period has
passed since it was given and, when the idea became an activity, since that activity
ended (the report counts how many supporters signed up). Imports models and
``services.ideas.proposals``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from tortoise.expressions import Q

from events.models import Idea, IdeaSupport
from events.services.ideas.proposals import CONFIRM_WITHIN

ERASED = "erased:"


async def purge_ideas(*, now: datetime, retention_days: int) -> dict[str, int]:
    """Delete and erase what is due; returns how many rows of each kind were touched."""
    expired = now - CONFIRM_WITHIN
    cutoff = now - timedelta(days=retention_days)
    unconfirmed_ideas = await Idea.filter(
        confirmed_at__isnull=True, created_at__lt=expired
    ).delete()
    unconfirmed_supports = await IdeaSupport.filter(
        confirmed_at__isnull=True, created_at__lt=expired
    ).delete()
    proposers = (
        await Idea.filter(created_at__lt=cutoff)
        .filter(Q(proposer_email__isnull=False) | ~Q(proposer_first_name=""))
        .update(proposer_email=None, proposer_first_name="")
    )
    due = await (
        IdeaSupport.filter(created_at__lt=cutoff)
        .filter(Q(idea__event_id__isnull=True) | Q(idea__event__ends_at__lt=cutoff))
        .exclude(email__startswith=ERASED)
        .values_list("id", flat=True)
    )
    for support_id in due:
        await IdeaSupport.filter(id=support_id).update(email=f"{ERASED}{support_id}")
    # An erased address can be told nothing: never pick it up for the news of an activity.
    await IdeaSupport.filter(id__in=list(due), notified_at__isnull=True).update(notified_at=now)
    return {
        "unconfirmed_ideas": unconfirmed_ideas,
        "unconfirmed_supports": unconfirmed_supports,
        "proposers_erased": proposers,
        "supporters_erased": len(due),
    }
