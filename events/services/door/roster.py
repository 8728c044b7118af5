"""Who the door expects: one registration as the door sees it, the accent-insensitive name
search (namesakes told apart by party, group and the end of the ticket code; exact names
first), and the attendee list a device keeps for offline use (hashed codes, no emails, no
birth years), which expires six hours after the event ends and carries a version, so a
device that has the current list is not sent it again.

Imports models, errors, places (the active statuses), tables (seats), tickets (code rules),
the staff Actor and the door's ``outcomes`` and ``access``.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from tortoise.expressions import Q

from events.models import Registration
from events.services import places, tables
from events.services.door.access import DoorEvent, door_event
from events.services.door.outcomes import CODE_TAIL_LENGTH, Attendee
from events.services.errors import Conflict
from events.services.staff import Actor
from events.tickets import normalise_code

LIST_LIFETIME_AFTER_END = timedelta(hours=6)
MAX_SEARCH_RESULTS = 20
_ROW_FIELDS = (
    "id", "first_name", "group", "status", "lead_id", "code", "checkin__id", "checkin__undone_at",
)  # fmt: skip


async def describe(
    registration: Registration, *, has_plan: bool, checked_in: bool = False
) -> Attendee:
    """One registration as the door shows it: party, table in round one (when the event
    has a stored plan), the end of the ticket code."""
    lead_id: int = registration.lead_id or registration.id
    event_id: int = registration.event_id
    party = await Registration.filter(
        Q(id=lead_id) | Q(lead_id=lead_id), event_id=event_id, status__in=places.ACTIVE
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
        table=await tables.table_of(event_id, registration.id) if has_plan else None,
        checked_in=checked_in,
        came_with=tuple(name for rid, name in sorted(names.items()) if rid != registration.id),
        code_tail=registration.code[-CODE_TAIL_LENGTH:],
    )


# --- everyone at once ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Roster:
    """The registrations of one event as rows (no model instances), with the seats."""

    rows: list[dict[str, Any]]
    seats: dict[int, int]

    def version(self) -> str:
        rows = [tuple(str(row[name]) for name in _ROW_FIELDS) for row in self.rows]
        digest = hashlib.sha256(repr((rows, sorted(self.seats.items()))).encode())
        return digest.hexdigest()[:20]

    def attendees(self, wanted: Iterable[dict[str, Any]] | None = None) -> list[Attendee]:
        """The door's view of ``wanted`` rows (default: all); parties count active ones."""
        parties: dict[int, list[tuple[int, str]]] = {}
        for row in self.rows:
            if row["status"] in places.ACTIVE:
                lead_id = row["lead_id"] or row["id"]
                parties.setdefault(lead_id, []).append((row["id"], row["first_name"]))
        return [self._attendee(row, parties) for row in (self.rows if wanted is None else wanted)]

    def _attendee(self, row: dict[str, Any], parties: dict[int, list[tuple[int, str]]]) -> Attendee:
        lead_id = row["lead_id"] or row["id"]
        party = dict(sorted(parties.get(lead_id, [])))
        size = max(len(party), 1)
        return Attendee(
            registration_id=row["id"],
            first_name=row["first_name"],
            group=row["group"].value,
            status=row["status"].value,
            party_lead=party.get(lead_id) if size > 1 else None,
            party_size=size,
            table=self.seats.get(row["id"]),
            checked_in=_present(row),
            came_with=tuple(name for rid, name in party.items() if rid != row["id"]),
            code_tail=str(row["code"])[-CODE_TAIL_LENGTH:],
        )


def _present(row: dict[str, Any]) -> bool:
    """Checked in and not undone (without a check-in row the LEFT JOIN gives NULLs)."""
    return row["checkin__id"] is not None and row["checkin__undone_at"] is None


async def _roster(event: DoorEvent) -> _Roster:
    rows = (
        await Registration.filter(event_id=event.id)
        .order_by("first_name", "id")
        .values(*_ROW_FIELDS)
    )
    seats = await tables.seats_in_round(event.id) if event.has_plan else {}
    return _Roster(rows=rows, seats=seats)


# --- the name search ----------------------------------------------------------------------


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


async def search_attendees(actor: Actor, event_id: int, query: str) -> list[Attendee]:
    """Registrations whose first name starts with what was typed (any case, any accents);
    names that are exactly what was typed come first."""
    event = await door_event(actor, event_id)
    roster = await _roster(event)
    exact = fold(query).strip()
    hits = [row for row in roster.rows if name_matches(row["first_name"], query)]
    hits.sort(key=lambda row: fold(row["first_name"]) != exact)  # stable: then by name
    return roster.attendees(hits[:MAX_SEARCH_RESULTS])


# --- the offline list ---------------------------------------------------------------------


def code_hash(event_id: int, code: str) -> str:
    """How a device stores a ticket code offline: SHA-256 of ``"<event id>:<code>"``."""
    return hashlib.sha256(f"{event_id}:{normalise_code(code)}".encode()).hexdigest()


@dataclass(frozen=True)
class AttendeeList:
    event_id: int
    expires_at: datetime
    version: str
    attendees: list[dict[str, Any]]


def list_expiry(event: DoorEvent) -> datetime:
    return event.ends_at + LIST_LIFETIME_AFTER_END


async def attendee_list(
    actor: Actor, event_id: int, *, known: str | None = None, now: datetime | None = None
) -> AttendeeList | None:
    """What a door device keeps for offline use: hashed codes, first names, groups, party,
    table, status, whether checked in and the end of the code. No emails, no birth years.
    It expires six hours after the event ends; after that the server no longer hands it
    out. None when the device's copy (its ``known`` version) is still current."""
    now = now or datetime.now(UTC)
    event = await door_event(actor, event_id)
    expires_at = list_expiry(event)
    if now > expires_at:
        raise Conflict("list_expired")
    roster = await _roster(event)
    version = roster.version()
    if version == known:
        return None
    entries = []
    for row, attendee in zip(roster.rows, roster.attendees(), strict=True):
        entry = attendee.as_json()
        entry["code_hash"] = code_hash(event.id, row["code"])
        entries.append(entry)
    return AttendeeList(event.id, expires_at, version, entries)
