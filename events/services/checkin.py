"""Check-in at the door (inchecken): one service for every client of the door — the scanner
page, manual code entry, name search, offline sync and walk-ins all end in :func:`check_in`.

Owns the outcome codes (``OUTCOMES``), nonce idempotency (every attempt is a ``ScanAttempt``
with a unique nonce; the same nonce again returns the stored answer and writes nothing), the
earliest-scan-wins rule for devices that sync late, undo within 15 minutes, check-out and the
phone pouches still out, the door counts per generation group, the accent-insensitive name
search, the attendee list a device keeps for offline use, and walk-ins.

Concurrency: a check-in transaction first locks the registration row (a no-op UPDATE), then
looks for the nonce and the ``CheckIn`` row, so two scans of one ticket end as one row on
SQLite and PostgreSQL; a unique-constraint race is retried and answered from what won.

Imports models, errors, the staff Actor, events (scope), registrations (capacity, sign-up)
and tickets (code rules). Never imports ``events.web``.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F, Q
from tortoise.transactions import in_transaction

from events.models import (
    CheckIn,
    Event,
    Group,
    Registration,
    RegistrationSource,
    RegistrationStatus,
    ScanAttempt,
)
from events.services import registrations, tables
from events.services.errors import Conflict, FormError, NotFound
from events.services.scope import events_for
from events.services.staff import Actor
from events.settings import Settings
from events.tickets import normalise_code

OK = "ok"
ALREADY_CHECKED_IN = "already_checked_in"
UNKNOWN_TICKET = "unknown_ticket"
WRONG_EVENT = "wrong_event"
CANCELLED = "cancelled"
WAITLISTED = "waitlisted"
AWAITING_GUARDIAN = "awaiting_guardian"
GROUP_FULL = "group_full"
OUTCOMES = (
    OK,
    ALREADY_CHECKED_IN,
    UNKNOWN_TICKET,
    WRONG_EVENT,
    CANCELLED,
    WAITLISTED,
    AWAITING_GUARDIAN,
    GROUP_FULL,
)
UNDO_WINDOW = timedelta(minutes=15)
LIST_LIFETIME_AFTER_END = timedelta(hours=6)
MAX_ID_LENGTH = 64
MAX_POUCH_LENGTH = 20
MAX_SEARCH_RESULTS = 20
_RETRIES = 3


# --- what the door sees -------------------------------------------------------------------


@dataclass(frozen=True)
class Attendee:
    """One registration as the door sees it: no email, no birth year."""

    registration_id: int
    first_name: str
    group: str
    status: str
    party_lead: str | None = None
    party_size: int = 1
    table: int | None = None
    checked_in: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "registration_id": self.registration_id,
            "first_name": self.first_name,
            "group": self.group,
            "status": self.status,
            "party_lead": self.party_lead,
            "party_size": self.party_size,
            "table": self.table,
            "checked_in": self.checked_in,
        }


@dataclass(frozen=True)
class OtherEvent:
    """The event a ticket is really for (``wrong_event``)."""

    event_id: int
    title: str
    starts_at: datetime

    def as_json(self) -> dict[str, Any]:
        return {"title": self.title, "starts_at": self.starts_at.isoformat()}


@dataclass(frozen=True)
class CheckInResult:
    """The answer to one scan. ``checked_in_at`` and ``device_id`` are the winning (earliest)
    scan's; ``superseded`` names the scan this one replaced when it turned out earlier."""

    outcome: str
    attendee: Attendee | None = None
    checked_in_at: datetime | None = None
    device_id: str = ""
    pouch: str = ""
    other_event: OtherEvent | None = None
    superseded: dict[str, str] | None = None
    replayed: bool = False

    @property
    def ok(self) -> bool:
        return self.outcome == OK

    def as_json(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome,
            "ok": self.ok,
            "attendee": self.attendee.as_json() if self.attendee else None,
            "checked_in_at": self.checked_in_at.isoformat() if self.checked_in_at else None,
            "device_id": self.device_id,
            "pouch": self.pouch,
            "other_event": self.other_event.as_json() if self.other_event else None,
            "superseded": self.superseded,
            "replayed": self.replayed,
        }

    def detail(self) -> dict[str, object]:
        """What a ScanAttempt keeps to answer a repeated nonce: no names, only references."""
        return {
            "checked_in_at": self.checked_in_at.isoformat() if self.checked_in_at else None,
            "device_id": self.device_id,
            "pouch": self.pouch,
            "other_event_id": self.other_event.event_id if self.other_event else None,
            "superseded": self.superseded,
        }


