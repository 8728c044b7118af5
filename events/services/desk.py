"""The organiser's desk: everyone who signed up for an event as rows for the list and the
exports (with arrival, check-out, phone pouch and table per round), phone numbers for
people signed up without email, the "to call" list of such people promoted from the
waiting list, and assisted sign-up that asks before placing someone in a full group.

Every function takes the ``Actor`` and checks it. Imports models, errors, places,
registrations, scope, tables, settings and the staff ``Actor``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from events.models import CheckIn, Event, Group, Registration, RegistrationStatus
from events.services import places, registrations, tables
from events.services.errors import Conflict, FormError, Invalid
from events.services.registrations import SignupOutcome
from events.services.scope import events_for, get_event_for
from events.services.staff import Actor
from events.settings import Settings

PHONE_RE = re.compile(r"^\+?[0-9][0-9 ()\-.]{5,24}$")
WHEN_FULL = ("waitlist", "override")


@dataclass(frozen=True)
class Row:
    """One registration with what happened at the door and at the tables."""

    registration: Registration
    waiting_place: int | None
    arrived_at: datetime | None
    left_at: datetime | None
    pouch: str
    tables: list[int | None]


@dataclass(frozen=True)
class SignupList:
    event: Event
    rows: list[Row]
    rounds: int


async def signup_list(actor: Actor, event_id: int) -> SignupList:
    """Everyone who signed up (waiting list in its order), with arrival, check-out, pouch and
    their table in each round of the stored plan."""
    event = await get_event_for(actor, event_id)
    found = await registrations.event_registrations(actor, event.id)
    positions = places.waitlist_positions(found)
    checkins = {
        c.registration_id: c
        for c in await CheckIn.filter(event_id=event.id, undone_at__isnull=True)
    }
    plan = await tables.get_plan(event.id)
    rounds = plan.rounds if plan else []
    seat_of = [
        {rid: number for number, table in enumerate(tbls, start=1) for rid in table}
        for tbls in rounds
    ]
    rows = []
    for registration in found:
        checkin = checkins.get(registration.id)
        rows.append(
            Row(
                registration=registration,
                waiting_place=positions.get(registration.id),
                arrived_at=checkin.scanned_at if checkin else None,
                left_at=checkin.checked_out_at if checkin else None,
                pouch=checkin.pouch if checkin else "",
                tables=[seats.get(registration.id) for seats in seat_of],
            )
        )
    return SignupList(event=event, rows=rows, rounds=len(rounds))


def check_phone(raw: object) -> str | None:
    """A phone number as typed (digits, spaces, +, -, brackets), or None when empty."""
    value = " ".join(str(raw or "").split())
    if not value:
        return None
    if not PHONE_RE.match(value):
        raise FormError({"phone": "invalid_phone"})
    return value


async def assisted_sign_up(
    actor: Actor,
    event_id: int,
    data: Mapping[str, object],
    *,
    walk_in: bool,
    locale: str,
    settings: Settings,
) -> SignupOutcome:
    """Staff sign someone up. When the chosen group is full, staff choose: the waiting list
    (``when_full=waitlist``) or a place anyway (``when_full=override``, counted as an
    override); without a choice this raises ``group_full_choose`` and nothing is made."""
    event = await get_event_for(actor, event_id)
    phone = check_phone(data.get("phone"))
    when_full = str(data.get("when_full") or "")
    if when_full and when_full not in WHEN_FULL:
        raise Invalid("invalid_choice")
    group = str(data.get("group") or Group.OPEN.value)
    full = group in tuple(Group) and places.places_left(event)[Group(group)] == 0
    if full and not when_full:
        raise Conflict("group_full_choose")
    outcome = await registrations.assisted_sign_up(
        actor, event.id, data, walk_in=walk_in, locale=locale, settings=settings
    )
    lead = outcome.lead
    if lead is None or outcome.duplicate:
        return outcome
    if phone:
        lead.phone = phone
        await lead.save(update_fields=["phone"])
    if when_full == "override" and lead.status == RegistrationStatus.WAITLISTED:
        await registrations.promote_by_hand(actor, lead.id, settings=settings, over_capacity=True)
        await Registration.filter(id=lead.id).update(over_capacity=True)
        await lead.refresh_from_db()
    return outcome


async def to_call(actor: Actor, *, now: datetime | None = None) -> list[Registration]:
    """People without email who got a place from the waiting list and must be phoned,
    until someone ticks them off: for events that have not ended."""
    now = now or datetime.now(UTC)
    event_ids = await events_for(actor).filter(ends_at__gte=now).values_list("id", flat=True)
    return (
        await Registration.filter(
            event_id__in=list(event_ids),
            status=RegistrationStatus.CONFIRMED,
            email__isnull=True,
            phone__isnull=False,
            waitlist_number__isnull=False,
            called_at__isnull=True,
        )
        .order_by("confirmed_at", "id")
        .prefetch_related("event")
    )


async def mark_called(actor: Actor, registration_id: int, *, now: datetime | None = None) -> None:
    """Tick someone off the to-call list."""
    registration = await registrations.registration_for_staff(
        actor, registration_id, to_change=True
    )
    registration.called_at = now or datetime.now(UTC)
    await registration.save(update_fields=["called_at"])
