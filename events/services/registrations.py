"""Registrations (aanmeldingen): sign-up, capacity, waitlists, guardians and cancellation.

Capacity rule: every change to an event's places happens in one database transaction that
first locks the event row (an UPDATE, so SQLite takes its write lock and PostgreSQL its row
lock), and takes a place only through a conditional UPDATE whose WHERE clause holds the
rule (``taken_young < places_young``). Two processes racing for the last place cannot both
win, on SQLite or on PostgreSQL. Mail is queued in the same transaction (outbox).

Imports models, errors, forms, tickets, mail and settings.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from events.models import (
    Event,
    EventStatus,
    Group,
    OutboxMessage,
    Person,
    Registration,
    RegistrationSource,
    RegistrationStatus,
)
from events.services import mail
from events.services.errors import EventsError, FormError, NotFound
from events.services.events import events_for
from events.services.forms import Fields
from events.services.staff import Actor
from events.settings import Settings
from events.tickets import new_code

GUARDIAN_AGE = 16
ADULT_AGE = 18
MAX_COMPANIONS = 3
LANGUAGES = ("nl", "en", "de", "fr", "tr", "ar", "pl", "uk", "es", "pap", "fy")
STANDARD_INTERESTS = (
    "music",
    "games",
    "cooking",
    "nature",
    "stories",
    "sports",
    "crafts",
    "technology",
    "film",
    "books",
)
NEEDS = ("step_free", "quiet", "hearing", "sight", "seat")
ACTIVE = (
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITLISTED,
    RegistrationStatus.AWAITING_GUARDIAN,
)
HOLDING = (RegistrationStatus.CONFIRMED, RegistrationStatus.AWAITING_GUARDIAN)
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Companion:
    first_name: str
    birth_year: int


@dataclass(frozen=True)
class SignupRequest:
    """Checked sign-up input. ``group`` is set only by staff (assisted sign-up, walk-ins)."""

    first_name: str
    email: str | None
    birth_year: int | None
    guardian_email: str | None = None
    languages: tuple[str, ...] = ()
    interests: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    companions: tuple[Companion, ...] = ()
    locale: str = "nl"
    source: RegistrationSource = RegistrationSource.ONLINE
    group: Group | None = None


@dataclass
class SignupOutcome:
    """What a sign-up made. ``duplicate``: the email already had a place at this event, so
    nothing new was made and the existing ticket was mailed again."""

    registrations: list[Registration] = field(default_factory=list)
    duplicate: bool = False

    @property
    def lead(self) -> Registration | None:
        return self.registrations[0] if self.registrations else None


# --- groups and ages ----------------------------------------------------------------------


def age_in_year(birth_year: int, on: date) -> int:
    """The age reached in the event's calendar year (we ask for a birth year only)."""
    return on.year - birth_year


def needs_guardian(birth_year: int | None, on: date) -> bool:
    """Possibly under 16 on the day: with only a birth year, anyone who turns 16 in the
    event's year or later counts as under 16 (the safe side)."""
    return birth_year is not None and age_in_year(birth_year, on) <= GUARDIAN_AGE


def group_for(event: Event, birth_year: int | None, on: date) -> Group:
    """The generation group for a birth year; ``open`` when the age is between the groups
    or the own group has no places. Raises when the event has no place for this age."""
    if birth_year is None:
        return Group.OPEN
    age = age_in_year(birth_year, on)
    if age < event.young_min_age:
        raise FormError({"birth_year": "too_young"})
    group = Group.OPEN
    if age <= event.young_max_age:
        group = Group.YOUNG
    elif age >= event.older_min_age:
        group = Group.OLDER
    if group != Group.OPEN and capacity(event, group) == 0:
        group = Group.OPEN
    if capacity(event, group) == 0:
        raise FormError({"birth_year": "no_places_for_age"})
    return group


def capacity(event: Event, group: Group) -> int:
    return int(getattr(event, f"places_{group.value}"))


def taken(event: Event, group: Group) -> int:
    return int(getattr(event, f"taken_{group.value}"))


def places_left(event: Event) -> dict[Group, int]:
    return {g: max(0, capacity(event, g) - taken(event, g)) for g in Group}


def open_for_signup(event: Event, now: datetime) -> bool:
    return event.status == EventStatus.PUBLISHED and event.ends_at >= now


# --- checking the form --------------------------------------------------------------------


def _email(f: Fields, name: str, *, required: bool) -> str | None:
    value = f.text(name, required=required, max_length=254).lower()
    if value and not EMAIL_RE.match(value):
        f.fail(name, "email_invalid")
    return value or None


