"""A guardian's consent for a participant under 16: giving it turns a held place into a
confirmed one, declining or withdrawing it gives the place up; the participant may correct a
mistyped guardian address and send the request again, :data:`MAX_GUARDIAN_REQUESTS` times
in all.

Imports models, errors, mail, places, settings and the other registration modules.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import UTC, datetime

from tortoise.transactions import in_transaction

from events.models import Registration, RegistrationStatus
from events.services import mail, places
from events.services.errors import Conflict, FormError, NotFound
from events.services.forms import Fields
from events.services.registrations.changes import cancel_registration
from events.services.registrations.form import EMAIL_RE
from events.services.registrations.lookups import registration_by_guardian_token
from events.services.registrations.state import CANCELLED, OVER, phase_of
from events.settings import Settings

MAX_GUARDIAN_REQUESTS = 3
"""Requests to a guardian per registration, the first one included."""


async def give_consent(
    token: str, *, settings: Settings, now: datetime | None = None
) -> Registration:
    """Record the guardian's consent; a held place becomes a confirmed one."""
    now = now or datetime.now(UTC)
    registration = await registration_by_guardian_token(token)
    async with in_transaction():
        event = await places.lock_event(registration.event_id)
        await registration.refresh_from_db()
        if registration.status == RegistrationStatus.CANCELLED:
            raise Conflict("consent_too_late")
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


async def decline_consent(
    token: str, *, settings: Settings, now: datetime | None = None
) -> Registration:
    """The guardian says no: recorded, the place is given up (the next in line gets it) and
    the participant is told. Saying no twice changes nothing."""
    now = now or datetime.now(UTC)
    registration = await registration_by_guardian_token(token)
    if registration.status == RegistrationStatus.CANCELLED:
        return registration
    registration.guardian_declined_at = now
    await registration.save(update_fields=["guardian_declined_at"])
    return await cancel_registration(
        registration.id, settings=settings, now=now, mail_kind="guardian_declined"
    )


def can_ask_guardian_again(registration: Registration, event_phase: str) -> bool:
    """Whether the ticket offers to correct the guardian's address and ask again."""
    return (
        registration.guardian_email is not None
        and registration.guardian_consent_at is None
        and registration.status
        in (RegistrationStatus.AWAITING_GUARDIAN, RegistrationStatus.WAITLISTED)
        and registration.guardian_requests < MAX_GUARDIAN_REQUESTS
        and event_phase not in (CANCELLED, OVER)
    )


async def ask_guardian_again(
    registration_id: int,
    data: Mapping[str, object],
    *,
    settings: Settings,
    now: datetime | None = None,
) -> Registration:
    """Send the request to a (corrected) guardian address again. A new address gets a new
    consent link, so the mistyped one can no longer answer. Refused past
    :data:`MAX_GUARDIAN_REQUESTS` (``guardian_requests_used``) or when nothing waits for a
    guardian any more (``consent_not_needed``)."""
    now = now or datetime.now(UTC)
    f = Fields(data)
    address = f.text("guardian_email", required=True, max_length=254).lower()
    if address and not EMAIL_RE.match(address):
        f.fail("guardian_email", "email_invalid")
    async with in_transaction():
        registration = await Registration.get_or_none(id=registration_id)
        if registration is None:
            raise NotFound()
        event = await places.lock_event(registration.event_id)
        await registration.refresh_from_db()
        if address and address == (registration.email or "").lower():
            f.fail("guardian_email", "guardian_same_email")
        if f.errors:
            raise FormError(f.errors)
        if registration.guardian_requests >= MAX_GUARDIAN_REQUESTS:
            raise Conflict("guardian_requests_used")
        if not can_ask_guardian_again(registration, phase_of(event, now)):
            raise Conflict("consent_not_needed")
        if address != registration.guardian_email:
            registration.guardian_email = address
            registration.guardian_token = secrets.token_urlsafe(24)
        registration.guardian_requests += 1
        await registration.save(
            update_fields=["guardian_email", "guardian_token", "guardian_requests"]
        )
        await mail.queue_mail(
            "guardian_request", registration=registration, event=event, settings=settings
        )
    return registration