@dataclass(frozen=True)
class Scan:
    """One scan as a device reported it."""

    nonce: str
    device_id: str
    scanned_at: datetime
    code: str = ""
    pouch: str = ""


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


# --- scope and look-ups -------------------------------------------------------------------


async def door_event(actor: Actor, event_id: int) -> Event:
    """An event this staff member may work the door of (host of its venue, its organiser)."""
    event = await events_for(actor).get_or_none(id=event_id)
    if event is None:
        raise NotFound()
    return event


async def _attendee(registration: Registration, *, checked_in: bool = False) -> Attendee:
    lead_id: int = registration.lead_id or registration.id
    event_id: int = registration.event_id
    party = await Registration.filter(
        Q(id=lead_id) | Q(lead_id=lead_id), event_id=event_id, status__in=registrations.ACTIVE
    ).values_list("id", "first_name")
    names = {int(rid): str(name) for rid, name in party}
    size = max(len(names), 1)
    return Attendee(
        registration_id=registration.id,
        first_name=registration.first_name,
        group=registration.group.value,
        status=registration.status.value,
        party_lead=names.get(lead_id) if size > 1 else None,
        party_size=size,
        table=await tables.table_of(event_id, registration.id),
        checked_in=checked_in,
    )


async def _stored_answer(nonce: str, event_id: int) -> CheckInResult | None:
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
            attendee = await _attendee(registration, checked_in=attempt.outcome == OK)
    other = None
    other_id = detail.get("other_event_id")
    if isinstance(other_id, int):
        event = await Event.get_or_none(id=other_id)
        if event is not None:
            other = OtherEvent(event.id, event.title, event.starts_at)
    at = detail.get("checked_in_at")
    superseded = detail.get("superseded")
    return CheckInResult(
        outcome=attempt.outcome,
        attendee=attendee,
        checked_in_at=datetime.fromisoformat(at) if isinstance(at, str) else None,
        device_id=str(detail.get("device_id") or ""),
        pouch=str(detail.get("pouch") or ""),
        other_event=other,
        superseded=superseded if isinstance(superseded, dict) else None,
        replayed=True,
    )


async def _record(
    event_id: int, registration: Registration | None, scan: Scan, result: CheckInResult
) -> CheckInResult:
    await ScanAttempt.create(
        event_id=event_id,
        registration=registration,
        nonce=scan.nonce,
        device_id=scan.device_id,
        code=scan.code,
        scanned_at=scan.scanned_at,
        outcome=result.outcome,
        detail=result.detail(),
    )
    return result


# --- check-in -----------------------------------------------------------------------------


async def check_in(
    *,
    event_id: int,
    code: str = "",
    registration_id: int | None = None,
    nonce: str,
    device_id: str,
    scanned_at: datetime,
    pouch: str = "",
    admit: bool = False,
    actor: Actor,
    now: datetime | None = None,
) -> CheckInResult:
    """Check one person in from a scanned or typed ``code`` (or, from a name search, their
    ``registration_id``). Every attempt is kept; a repeated ``nonce`` answers as before.

    A waiting person or one awaiting a guardian is refused unless ``admit`` and their group
    has room (then the place is taken as at sign-up). When a ticket is already checked in,
    the earliest scan wins: an earlier scan that syncs late takes over the row."""
    now = now or datetime.now(UTC)
    scan = check_scan(
        nonce=nonce, device_id=device_id, scanned_at=scanned_at, now=now, code=code, pouch=pouch
    )
    event = await door_event(actor, event_id)
    stored = await _stored_answer(scan.nonce, event.id)
    if stored is not None:
        return stored
    registration = await _find(event, scan.code, registration_id)
    for _ in range(_RETRIES):
        try:
            return await _attempt(event, registration, scan, admit=admit, actor=actor, now=now)
        except IntegrityError:
            stored = await _stored_answer(scan.nonce, event.id)
            if stored is not None:
                return stored
    raise Conflict("try_again")


async def _find(event: Event, code: str, registration_id: int | None) -> Registration | None:
    if registration_id is not None:
        return await Registration.get_or_none(id=registration_id, event_id=event.id)
    if not code:
        return None
    return await Registration.get_or_none(code=code)


