"""Staff sessions kept on the server: the cookie holds a random token, the database holds
its SHA-256 hash, who it belongs to and when it was last used.

Owns starting a session at sign-in (:func:`start_session`), finding the signed-in
:class:`~events.services.staff.Actor` for a token in one query (:func:`actor_for_token`),
ending one session or all of a staff member's (:func:`end_session`,
:func:`end_all_sessions`) and forgetting old rows (:func:`forget_old_sessions`). A session
ends when its owner signs out, when it has not been used for ``idle`` (the setting
``EVENTS_SESSION_IDLE_HOURS``), or when the account is disabled: a copied cookie is worth
nothing after any of these. Imports models and the staff service.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from tortoise.expressions import Q

from events.models import Role, StaffSession, StaffUser
from events.services.staff import Actor

TOUCH_EVERY = timedelta(minutes=5)
"""``last_seen_at`` is written at most this often per session: most requests only read."""
KEEP_ENDED = timedelta(days=30)


def token_hash(token: str) -> str:
    """What the database stores of a token: a stolen database yields no usable cookie."""
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


async def start_session(user_id: int, *, now: datetime) -> str:
    """A new session for this staff member; returns the token for the cookie."""
    token = secrets.token_urlsafe(32)
    await StaffSession.create(token_hash=token_hash(token), user_id=user_id, last_seen_at=now)
    return token


async def actor_for_token(token: str, *, now: datetime, idle: timedelta) -> Actor | None:
    """The actor of a live session, or None (unknown, ended, idle too long, account
    disabled). One query; hosts need a second for their venues, and a session unused for
    :data:`TOUCH_EVERY` one write to note that it is in use."""
    if not token or len(token) > 256:
        return None
    rows = (
        await StaffSession.filter(
            token_hash=token_hash(token),
            ended_at__isnull=True,
            last_seen_at__gt=now - idle,
            user__is_active=True,
        )
        .limit(1)
        .values(
            "id",
            "last_seen_at",
            "user_id",
            "user__email",
            "user__name",
            "user__role",
            "user__organisation_id",
        )
    )
    if not rows:
        return None
    row = rows[0]
    role = Role(row["user__role"])
    venue_ids: frozenset[int] = frozenset()
    if role == Role.HOST:
        venues = await StaffUser.filter(id=row["user_id"]).values_list("venues__id", flat=True)
        venue_ids = frozenset(int(str(v)) for v in venues if v is not None)
    if row["last_seen_at"] <= now - TOUCH_EVERY:
        await StaffSession.filter(id=row["id"], ended_at__isnull=True).update(last_seen_at=now)
    return Actor(
        user_id=int(row["user_id"]),
        email=str(row["user__email"]),
        name=str(row["user__name"]),
        role=role,
        organisation_id=row["user__organisation_id"],
        venue_ids=venue_ids,
    )


async def end_session(token: str, *, now: datetime) -> None:
    """Sign out: the session ends, so its cookie, wherever it was copied, stops working."""
    if token:
        await StaffSession.filter(token_hash=token_hash(token), ended_at__isnull=True).update(
            ended_at=now
        )


async def end_all_sessions(user_id: int, *, now: datetime) -> int:
    """Sign out everywhere: every live session of this staff member ends; how many."""
    return await StaffSession.filter(user_id=user_id, ended_at__isnull=True).update(ended_at=now)


async def live_sessions(user_id: int, *, now: datetime, idle: timedelta) -> int:
    """How many sessions of this staff member are still in use (this one included)."""
    return await StaffSession.filter(
        user_id=user_id, ended_at__isnull=True, last_seen_at__gt=now - idle
    ).count()


async def forget_old_sessions(*, now: datetime, idle: timedelta) -> int:
    """Delete sessions that ended, or went idle, more than :data:`KEEP_ENDED` ago."""
    cutoff = now - KEEP_ENDED
    return await StaffSession.filter(
        Q(ended_at__lt=cutoff) | Q(ended_at__isnull=True, last_seen_at__lt=cutoff - idle)
    ).delete()
