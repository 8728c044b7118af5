"""Inviting checkers: an organiser asks someone with lived experience to check one of their
venues. A new checker gets a staff account with ``Role.CHECKER`` (through
``services.staff.create_user``, with a random password nobody knows) and a mail with a
link to choose a password; the link is signed with the secret key, works for
:data:`WELCOME_DAYS` and only once (it carries a fingerprint of the password hash, which
changes when the password is set). An existing checker of the organisation just gets the
new venue. Imports models, errors, settings, the staff service and ``volunteers.mails``/
``links``.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import UTC, datetime

import events.services.volunteers.mails as mails
from events.models import Organisation, Role, StaffUser, Venue, VenueCheck
from events.services import welcome
from events.services.errors import FormError
from events.services.forms import Fields
from events.services.staff import Actor, create_user
from events.services.venues import get_venue_for
from events.services.volunteers.links import link
from events.settings import Settings

WELCOME_DAYS = 14


async def invite_checker(
    actor: Actor, venue_id: int, data: Mapping[str, object], *, settings: Settings
) -> VenueCheck:
    """Assign a check of one of the actor's venues to a checker, new or known, and mail
    them. Someone with another kind of account cannot become a checker (``email_taken``)."""
    venue = await get_venue_for(actor, venue_id, to_change=True)
    f = Fields(data)
    name = f.text("name", required=True, max_length=100)
    email = f.text("email", required=True, max_length=254).lower()
    if f.errors:
        raise FormError(f.errors)
    organisation = await Organisation.get(id=venue.organisation_id)
    user = await StaffUser.get_or_none(email=email)
    new = user is None
    if user is None:
        user = await create_user(
            email, secrets.token_urlsafe(32), role=Role.CHECKER, organisation=organisation,
            name=name,
        )  # fmt: skip
    elif user.role != Role.CHECKER or user.organisation_id != organisation.id:
        raise FormError({"email": "email_taken"})
    check = await VenueCheck.create(venue=venue, checker=user)
    base = settings.base_url
    token = welcome.welcome_token(
        user, secret=settings.secret_key, now=datetime.now(UTC), days=WELCOME_DAYS
    )
    url = link(base, "checks_welcome", token=token) if new else ""
    await mails.queue(
        "volunteer_checker_invite",
        to_email=user.email,
        locale="nl",
        context=lambda: {
            "first_name": name,
            "organisation": organisation.name,
            "venue": venue.name,
            "address": f"{venue.address}, {venue.postcode} {venue.town}",
            "event_url": link(base, "checks_home"),
            "welcome_url": url,
            "checks_url": link(base, "checks_home"),
            "days": WELCOME_DAYS,
        },
        settings=settings,
        reply_to=organisation.email,
    )
    return check


async def welcome_user(token: str, *, settings: Settings) -> StaffUser:
    """The checker behind a welcome link; ``link_expired`` when it is old or used."""
    return await welcome.user_for_welcome(
        token, role=Role.CHECKER, secret=settings.secret_key, now=datetime.now(UTC)
    )


async def set_checker_password(
    token: str, data: Mapping[str, object], *, settings: Settings
) -> StaffUser:
    """Choose a password from a welcome link; the link stops working."""
    return await welcome.choose_password(
        token, data, role=Role.CHECKER, secret=settings.secret_key, now=datetime.now(UTC)
    )


async def venue_checks(actor: Actor, venue_id: int) -> tuple[Venue, list[VenueCheck]]:
    """A venue of the actor's organisation with its checks, newest first, checker fetched."""
    venue = await get_venue_for(actor, venue_id, to_change=True)
    checks = await VenueCheck.filter(venue_id=venue.id).prefetch_related("checker")
    return venue, list(checks)
