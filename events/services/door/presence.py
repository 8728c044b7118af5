"""Who is inside: undoing a check-in (within 15 minutes), phone pouches and check-out, the
tickets more than one device checked in, and the door counts per generation group.

Imports models, errors, places (the holding statuses), scope, the staff Actor and the
door's ``outcomes`` and ``access``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from events.models import CheckIn, Group, Registration, ScanAttempt
from events.services import places
from events.services.door.access import door_event
from events.services.door.outcomes import MAX_POUCH_LENGTH, UNDO_WINDOW, Outcome
from events.services.errors import Conflict, FormError, NotFound
from events.services.scope import events_for
from events.services.staff import Actor

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
    actor: Actor, event_id: int, registration_id: int, *, now: datetime | None = None
) -> CheckIn:
    """Take a check-in back (a mistaken scan): only within 15 minutes of the scan."""
    now = now or datetime.now(UTC)
    row = await _active_row(actor, event_id, registration_id)
    if now - row.scanned_at > UNDO_WINDOW:
        raise Conflict("undo_too_late")
    row.undone_at = now
    await row.save(update_fields=["undone_at"])
    return row


async def set_pouch(actor: Actor, event_id: int, registration_id: int, pouch: str) -> CheckIn:
    """Record (or clear) the phone pouch or locker number of someone checked in."""
    pouch = pouch.strip()
    if len(pouch) > MAX_POUCH_LENGTH:
        raise FormError({"pouch": "too_long"})
    row = await _active_row(actor, event_id, registration_id)
    row.pouch = pouch
    await row.save(update_fields=["pouch"])
    return row


async def check_out(
    actor: Actor, event_id: int, registration_id: int, *, now: datetime | None = None
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


async def pouches_out(actor: Actor, event_id: int) -> list[PouchOut]:
    """Pouches or lockers still holding a phone: checked in with a number, not checked out."""
    event = await door_event(actor, event_id)
    rows = (
        await CheckIn.filter(event_id=event.id, undone_at=None, checked_out_at=None)
        .exclude(pouch="")
        .prefetch_related("registration")
    )
    found = [
        PouchOut(row.registration.id, row.registration.first_name, row.pouch, row.scanned_at)
        for row in rows
    ]
    return sorted(found, key=lambda p: (len(p.pouch), p.pouch, p.first_name))


# --- duplicates ---------------------------------------------------------------------------


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


async def duplicate_scans(
    actor: Actor, event_id: int, *, device_id: str | None = None
) -> list[Duplicate]:
    """Tickets of this event that more than one device checked in (offline devices that
    synced late): each ends as one check-in, and every device involved is told."""
    event = await door_event(actor, event_id)
    attempts = await ScanAttempt.filter(
        event_id=event.id,
        outcome__in=[Outcome.OK.value, Outcome.ALREADY_CHECKED_IN.value],
        registration_id__not_isnull=True,
    ).values_list("registration_id", "device_id")
    devices: dict[int, set[str]] = {}
    for registration_id, device in attempts:
        devices.setdefault(int(registration_id), set()).add(str(device))
    shared = {rid: ds for rid, ds in devices.items() if len(ds) > 1}
    if device_id is not None:
        shared = {rid: ds for rid, ds in shared.items() if device_id in ds}
    if not shared:
        return []
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


# --- the door counts ----------------------------------------------------------------------


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


async def door_counts(actor: Actor, event_ids: Iterable[int]) -> dict[int, DoorCounts]:
    """The door counts of these events; NotFound when one of them is not the actor's."""
    wanted = set(event_ids)
    if not wanted:
        return {}
    found = {int(row[0]) for row in await events_for(actor).filter(id__in=wanted).values_list("id")}
    if found != wanted:
        raise NotFound()
    return await _tally(wanted)


async def _tally(event_ids: Iterable[int]) -> dict[int, DoorCounts]:
    """The door counts of events whose access was checked already (two queries)."""
    ids = list(event_ids)
    counts = {event_id: DoorCounts() for event_id in ids}
    held = await Registration.filter(event_id__in=ids, status__in=places.HOLDING).values_list(
        "event_id", "group"
    )
    for event_id, group in held:
        counts[int(event_id)].expected[str(Group(group).value)] += 1
    present = await CheckIn.filter(event_id__in=ids, undone_at=None).values_list(
        "event_id", "registration__group"
    )
    for event_id, group in present:
        counts[int(event_id)].checked_in[str(Group(group).value)] += 1
    return counts
