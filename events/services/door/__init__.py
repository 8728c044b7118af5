"""The door (de deur): checking people in at an activity. Every client of the door — the
scanner's camera, a typed code, the name search, an offline device syncing late and a
walk-in — ends in :func:`check_in`.

The package keeps its parts private behind these names; each part imports only the ones
listed before it:

- ``outcomes``: the values the door answers with (``Outcome`` codes, ``Attendee``,
  ``CheckInResult``, ``Scan``); pure
- ``access``: which events a staff member may work the door of
- ``roster``: who is expected: one attendee as the door sees them, the name search, the
  offline attendee list
- ``scan``: checking a scan and checking in, with the stored answer per nonce
- ``presence``: undo, pouches and check-out, duplicate scans, the door counts
- ``walkins``: people without a sign-up

Every service here that reads or changes an organisation's data takes the staff ``Actor``
first and answers NotFound for an event that is not theirs. Imports models, errors, scope,
places, registrations, tables, tickets and settings; never ``events.web``.
"""

from __future__ import annotations

from events.services.door.access import DoorEvent, door_event
from events.services.door.outcomes import (
    CODE_TAIL_LENGTH,
    MAX_POUCH_LENGTH,
    UNDO_WINDOW,
    Attendee,
    CheckInResult,
    OtherEvent,
    Outcome,
    Scan,
)
from events.services.door.presence import (
    DoorCounts,
    Duplicate,
    PouchOut,
    check_out,
    door_counts,
    duplicate_scans,
    pouches_out,
    set_pouch,
    undo_check_in,
)
from events.services.door.roster import (
    AttendeeList,
    attendee_list,
    code_hash,
    fold,
    list_expiry,
    name_matches,
    search_attendees,
)
from events.services.door.scan import check_in, check_scan
from events.services.door.walkins import WalkIn, admit_walk_in, walk_in

__all__ = [
    "CODE_TAIL_LENGTH",
    "MAX_POUCH_LENGTH",
    "UNDO_WINDOW",
    "Attendee",
    "AttendeeList",
    "CheckInResult",
    "DoorCounts",
    "DoorEvent",
    "Duplicate",
    "OtherEvent",
    "Outcome",
    "PouchOut",
    "Scan",
    "WalkIn",
    "admit_walk_in",
    "attendee_list",
    "check_in",
    "check_out",
    "check_scan",
    "code_hash",
    "door_counts",
    "door_event",
    "duplicate_scans",
    "fold",
    "list_expiry",
    "name_matches",
    "pouches_out",
    "search_attendees",
    "set_pouch",
    "undo_check_in",
    "walk_in",
]