def _birth_year(f: Fields, name: str, today: date, *, required: bool) -> int | None:
    raw = str(f.data.get(name) or "").strip()
    if not raw:
        if required:
            f.fail(name, "required")
        return None
    if not (raw.isascii() and raw.isdigit()) or not today.year - 110 <= int(raw) <= today.year:
        f.fail(name, "invalid_birth_year")
        return None
    return int(raw)


def _choices(data: Mapping[str, object], name: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
    raw = data.get(name) or ()
    values = [raw] if isinstance(raw, str) else list(raw)  # type: ignore[call-overload]
    return tuple(dict.fromkeys(str(v) for v in values if str(v) in allowed))


def check_signup(
    data: Mapping[str, object],
    *,
    event: Event,
    today: date,
    locale: str,
    source: RegistrationSource = RegistrationSource.ONLINE,
    extra_interests: tuple[str, ...] = (),
) -> SignupRequest:
    """Turn submitted fields into a :class:`SignupRequest`, or raise FormError per field.

    Companions come as ``companion_1_name``/``companion_1_birth_year`` … up to three."""
    staff = source in (RegistrationSource.ASSISTED, RegistrationSource.WALK_IN)
    f = Fields(data)
    first_name = f.text("first_name", required=True, max_length=60)
    email = _email(f, "email", required=not staff)
    birth_year = _birth_year(f, "birth_year", today, required=not staff)
    group = None
    if staff:
        group = Group(f.choice("group", tuple(Group), default=Group.OPEN))
    guardian_email = None
    if not staff and needs_guardian(birth_year, event.starts_at.date()):
        guardian_email = _email(f, "guardian_email", required=True)
        if guardian_email and guardian_email == email:
            f.fail("guardian_email", "guardian_same_email")
    companions = []
    for n in range(1, MAX_COMPANIONS + 1):
        name = f.text(f"companion_{n}_name", max_length=60)
        year = _birth_year(f, f"companion_{n}_birth_year", today, required=bool(name))
        if name and year is not None:
            companions.append(Companion(name, year))
        elif year is not None and not name:
            f.fail(f"companion_{n}_name", "required")
    if (
        companions
        and not staff
        and any(needs_guardian(c.birth_year, event.starts_at.date()) for c in companions)
        and (birth_year is None or age_in_year(birth_year, event.starts_at.date()) < ADULT_AGE)
    ):
        f.fail("companion_1_name", "companion_needs_adult")
    if f.errors:
        raise FormError(f.errors)
    return SignupRequest(
        first_name=first_name,
        email=email,
        birth_year=birth_year,
        guardian_email=guardian_email,
        languages=_choices(data, "languages", LANGUAGES),
        interests=_choices(data, "interests", STANDARD_INTERESTS + extra_interests),
        needs=_choices(data, "needs", NEEDS),
        companions=tuple(companions),
        locale=locale,
        source=source,
        group=group,
    )


# --- the transaction ----------------------------------------------------------------------


async def _lock_event(event_id: int) -> Event:
    """First statement of every registration transaction: lock the event row, then read it."""
    locked = await Event.filter(id=event_id).update(waitlist_counter=F("waitlist_counter"))
    if not locked:
        raise NotFound()
    return await Event.get(id=event_id)


async def _take_place(event_id: int, group: Group) -> bool:
    """Take one place in a group if one is free: a single conditional UPDATE."""
    column = f"taken_{group.value}"
    updated = await Event.filter(
        id=event_id, **{f"{column}__lt": F(f"places_{group.value}")}
    ).update(**{column: F(column) + 1})
    return updated == 1


async def _give_back_place(event_id: int, group: Group) -> None:
    column = f"taken_{group.value}"
    await Event.filter(id=event_id, **{f"{column}__gt": 0}).update(**{column: F(column) - 1})


async def _next_waitlist_number(event_id: int) -> int:
    await Event.filter(id=event_id).update(waitlist_counter=F("waitlist_counter") + 1)
    return (await Event.get(id=event_id)).waitlist_counter


async def _person_for(email: str | None, locale: str) -> Person | None:
    if not email:
        return None
    person = await Person.get_or_none(email=email)
    if person is None:
        person = await Person.create(
            email=email, feed_token=secrets.token_urlsafe(24), locale=locale
        )
    return person


async def _place(
    event: Event,
    *,
    group: Group,
    guardian_needed: bool,
    now: datetime,
    hold_hours: int,
) -> tuple[RegistrationStatus, int | None, datetime | None]:
    """Status, waitlist number and hold expiry for one newcomer (takes the place)."""
    if await _take_place(event.id, group):
        if guardian_needed:
            return RegistrationStatus.AWAITING_GUARDIAN, None, now + timedelta(hours=hold_hours)
        return RegistrationStatus.CONFIRMED, None, None
    return RegistrationStatus.WAITLISTED, await _next_waitlist_number(event.id), None


async def sign_up(
    event_id: int, request: SignupRequest, *, settings: Settings, now: datetime | None = None
) -> SignupOutcome:
    """Give the person (and companions) places, or waitlist places, and queue their mail."""
    now = now or datetime.now(UTC)
    async with in_transaction():
        event = await _lock_event(event_id)
        if not open_for_signup(event, now):
            raise EventsError("event_not_open" if event.ends_at >= now else "event_over")
        if request.email:
            existing = await Registration.filter(
                event_id=event.id, email=request.email, status__in=ACTIVE, lead_id=None
            ).first()
            if existing is not None:
                # At most one reminder an hour: signing up someone else's address over and
                # over must not flood their inbox.
                recent = await OutboxMessage.filter(
                    registration_id=existing.id,
                    kind="existing_ticket",
                    created_at__gte=now - timedelta(hours=1),
                ).exists()
                if not recent:
                    await mail.queue_mail(
                        "existing_ticket", registration=existing, event=event, settings=settings
                    )
                return SignupOutcome([existing], duplicate=True)
        outcome = SignupOutcome()
        day = event.starts_at.date()
        person = await _person_for(request.email, request.locale)
        lead = await _register_one(
            event,
            request,
            first_name=request.first_name,
            birth_year=request.birth_year,
            person=person,
            lead=None,
            now=now,
            settings=settings,
        )
        outcome.registrations.append(lead)
        for companion in request.companions:
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
                    group=group_for(event, companion.birth_year, day),
                )
            )
        if lead.status == RegistrationStatus.AWAITING_GUARDIAN or (
            lead.guardian_email and lead.status == RegistrationStatus.WAITLISTED
        ):
            await mail.queue_mail(
                "guardian_request", registration=lead, event=event, settings=settings
            )
        kind = (
            "confirmation"
            if lead.status == RegistrationStatus.CONFIRMED
            else (
                "waitlisted"
                if lead.status == RegistrationStatus.WAITLISTED
                else "awaiting_guardian"
            )
        )
        await mail.queue_mail(kind, registration=lead, event=event, settings=settings)
    return outcome


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
) -> Registration:
    day = event.starts_at.date()
    if group is None:
        group = request.group or group_for(event, birth_year, day)
    guardian = lead is None and request.guardian_email is not None
    status, number, hold = await _place(
        event,
        group=group,
        guardian_needed=guardian,
        now=now,
        hold_hours=settings.guardian_hold_hours,
    )
    registration = await Registration.create(
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
    )
    return registration


