"""Inviting a referred person to one activity, and their sign-up through the invitation.

The organiser invites by mail (when the person gave an address) or prints a letter with a
QR code and the organisation's phone number; both carry the same unguessable link
(``/invitations/{token}``, one per referral: inviting to another activity makes a new one
and the old link stops working). The link opens the activity with a sign-up form filled in
from the referral; the sign-up itself is the ordinary one
(``registrations.sign_up_from_form``) and is then linked to the referral. An organiser can
also sign the person up at once (``registrations.assisted_sign_up``), for instance after a
phone call.

Imports models, errors, settings, ``events.tickets``, ``services.registrations`` and the
referral modules ``access``, ``links``, ``mails``, ``stages`` and ``suggestions``.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from tortoise.transactions import in_transaction

from events.models import Event, Organisation, Referral, ReferralStage, Registration
from events.services import registrations
from events.services.errors import Conflict, Invalid, NotFound
from events.services.places import ACTIVE, open_for_signup
from events.services.referrals.access import referral_for_staff
from events.services.referrals.links import absolute as link_to
from events.services.referrals.mails import event_context, queue_mail
from events.services.referrals.stages import int_list, link_registration, rank, refresh_stages
from events.services.registrations import SignupOutcome
from events.services.staff import Actor
from events.settings import Settings
from events.tickets import build_qr_svg

WAYS = ("mail", "letter")


def remember_mail(referral: Referral, message_id: int) -> None:
    """Keep the id of a mail that names the person, so erasure can delete it."""
    sent = int_list(referral.details.get("mails"))
    referral.details = {**referral.details, "mails": [*sent, message_id]}


def locale_of(referral: Referral) -> str:
    """The language of mail to the person: the one the referral was made in."""
    return str(referral.details.get("locale") or "nl")


async def _event(event_id: int) -> Event:
    event = await Event.get_or_none(id=event_id).prefetch_related("venue", "organisation")
    if event is None:
        raise NotFound()
    return event


async def open_event_for(referral: Referral, event_id: int, *, now: datetime) -> Event:
    """An activity of the referral's organisation that is open for sign-up."""
    event = await _event(event_id)
    if event.organisation_id != referral.organisation_id:
        raise NotFound()
    if not open_for_signup(event, now):
        raise Conflict("event_not_open" if event.ends_at >= now else "event_over")
    return event


async def invite(
    actor: Actor,
    referral_id: int,
    event_id: int,
    *,
    way: str,
    settings: Settings,
    now: datetime,
) -> Referral:
    """Invite the person to this activity by ``mail`` (``no_email`` without an address) or
    by ``letter`` (printed from :func:`letter`)."""
    if way not in WAYS:
        raise Invalid("invalid_choice")
    action = "invite" if way == "mail" else "letter"
    referral = await referral_for_staff(actor, referral_id, action=action, organiser_only=True)
    event = await open_event_for(referral, event_id, now=now)
    if way == "mail" and not referral.email:
        raise Conflict("no_email")
    async with in_transaction():
        if referral.invited_event_id != event.id or not referral.invitation_token:
            referral.invitation_token = secrets.token_urlsafe(24)
        referral.invited_event_id, referral.invited_at = event.id, now
        if rank(referral.stage) < rank(ReferralStage.INVITED):
            referral.stage = ReferralStage.INVITED
        if way == "mail":
            assert referral.email is not None
            message = await queue_mail(
                "referral_invitation",
                to_email=referral.email,
                locale=locale_of(referral),
                context=_mail_context(referral, event, settings),
                settings=settings,
                event_id=event.id,
                reply_to=event.organisation.email,
            )
            remember_mail(referral, message.id)
        await referral.save()
    await refresh_stages([referral])
    return referral


def _mail_context(referral: Referral, event: Event, settings: Settings) -> dict[str, object]:
    assert referral.invitation_token is not None
    return {
        "first_name": referral.first_name,
        "invitation_url": invitation_url(settings, referral.invitation_token),
        "wants_buddy": referral.wants_buddy,
        **event_context(event, settings),
    }


