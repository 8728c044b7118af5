"""Door passes: a link or a six-character code that lets a volunteer door host work the
door of one activity without a staff account, from an hour before the start until the end
of that day, until an organiser revokes it.

Organisers create, list and revoke passes (Actor checked). :func:`redeem` checks a code or
a link and its window and returns a :class:`DoorGrant` (the pass and its one event): the
door (``services/door``, another owner) turns a grant into an actor limited to that event,
and every check-in it makes records the pass's id. Codes avoid look-alike characters; a
code that does not exist, belongs to a revoked pass, or to another activity all answer
alike where that matters (NotFound). Imports models, errors, scope and the staff Actor.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from events.models import DoorPass, Event, EventStatus, Role
from events.services.errors import Conflict, FormError, NotFound
from events.services.forms import Fields
from events.services.scope import get_event_for
from events.services.staff import Actor
from events.tickets import ALPHABET

CODE_LENGTH = 6
OPENS_BEFORE = timedelta(hours=1)
LOOK_ALIKES = str.maketrans({"0": "O", "1": "I", "L": "I"})


@dataclass(frozen=True)
class DoorGrant:
    """What a valid pass allows: the door of one event, from ``opens`` until ``closes``."""

    pass_id: int
    event_id: int
    holder_name: str
    token: str
    opens: datetime
    closes: datetime


def window(event: Event, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """An hour before the start until the end of the day it ends (local time), in UTC."""
    last_day = event.ends_at.astimezone(tz).date()
    closes = datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=tz)
    return event.starts_at - OPENS_BEFORE, closes.astimezone(UTC)


def normalise_code(raw: str) -> str:
    """What someone typed, as a stored code: capitals, no spaces, look-alikes mapped."""
    return "".join(raw.split()).upper().translate(LOOK_ALIKES)[:16]


async def _new_code() -> str:
    while True:
        code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
        if not await DoorPass.filter(code=code).exists():
            return code


async def create_door_pass(actor: Actor, event_id: int, data: Mapping[str, object]) -> DoorPass:
    """A new pass for one activity the actor may change, for a named door host."""
    event = await get_event_for(actor, event_id, to_change=True)
    f = Fields(data)
    holder = f.text("holder_name", required=True, max_length=60)
    if f.errors:
        raise FormError(f.errors)
    if event.status == EventStatus.CANCELLED:
        raise Conflict("event_cancelled")
    return await DoorPass.create(
        event_id=event.id,
        code=await _new_code(),
        token=secrets.token_urlsafe(32),
        holder_name=holder,
        created_by_id=actor.user_id,
    )


async def door_passes(actor: Actor, event_id: int) -> tuple[Event, list[DoorPass]]:
    """The passes of an activity the actor may change, newest first."""
    event = await get_event_for(actor, event_id, to_change=True)
    passes = await DoorPass.filter(event_id=event.id).order_by("-id")
    return event, list(passes)


async def revoke_door_pass(actor: Actor, pass_id: int, *, now: datetime) -> DoorPass:
    """Stop a pass at once (revoking twice keeps the first time)."""
    door_pass = await DoorPass.get_or_none(id=pass_id)
    if door_pass is None:
        raise NotFound()
    await get_event_for(actor, door_pass.event_id, to_change=True)
    await DoorPass.filter(id=door_pass.id, revoked_at__isnull=True).update(revoked_at=now)
    await door_pass.refresh_from_db()
    return door_pass


async def redeem(
    *,
    now: datetime,
    tz: ZoneInfo,
    code: str | None = None,
    token: str | None = None,
    event_id: int | None = None,
) -> DoorGrant:
    """Check a pass by its code or link (and, when given, that it is for ``event_id``):
    NotFound for an unknown pass or another activity, ``door_pass_revoked``,
    ``door_pass_not_yet`` or ``door_pass_expired`` (Conflict) outside its life."""
    if code:
        door_pass = await DoorPass.get_or_none(code=normalise_code(code))
    elif token:
        door_pass = await DoorPass.get_or_none(token=token)
    else:
        door_pass = None
    if door_pass is None or (event_id is not None and door_pass.event_id != event_id):
        raise NotFound()
    event = await Event.get(id=door_pass.event_id)
    opens, closes = window(event, tz)
    if door_pass.revoked_at is not None:
        raise Conflict("door_pass_revoked")
    if event.status == EventStatus.CANCELLED:
        raise Conflict("event_cancelled")
    if now < opens:
        raise Conflict("door_pass_not_yet", opens=opens)
    if now >= closes:
        raise Conflict("door_pass_expired")
    return DoorGrant(door_pass.id, event.id, door_pass.holder_name, door_pass.token, opens, closes)


async def pass_for_token(token: str, *, tz: ZoneInfo) -> tuple[DoorPass, Event, datetime, datetime]:
    """A pass by its link with its event and window, whatever its state (for its page)."""
    door_pass = await DoorPass.get_or_none(token=token)
    if door_pass is None:
        raise NotFound()
    event = await Event.get(id=door_pass.event_id)
    opens, closes = window(event, tz)
    return door_pass, event, opens, closes


async def door_actor(pass_id: int, event_id: int, *, now: datetime, tz: ZoneInfo) -> Actor | None:
    """The actor a redeemed pass becomes, checked again on every request (so withdrawing it
    or the end of its window takes effect at once): a door host of that one event, with no
    account, no venue and nothing else of the organisation. None when the pass no longer
    works."""
    door_pass = await DoorPass.get_or_none(id=pass_id, event_id=event_id).prefetch_related("event")
    if door_pass is None or door_pass.revoked_at is not None:
        return None
    event = door_pass.event
    opens, closes = window(event, tz)
    if event.status == EventStatus.CANCELLED or not opens <= now < closes:
        return None
    return Actor(
        user_id=0,
        email="",
        name=door_pass.holder_name,
        role=Role.HOST,
        organisation_id=event.organisation_id,
        event_ids=frozenset({event.id}),
        door_pass_id=door_pass.id,
    )