# --- after sign-up ------------------------------------------------------------------------


async def waitlist_position(registration: Registration) -> int | None:
    """1 for the first person waiting in this group, None when not waiting."""
    if registration.status != RegistrationStatus.WAITLISTED or registration.waitlist_number is None:
        return None
    ahead = await Registration.filter(
        event_id=registration.event_id,  # type: ignore[attr-defined]
        group=registration.group,
        status=RegistrationStatus.WAITLISTED,
        waitlist_number__lt=registration.waitlist_number,
    ).count()
    return ahead + 1


async def party_of(registration: Registration) -> list[Registration]:
    """The companions a lead brought (empty for a companion or someone alone)."""
    if registration.lead_id is not None:  # type: ignore[attr-defined]
        return []
    return await Registration.filter(lead_id=registration.id).order_by("id")


async def registration_by_code(code: str) -> Registration:
    registration = await Registration.get_or_none(code=code).prefetch_related(
        "event", "event__venue", "event__organisation", "person"
    )
    if registration is None:
        raise NotFound()
    return registration


async def cancel_registration(
    registration_id: int,
    *,
    settings: Settings,
    now: datetime | None = None,
    mail_kind: str | None = "cancelled",
) -> Registration:
    """Cancel one place; a freed place goes at once to the first person waiting in its group."""
    now = now or datetime.now(UTC)
    registration = await Registration.get_or_none(id=registration_id)
    if registration is None:
        raise NotFound()
    async with in_transaction():
        event = await _lock_event(registration.event_id)  # type: ignore[attr-defined]
        await registration.refresh_from_db()
        if registration.status == RegistrationStatus.CANCELLED:
            return registration
        held = registration.status in HOLDING
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = now
        await registration.save(update_fields=["status", "cancelled_at"])
        if mail_kind:
            await mail.queue_mail(
                mail_kind, registration=registration, event=event, settings=settings
            )
        if held:
            await _give_back_place(event.id, registration.group)
            await _promote_waiting(event, registration.group, settings=settings, now=now)
    return registration


