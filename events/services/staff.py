"""Staff accounts: Argon2 password hashes, sign-in, and who may see what.

An :class:`Actor` is the signed-in staff member as the rules see them: role, organisation
and, for hosts, venues. Imports models and errors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import anyio.to_thread
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from events.models import Organisation, Role, StaffUser, Venue
from events.services.errors import FormError

_hasher = PasswordHasher()
# Verifying against this keeps a sign-in with an unknown email as slow as a real one.
_DUMMY_HASH = _hasher.hash("not a real password")
MIN_PASSWORD_LENGTH = 10


@dataclass(frozen=True)
class Actor:
    """A signed-in staff member, reduced to what access rules need."""

    user_id: int
    email: str
    name: str
    role: Role
    organisation_id: int | None
    venue_ids: frozenset[int] = field(default_factory=frozenset)
    # A volunteer door host with a door pass: no account (user_id 0), one event only.
    event_ids: frozenset[int] | None = None
    door_pass_id: int | None = None

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def can_organise(self) -> bool:
        return self.role in (Role.ORGANISER, Role.ADMIN)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


async def create_user(
    email: str,
    password: str,
    *,
    role: Role,
    organisation: Organisation | None = None,
    venues: list[Venue] | None = None,
    name: str = "",
) -> StaffUser:
    """A new staff account; organisers and hosts belong to an organisation, and a host
    serves only venues of that organisation."""
    errors: dict[str, str] = {}
    email = email.strip().lower()
    if "@" not in email or len(email) > 254:
        errors["email"] = "email_invalid"
    elif await StaffUser.filter(email=email).exists():
        errors["email"] = "email_taken"
    if len(password) < MIN_PASSWORD_LENGTH:
        errors["password"] = "password_too_short"
    if role != Role.ADMIN and organisation is None:
        errors["organisation"] = "required"
    elif venues and any(
        organisation is None or venue.organisation_id != organisation.id for venue in venues
    ):
        errors["venues"] = "venue_other_organisation"
    if errors:
        raise FormError(errors)
    user = await StaffUser.create(
        email=email,
        name=name,
        password_hash=hash_password(password),
        role=role,
        organisation=organisation,
    )
    if venues:
        await user.venues.add(*venues)
    return user


async def authenticate(email: str, password: str) -> Actor | None:
    """The actor for a correct email and password, else None (same time either way)."""
    email = email.replace("\x00", "").strip().lower()
    user = None
    if len(email) <= 254:
        user = await StaffUser.get_or_none(email=email, is_active=True)
    # Argon2 takes tens of milliseconds of CPU on purpose: off the event loop, so a burst
    # of sign-in attempts does not stall every other request.
    try:
        await anyio.to_thread.run_sync(
            _hasher.verify, user.password_hash if user else _DUMMY_HASH, password
        )
    except (VerificationError, InvalidHashError):
        return None
    if user is None:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = datetime.now(UTC)
    await user.save(update_fields=["password_hash", "last_login_at"])
    return await load_actor(user.id)


async def load_actor(user_id: int) -> Actor | None:
    """The actor for a session's user id; None when the account is gone or disabled."""
    user = await StaffUser.get_or_none(id=user_id, is_active=True)
    if user is None:
        return None
    venue_ids: frozenset[int] = frozenset()
    if user.role == Role.HOST:
        venue_ids = frozenset(venue.id for venue in await user.venues.all())
    return Actor(
        user_id=user.id,
        email=user.email,
        name=user.name,
        role=user.role,
        organisation_id=user.organisation_id,
        venue_ids=venue_ids,
    )
