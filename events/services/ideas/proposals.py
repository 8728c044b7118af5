"""Proposing an idea without an account, and confirming it by email before it counts.

A proposal is stored unconfirmed and a confirmation link goes to the proposer's address.
Only a confirmed idea reaches the organisers of its town (status ``pending``); nothing of
it is public before one of them approves it (``services.ideas.moderation``). Someone
younger than 16 gives only a first name and an address for the link, and the address is
erased the moment the idea is confirmed. Nothing about a proposer is ever shown.

Imports models, errors, settings, ``events.i18n`` and the ideas' form, scope, mail and
throttle modules.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from tortoise.transactions import in_transaction

from events.i18n import Formatter
from events.models import Idea, IdeaStatus
from events.services.errors import Conflict, NotFound
from events.services.ideas.form import IdeaRequest, check_idea
from events.services.ideas.mail import idea_url, queue_idea_mail
from events.services.ideas.scope import idea_towns, venue_choices
from events.services.ideas.throttle import (
    PROPOSALS_BY_ADDRESS,
    PROPOSALS_BY_EMAIL,
    check_limits,
    count_attempts,
)
from events.settings import Settings

CONFIRM_WITHIN = timedelta(days=7)
"""How long a confirmation link works (for proposals and for "I would come")."""


def new_token() -> str:
    return secrets.token_urlsafe(24)


async def propose_idea(
    data: Mapping[str, object],
    *,
    client: str,
    locale: str,
    settings: Settings,
    now: datetime | None = None,
) -> IdeaRequest:
    """Check a proposal (FormError per field), store it unconfirmed and queue the mail
    with the confirmation link. Raises ``Throttled`` past the limits per client address
    and per email address; only accepted proposals count towards them."""
    now = now or datetime.now(UTC)
    today = now.astimezone(ZoneInfo(settings.timezone)).date()
    venues = await venue_choices()
    checked = check_idea(
        data,
        towns=await idea_towns(),
        venue_towns={venue.id: venue.town for venue in venues},
        today=today,
    )
    keys = [(PROPOSALS_BY_ADDRESS, client), (PROPOSALS_BY_EMAIL, checked.email)]
    await check_limits("idea_rate_limited", keys, now=now)
    token = new_token()
    async with in_transaction():
        idea = await Idea.create(
            title=checked.title,
            summary=checked.summary,
            town=checked.town,
            venue_id=checked.venue_id,
            month=checked.month,
            timing=checked.timing,
            audience=checked.audience,
            proposer_first_name=checked.first_name,
            proposer_email=checked.email,
            proposer_under_16=checked.under_16,
            confirm_token=token,
            status=IdeaStatus.UNCONFIRMED,
        )
        await queue_idea_mail(
            "idea_confirm",
            to_email=checked.email,
            title=idea.title,
            locale=locale,
            settings=settings,
            context={
                "first_name": checked.first_name,
                "summary": idea.summary,
                "town": idea.town,
                "confirm_url": idea_url(settings.base_url, "idea_confirm", token=token),
                "until": Formatter(settings.timezone).full(now + CONFIRM_WITHIN),
                "under_16": checked.under_16,
            },
        )
        await count_attempts(keys, now=now)
    return checked


async def idea_by_token(token: str) -> Idea:
    """The idea a confirmation link belongs to (for the page that asks to confirm)."""
    idea = await Idea.get_or_none(confirm_token=token[:64])
    if idea is None:
        raise NotFound()
    return idea


async def confirm_idea(token: str, *, now: datetime | None = None) -> Idea:
    """Confirm a proposal: it now counts and waits for an organiser of its town. Doing it
    twice changes nothing; a link older than :data:`CONFIRM_WITHIN` no longer works."""
    now = now or datetime.now(UTC)
    idea = await idea_by_token(token)
    if idea.confirmed_at is not None:
        return idea
    if idea.created_at + CONFIRM_WITHIN < now:
        raise Conflict("link_expired")
    # Someone younger than 16 is known only by a first name from here on.
    email = None if idea.proposer_under_16 else idea.proposer_email
    await Idea.filter(id=idea.id, confirmed_at__isnull=True).update(
        confirmed_at=now, status=IdeaStatus.PENDING, proposer_email=email
    )
    return await Idea.get(id=idea.id)
