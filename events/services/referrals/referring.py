"""The referrer's side: the form (its towns and the statement in the referrer's language),
sending a referral, and the referrer's own list with each referral's stage as far as the
person agreed to feedback. A referrer sees nothing else: no activities, no attendees.

Imports models, errors, the staff ``Actor`` and ``referrals.access``, ``.stages`` and
``.vocabulary``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from events.i18n import current_locale
from events.models import Organisation, Referral, ReferralStage, Venue
from events.services.errors import NotFound
from events.services.referrals.access import ensure_referrer, log_views, own_referrals
from events.services.referrals.stages import refresh_stages, stage_for_referrer
from events.services.referrals.vocabulary import (
    check_referral,
    consent_statement,
    feedback_statement,
)
from events.services.staff import Actor


@dataclass(frozen=True)
class FormInfo:
    """What the referral form shows: whose it is, the towns to choose from, and the two
    statements word for word."""

    organisation: str
    towns: list[str]
    statement: str
    feedback_statement: str


async def form_info(actor: Actor) -> FormInfo:
    """The referral form of the referrer's organisation (NotFound for anyone else)."""
    ensure_referrer(actor)
    organisation = await Organisation.get_or_none(id=actor.organisation_id)
    if organisation is None:
        raise NotFound()
    towns = await Venue.filter(organisation_id=organisation.id).values_list("town", flat=True)
    return FormInfo(
        organisation=organisation.name,
        towns=sorted({str(t) for t in towns}),
        statement=consent_statement(organisation.name),
        feedback_statement=feedback_statement(organisation.name),
    )


async def refer(actor: Actor, data: Mapping[str, object], *, now: datetime) -> Referral:
    """Check the form and store the referral with the statement the person agreed to."""
    info = await form_info(actor)
    checked = check_referral(data, organisation=info.organisation, towns=info.towns)
    assert actor.organisation_id is not None
    return await Referral.create(
        organisation_id=actor.organisation_id,
        referrer_id=actor.user_id,
        first_name=checked.first_name,
        contact_route=checked.contact_route,
        email=checked.email,
        phone=checked.phone,
        group=checked.group,
        towns=list(checked.towns),
        kinds=list(checked.kinds),
        needs=list(checked.needs),
        wants_buddy=checked.wants_buddy,
        consent_text=checked.consent_text,
        consented_at=now,
        feedback_consent=checked.feedback_consent,
        stage=ReferralStage.REFERRED,
        details={"locale": current_locale()},
    )


@dataclass(frozen=True)
class OwnReferral:
    """A line of the referrer's list: only what they typed themselves, and the stage they
    may see."""

    id: int
    first_name: str
    created_at: datetime
    stage: ReferralStage
    feedback_consent: bool


async def my_referrals(actor: Actor) -> list[OwnReferral]:
    """The referrer's own referrals, newest first (each one's view is logged)."""
    rows = await own_referrals(actor).order_by("-created_at", "-id")
    await refresh_stages(rows)
    await log_views(actor, [r.id for r in rows], "list")
    return [
        OwnReferral(
            id=r.id,
            first_name=r.first_name,
            created_at=r.created_at,
            stage=stage_for_referrer(r),
            feedback_consent=r.feedback_consent,
        )
        for r in rows
    ]
