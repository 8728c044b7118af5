"""The values the door answers with: the outcome codes of a scan, one attendee as the door
sees them, the answer to a scan, and the scan itself as a device reported it.

Pure: no database, no HTTP. Imports only the standard library.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

UNDO_WINDOW = timedelta(minutes=15)
MAX_ID_LENGTH = 64
MAX_POUCH_LENGTH = 20
CODE_TAIL_LENGTH = 4


class Outcome(StrEnum):
    """What a scan came to. The values are the API's ``outcome`` codes and are stored."""

    OK = "ok"
    ALREADY_CHECKED_IN = "already_checked_in"
    UNKNOWN_TICKET = "unknown_ticket"
    WRONG_EVENT = "wrong_event"
    CANCELLED = "cancelled"
    WAITLISTED = "waitlisted"
    AWAITING_GUARDIAN = "awaiting_guardian"
    GROUP_FULL = "group_full"


@dataclass(frozen=True)
class Attendee:
    """One registration as the door sees it: no email, no birth year. To tell namesakes
    apart: ``came_with`` (first names of the others in their party) and ``code_tail`` (the
    last characters of their ticket code, as on their ticket)."""

    registration_id: int
    first_name: str
    group: str
    status: str
    party_lead: str | None = None
    party_size: int = 1
    table: int | None = None
    checked_in: bool = False
    came_with: tuple[str, ...] = ()
    code_tail: str = ""

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
            "came_with": list(self.came_with),
            "code_tail": self.code_tail,
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

    outcome: Outcome
    attendee: Attendee | None = None
    checked_in_at: datetime | None = None
    device_id: str = ""
    pouch: str = ""
    other_event: OtherEvent | None = None
    superseded: dict[str, str] | None = None
    replayed: bool = False

    @property
    def ok(self) -> bool:
        return self.outcome == Outcome.OK

    def as_json(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome.value,
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
    """One scan as a device reported it, checked (see ``scan.check_scan``)."""

    nonce: str
    device_id: str
    scanned_at: datetime
    code: str = ""
    pouch: str = ""
