"""The organiser's side: the list of the organisation's referrals with the upcoming
activities that fit each one, and one referral with everything needed to invite the
person, sign them up and pair a buddy. Every referral shown is logged as seen.

Imports models, the staff ``Actor`` and the referral modules ``access``, ``stages`` and
``suggestions``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from events.models import BuddyPairing, Event, Organisation, Referral, Registration, StaffUser
from events.services.errors import NotFound
from events.services.referrals.access import log_views, organisation_referrals, referral_for_staff
from events.services.referrals.stages import refresh_stages, registration_ids
from events.services.referrals.suggestions import Suggestion, judge, open_events, suggest
from events.services.staff import Actor


@dataclass(frozen=True)
class ListRow:
    """One referral on the organiser's list, with the activities that fit it."""

    referral: Referral
    referrer: str
    suggestions: list[Suggestion]


async def _organisations(ids: set[int]) -> dict[int, Organisation]:
    return {o.id: o for o in await Organisation.filter(id__in=sorted(ids))}


async def referral_list(actor: Actor, *, now: datetime) -> list[ListRow]:
    """The organisation's referrals, newest first, each with up to three fitting
    activities (every one is logged as seen in a list)."""
    rows = (
        await organisation_referrals(actor)
        .order_by("-created_at", "-id")
        .prefetch_related("referrer", "invited_event")
    )
    await refresh_stages(rows)
    organisations = await _organisations({r.organisation_id for r in rows})
    events: dict[int, list[Event]] = {}
    for org_id, organisation in organisations.items():
        events[org_id] = await open_events(organisation, now=now)
    await log_views(actor, [r.id for r in rows], "list")
    return [
        ListRow(
            referral=r,
            referrer=_referrer_name(r.referrer),
            suggestions=suggest(r, events[r.organisation_id]),
        )
        for r in rows
    ]


def _referrer_name(user: StaffUser | None) -> str:
    return (user.name or user.email) if user is not None else ""


@dataclass(frozen=True)
class Detail:
    """One referral as the organiser works on it."""

    referral: Referral
    referrer: str
    referrer_email: str
    fitting: list[Suggestion]
    others: list[Suggestion]
    invited_event: Event | None
    registrations: list[Registration]
    pairings: list[BuddyPairing]


async def referral_detail(actor: Actor, referral_id: int, *, now: datetime) -> Detail:
    """One referral of the organisation (logged as viewed): the activities that fit and
    the others still open, the invitation, the sign-ups it led to and the buddy."""
    referral = await referral_for_staff(actor, referral_id, action="view", organiser_only=True)
    await refresh_stages([referral])
    await referral.fetch_related("referrer", "invited_event")
    organisation = await Organisation.get_or_none(id=referral.organisation_id)
    if organisation is None:
        raise NotFound()
    judged = [judge(referral, e) for e in await open_events(organisation, now=now)]
    signups = await Registration.filter(id__in=registration_ids(referral)).prefetch_related("event")
    pairings = (
        await BuddyPairing.filter(referral_id=referral.id)
        .order_by("-created_at")
        .prefetch_related("event")
    )
    user = referral.referrer
    return Detail(
        referral=referral,
        referrer=_referrer_name(user),
        referrer_email=user.email if user else "",
        fitting=[s for s in judged if s.fits],
        others=[s for s in judged if not s.fits],
        invited_event=referral.invited_event,
        registrations=list(signups),
        pairings=list(pairings),
    )