def invitation_url(settings: Settings, token: str) -> str:
    return link_to(settings.base_url, "referral_invitation", token=token)


@dataclass(frozen=True)
class Letter:
    """A printable invitation: the activity, the link as a QR code, who to call."""

    first_name: str
    event: Event
    organisation: Organisation
    url: str
    qr_svg: str
    wants_buddy: bool


async def letter(actor: Actor, referral_id: int, *, settings: Settings) -> Letter:
    """The letter of the current invitation (``not_invited`` before there is one)."""
    referral = await referral_for_staff(actor, referral_id, action="letter", organiser_only=True)
    if referral.invited_event_id is None or not referral.invitation_token:
        raise Conflict("not_invited")
    event = await _event(referral.invited_event_id)
    url = invitation_url(settings, referral.invitation_token)
    return Letter(
        first_name=referral.first_name,
        event=event,
        organisation=event.organisation,
        url=url,
        qr_svg=build_qr_svg(url),
        wants_buddy=referral.wants_buddy,
    )


# --- the invited person's side ------------------------------------------------------------


@dataclass(frozen=True)
class Invitation:
    """What the invitation page shows: the activity, the form filled in from the referral,
    and whether the person already signed up through it."""

    token: str
    event: Event
    values: dict[str, object]
    signed_up: bool


async def _by_token(token: str) -> Referral:
    if not token or len(token) > 64:
        raise NotFound()
    referral = await Referral.get_or_none(invitation_token=token)
    if referral is None or not referral.first_name or referral.invited_event_id is None:
        raise NotFound()
    return referral


async def invitation(token: str) -> Invitation:
    """The invitation behind a link; NotFound for an unknown or erased one."""
    referral = await _by_token(token)
    assert referral.invited_event_id is not None
    event = await _event(referral.invited_event_id)
    signed_up = await Registration.filter(
        id=referral.registration_id or -1, event_id=event.id, status__in=ACTIVE
    ).exists()
    values: dict[str, object] = {
        "first_name": referral.first_name,
        "email": referral.email or "",
        "needs": [n for n in referral.needs if n in registrations.NEEDS],
        "interests": [k for k in referral.kinds if k in registrations.STANDARD_INTERESTS],
    }
    return Invitation(token=token, event=event, values=values, signed_up=signed_up)


async def accept_invitation(
    token: str,
    data: Mapping[str, object],
    *,
    locale: str,
    settings: Settings,
    now: datetime,
) -> SignupOutcome:
    """Sign up through the invitation (the ordinary checks and mail) and link the sign-up
    to the referral."""
    referral = await _by_token(token)
    assert referral.invited_event_id is not None
    event = await _event(referral.invited_event_id)
    outcome = await registrations.sign_up_from_form(
        data, event=event, locale=locale, settings=settings, now=now
    )
    await _link(referral.id, outcome)
    return outcome


async def sign_up_assisted(
    actor: Actor,
    referral_id: int,
    event_id: int,
    data: Mapping[str, object],
    *,
    locale: str,
    settings: Settings,
    now: datetime,
) -> SignupOutcome:
    """An organiser signs the referred person up (no email needed); counts as invited."""
    referral = await referral_for_staff(actor, referral_id, action="sign_up", organiser_only=True)
    event = await open_event_for(referral, event_id, now=now)
    outcome = await registrations.assisted_sign_up(
        actor, event.id, data, walk_in=False, locale=locale, settings=settings
    )
    if referral.invited_at is None:
        await Referral.filter(id=referral.id).update(invited_at=now, invited_event_id=event.id)
    await _link(referral.id, outcome)
    return outcome


async def _link(referral_id: int, outcome: SignupOutcome) -> None:
    lead = outcome.lead
    if lead is None:
        return
    async with in_transaction():
        referral = await Referral.filter(id=referral_id).select_for_update().first()
        if referral is None:
            return
        link_registration(referral, lead.id)
        await referral.save(update_fields=["registration_id", "details"])
    await refresh_stages([referral])