async def _attempt(
    event: Event,
    registration: Registration | None,
    scan: Scan,
    *,
    admit: bool,
    actor: Actor,
    now: datetime,
) -> CheckInResult:
    if registration is None:
        async with in_transaction():
            return await _record(event.id, None, scan, CheckInResult(UNKNOWN_TICKET))
    if registration.event_id != event.id:
        other = await Event.get(id=registration.event_id)
        result = CheckInResult(
            WRONG_EVENT, other_event=OtherEvent(other.id, other.title, other.starts_at)
        )
        async with in_transaction():
            return await _record(event.id, None, scan, result)
    if admit and registration.status in (
        RegistrationStatus.WAITLISTED,
        RegistrationStatus.AWAITING_GUARDIAN,
    ):
        try:
            await registrations.admit_at_door(actor, registration.id, now=now)
        except Conflict as exc:
            if exc.code != "group_full":
                raise
            await registration.refresh_from_db()
            result = CheckInResult(GROUP_FULL, attendee=await _attendee(registration))
            async with in_transaction():
                return await _record(event.id, registration, scan, result)
    async with in_transaction():
        await Registration.filter(id=registration.id).update(waitlist_number=F("waitlist_number"))
        stored = await _stored_answer(scan.nonce, event.id)
        if stored is not None:
            return stored
        await registration.refresh_from_db()
        result = await _decide(event, registration, scan)
        return await _record(event.id, registration, scan, result)


async def _decide(event: Event, registration: Registration, scan: Scan) -> CheckInResult:
    """Inside the locked transaction: the outcome for this registration, and the write."""
    refused = {
        RegistrationStatus.CANCELLED: CANCELLED,
        RegistrationStatus.WAITLISTED: WAITLISTED,
        RegistrationStatus.AWAITING_GUARDIAN: AWAITING_GUARDIAN,
    }
    if registration.status in refused:
        return CheckInResult(refused[registration.status], attendee=await _attendee(registration))
    row = await CheckIn.get_or_none(registration_id=registration.id)
    superseded = None
    if row is None:
        row = await CheckIn.create(
            event_id=event.id, registration=registration, scanned_at=scan.scanned_at,
            device_id=scan.device_id, nonce=scan.nonce, pouch=scan.pouch,
        )  # fmt: skip
    elif row.undone_at is None and row.scanned_at <= scan.scanned_at:
        return CheckInResult(
            ALREADY_CHECKED_IN,
            attendee=await _attendee(registration, checked_in=True),
            checked_in_at=row.scanned_at,
            device_id=row.device_id,
            pouch=row.pouch,
        )
    else:
        if row.undone_at is None:
            superseded = {"device_id": row.device_id, "scanned_at": row.scanned_at.isoformat()}
        row.scanned_at, row.device_id, row.nonce = scan.scanned_at, scan.device_id, scan.nonce
        row.pouch = scan.pouch or (row.pouch if superseded else "")
        row.undone_at = None
        row.checked_out_at = None
        await row.save()
    return CheckInResult(
        OK,
        attendee=await _attendee(registration, checked_in=True),
        checked_in_at=row.scanned_at,
        device_id=row.device_id,
        pouch=row.pouch,
        superseded=superseded,
    )


# --- after check-in -----------------------------------------------------------------------


async def _active_row(actor: Actor, event_id: int, registration_id: int) -> CheckIn:
    event = await door_event(actor, event_id)
    row = await CheckIn.get_or_none(
        event_id=event.id, registration_id=registration_id, undone_at=None
    )
    if row is None:
        raise Conflict("not_checked_in")
    return row


async def undo_check_in(
    *, event_id: int, registration_id: int, actor: Actor, now: datetime | None = None
) -> CheckIn:
    """Take a check-in back (a mistaken scan): only within 15 minutes of the scan."""
    now = now or datetime.now(UTC)
    row = await _active_row(actor, event_id, registration_id)
    if now - row.scanned_at > UNDO_WINDOW:
        raise Conflict("undo_too_late")
    row.undone_at = now
    await row.save(update_fields=["undone_at"])
    return row


async def set_pouch(*, event_id: int, registration_id: int, pouch: str, actor: Actor) -> CheckIn:
    """Record (or clear) the phone pouch or locker number of someone checked in."""
    pouch = pouch.strip()
    if len(pouch) > MAX_POUCH_LENGTH:
        raise FormError({"pouch": "too_long"})
    row = await _active_row(actor, event_id, registration_id)
    row.pouch = pouch
    await row.save(update_fields=["pouch"])
    return row


async def check_out(
    *, event_id: int, registration_id: int, actor: Actor, now: datetime | None = None
) -> CheckIn:
    """Someone leaves and gets their phone back: stamp the check-out (once)."""
    row = await _active_row(actor, event_id, registration_id)
    if row.checked_out_at is None:
        row.checked_out_at = now or datetime.now(UTC)
        await row.save(update_fields=["checked_out_at"])
    return row


@dataclass(frozen=True)
class PouchOut:
    registration_id: int
    first_name: str
    pouch: str
    checked_in_at: datetime

    def as_json(self) -> dict[str, Any]:
        return {
            "registration_id": self.registration_id,
            "first_name": self.first_name,
            "pouch": self.pouch,
            "checked_in_at": self.checked_in_at.isoformat(),
        }


