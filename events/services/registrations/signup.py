"""Signing up: one transaction that gives a person (and their companions) places or waiting
places and queues their mail. The places themselves are taken only by ``services.places``.

Imports models, errors, mail, places, scope, settings, tickets, the staff ``Actor`` and
``registrations.form``.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from tortoise.transactions import in_transaction

from events.models import (
    Event,
    Group,
    OutboxMessage,
    Person,
    Registration,
    RegistrationSource,
    RegistrationStatus,
)
from events.services import mail, places
from events.services.errors import Conflict, FormError, NotFound
from events.services.registrations.form import (
    Companion,
    SignupRequest,
    check_signup,
    group_for,
)
from events.services.scope import get_event_for
from events.services.staff import Actor
from events.services.volunteers.accompany import ensure_accompaniment_task
from events.settings import Settings
from events.tickets import new_code


@dataclass
class SignupOutcome:
    """What a sign-up made. ``duplicate``: the email already had a place at this event, so
    nothing new was made and the existing ticket was mailed again."""

    registrations: list[Registration] = field(default_factory=list)
    duplicate: bool = False
    request: SignupRequest | None = None

    @property
    def lead(self) -> Registration | None:
        return self.registrations[0] if self.registrations else None


class _Duplicate(Exception):
    """The address already has a place here: undo the transaction (and the place taken)."""

    def __init__(self, registration: Registration) -> None:
        super().__init__(registration.id)
        self.registration = registration


async def sign_up(
    event_id: int,
    request: SignupRequest,
    *,
    settings: Settings,
    now: datetime | None = None,
    event: Event | None = None,
) -> SignupOutcome:
    """Give the person (and companions) places, or waitlist places, and queue their mail.

    ``event``: the event already read (with its venue and organisation, as the public page
    reads it), so the transaction does not read it again. Only what must be atomic happens
    inside: the first statement locks the event row and takes the lead's place (or waiting
    number), then the duplicate check, the registrations and their outbox rows. The person
    is made before (an insert that ignores a conflict)."""
    now = now or datetime.now(UTC)
    if event is None or event.id != event_id:
        event = await Event.get_or_none(id=event_id).select_related("venue", "organisation")
        if event is None:
            raise NotFound()
    lead_group = request.group or group_for(event, request.birth_year, event.starts_at.date())
    person = await _person_for(request.email, request.locale)
    try:
        async with in_transaction():
            claimed = await places.claim(event_id, lead_group, now=now)
            if claimed is None:
                raise await _not_open(event_id, now)
            existing = await _existing_place(event, request)
            if existing is not None:
                raise _Duplicate(existing)
            outcome = SignupOutcome()
            lead = await _register_one(
                event,
                request,
                first_name=request.first_name,
                birth_year=request.birth_year,
                person=person,
                lead=None,
                now=now,
                settings=settings,
                group=lead_group,
                claimed=claimed,
            )
            outcome.registrations.append(lead)
            for n, companion in enumerate(request.companions, start=1):
                outcome.registrations.append(
                    await _register_one(
                        event,
                        request,
                        first_name=companion.first_name,
                        birth_year=companion.birth_year,
                        person=None,
                        lead=lead,
                        now=now,
                        settings=settings,
                        group=_companion_group(event, request, n, companion),
                    )
                )
            await _queue_signup_mail(lead, event, settings=settings)
            await ensure_accompaniment_task(lead)
    except _Duplicate as duplicate:
        async with in_transaction():
            await _mail_existing(duplicate.registration, event, settings=settings, now=now)
        return SignupOutcome([duplicate.registration], duplicate=True)
    return outcome


async def _not_open(event_id: int, now: datetime) -> Exception:
    """Why the event took no sign-up: gone, over, or not (or no longer) published."""
    found = await Event.get_or_none(id=event_id).only("id", "ends_at")
    if found is None:
        return NotFound()
    return Conflict("event_not_open" if found.ends_at >= now else "event_over")


async def sign_up_from_form(
    data: Mapping[str, object],
    *,
    event: Event,
    locale: str,
    settings: Settings,
    source: RegistrationSource = RegistrationSource.ONLINE,
    now: datetime | None = None,
) -> SignupOutcome:
    """Check submitted fields (FormError per field) and sign up: what every sign-up form,
    the API and the door share. The organisation's own interests count as choices."""
    now = now or datetime.now(UTC)
    checked = check_signup(
        data,
        event=event,
        today=now.date(),
        locale=locale,
        source=source,
        extra_interests=tuple(event.organisation.extra_interests),
    )
    outcome = await sign_up(event.id, checked, settings=settings, now=now, event=event)
    outcome.request = checked
    return outcome


async def assisted_sign_up(
    actor: Actor,
    event_id: int,
    data: Mapping[str, object],
    *,
    walk_in: bool,
    locale: str,
    settings: Settings,
) -> SignupOutcome:
    """Staff sign someone up at a desk or the door (no email needed, group chosen)."""
    event = await get_event_for(actor, event_id)
    await event.fetch_related("organisation")
    source = RegistrationSource.WALK_IN if walk_in else RegistrationSource.ASSISTED
    return await sign_up_from_form(
        data, event=event, locale=locale, settings=settings, source=source
    )


