"""Checking in: one function, :func:`check_in`, for every client of the door (camera, typed
code, name search, offline sync, walk-ins), and :func:`check_scan`, which checks what a
device reported before anything is looked up.

Owns nonce idempotency: every attempt is a ``ScanAttempt`` with a unique nonce, written in
the same transaction as the check-in, so the same nonce again fails that insert, rolls the
transaction back and is answered from the stored attempt (``replayed``), writing nothing.
(A first scan does not look the nonce up at all.) Owns the earliest-scan-wins rule for
devices that sync late. A check-in transaction first locks the registration row (a no-op
UPDATE, its first statement), then reads it with its ``CheckIn`` row, so two scans of one
ticket end as one row on SQLite and PostgreSQL; a unique-constraint race is retried and
answered from what won.

The path of a first scan, in statements: the event with the access check (and whether a
table plan is stored), the lock, the registration with its check-in, the check-in insert,
the party, the attempt insert; the plan only for events that have one.

Imports models, errors, registrations (admitting at the door), tickets (code rules), the
staff Actor and the door's ``outcomes``, ``access`` and ``roster``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import cast

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from events.models import CheckIn, Event, Registration, RegistrationStatus, ScanAttempt
from events.services import registrations
from events.services.door.access import DoorEvent, door_event
from events.services.door.outcomes import (
    MAX_ID_LENGTH,
    MAX_POUCH_LENGTH,
    CheckInResult,
    OtherEvent,
    Outcome,
    Scan,
)
from events.services.door.roster import describe
from events.services.errors import Conflict, FormError
from events.services.staff import Actor
from events.tickets import normalise_code

_RETRIES = 3
_REFUSED = {
    RegistrationStatus.CANCELLED: Outcome.CANCELLED,
    RegistrationStatus.WAITLISTED: Outcome.WAITLISTED,
    RegistrationStatus.AWAITING_GUARDIAN: Outcome.AWAITING_GUARDIAN,
}


def check_scan(
    *, nonce: str, device_id: str, scanned_at: datetime, now: datetime, code: str = "",
    pouch: str = "",
) -> Scan:  # fmt: skip
    """Validate a device's report. A clock ahead of the server's is pulled back to ``now``:
    a device must not win earliest-scan-wins with a wrong clock."""
    errors = {}
    nonce, device_id, pouch = nonce.strip(), device_id.strip(), pouch.strip()
    if not nonce or len(nonce) > MAX_ID_LENGTH:
        errors["nonce"] = "required" if not nonce else "too_long"
    if not device_id or len(device_id) > MAX_ID_LENGTH:
        errors["device_id"] = "required" if not device_id else "too_long"
    if len(pouch) > MAX_POUCH_LENGTH:
        errors["pouch"] = "too_long"
    if errors:
        raise FormError(errors)
    if scanned_at.tzinfo is None:
        scanned_at = scanned_at.replace(tzinfo=UTC)
    return Scan(
        nonce=nonce,
        device_id=device_id,
        scanned_at=min(scanned_at.astimezone(UTC), now),
        code=normalise_code(code)[:MAX_ID_LENGTH],
        pouch=pouch,
    )


# --- stored answers -----------------------------------------------------------------------


async def stored_answer(nonce: str, event_id: int, *, has_plan: bool) -> CheckInResult | None:
    """The answer already given to this nonce, rebuilt from its ScanAttempt, or None."""
    attempt = await ScanAttempt.get_or_none(nonce=nonce)
    if attempt is None:
        return None
    if attempt.event_id != event_id:
        raise Conflict("nonce_reused")
    detail = attempt.detail
    attendee = None
    if attempt.registration_id is not None:
        registration = await Registration.get_or_none(id=attempt.registration_id)
        if registration is not None:
            checked_in = attempt.outcome == Outcome.OK
            attendee = await describe(registration, has_plan=has_plan, checked_in=checked_in)
    other = None
    other_id = detail.get("other_event_id")
    if isinstance(other_id, int):
        event = await Event.get_or_none(id=other_id)
        if event is not None:
            other = OtherEvent(event.id, event.title, event.starts_at)
    at = detail.get("checked_in_at")
    superseded = detail.get("superseded")
    return CheckInResult(
        outcome=Outcome(attempt.outcome),
        attendee=attendee,
        checked_in_at=datetime.fromisoformat(at) if isinstance(at, str) else None,
        device_id=str(detail.get("device_id") or ""),
        pouch=str(detail.get("pouch") or ""),
        other_event=other,
        superseded=superseded if isinstance(superseded, dict) else None,
        replayed=True,
    )


@dataclass(frozen=True)
class _By:
    """Who did it, for the rows: a staff member, or a volunteer with a door pass."""

    staff_user_id: int | None
    door_pass_id: int | None


def _by(actor: Actor) -> _By:
    return _By(staff_user_id=actor.user_id or None, door_pass_id=actor.door_pass_id)


async def _record(
    event_id: int,
    registration_id: int | None,
    scan: Scan,
    result: CheckInResult,
    by: _By,
) -> CheckInResult:
    """Keep the attempt; a nonce used before fails here (IntegrityError) and rolls back."""
    await ScanAttempt.create(
        staff_user_id=by.staff_user_id,
        door_pass_id=by.door_pass_id,
        event_id=event_id,
        registration_id=registration_id,
        nonce=scan.nonce,
        device_id=scan.device_id,
        code=scan.code,
        scanned_at=scan.scanned_at,
        outcome=result.outcome.value,
        detail=result.detail(),
    )
    return result


# --- check-in -----------------------------------------------------------------------------


async def check_in(
    actor: Actor,
    event_id: int,
    scan: Scan,
    *,
    registration_id: int | None = None,
    admit: bool = False,
    now: datetime | None = None,
) -> CheckInResult:
    """Check one person in from a scanned or typed code (or, from a name search, their
    ``registration_id``). Every attempt is kept; a repeated nonce answers as before.

    A waiting person or one awaiting a guardian is refused unless ``admit`` and their group
    has room (then the place is taken as at sign-up). When a ticket is already checked in,
    the earliest scan wins: an earlier scan that syncs late takes over the row."""
    now = now or datetime.now(UTC)
    event = await door_event(actor, event_id)
    full = await _admit(actor, event, scan, registration_id, now=now) if admit else None
    for _ in range(_RETRIES):
        try:
            async with in_transaction():
                if full is not None:
                    assert full.attendee is not None
                    registration = full.attendee.registration_id
                    return await _record(event.id, registration, scan, full, _by(actor))
                return await _check(event, scan, registration_id, _by(actor))
        except IntegrityError:
            stored = await stored_answer(scan.nonce, event.id, has_plan=event.has_plan)
            if stored is not None:
                return stored
    raise Conflict("try_again")


def _ticket(event: DoorEvent, code: str, registration_id: int | None) -> QuerySet[Registration]:
    """The registration a scan names: by id from a name search (this event's only), else
    by ticket code (any event's: a ticket for another activity is told so)."""
    if registration_id is not None:
        return Registration.filter(id=registration_id, event_id=event.id)
    return Registration.filter(code=code)


async def _admit(
    actor: Actor, event: DoorEvent, scan: Scan, registration_id: int | None, *, now: datetime
) -> CheckInResult | None:
    """The host lets a waiting person (or one awaiting a guardian) in: take a place as at
    sign-up. A ``group_full`` answer when there is none; None to go on checking in."""
    if registration_id is None and not scan.code:
        return None
    registration = await _ticket(event, scan.code, registration_id).first()
    if registration is None or registration.event_id != event.id:
        return None
    if registration.status not in (
        RegistrationStatus.WAITLISTED,
        RegistrationStatus.AWAITING_GUARDIAN,
    ):
        return None
    try:
        await registrations.admit_at_door(actor, registration.id, now=now)
    except Conflict as exc:
        if exc.code != "group_full":
            raise
        await registration.refresh_from_db()
        attendee = await describe(registration, has_plan=event.has_plan)
        return CheckInResult(Outcome.GROUP_FULL, attendee=attendee)
    return None


async def _check(
    event: DoorEvent, scan: Scan, registration_id: int | None, by: _By
) -> CheckInResult:
    """Inside the transaction: lock and read the ticket, decide, keep the attempt."""
    registration = None
    if registration_id is not None or scan.code:
        found = _ticket(event, scan.code, registration_id)
        if await found.update(waitlist_number=F("waitlist_number")):  # the lock
            registration = await found.select_related("checkin").first()
    if registration is None:
        return await _record(event.id, None, scan, CheckInResult(Outcome.UNKNOWN_TICKET), by)
    if registration.event_id != event.id:
        other = await Event.get(id=registration.event_id)
        wrong = OtherEvent(other.id, other.title, other.starts_at)
        result = CheckInResult(Outcome.WRONG_EVENT, other_event=wrong)
        return await _record(event.id, None, scan, result, by)
    result = await _decide(event, registration, scan, by)
    return await _record(event.id, registration.id, scan, result, by)


async def _decide(
    event: DoorEvent, registration: Registration, scan: Scan, by: _By
) -> CheckInResult:
    """Inside the locked transaction: the outcome for this registration, and the write."""
    if registration.status in _REFUSED:
        attendee = await describe(registration, has_plan=event.has_plan)
        return CheckInResult(_REFUSED[registration.status], attendee=attendee)
    row = cast("CheckIn | None", getattr(registration, "checkin", None))
    superseded = None
    if row is None:
        row = await CheckIn.create(
            event_id=event.id, registration_id=registration.id, scanned_at=scan.scanned_at,
            device_id=scan.device_id, nonce=scan.nonce, pouch=scan.pouch,
            staff_user_id=by.staff_user_id, door_pass_id=by.door_pass_id,
        )  # fmt: skip
    elif row.undone_at is None and row.scanned_at <= scan.scanned_at:
        return CheckInResult(
            Outcome.ALREADY_CHECKED_IN,
            attendee=await describe(registration, has_plan=event.has_plan, checked_in=True),
            checked_in_at=row.scanned_at,
            device_id=row.device_id,
            pouch=row.pouch,
        )
    else:
        if row.undone_at is None:
            superseded = {"device_id": row.device_id, "scanned_at": row.scanned_at.isoformat()}
        row.scanned_at, row.device_id, row.nonce = scan.scanned_at, scan.device_id, scan.nonce
        row.staff_user_id, row.door_pass_id = by.staff_user_id, by.door_pass_id
        row.pouch = scan.pouch or (row.pouch if superseded else "")
        row.undone_at = None
        row.checked_out_at = None
        await row.save()
    return CheckInResult(
        Outcome.OK,
        attendee=await describe(registration, has_plan=event.has_plan, checked_in=True),
        checked_in_at=row.scanned_at,
        device_id=row.device_id,
        pouch=row.pouch,
        superseded=superseded,
    )
