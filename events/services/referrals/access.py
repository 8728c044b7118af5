"""Who may see which referral, and the log of every look at one.

A referrer (``Role.REFERRER``) sees only the referrals they made; the organisers of the
referral's organisation (and admins) see all of its referrals. For anyone else a referral
does not exist (NotFound). Erased referrals (kept without personal data for the figures)
are never shown.

Every service that shows a referral's data to staff writes a :class:`ReferralView` row in
the same call: who, when, and what they did (:data:`ACTIONS`). The organisation's
organisers read that log through :func:`view_log`.

Imports models, errors and the staff ``Actor``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from tortoise.queryset import QuerySet

from events.models import Referral, ReferralView, Role
from events.services.errors import NotFound
from events.services.staff import Actor

ACTIONS = ("list", "view", "invite", "letter", "sign_up", "buddy", "erase")
"""What staff did when they saw a referral: seen in a list, opened, invited by mail,
printed a letter, signed up, paired a buddy, erased."""


def is_referrer(actor: Actor) -> bool:
    return actor.role == Role.REFERRER and actor.organisation_id is not None


def ensure_referrer(actor: Actor) -> None:
    """NotFound for everyone but a referrer of an organisation."""
    if not is_referrer(actor):
        raise NotFound()


def ensure_organiser(actor: Actor) -> None:
    """NotFound for everyone but organisers and admins."""
    if not actor.can_organise:
        raise NotFound()


def live(query: QuerySet[Referral]) -> QuerySet[Referral]:
    """Referrals that still hold their data (an erased one keeps only its stage)."""
    return query.exclude(first_name="")


def organisation_referrals(actor: Actor) -> QuerySet[Referral]:
    """The live referrals of the organiser's organisation (admins: all)."""
    ensure_organiser(actor)
    if actor.is_admin:
        return live(Referral.all())
    return live(Referral.filter(organisation_id=actor.organisation_id))


def own_referrals(actor: Actor) -> QuerySet[Referral]:
    """The live referrals this referrer made."""
    ensure_referrer(actor)
    return live(Referral.filter(referrer_id=actor.user_id, organisation_id=actor.organisation_id))


def visible_referrals(actor: Actor) -> QuerySet[Referral]:
    """A referrer's own referrals, or an organiser's organisation's; NotFound for others."""
    return own_referrals(actor) if is_referrer(actor) else organisation_referrals(actor)


async def log_views(actor: Actor, referral_ids: Iterable[int], action: str) -> None:
    """Record that this staff member saw these referrals (one row each)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown referral view action {action!r}")
    rows = [
        ReferralView(referral_id=rid, staff_user_id=actor.user_id, action=action)
        for rid in dict.fromkeys(referral_ids)
    ]
    if rows:
        await ReferralView.bulk_create(rows)


async def referral_for_staff(
    actor: Actor, referral_id: int, *, action: str, organiser_only: bool = False
) -> Referral:
    """One referral the actor may see (an organiser's, or a referrer's own), logged as
    ``action``; NotFound for anything else. ``organiser_only`` refuses referrers."""
    query = organisation_referrals(actor) if organiser_only else visible_referrals(actor)
    referral = await query.get_or_none(id=referral_id)
    if referral is None:
        raise NotFound()
    await log_views(actor, [referral.id], action)
    return referral


@dataclass(frozen=True)
class ViewRow:
    """One line of the access log: which referral (by number, never by name), who, what."""

    referral_id: int
    staff_name: str
    staff_email: str
    staff_role: str
    action: str
    viewed_at: datetime


async def view_log(actor: Actor, *, limit: int = 500) -> list[ViewRow]:
    """Who looked at the organisation's referrals, newest first (organisers and admins)."""
    ensure_organiser(actor)
    query = ReferralView.all()
    if not actor.is_admin:
        query = query.filter(referral__organisation_id=actor.organisation_id)
    rows = await query.order_by("-viewed_at", "-id").limit(limit).select_related("staff_user")
    return [
        ViewRow(
            referral_id=row.referral_id,
            staff_name=row.staff_user.name if row.staff_user else "",
            staff_email=row.staff_user.email if row.staff_user else "",
            staff_role=row.staff_user.role.value if row.staff_user else "",
            action=row.action,
            viewed_at=row.viewed_at,
        )
        for row in rows
    ]