async def _existing_place(event: Event, request: SignupRequest) -> Registration | None:
    """The address's existing place at this event (read under the event's lock)."""
    if not request.email:
        return None
    return await Registration.filter(
        event_id=event.id, email=request.email, status__in=places.ACTIVE, lead_id=None
    ).first()


async def _mail_existing(
    existing: Registration, event: Event, *, settings: Settings, now: datetime
) -> None:
    """Mail the existing ticket again, at most once an hour (so signing up someone else's
    address over and over cannot flood their inbox)."""
    recent = await OutboxMessage.filter(
        registration_id=existing.id,
        kind="existing_ticket",
        created_at__gte=now - timedelta(hours=1),
    ).exists()
    if not recent:
        await mail.queue_mail(
            "existing_ticket", registration=existing, event=event, settings=settings
        )


def _companion_group(event: Event, request: SignupRequest, n: int, companion: Companion) -> Group:
    """The group of the ``n``-th companion; an age without places is that companion's error
    (``check_signup`` finds it first; a request built without it meets it here)."""
    try:
        return group_for(event, companion.birth_year, event.starts_at.date())
    except FormError as exc:
        raise FormError({f"companion_{n}_birth_year": exc.errors["birth_year"]}) from None


async def _queue_signup_mail(lead: Registration, event: Event, *, settings: Settings) -> None:
    if lead.status == RegistrationStatus.AWAITING_GUARDIAN or (
        lead.guardian_email and lead.status == RegistrationStatus.WAITLISTED
    ):
        await mail.queue_mail("guardian_request", registration=lead, event=event, settings=settings)
    kind = {
        RegistrationStatus.CONFIRMED: "confirmation",
        RegistrationStatus.WAITLISTED: "waitlisted",
    }.get(lead.status, "awaiting_guardian")
    await mail.queue_mail(kind, registration=lead, event=event, settings=settings)


async def _person_for(email: str | None, locale: str) -> Person | None:
    """The person with this address, created if new. An insert that ignores a conflict on
    the unique email, then a read: two sign-ups of one new person for two activities at
    once (each holding its own event's lock) both end with the same row, never with an
    integrity error (PostgreSQL waits for the other transaction's insert, then skips)."""
    if not email:
        return None
    person = await Person.get_or_none(email=email)
    if person is None:
        new = Person(email=email, feed_token=secrets.token_urlsafe(24), locale=locale)
        await Person.bulk_create([new], ignore_conflicts=True)
        person = await Person.get(email=email)
    return person


async def _place(
    event: Event,
    *,
    group: Group,
    guardian_needed: bool,
    now: datetime,
    hold_hours: int,
    claimed: places.Claim | None = None,
) -> tuple[RegistrationStatus, int | None, datetime | None]:
    """Status, waitlist number and hold expiry for one newcomer (takes the place unless
    ``claimed`` already did)."""
    if claimed is None:
        placed = await places.take_place(event.id, group)
        number = None if placed else await places.next_waitlist_number(event.id)
        claimed = places.Claim(placed, number)
    if claimed.placed:
        if guardian_needed:
            return RegistrationStatus.AWAITING_GUARDIAN, None, now + timedelta(hours=hold_hours)
        return RegistrationStatus.CONFIRMED, None, None
    return RegistrationStatus.WAITLISTED, claimed.waitlist_number, None


async def _register_one(
    event: Event,
    request: SignupRequest,
    *,
    first_name: str,
    birth_year: int | None,
    person: Person | None,
    lead: Registration | None,
    now: datetime,
    settings: Settings,
    group: Group | None = None,
    claimed: places.Claim | None = None,
) -> Registration:
    if group is None:
        group = request.group or group_for(event, birth_year, event.starts_at.date())
    guardian = lead is None and request.guardian_email is not None
    status, number, hold = await _place(
        event, group=group, guardian_needed=guardian, now=now,
        hold_hours=settings.guardian_hold_hours, claimed=claimed,
    )  # fmt: skip
    return await Registration.create(
        event=event,
        person=person,
        lead=lead,
        code=new_code(),
        first_name=first_name,
        email=request.email if lead is None else None,
        birth_year=birth_year,
        group=group,
        status=status,
        waitlist_number=number,
        languages=list(request.languages),
        interests=list(request.interests),
        needs=list(request.needs),
        locale=request.locale,
        source=request.source,
        guardian_email=request.guardian_email if guardian else None,
        guardian_token=secrets.token_urlsafe(24) if guardian else None,
        hold_expires_at=hold,
        confirmed_at=now if status == RegistrationStatus.CONFIRMED else None,
        accompany=request.accompany and lead is None,
        pickup_address=request.pickup_address if lead is None else None,
    )
