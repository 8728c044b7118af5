"""Export, erasure and the retention purge keep counts and lose names."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from events.models import Event, OutboxMessage, Person, Registration
from events.services import privacy
from events.services import registrations as reg
from events.services.errors import NotFound
from events.settings import Settings
from tests import factories

YEAR = datetime.now(UTC).year


async def _signed_up(settings: Settings, event: Event) -> Registration:
    request = reg.SignupRequest(
        first_name="Riet",
        email="riet@example.org",
        birth_year=YEAR - 75,
        interests=("music",),
        companions=(reg.Companion("Noor", YEAR - 19),),
    )
    outcome = await reg.sign_up(event.id, request, settings=settings)
    assert outcome.lead is not None
    return outcome.lead


@pytest.fixture
async def event(db: Settings) -> Event:
    org = await factories.organisation()
    return await factories.event(await factories.venue(org))


async def test_export_lists_everything_we_hold(db: Settings, event: Event) -> None:
    lead = await _signed_up(db, event)
    assert lead.person_id is not None  # type: ignore[attr-defined]
    data = await privacy.export_person(lead.person_id)  # type: ignore[attr-defined]
    assert data["email"] == "riet@example.org"
    (row,) = data["registrations"]  # type: ignore[misc]
    assert row["first_name"] == "Riet" and row["interests"] == ["music"]
    assert row["companions"] == [{"first_name": "Noor", "birth_year": YEAR - 19, "group": "young"}]


async def test_erase_keeps_counts_and_removes_names_mail_and_feed(
    db: Settings, event: Event
) -> None:
    lead = await _signed_up(db, event)
    person_id = lead.person_id  # type: ignore[attr-defined]
    assert await OutboxMessage.filter(to_email="riet@example.org").exists()
    assert await privacy.erase_person(person_id) == 2
    rows = await Registration.filter(event_id=event.id).order_by("id")
    assert [(r.first_name, r.email, r.birth_year, r.status.value, r.group.value) for r in rows] == [
        ("", None, None, "confirmed", "older"),
        ("", None, None, "confirmed", "young"),
    ]
    assert not await OutboxMessage.filter(to_email="riet@example.org").exists()
    assert not await Person.filter(id=person_id).exists()
    await event.refresh_from_db()
    assert (event.taken_older, event.taken_young) == (1, 1)
    with pytest.raises(NotFound):
        await privacy.erase_person(person_id)


async def test_purge_erases_only_past_the_retention_period(db: Settings) -> None:
    org = await factories.organisation()
    venue = await factories.venue(org)
    now = datetime.now(UTC)
    soon = await factories.event(venue)
    recent = await _signed_up(db, soon)
    old_event = await factories.event(venue)
    old = await _signed_up(db, old_event)  # same person, another activity
    old_event.starts_at = now - timedelta(days=400)
    old_event.ends_at = now - timedelta(days=400, hours=-2)
    await old_event.save()
    counts = await privacy.purge_expired(now=now, retention_days=180)
    assert counts["registrations"] == 2  # the old lead and her companion
    await old.refresh_from_db()
    await recent.refresh_from_db()
    assert old.first_name == "" and old.email is None and old.status.value == "confirmed"
    assert recent.first_name == "Riet"
    assert await Person.filter(email="riet@example.org").exists()  # still has a sign-up
    again = await privacy.purge_expired(now=now, retention_days=180)
    assert again["registrations"] == 0


async def test_one_purge_erases_every_kind_of_personal_data(db: Settings) -> None:
    """``python -m events purge`` runs the retention of sign-ups, pick-up addresses, ideas
    and referrals in one call."""
    from events.services.retention import purge_all

    org = await factories.organisation()
    event = await factories.event(await factories.venue(org))
    riet = await Registration.create(
        event=event, code="PURGEALLXYZABC", first_name="Riet", group="older",
        status="confirmed", phone="0612345678", accompany=True, pickup_address="Markt 1",
    )  # fmt: skip
    later = event.ends_at + timedelta(days=db.retention_days + 1)
    counts = await purge_all(now=max(later, datetime.now(UTC)), retention_days=db.retention_days)
    assert {"registrations", "addresses", "referrals"} <= set(counts)
    await riet.refresh_from_db()
    assert (riet.first_name, riet.phone, riet.pickup_address) == ("", None, None)
