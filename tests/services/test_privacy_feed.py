"""Erasing a person stops their private feed and keeps only what the figures need."""

from __future__ import annotations

import secrets

import httpx
import pytest

from events.models import Group, Person, Registration, RegistrationStatus
from events.services.errors import NotFound
from events.services.privacy import erase_person
from tests import factories


async def _person_with_ticket() -> tuple[Person, Registration]:
    org = await factories.organisation()
    event = await factories.event(await factories.venue(org), title="Verhalenavond")
    person = await Person.create(email="sam@example.org", feed_token=secrets.token_urlsafe(32))
    registration = await Registration.create(
        event=event, person=person, code="K7PQ9XW2", first_name="Sam", email="sam@example.org",
        birth_year=2001, group=Group.YOUNG, status=RegistrationStatus.CONFIRMED,
        needs=["hearing_loop"], interests=["games"], guardian_email="ouder@example.org",
    )  # fmt: skip
    return person, registration


async def test_erasure_anonymises_registrations_and_removes_the_person(db: object) -> None:
    person, registration = await _person_with_ticket()
    assert await erase_person(person.id) == 1
    assert await Person.filter(id=person.id).count() == 0
    kept = await Registration.get(id=registration.id)
    assert (kept.first_name, kept.email, kept.birth_year, kept.guardian_email) == (
        "",
        None,
        None,
        None,
    )
    assert kept.needs == [] and kept.interests == []
    assert kept.group == Group.YOUNG and kept.status == RegistrationStatus.CONFIRMED
    assert kept.event_id == registration.event_id  # type: ignore[attr-defined]
    with pytest.raises(NotFound):
        await erase_person(person.id)


async def test_private_feed_stops_working_after_erasure(client: httpx.AsyncClient) -> None:
    person, _registration = await _person_with_ticket()
    path = f"/feeds/{person.feed_token}.ics"
    before = await client.get(path)
    assert before.status_code == 200 and b"Verhalenavond" in before.content
    await erase_person(person.id)
    assert (await client.get(path)).status_code == 404