async def _promote_waiting(
    event: Event, group: Group, *, settings: Settings, now: datetime
) -> list[Registration]:
    """Fill free places of a group from its waitlist, first come first served."""
    promoted: list[Registration] = []
    while True:
        first = (
            await Registration.filter(
                event_id=event.id, group=group, status=RegistrationStatus.WAITLISTED
            )
            .order_by("waitlist_number", "id")
            .first()
        )
        if first is None or not await _take_place(event.id, group):
            return promoted
        await _promote(first, event, settings=settings, now=now)
        promoted.append(first)


async def _promote(
    registration: Registration, event: Event, *, settings: Settings, now: datetime
) -> None:
    if registration.guardian_email and registration.guardian_consent_at is None:
        registration.status = RegistrationStatus.AWAITING_GUARDIAN
        registration.hold_expires_at = now + timedelta(hours=settings.guardian_hold_hours)
    else:
        registration.status = RegistrationStatus.CONFIRMED
        registration.confirmed_at = now
    await registration.save(update_fields=["status", "hold_expires_at", "confirmed_at"])
    await mail.queue_mail("promoted", registration=registration, event=event, settings=settings)


async def promote_by_hand(
    registration_id: int, *, settings: Settings, over_capacity: bool = False
) -> Registration:
    """An organiser gives a waiting person a place; past capacity only when asked."""
    now = datetime.now(UTC)
    registration = await Registration.get_or_none(id=registration_id)
    if registration is None:
        raise NotFound()
    async with in_transaction():
        event = await _lock_event(registration.event_id)  # type: ignore[attr-defined]
        await registration.refresh_from_db()
        if registration.status != RegistrationStatus.WAITLISTED:
            raise EventsError("not_waitlisted")
        if not await _take_place(event.id, registration.group):
            if not over_capacity:
                raise EventsError("group_full")
            column = f"taken_{registration.group.value}"
            await Event.filter(id=event.id).update(**{column: F(column) + 1})
        await _promote(registration, event, settings=settings, now=now)
    return registration


async def admit_at_door(
    registration_id: int, *, now: datetime, over_capacity: bool = False
) -> Registration:
    """A host lets someone in at the door who is waiting or awaiting a guardian. A waiting
    person takes a free place of their group through the same conditional UPDATE as a
    sign-up (``group_full`` when there is none), or past capacity only when asked (a walk-in
    the host chose to admit); a held place is simply confirmed. No mail: they are at the
    door. Used by ``events.services.checkin``."""
    registration = await Registration.get_or_none(id=registration_id)
    if registration is None:
        raise NotFound()
    async with in_transaction():
        event = await _lock_event(registration.event_id)  # type: ignore[attr-defined]
        await registration.refresh_from_db()
        if registration.status == RegistrationStatus.WAITLISTED:
            if not await _take_place(event.id, registration.group):
                if not over_capacity:
                    raise EventsError("group_full")
                column = f"taken_{registration.group.value}"
                await Event.filter(id=event.id).update(**{column: F(column) + 1})
        elif registration.status != RegistrationStatus.AWAITING_GUARDIAN:
            return registration
        registration.status = RegistrationStatus.CONFIRMED
        registration.confirmed_at = now
        registration.hold_expires_at = None
        await registration.save(update_fields=["status", "confirmed_at", "hold_expires_at"])
    return registration


async def move_group(registration_id: int, group: Group, *, settings: Settings) -> Registration:
    """Move a person to another group: their place moves if the new group has room, else
    they join the end of its waitlist; the place they leave goes to the next in line."""
    now = datetime.now(UTC)
    registration = await Registration.get_or_none(id=registration_id)
    if registration is None:
        raise NotFound()
    async with in_transaction():
        event = await _lock_event(registration.event_id)  # type: ignore[attr-defined]
        await registration.refresh_from_db()
        old = registration.group
        if old == group or registration.status == RegistrationStatus.CANCELLED:
            return registration
        held = registration.status in HOLDING
        registration.group = group
        if held and not await _take_place(event.id, group):
            registration.status = RegistrationStatus.WAITLISTED
        if registration.status == RegistrationStatus.WAITLISTED:
            registration.waitlist_number = await _next_waitlist_number(event.id)
        await registration.save(update_fields=["group", "status", "waitlist_number"])
        if held:
            await _give_back_place(event.id, old)
            await _promote_waiting(event, old, settings=settings, now=now)
        else:
            await _promote_waiting(event, group, settings=settings, now=now)
    return registration


