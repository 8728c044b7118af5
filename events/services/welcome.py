"""Welcome links: how a staff member invited without a password (a checker, a referrer)
chooses one. The link is signed with the app's secret key, runs out after the days its
maker gives, and works once: the signature covers the current password hash, which
choosing a password changes.

Imports models, errors and the staff helpers.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from datetime import datetime, timedelta

from events.models import Role, StaffUser
from events.services.errors import Conflict, FormError
from events.services.staff import MIN_PASSWORD_LENGTH, hash_password

MAX_ID = 2**31 - 1


def _signature(user: StaffUser, expires: int, secret: str) -> str:
    message = f"welcome|{user.role}|{user.id}|{expires}|{user.password_hash}".encode()
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:24]).decode().rstrip("=")


def welcome_token(user: StaffUser, *, secret: str, now: datetime, days: int) -> str:
    """``<user id>.<expiry>.<signature>``: valid for ``days`` days, once."""
    expires = int((now + timedelta(days=days)).timestamp())
    return f"{user.id}.{expires}.{_signature(user, expires, secret)}"


async def user_for_welcome(token: str, *, role: Role, secret: str, now: datetime) -> StaffUser:
    """The active staff member of ``role`` a welcome link belongs to; ``link_expired`` when
    the link is wrong, used or too old (the three look the same)."""
    parts = token.split(".")
    if len(parts) != 3 or not all(p.isascii() and p.isdigit() for p in parts[:2]):
        raise Conflict("link_expired")
    user_id, expires = int(parts[0]), int(parts[1])
    if user_id > MAX_ID or expires < now.timestamp():
        raise Conflict("link_expired")
    user = await StaffUser.get_or_none(id=user_id, role=role, is_active=True)
    if user is None or not hmac.compare_digest(_signature(user, expires, secret), parts[2]):
        raise Conflict("link_expired")
    return user


async def choose_password(
    token: str, data: Mapping[str, object], *, role: Role, secret: str, now: datetime
) -> StaffUser:
    """Set the password (``password`` twice) through a welcome link; the link then stops
    working."""
    user = await user_for_welcome(token, role=role, secret=secret, now=now)
    password = str(data.get("password") or "")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise FormError({"password": "password_too_short"})
    if password != str(data.get("password_again") or ""):
        raise FormError({"password_again": "passwords_differ"})
    user.password_hash = hash_password(password)
    user.last_login_at = None
    await user.save(update_fields=["password_hash", "last_login_at"])
    return user
