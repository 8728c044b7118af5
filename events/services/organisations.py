"""Organisations as participants meet them: the contact person they can reach (an email
address, and optionally a phone number and a name), edited by the organisation's own
organisers, and the organisations responsible for personal data (the privacy statement).

The contact is shown on the event page, the ticket, the paper ticket, the consent page and
the privacy statement, and is the ``Reply-To`` of every mail about the organisation's
activities (``services.mail``). Imports models, errors, forms and the staff ``Actor``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from events.models import EventStatus, Organisation
from events.services.errors import FormError, NotFound
from events.services.forms import Fields
from events.services.staff import Actor

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE_RE = re.compile(r"^\+?[0-9 ()-]+$")
CONTACT_FIELDS = ("email", "contact_name", "contact_phone")


@dataclass(frozen=True)
class Contact:
    """Who participants of an organisation's activities can reach."""

    organisation: str
    email: str
    name: str = ""
    phone: str = ""

    @property
    def phone_link(self) -> str:
        """The ``tel:`` form of the phone number (digits and a leading +)."""
        digits = re.sub(r"[^0-9+]", "", self.phone)
        return f"tel:{digits}" if digits else ""


def contact_of(organisation: Organisation) -> Contact:
    return Contact(
        organisation=organisation.name,
        email=organisation.email,
        name=organisation.contact_name,
        phone=organisation.contact_phone,
    )


async def own_organisation(actor: Actor) -> Organisation:
    """The organisation an organiser works for (NotFound for hosts and admins without one)."""
    if not actor.can_organise or actor.organisation_id is None:
        raise NotFound()
    organisation = await Organisation.get_or_none(id=actor.organisation_id)
    if organisation is None:
        raise NotFound()
    return organisation


def contact_values(organisation: Organisation) -> dict[str, str]:
    """The contact form's values as stored."""
    return {name: str(getattr(organisation, name)) for name in CONTACT_FIELDS}


def _phone(f: Fields) -> str:
    value = f.text("contact_phone", max_length=30)
    digits = re.sub(r"[^0-9]", "", value)
    if value and (not PHONE_RE.match(value) or not 6 <= len(digits) <= 15):
        f.fail("contact_phone", "invalid_phone")
    return value


async def save_contact(actor: Actor, data: Mapping[str, object]) -> Organisation:
    """Change the contact of the actor's own organisation. The email address is required:
    it is where participants' replies go."""
    organisation = await own_organisation(actor)
    f = Fields(data)
    email = f.text("email", required=True, max_length=254).lower()
    if email and not EMAIL_RE.match(email):
        f.fail("email", "email_invalid")
    name = f.text("contact_name", max_length=100)
    phone = _phone(f)
    if f.errors:
        raise FormError(f.errors)
    organisation.email, organisation.contact_name, organisation.contact_phone = email, name, phone
    await organisation.save(update_fields=list(CONTACT_FIELDS))
    return organisation


async def responsible_organisations() -> list[Contact]:
    """Organisations with a public activity: each is responsible for the personal data of
    the people who sign up for its activities (named in the privacy statement)."""
    rows = await Organisation.filter(
        events__status__in=[EventStatus.PUBLISHED, EventStatus.CANCELLED]
    ).distinct()
    return [contact_of(row) for row in sorted(rows, key=lambda row: row.name.lower())]
