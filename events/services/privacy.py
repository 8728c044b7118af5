"""Erasure of a participant's personal data (AVG/GDPR article 17), minimal version.

:func:`erase_person` removes what identifies a person and keeps what the aggregated
figures need: each registration keeps its event, group, status, source, times and ticket
code, and loses first name, email, birth year, languages, interests, needs and everything
about the guardian. The :class:`~events.models.Person` row goes too, and with it the
private feed token, so the feed URL stops working. Imports models and errors.
"""

from __future__ import annotations

from tortoise.transactions import in_transaction

from events.models import Person, Registration
from events.services.errors import NotFound

ERASED_FIELDS: dict[str, object] = {
    "first_name": "",
    "email": None,
    "birth_year": None,
    "languages": [],
    "interests": [],
    "needs": [],
    "guardian_email": None,
    "guardian_token": None,
    "guardian_consent_by": None,
}


async def erase_person(person_id: int) -> int:
    """Erase one person; returns how many registrations were anonymised."""
    async with in_transaction():
        person = await Person.filter(id=person_id).select_for_update().first()
        if person is None:
            raise NotFound()
        erased = await Registration.filter(person_id=person_id).update(
            person_id=None, **ERASED_FIELDS
        )
        await person.delete()
    return int(erased)