# --- guardians ----------------------------------------------------------------------------


async def registration_by_guardian_token(token: str) -> Registration:
    registration = await Registration.get_or_none(guardian_token=token).prefetch_related(
        "event", "event__venue"
    )
    if registration is None:
        raise NotFound()
    return registration


async def give_consent(
    token: str, *, settings: Settings, now: datetime | None = None
) -> Registration:
    """Record the guardian's consent; a held place becomes a confirmed one."""
    now = now or datetime.now(UTC)
    registration = await registration_by_guardian_token(token)
    async with in_transaction():
        event = await _lock_event(registration.event_id)  # type: ignore[attr-defined]
        await registration.refresh_from_db()
        if registration.status == RegistrationStatus.CANCELLED:
            raise EventsError("consent_too_late")
        registration.guardian_consent_at = now
        registration.guardian_consent_by = registration.guardian_email
        registration.guardian_withdrawn_at = None
        if registration.status == RegistrationStatus.AWAITING_GUARDIAN:
            registration.status = RegistrationStatus.CONFIRMED
            registration.confirmed_at = now
            registration.hold_expires_at = None
            await mail.queue_mail(
                "confirmation", registration=registration, event=event, settings=settings
            )
        await registration.save()
    return registration


async def withdraw_consent(token: str, *, settings: Settings) -> Registration:
    """The guardian takes consent back: recorded, and the place is given up."""
    registration = await registration_by_guardian_token(token)
    registration.guardian_withdrawn_at = datetime.now(UTC)
    await registration.save(update_fields=["guardian_withdrawn_at"])
    return await cancel_registration(registration.id, settings=settings)


async def release_expired_holds(*, settings: Settings, now: datetime | None = None) -> int:
    """Give up places held too long for a guardian's consent; the waitlist moves up."""
    now = now or datetime.now(UTC)
    expired = await Registration.filter(
        status=RegistrationStatus.AWAITING_GUARDIAN, hold_expires_at__lt=now
    ).values_list("id", flat=True)
    for registration_id in expired:
        await cancel_registration(
            int(registration_id),  # type: ignore[call-overload]
            settings=settings,
            now=now,
            mail_kind="hold_expired",
        )
    return len(expired)


# --- for staff ----------------------------------------------------------------------------


async def event_registrations(event_id: int) -> list[Registration]:
    """Everyone who signed up for one event, waitlist in its order, with their lead."""
    return (
        await Registration.filter(event_id=event_id)
        .order_by("group", "status", "waitlist_number", "id")
        .prefetch_related("lead")
    )


async def registration_for_staff(actor: Actor, registration_id: int) -> Registration:
    """A registration of an event the actor may see, else NotFound (same answer for both)."""
    registration = await Registration.get_or_none(id=registration_id)
    event_id = registration.event_id if registration else None  # type: ignore[attr-defined]
    if event_id is None or not await events_for(actor).filter(id=event_id).exists():
        raise NotFound()
    assert registration is not None
    return registration


def waitlist_positions(rows: list[Registration]) -> dict[int, int]:
    """Registration id -> place in its group's waitlist, for a list from one event."""
    positions: dict[int, int] = {}
    counters: dict[Group, int] = {}
    waiting = [r for r in rows if r.status == RegistrationStatus.WAITLISTED]
    for row in sorted(waiting, key=lambda r: (r.waitlist_number or 0, r.id)):
        counters[row.group] = counters.get(row.group, 0) + 1
        positions[row.id] = counters[row.group]
    return positions


async def counts_by_event(event_ids: list[int]) -> dict[int, dict[str, int]]:
    """Per event: how many hold a place (confirmed or awaiting a guardian) and how many
    wait, for the organiser's overview."""
    counts = {event_id: {"placed": 0, "waiting": 0} for event_id in event_ids}
    rows = await Registration.filter(event_id__in=event_ids, status__in=ACTIVE).values_list(
        "event_id", "status"
    )
    for event_id, status in rows:
        key = "waiting" if status == RegistrationStatus.WAITLISTED else "placed"
        counts[int(event_id)][key] += 1
    return counts
