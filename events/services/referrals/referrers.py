"""Referrers: a GP practice, social team, welfare worker or school mentor, invited by an
organiser as a staff account with ``Role.REFERRER`` and no other rights.

An organiser invites one by name and email (:func:`invite_referrer`): the account is made
by ``staff.create_user`` with a random password nobody knows, and a mail carries a link to
choose one (:func:`set_password`). The link is signed with the app's secret key, runs out
after :data:`LINK_DAYS` days and works once: it is tied to the current password hash, which
choosing a password changes. An organiser can also take a referrer's access away.

Imports models, errors, forms, settings, the staff service and ``referrals.mails``,
``referrals.links``, ``referrals.access`` and ``referrals.vocabulary``.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import datetime

from tortoise.transactions import in_transaction

from events.models import Organisation, Role, StaffUser
from events.services import staff, welcome
from events.services.errors import FormError, NotFound
from events.services.forms import Fields
from events.services.referrals.access import ensure_organiser
from events.services.referrals.links import absolute as link_to
from events.services.referrals.mails import organisation_context, queue_mail
from events.services.referrals.vocabulary import check_email
from events.services.staff import Actor
from events.settings import Settings

LINK_DAYS = 7


async def _organisation(actor: Actor) -> Organisation:
    ensure_organiser(actor)
    organisation = await Organisation.get_or_none(id=actor.organisation_id)
    if organisation is None:  # an admin without an organisation invites nobody
        raise NotFound()
    return organisation


async def list_referrers(actor: Actor) -> list[StaffUser]:
    """The organisation's referrers, active ones first."""
    organisation = await _organisation(actor)
    return await StaffUser.filter(organisation_id=organisation.id, role=Role.REFERRER).order_by(
        "-is_active", "name", "id"
    )


async def invite_referrer(
    actor: Actor, data: Mapping[str, object], *, settings: Settings, now: datetime, locale: str
) -> StaffUser:
    """Make a referrer account (``name``, ``email``) and mail them the link to choose a
    password. FormError per field, ``email_taken`` when the address has an account."""
    organisation = await _organisation(actor)
    f = Fields(data)
    name = f.text("name", required=True, max_length=100)
    email = check_email(f, "email", required=True)
    if f.errors:
        raise FormError(f.errors)
    assert email is not None
    async with in_transaction():
        user = await staff.create_user(
            email,
            secrets.token_urlsafe(32),
            role=Role.REFERRER,
            organisation=organisation,
            name=name,
        )
        token = welcome.welcome_token(user, secret=settings.secret_key, now=now, days=LINK_DAYS)
        context = {
            "name": name,
            "welcome_url": link_to(settings.base_url, "referrer_welcome", token=token),
            "days": LINK_DAYS,
            **organisation_context(organisation, settings),
        }
        await queue_mail(
            "referral_referrer_invitation",
            to_email=user.email,
            locale=locale,
            context=context,
            settings=settings,
            reply_to=organisation.email,
        )
    return user


async def set_active(actor: Actor, user_id: int, *, active: bool) -> StaffUser:
    """Take a referrer's access away (or give it back); their referrals stay."""
    organisation = await _organisation(actor)
    user = await StaffUser.get_or_none(
        id=user_id, organisation_id=organisation.id, role=Role.REFERRER
    )
    if user is None:
        raise NotFound()
    user.is_active = active
    await user.save(update_fields=["is_active"])
    return user


# --- the link to choose a password --------------------------------------------------------


async def user_for_token(token: str, *, secret: str, now: datetime) -> StaffUser:
    """The active referrer a password link belongs to; ``link_expired`` when the link is
    wrong, used or too old (the three look the same)."""
    return await welcome.user_for_welcome(token, role=Role.REFERRER, secret=secret, now=now)


async def set_password(
    token: str, data: Mapping[str, object], *, secret: str, now: datetime
) -> StaffUser:
    """Choose a password through the link (``password`` twice); the link then stops working."""
    return await welcome.choose_password(token, data, role=Role.REFERRER, secret=secret, now=now)
