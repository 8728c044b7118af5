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

import hashlib
import secrets
from collections.abc import Mapping

from itsdangerous import BadSignature, URLSafeTimedSerializer

import events.services.volunteers.mails as mails
from events.models import Organisation, Role, StaffUser, Venue, VenueCheck
from events.services.errors import Conflict, FormError, NotFound
from events.services.forms import Fields
from events.services.staff import MIN_PASSWORD_LENGTH, Actor, create_user, hash_password
from events.services.venues import get_venue_for
from events.services.volunteers.links import link
from events.settings import Settings

WELCOME_DAYS = 14
SALT = "checker-welcome"


def _fingerprint(user: StaffUser) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def welcome_token(user: StaffUser, settings: Settings) -> str:
    serializer = URLSafeTimedSerializer(settings.secret_key, salt=SALT)
    return str(serializer.dumps({"u": user.id, "f": _fingerprint(user)}))


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
    url = link(base, "checks_welcome", token=welcome_token(user, settings)) if new else ""
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
    serializer = URLSafeTimedSerializer(settings.secret_key, salt=SALT)
    try:
        data = serializer.loads(token, max_age=WELCOME_DAYS * 24 * 3600)
    except BadSignature as exc:  # SignatureExpired is one too
        raise Conflict("link_expired") from exc
    user = await StaffUser.get_or_none(id=data.get("u"), role=Role.CHECKER, is_active=True)
    if user is None:
        raise NotFound()
    if data.get("f") != _fingerprint(user):
        raise Conflict("link_expired")
    return user


async def set_checker_password(
    token: str, data: Mapping[str, object], *, settings: Settings
) -> StaffUser:
    """Choose a password from a welcome link; the link stops working."""
    user = await welcome_user(token, settings=settings)
    password, again = str(data.get("password") or ""), str(data.get("password_again") or "")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise FormError({"password": "password_too_short"})
    if password != again:
        raise FormError({"password_again": "passwords_differ"})
    user.password_hash = hash_password(password)
    user.last_login_at = None
    await user.save(update_fields=["password_hash", "last_login_at"])
    return user


async def venue_checks(actor: Actor, venue_id: int) -> tuple[Venue, list[VenueCheck]]:
    """A venue of the actor's organisation with its checks, newest first, checker fetched."""
    venue = await get_venue_for(actor, venue_id, to_change=True)
    checks = await VenueCheck.filter(venue_id=venue.id).prefetch_related("checker")
    return venue, list(checks)
