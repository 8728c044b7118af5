"""Volunteer tasks and shifts: adding tasks (organisers only), what is open, signing up
without an account (the last place goes once), cancelling from the link, the reminder the
day before, and asking earlier volunteers who agreed to it."""

from __future__ import annotations

import asyncio
import base64
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from events.models import (
    Event,
    EventStatus,
    OutboxMessage,
    ShiftStatus,
    TaskKind,
    Volunteer,
    VolunteerShift,
    VolunteerTask,
)
from events.services import volunteers
from events.services.errors import Conflict, FormError, NotFound
from events.settings import Settings
from tests import factories

TZ = ZoneInfo("Europe/Amsterdam")
FORM = {"first_name": "Sanne", "email": "Sanne@example.org", "phone": "06 12345678"}


@pytest.fixture
async def event(db: Settings) -> Event:
    org = await factories.organisation()
    venue = await factories.venue(org, name="Dorpshuis De Linde")
    return await factories.event(venue, title="Spellenavond")


async def _task(event: Event, *, needed: int = 1, **fields: object) -> VolunteerTask:
    values: dict[str, object] = {
        "kind": TaskKind.COFFEE,
        "starts_at": event.starts_at - timedelta(minutes=30),
        "ends_at": event.ends_at,
        "needed": needed,
    }
    values.update(fields)
    return await VolunteerTask.create(event_id=event.id, **values)


async def test_organiser_adds_a_task_on_the_activity_day(event: Event, db: Settings) -> None:
    org = await event.organisation
    actor = await factories.organiser_actor(org)
    task = await volunteers.add_task(
        actor,
        event.id,
        {"kind": "door_host", "start_time": "18:45", "end_time": "20:00", "needed": "2"},
        tz=TZ,
    )
    assert task.kind == TaskKind.DOOR_HOST and task.needed == 2
    assert task.starts_at.astimezone(TZ).date() == event.starts_at.astimezone(TZ).date()
    assert f"{task.starts_at.astimezone(TZ):%H:%M}" == "18:45"
    with pytest.raises(FormError) as bad:
        await volunteers.add_task(
            actor,
            event.id,
            {"kind": "accompany", "start_time": "20:00", "end_time": "19:00", "needed": "99"},
            tz=TZ,
        )
    assert bad.value.errors == {
        "kind": "invalid_choice",
        "needed": "out_of_range",
        "end_time": "end_before_start",
    }


async def test_other_organisations_and_hosts_cannot_add_or_see_tasks(
    event: Event, db: Settings
) -> None:
    other = await factories.organiser_actor(await factories.organisation())
    venue = await event.venue
    host = await factories.actor_of(await factories.host(await event.organisation, [venue]))
    form = {"kind": "setup", "start_time": "18:00", "end_time": "19:00"}
    for actor in (other, host):
        with pytest.raises(NotFound):
            await volunteers.add_task(actor, event.id, form, tz=TZ)
        with pytest.raises(NotFound):
            await volunteers.event_tasks(actor, event.id)
    assert await VolunteerTask.all().count() == 0


async def test_open_tasks_leave_out_full_and_past_tasks_and_drafts(
    event: Event, db: Settings
) -> None:
    now = datetime.now(UTC)
    open_task = await _task(event, needed=2)
    full = await _task(event, kind=TaskKind.SETUP)
    await _task(event, starts_at=now - timedelta(hours=3), ends_at=now - timedelta(hours=1))
    await volunteers.sign_up_for_task(event, full.id, FORM, locale="nl", settings=db)
    shown = await volunteers.open_tasks(event, now=now)
    assert [(v.task.id, v.open_places) for v in shown] == [(open_task.id, 2)]
    event.status = EventStatus.DRAFT
    assert await volunteers.open_tasks(event, now=now) == []


async def test_sign_up_mails_a_confirmation_with_the_task_as_ics(
    event: Event, db: Settings
) -> None:
    task = await _task(event, kind=TaskKind.DOOR_HOST, needed=2)
    shift = await volunteers.sign_up_for_task(event, task.id, FORM, locale="nl", settings=db)
    volunteer = await Volunteer.get(id=shift.volunteer_id)
    assert (volunteer.first_name, volunteer.email, volunteer.phone) == (
        "Sanne",
        "sanne@example.org",
        "06 12345678",
    )
    assert not volunteer.ask_again
    mail = await OutboxMessage.get(kind="volunteer_confirmation")
    assert mail.to_email == "sanne@example.org" and mail.event_id == event.id
    assert "Spellenavond" in mail.subject and "Deurgastheer" in mail.text_body
    assert f"/help/{shift.token}" in mail.text_body
    [ics] = [a for a in mail.attachments if a["filename"] == "task.ics"]
    calendar = Calendar.from_ical(base64.b64decode(ics["content_b64"]))
    [vevent] = calendar.walk("VEVENT")
    assert str(vevent["UID"]).startswith(f"task-{task.id}@")
    assert vevent.decoded("DTSTART").astimezone(UTC) == task.starts_at
    # The same person again: the same shift, no second mail.
    again = await volunteers.sign_up_for_task(event, task.id, FORM, locale="nl", settings=db)
    assert again.id == shift.id
    assert await OutboxMessage.filter(kind="volunteer_confirmation").count() == 1


