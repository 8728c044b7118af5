"""A guardian's consent for a participant under 16: giving it turns a held place into a
confirmed one, withdrawing it gives the place up.

Imports models, errors, mail, places, settings and the other registration modules.
"""

from __future__ import annotations

from datetime import UTC, datetime

from tortoise.transactions import in_transaction

from events.models import Registration, RegistrationStatus
from events.services import mail, places
from events.services.errors import Conflict
from events.services.registrations.changes import cancel_registration
from events.services.registrations.lookups import registration_by_guardian_token
from events.settings import Settings


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
