"""What a ticket says and offers now: a QR code, printing, cancelling, what is still
missing. One answer for the ticket page, the paper ticket and the cancel action, from the
registration's status and where its event stands (:func:`phase_of`, which the event page,
the API and the feeds ask too).

Rules: a cancelled activity says so first and offers nothing but its reason and the
organiser; an activity that is over offers nothing; after the start nobody cancels (that
would change the no-show figures), but the QR code stays for late arrivals; a place held
for a guardian's consent says what is missing and is not printed.

Imports models only; no database access.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from events.models import Event, EventStatus, Registration, RegistrationStatus

CANCELLED, OVER, STARTED, UPCOMING, DRAFT = "cancelled", "over", "started", "upcoming", "draft"


def phase_of(event: Event, now: datetime) -> str:
    """Where an event stands for participants: ``cancelled`` (whenever), ``over`` (ended),
    ``started`` (begun, not ended: the door is open, cancelling is not), ``upcoming`` or,
    before publication, ``draft``."""
    if event.status == EventStatus.CANCELLED:
        return CANCELLED
    if event.ends_at < now:
        return OVER
    if event.status == EventStatus.DRAFT:
        return DRAFT
    return STARTED if event.starts_at <= now else UPCOMING


@dataclass(frozen=True)
class TicketState:
    """``phase`` is the event's (``cancelled``, ``over``, ``started``, ``upcoming``)."""

    phase: str
    status: RegistrationStatus
    show_qr: bool
    can_print: bool
    can_cancel: bool
    can_add_to_calendar: bool
    missing_guardian: bool

    @property
    def event_cancelled(self) -> bool:
        return self.phase == CANCELLED

    @property
    def over(self) -> bool:
        return self.phase == OVER

    @property
    def started(self) -> bool:
        return self.phase == STARTED


def ticket_state(registration: Registration, event_phase: str) -> TicketState:
    """What the ticket of ``registration`` shows, given its event's phase."""
    status = registration.status
    confirmed = status == RegistrationStatus.CONFIRMED
    active = status != RegistrationStatus.CANCELLED
    happening = event_phase not in (CANCELLED, OVER)
    return TicketState(
        phase=event_phase,
        status=status,
        show_qr=confirmed and happening,
        can_print=confirmed and happening,
        can_cancel=active and happening and event_phase != STARTED,
        can_add_to_calendar=active and happening,
        missing_guardian=status == RegistrationStatus.AWAITING_GUARDIAN and happening,
    )


def state_now(registration: Registration, now: datetime) -> TicketState:
    """The ticket state of a registration whose ``event`` is fetched."""
    return ticket_state(registration, phase_of(registration.event, now))