async def pouches_out(event_id: int) -> list[PouchOut]:
    """Pouches or lockers still holding a phone: checked in with a number, not checked out."""
    rows = (
        await CheckIn.filter(event_id=event_id, undone_at=None, checked_out_at=None)
        .exclude(pouch="")
        .prefetch_related("registration")
    )
    found = [
        PouchOut(row.registration.id, row.registration.first_name, row.pouch, row.scanned_at)
        for row in rows
    ]
    return sorted(found, key=lambda p: (len(p.pouch), p.pouch, p.first_name))


@dataclass(frozen=True)
class Duplicate:
    """One ticket scanned on more than one device: who won and who else scanned it."""

    registration_id: int
    first_name: str
    winner_device: str
    winner_at: datetime
    devices: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "registration_id": self.registration_id,
            "first_name": self.first_name,
            "device_id": self.winner_device,
            "checked_in_at": self.winner_at.isoformat(),
            "devices": list(self.devices),
        }


async def duplicate_scans(event_id: int, device_id: str | None = None) -> list[Duplicate]:
    """Tickets of this event that more than one device checked in (offline devices that
    synced late): each ends as one check-in, and every device involved is told."""
    attempts = await ScanAttempt.filter(
        event_id=event_id, outcome__in=[OK, ALREADY_CHECKED_IN], registration_id__not_isnull=True
    ).values_list("registration_id", "device_id")
    devices: dict[int, set[str]] = {}
    for registration_id, device in attempts:
        devices.setdefault(int(registration_id), set()).add(str(device))
    shared = {rid: ds for rid, ds in devices.items() if len(ds) > 1}
    if device_id is not None:
        shared = {rid: ds for rid, ds in shared.items() if device_id in ds}
    rows = await CheckIn.filter(registration_id__in=list(shared), undone_at=None).prefetch_related(
        "registration"
    )
    return [
        Duplicate(
            row.registration.id,
            row.registration.first_name,
            row.device_id,
            row.scanned_at,
            tuple(sorted(shared[row.registration.id])),
        )
        for row in rows
    ]


# --- counts, search and the offline list --------------------------------------------------


@dataclass
class DoorCounts:
    """Per generation group: places held (confirmed, or awaiting a guardian) and present."""

    expected: dict[str, int] = field(default_factory=lambda: {g.value: 0 for g in Group})
    checked_in: dict[str, int] = field(default_factory=lambda: {g.value: 0 for g in Group})

    @property
    def total_expected(self) -> int:
        return sum(self.expected.values())

    @property
    def total_checked_in(self) -> int:
        return sum(self.checked_in.values())

    def as_json(self) -> dict[str, Any]:
        return {
            "expected": self.expected,
            "checked_in": self.checked_in,
            "total_expected": self.total_expected,
            "total_checked_in": self.total_checked_in,
        }


async def door_counts(event_ids: Iterable[int]) -> dict[int, DoorCounts]:
    ids = list(event_ids)
    counts = {event_id: DoorCounts() for event_id in ids}
    held = await Registration.filter(
        event_id__in=ids, status__in=registrations.HOLDING
    ).values_list("event_id", "group")
    for event_id, group in held:
        counts[int(event_id)].expected[str(Group(group).value)] += 1
    present = await CheckIn.filter(event_id__in=ids, undone_at=None).values_list(
        "event_id", "registration__group"
    )
    for event_id, group in present:
        counts[int(event_id)].checked_in[str(Group(group).value)] += 1
    return counts


