"""Accompaniment ("ophalen of meelopen"): a registration that asked for it gets a task; the
volunteer sees the address only once the organiser pairs them; the address goes with the
registration's erasure and with retention."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from events.models import (
    Event,
    Group,
    OutboxMessage,
    Person,
    Registration,
    RegistrationStatus,
    TaskKind,
    VolunteerTask,
)
from events.services import privacy, volunteers
from events.services.errors import Conflict, NotFound
from events.settings import Settings
from events.tickets import new_code
from tests import factories

ADDRESS = "Lindelaan 12, 7201 AB Zutphen"


@pytest.fixture
async def event(db: Settings) -> Event:
    org = await factories.organisation()
    return await factories.event(await factories.venue(org), slug="verhalen", title="Verhalen")


async def _registration(event: Event, *, accompany: bool = True) -> Registration:
    person = await Person.create(email="joke@example.org", feed_token=new_code())
    return await Registration.create(
        event=event,
        person=person,
        code=new_code(),
        first_name="Joke",
        email="joke@example.org",
        birth_year=1944,
        group=Group.OLDER,
        status=RegistrationStatus.CONFIRMED,
        accompany=accompany,
        pickup_address=ADDRESS if accompany else None,
    )


async def _volunteer_for(event: Event, task: VolunteerTask, db: Settings) -> str:
    shift = await volunteers.sign_up_for_task(
        event, task.id, {"first_name": "Daan", "email": "daan@example.org"}, locale="nl",
        settings=db,
    )  # fmt: skip
    return shift.token


async def test_a_registration_that_asked_gets_one_task(event: Event) -> None:
    registration = await _registration(event)
    task = await volunteers.ensure_accompaniment_task(registration)
    assert task is not None and task.kind == TaskKind.ACCOMPANY and task.needed == 1
    assert task.starts_at < event.starts_at and task.ends_at > event.ends_at
    assert ADDRESS not in task.description
    again = await volunteers.ensure_accompaniment_task(registration)
    assert again is not None and again.id == task.id
    assert await volunteers.ensure_accompaniment_task(await _other(event)) is None
    shown = await volunteers.open_tasks(event, now=datetime.now(UTC))
    assert [v.task.id for v in shown] == [task.id]
    registration.status = RegistrationStatus.CANCELLED
    await registration.save()
    assert await volunteers.open_tasks(event, now=datetime.now(UTC)) == []


async def _other(event: Event) -> Registration:
    return await Registration.create(
        event=event, code=new_code(), first_name="Kees", group=Group.OLDER,
        status=RegistrationStatus.CONFIRMED,
    )  # fmt: skip


async def test_the_organiser_page_makes_missing_tasks(event: Event) -> None:
    await _registration(event)
    actor = await factories.organiser_actor(await event.organisation)
    assert await volunteers.sync_accompaniment_tasks(actor, event.id) == 1
    assert await volunteers.sync_accompaniment_tasks(actor, event.id) == 0
    stranger = await factories.organiser_actor(await factories.organisation())
    with pytest.raises(NotFound):
        await volunteers.sync_accompaniment_tasks(stranger, event.id)


async def test_address_is_shown_only_after_pairing(event: Event, db: Settings) -> None:
    registration = await _registration(event)
    task = await volunteers.ensure_accompaniment_task(registration)
    assert task is not None
    token = await _volunteer_for(event, task, db)
    page = await volunteers.shift_page(token)
    assert page.accompany and page.pickup_address is None and page.pickup_name is None
    confirmation = await OutboxMessage.get(kind="volunteer_confirmation")
    assert ADDRESS not in confirmation.text_body + confirmation.html_body

    stranger = await factories.organiser_actor(await factories.organisation())
    with pytest.raises(NotFound):
        await volunteers.pair_shift(stranger, page.shift.id, settings=db)
    actor = await factories.organiser_actor(await event.organisation)
    await volunteers.pair_shift(actor, page.shift.id, settings=db)
    page = await volunteers.shift_page(token)
    assert (page.pickup_name, page.pickup_address) == ("Joke", ADDRESS)
    paired = await OutboxMessage.get(kind="volunteer_paired")
    assert ADDRESS not in paired.text_body + paired.html_body
    assert f"/help/{token}" in paired.text_body

    await volunteers.unpair_shift(actor, page.shift.id)
    assert (await volunteers.shift_page(token)).pickup_address is None
    await volunteers.pair_shift(actor, page.shift.id, settings=db)
    await volunteers.cancel_shift(token, settings=db)
    assert (await volunteers.shift_page(token)).pickup_address is None


async def test_only_an_accompaniment_is_paired(event: Event, db: Settings) -> None:
    task = await VolunteerTask.create(
        event=event, kind=TaskKind.COFFEE, starts_at=event.starts_at, ends_at=event.ends_at
    )
    token = await _volunteer_for(event, task, db)
    page = await volunteers.shift_page(token)
    actor = await factories.organiser_actor(await event.organisation)
    with pytest.raises(Conflict):
        await volunteers.pair_shift(actor, page.shift.id, settings=db)


async def _paired(event: Event, db: Settings) -> tuple[Registration, str]:
    registration = await _registration(event)
    task = await volunteers.ensure_accompaniment_task(registration)
    assert task is not None
    token = await _volunteer_for(event, task, db)
    actor = await factories.organiser_actor(await event.organisation)
    await volunteers.pair_shift(actor, (await volunteers.shift_page(token)).shift.id, settings=db)
    return registration, token


async def test_erasing_the_person_erases_the_address(event: Event, db: Settings) -> None:
    registration, token = await _paired(event, db)
    assert registration.person_id is not None
    await privacy.erase_person(registration.person_id)
    await volunteers.forget_addresses(now=datetime.now(UTC), retention_days=db.retention_days)
    await registration.refresh_from_db()
    assert registration.pickup_address is None
    assert (await volunteers.shift_page(token)).pickup_address is None


async def test_privacy_erasure_alone_clears_the_address(event: Event, db: Settings) -> None:
    registration, _token = await _paired(event, db)
    assert registration.person_id is not None
    await privacy.erase_person(registration.person_id)
    await registration.refresh_from_db()
    assert registration.pickup_address is None


async def test_retention_erases_the_address(event: Event, db: Settings) -> None:
    registration, token = await _paired(event, db)
    later = event.ends_at + timedelta(days=db.retention_days + 1)
    assert await volunteers.forget_addresses(now=event.ends_at, retention_days=30) == 0
    await privacy.purge_expired(now=later, retention_days=db.retention_days)
    # The purge erases the address with the rest; forget_addresses finds nothing left.
    assert await volunteers.forget_addresses(now=later, retention_days=db.retention_days) == 0
    await registration.refresh_from_db()
    assert registration.pickup_address is None
    assert (await volunteers.shift_page(token)).pickup_address is None