async def test_the_form_needs_a_name_and_a_real_email(event: Event, db: Settings) -> None:
    task = await _task(event)
    with pytest.raises(FormError) as bad:
        await volunteers.sign_up_for_task(
            event, task.id, {"email": "nope", "phone": "call me"}, locale="nl", settings=db
        )
    assert bad.value.errors == {
        "first_name": "required",
        "email": "email_invalid",
        "phone": "phone_invalid",
    }
    assert await VolunteerShift.all().count() == 0


async def test_the_last_place_goes_to_one_of_two_at_once(event: Event, db: Settings) -> None:
    task = await _task(event, needed=1)
    results = await asyncio.gather(
        *(
            volunteers.sign_up_for_task(
                event,
                task.id,
                {"first_name": f"P{n}", "email": f"p{n}@example.org"},
                locale="nl",
                settings=db,
            )
            for n in range(4)
        ),
        return_exceptions=True,
    )
    won = [r for r in results if isinstance(r, VolunteerShift)]
    lost = [r for r in results if isinstance(r, Conflict)]
    assert len(won) == 1 and len(lost) == 3
    assert all(e.code == "task_full" for e in lost)
    assert await VolunteerShift.filter(status=ShiftStatus.SIGNED_UP).count() == 1


async def test_cancel_from_the_link_opens_the_place_again(event: Event, db: Settings) -> None:
    task = await _task(event, needed=1)
    shift = await volunteers.sign_up_for_task(event, task.id, FORM, locale="en", settings=db)
    page = await volunteers.cancel_shift(shift.token, settings=db)
    assert not page.active
    await volunteers.cancel_shift(shift.token, settings=db)
    mails = await OutboxMessage.filter(kind="volunteer_cancelled")
    assert len(mails) == 1 and mails[0].subject.startswith("You no longer help")
    [ics] = mails[0].attachments
    assert b"STATUS:CANCELLED" in base64.b64decode(ics["content_b64"])
    assert [v.task.id for v in await volunteers.open_tasks(event, now=datetime.now(UTC))] == [
        task.id
    ]
    with pytest.raises(NotFound):
        await volunteers.cancel_shift("not-a-token", settings=db)


async def test_reminder_the_day_before_once(event: Event, db: Settings) -> None:
    task = await _task(event, needed=3)
    early = await volunteers.sign_up_for_task(event, task.id, FORM, locale="nl", settings=db)
    late = await volunteers.sign_up_for_task(
        event,
        task.id,
        {"first_name": "Late", "email": "late@example.org"},
        locale="nl",
        settings=db,
    )
    await VolunteerShift.filter(id=early.id).update(created_at=task.starts_at - timedelta(days=5))
    await VolunteerShift.filter(id=late.id).update(created_at=task.starts_at - timedelta(hours=3))
    before = task.starts_at - timedelta(hours=30)
    assert await volunteers.queue_task_reminders(settings=db, now=before) == 0
    now = task.starts_at - timedelta(hours=20)
    assert await volunteers.queue_task_reminders(settings=db, now=now) == 1
    assert await volunteers.queue_task_reminders(settings=db, now=now) == 0
    [reminder] = await OutboxMessage.filter(kind="volunteer_reminder")
    assert reminder.to_email == "sanne@example.org"


async def test_ask_earlier_volunteers_only_those_who_agreed_and_once(
    event: Event, db: Settings
) -> None:
    org = await event.organisation
    actor = await factories.organiser_actor(org)
    await _task(event, needed=2)
    other_org = await factories.organisation()
    for name, ask_again, organisation in (
        ("Ja", True, org),
        ("Nee", False, org),
        ("Elders", True, other_org),
    ):
        await Volunteer.create(
            organisation=organisation,
            first_name=name,
            email=f"{name.lower()}@example.org",
            ask_again=ask_again,
            token=f"t-{name}",
        )
    now = datetime.now(UTC)
    assert await volunteers.ask_earlier_volunteers(actor, event.id, settings=db, now=now) == 1
    assert await volunteers.ask_earlier_volunteers(actor, event.id, settings=db, now=now) == 0
    [asked] = await OutboxMessage.filter(kind="volunteer_ask")
    assert asked.to_email == "ja@example.org"
    assert f"/events/{event.slug}/help" in asked.text_body
    assert "/volunteer/t-Ja" in asked.text_body
    stranger = await factories.organiser_actor(other_org)
    with pytest.raises(NotFound):
        await volunteers.ask_earlier_volunteers(stranger, event.id, settings=db, now=now)


async def test_a_volunteer_can_agree_to_be_a_buddy_when_signing_up(
    event: Event, db: Settings
) -> None:
    """A referred person's buddy comes from volunteers who said yes on the task form."""
    task = await _task(event, needed=2)
    await volunteers.sign_up_for_task(
        event, task.id, {**FORM, "buddy": "on"}, locale="nl", settings=db
    )
    assert (await Volunteer.get(email="sanne@example.org")).buddy
    other = await _task(event, kind=TaskKind.COFFEE)
    await volunteers.sign_up_for_task(event, other.id, FORM, locale="nl", settings=db)
    assert (await Volunteer.get(email="sanne@example.org")).buddy  # a later form keeps it