def fold(text: str) -> str:
    """Lower case without accents: ``"José"`` and ``"JOSE"`` both give ``"jose"``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def name_matches(first_name: str, query: str) -> bool:
    """The first letters of any word of the name, ignoring case and accents."""
    wanted = fold(query).strip()
    if not wanted:
        return False
    folded = fold(first_name)
    return folded.startswith(wanted) or any(
        word.startswith(wanted) for word in folded.replace("-", " ").split()
    )


async def _event_attendees(event_id: int) -> list[Attendee]:
    """Everyone registered for one event, as the door sees them (events are small)."""
    rows = await Registration.filter(event_id=event_id).order_by("first_name", "id")
    names = {r.id: r.first_name for r in rows}
    party: dict[int, int] = {}
    for r in rows:
        if r.status in registrations.ACTIVE:
            lead_id = r.lead_id or r.id
            party[lead_id] = party.get(lead_id, 0) + 1
    seats = await tables.seats_in_round(event_id)
    present = {
        int(row["registration_id"])
        for row in await CheckIn.filter(event_id=event_id, undone_at=None).values("registration_id")
    }
    found = []
    for r in rows:
        lead_id = r.lead_id or r.id
        size = party.get(lead_id, 1)
        found.append(
            Attendee(
                registration_id=r.id,
                first_name=r.first_name,
                group=r.group.value,
                status=r.status.value,
                party_lead=names.get(lead_id) if size > 1 else None,
                party_size=size,
                table=seats.get(r.id),
                checked_in=r.id in present,
            )
        )
    return found


async def search_attendees(event_id: int, query: str) -> list[Attendee]:
    """Registrations whose first name starts with what was typed (any case, any accents)."""
    found = [a for a in await _event_attendees(event_id) if name_matches(a.first_name, query)]
    return found[:MAX_SEARCH_RESULTS]


def code_hash(event_id: int, code: str) -> str:
    """How a device stores a ticket code offline: SHA-256 of ``"<event id>:<code>"``."""
    return hashlib.sha256(f"{event_id}:{normalise_code(code)}".encode()).hexdigest()


@dataclass(frozen=True)
class AttendeeList:
    event_id: int
    expires_at: datetime
    attendees: list[dict[str, Any]]


def list_expiry(event: Event) -> datetime:
    return event.ends_at + LIST_LIFETIME_AFTER_END


async def attendee_list(event_id: int, *, now: datetime | None = None) -> AttendeeList:
    """What a door device keeps for offline use: hashed codes, first names, groups, party
    lead and size, table, status and whether checked in. No emails, no birth years. It expires six
    hours after the event ends; after that the server no longer hands it out."""
    now = now or datetime.now(UTC)
    event = await Event.get_or_none(id=event_id)
    if event is None:
        raise NotFound()
    expires_at = list_expiry(event)
    if now > expires_at:
        raise Conflict("list_expired")
    codes = {
        int(row["id"]): str(row["code"])
        for row in await Registration.filter(event_id=event_id).values("id", "code")
    }
    entries = []
    for attendee in await _event_attendees(event_id):
        entry = attendee.as_json()
        entry["code_hash"] = code_hash(event_id, str(codes[attendee.registration_id]))
        entries.append(entry)
    return AttendeeList(event_id=event_id, expires_at=expires_at, attendees=entries)


# --- walk-ins -----------------------------------------------------------------------------


@dataclass(frozen=True)
class WalkIn:
    first_name: str
    group: str
    email: str = ""
    override: bool = False
    locale: str = "nl"


async def walk_in(
    walk: WalkIn,
    *,
    event_id: int,
    nonce: str,
    device_id: str,
    actor: Actor,
    settings: Settings,
    now: datetime | None = None,
) -> CheckInResult:
    """Someone arrives without a ticket: sign them up as a walk-in and check them in when
    their group has room; with ``override`` the host lets them in past capacity. Without
    room and override they stay on the waiting list (outcome ``waitlisted``)."""
    now = now or datetime.now(UTC)
    event = await door_event(actor, event_id)
    stored = await _stored_answer(nonce.strip(), event.id)
    if stored is not None:
        return stored
    request = registrations.check_signup(
        {"first_name": walk.first_name, "email": walk.email, "group": walk.group},
        event=event,
        today=now.date(),
        locale=walk.locale,
        source=RegistrationSource.WALK_IN,
    )
    signed = await registrations.sign_up(event.id, request, settings=settings, now=now)
    lead = signed.lead
    assert lead is not None
    if signed.duplicate:  # their ticket was mailed again; the host finds them by name
        raise Conflict("already_registered")
    return await admit_walk_in(
        event_id=event.id, registration_id=lead.id, nonce=nonce, device_id=device_id,
        override=walk.override, actor=actor, now=now,
    )  # fmt: skip


async def admit_walk_in(
    *,
    event_id: int,
    registration_id: int,
    nonce: str,
    device_id: str,
    override: bool,
    actor: Actor,
    now: datetime | None = None,
) -> CheckInResult:
    """Check a walk-in in; ``override`` lets a waiting walk-in in past capacity."""
    now = now or datetime.now(UTC)
    event = await door_event(actor, event_id)
    registration = await Registration.get_or_none(id=registration_id, event_id=event.id)
    if registration is None:
        raise NotFound()
    if override and registration.source == RegistrationSource.WALK_IN:
        await registrations.admit_at_door(actor, registration.id, now=now, over_capacity=True)
    return await check_in(
        event_id=event.id, registration_id=registration.id, nonce=nonce, device_id=device_id,
        scanned_at=now, actor=actor, now=now,
    )  # fmt: skip
