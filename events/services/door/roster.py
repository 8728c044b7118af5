"""Who the door expects: one registration as the door sees it, the accent-insensitive name
search, and the attendee list a device keeps for offline use (hashed codes, no emails, no
birth years), which expires six hours after the event ends.

Imports models, errors, places (the active statuses), tables (seats), tickets (code rules),
the staff Actor and the door's ``outcomes`` and ``access``.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from tortoise.expressions import Q

from events.models import CheckIn, Event, Registration
from events.services import places, tables
from events.services.door.access import door_event
from events.services.door.outcomes import Attendee
from events.services.errors import Conflict
from events.services.staff import Actor
from events.tickets import normalise_code

LIST_LIFETIME_AFTER_END = timedelta(hours=6)
MAX_SEARCH_RESULTS = 20


async def describe(registration: Registration, *, checked_in: bool = False) -> Attendee:
    """One registration as the door shows it: party lead and size, table in round one."""
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
        table=await tables.table_of(event_id, registration.id),
        checked_in=checked_in,
    )


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


async def _event_attendees(event_id: int) -> list[Attendee]:
    """Everyone registered for one event, as the door sees them (events are small)."""
    rows = await Registration.filter(event_id=event_id).order_by("first_name", "id")
    names = {r.id: r.first_name for r in rows}
    party: dict[int, int] = {}
    for r in rows:
        if r.status in places.ACTIVE:
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


async def search_attendees(actor: Actor, event_id: int, query: str) -> list[Attendee]:
    """Registrations whose first name starts with what was typed (any case, any accents)."""
    event = await door_event(actor, event_id)
    found = [a for a in await _event_attendees(event.id) if name_matches(a.first_name, query)]
    return found[:MAX_SEARCH_RESULTS]


# --- the offline list ---------------------------------------------------------------------


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


async def attendee_list(
    actor: Actor, event_id: int, *, now: datetime | None = None
) -> AttendeeList:
    """What a door device keeps for offline use: hashed codes, first names, groups, party
    lead and size, table, status and whether checked in. No emails, no birth years. It
    expires six hours after the event ends; after that the server no longer hands it out."""
    now = now or datetime.now(UTC)
    event = await door_event(actor, event_id)
    expires_at = list_expiry(event)
    if now > expires_at:
        raise Conflict("list_expired")
    codes = {
        int(row["id"]): str(row["code"])
        for row in await Registration.filter(event_id=event.id).values("id", "code")
    }
    entries = []
    for attendee in await _event_attendees(event.id):
        entry = attendee.as_json()
        entry["code_hash"] = code_hash(event.id, codes[attendee.registration_id])
        entries.append(entry)
    return AttendeeList(event_id=event.id, expires_at=expires_at, attendees=entries)
