"""An organiser changes an activity that people signed up for: places raised go at once to
the first people waiting (with their mail), places lowered below those taken are refused,
and a change of time or place reaches everyone with a calendar file that updates theirs."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest

from events.models import Event, OutboxMessage, Registration
from events.services import events as event_service
from events.services import registrations as reg
from events.services.errors import FormError, NotFound
from events.services.staff import Actor
from events.settings import Settings
from tests import factories

AMS = ZoneInfo("Europe/Amsterdam")


def evening(days: int = 7) -> dict[str, datetime]:
    """19:30–21:30 Amsterdam time, ``days`` from now: the edit form's date holds both."""
    day = (datetime.now(AMS) + timedelta(days=days)).date()
    start = datetime(day.year, day.month, day.day, 19, 30, tzinfo=AMS).astimezone(UTC)
    return {"starts_at": start, "ends_at": start + timedelta(hours=2)}


YEAR = datetime.now(UTC).year


@pytest.fixture
async def staff(db: Settings) -> Actor:
    return await factories.organiser_actor(await factories.organisation())


@pytest.fixture
async def event(staff: Actor) -> Event:
    venue = await factories.venue(await staff_org(staff))
    return await factories.event(venue, places_young=2, places_older=2, places_open=0, **evening())


async def staff_org(staff: Actor) -> Any:
    from events.models import Organisation

    return await Organisation.get(id=staff.organisation_id)


def form_of(event: Event, **changes: object) -> dict[str, object]:
    start, end = event.starts_at.astimezone(AMS), event.ends_at.astimezone(AMS)
    values: dict[str, object] = {
        "title": event.title,
        "venue": str(event.venue_id),
        "date": start.date().isoformat(),
        "start_time": f"{start:%H:%M}",
        "end_time": f"{end:%H:%M}",
        "places_young": str(event.places_young),
        "places_older": str(event.places_older),
        "places_open": str(event.places_open),
        "slug": event.slug,
    }
    values.update(changes)
    return values


async def sign_up_young(event: Event, names: list[str], settings: Settings) -> None:
    for name in names:
        request = reg.SignupRequest(
            first_name=name, email=f"{name.lower()}@example.org", birth_year=YEAR - 20
        )
        await reg.sign_up(event.id, request, settings=settings)


async def status_of(name: str) -> str:
    return (await Registration.get(first_name=name)).status.value


async def test_raising_places_promotes_the_first_waiting_at_once(
    event: Event, staff: Actor, db: Settings
) -> None:
    await sign_up_young(event, ["Ana", "Bo", "Cas", "Dee", "Eli"], db)
    await event_service.update_event(
        staff, event, form_of(event, places_young="4"), tz=AMS, settings=db
    )
    assert [await status_of(n) for n in ("Cas", "Dee", "Eli")] == [
        "confirmed",
        "confirmed",
        "waitlisted",
    ]
    promoted = await OutboxMessage.filter(kind="promoted").values_list("to_email", flat=True)
    assert sorted(promoted) == ["cas@example.org", "dee@example.org"]
    # The new places went to the line, not to whoever signs up next.
    await sign_up_young(event, ["Fay"], db)
    assert await status_of("Fay") == "waitlisted"
    await event.refresh_from_db()
    assert (event.places_young, event.taken_young) == (4, 4)


async def test_lowering_places_below_those_taken_is_refused(
    event: Event, staff: Actor, db: Settings
) -> None:
    await sign_up_young(event, ["Ana", "Bo"], db)
    with pytest.raises(FormError) as refused:
        await event_service.update_event(
            staff, event, form_of(event, places_young="1"), tz=AMS, settings=db
        )
    assert refused.value.errors == {"places_young": "places_below_taken"}
    await event.refresh_from_db()
    assert (event.places_young, event.taken_young) == (2, 2)
    # Lowering to exactly the number taken is fine.
    await event_service.update_event(
        staff, event, form_of(event, places_young="2", places_older="1"), tz=AMS, settings=db
    )
    await event.refresh_from_db()
    assert (event.places_young, event.places_older) == (2, 1)


async def test_saving_a_stale_event_keeps_the_places_taken_meanwhile(
    event: Event, staff: Actor, db: Settings
) -> None:
    stale = await Event.get(id=event.id)
    await sign_up_young(event, ["Ana"], db)
    await event_service.update_event(
        staff, stale, form_of(stale, title="Nieuwe titel"), tz=AMS, settings=db
    )
    fresh = await Event.get(id=event.id)
    assert (fresh.title, fresh.taken_young) == ("Nieuwe titel", 1)
    await sign_up_young(event, ["Bo", "Cas"], db)
    assert await status_of("Cas") == "waitlisted"


async def test_staff_of_another_organisation_cannot_change_places(
    event: Event, db: Settings
) -> None:
    other = await factories.organiser_actor(await factories.organisation())
    with pytest.raises((FormError, NotFound)):
        await event_service.update_event(
            other, event, form_of(event, places_young="9"), tz=AMS, settings=db
        )
    await event.refresh_from_db()
    assert event.places_young == 2


# --- a change of time or place reaches everyone -------------------------------------------


def ics_of(message: OutboxMessage) -> icalendar.Calendar:
    [item] = [a for a in message.attachments if a["content_type"] == "text/calendar"]
    return icalendar.Calendar.from_ical(base64.b64decode(item["content_b64"]))


async def test_a_new_time_mails_everyone_once_with_an_updated_calendar_file(
    event: Event, staff: Actor, db: Settings
) -> None:
    await sign_up_young(event, ["Ana", "Bo", "Cas"], db)  # Cas waits
    kid = reg.SignupRequest(
        first_name="Sam",
        email="sam@example.org",
        birth_year=event.starts_at.year - 14,
        guardian_email="mama@example.org",
        companions=(reg.Companion("Oma", YEAR - 75),),  # a companion has no address
    )
    await reg.sign_up(event.id, kid, settings=db)
    bo = await Registration.get(first_name="Bo")
    await reg.cancel_registration(bo.id, settings=db)  # Bo left: no mail for Bo
    [confirmation] = await OutboxMessage.filter(kind="confirmation", to_email="ana@example.org")
    before = ics_of(confirmation).walk("VEVENT")[0]
    await OutboxMessage.all().delete()

    start = event.starts_at.astimezone(AMS)
    later = (start + timedelta(minutes=30)).strftime("%H:%M")
    end = (event.ends_at.astimezone(AMS) + timedelta(minutes=30)).strftime("%H:%M")
    await event_service.update_event(
        staff, event, form_of(event, start_time=later, end_time=end), tz=AMS, settings=db
    )

    sent = await OutboxMessage.filter(kind="event_changed").order_by("to_email")
    assert [m.to_email for m in sent] == [
        "ana@example.org", "cas@example.org", "sam@example.org",
    ]  # fmt: skip
    assert await OutboxMessage.exclude(kind="event_changed").count() == 0
    for message in sent:
        assert f"{start:%H:%M}" in message.text_body and later in message.text_body
        assert message.reply_to == (await staff_org(staff)).email
        calendar = ics_of(message)
        assert calendar["METHOD"] == "PUBLISH"
        [vevent] = calendar.walk("VEVENT")
        assert vevent["UID"] == before["UID"]
        assert vevent["SEQUENCE"] > before["SEQUENCE"]
        assert vevent.decoded("DTSTART") == event.starts_at + timedelta(minutes=30)
    [ana] = [m for m in sent if m.to_email == "ana@example.org"]
    assert "tijd" in ana.subject.lower() or "time" in ana.subject.lower()


async def test_a_new_place_says_where_and_a_new_title_mails_nobody(
    event: Event, staff: Actor, db: Settings
) -> None:
    await sign_up_young(event, ["Ana"], db)
    await OutboxMessage.all().delete()
    await event_service.update_event(
        staff, event, form_of(event, title="Andere titel"), tz=AMS, settings=db
    )
    assert await OutboxMessage.all().count() == 0
    other = await factories.venue(
        await staff_org(staff), name="Bibliotheek Lochem", address="Markt 1"
    )
    await event_service.update_event(
        staff, event, form_of(event, venue=str(other.id)), tz=AMS, settings=db
    )
    [moved] = await OutboxMessage.filter(kind="event_changed")
    assert "Bibliotheek Lochem" in moved.text_body and "Markt 1" in moved.html_body
    [vevent] = ics_of(moved).walk("VEVENT")
    assert "Bibliotheek Lochem" in str(vevent["LOCATION"])


async def test_a_cancellation_mail_carries_an_itip_cancel(
    event: Event, staff: Actor, db: Settings
) -> None:
    await sign_up_young(event, ["Ana"], db)
    [confirmation] = await OutboxMessage.filter(kind="confirmation")
    uid = ics_of(confirmation).walk("VEVENT")[0]["UID"]
    await event_service.cancel_event(staff, event, settings=db, reason="Storm")
    [notice] = await OutboxMessage.filter(kind="event_cancelled")
    [item] = [a for a in notice.attachments if a["content_type"] == "text/calendar"]
    assert item["method"] == "CANCEL"
    calendar = ics_of(notice)
    assert calendar["METHOD"] == "CANCEL"
    [vevent] = calendar.walk("VEVENT")
    assert vevent["UID"] == uid and vevent["STATUS"] == "CANCELLED"
    assert "ana@example.org" in str(vevent["ATTENDEE"])
    assert str(vevent["ORGANIZER"]).startswith("mailto:")
    assert "Storm" in notice.text_body


# --- clocks that jump -------------------------------------------------------------------


async def test_a_time_that_does_not_exist_is_refused_and_a_double_one_asks(
    staff: Actor, db: Settings
) -> None:
    venue = await factories.venue(await staff_org(staff))
    spring, autumn = "2031-03-30", "2031-10-26"  # the last Sundays of March and October
    base = {
        "title": "Nachtcafé", "venue": str(venue.id), "places_young": "5",
        "end_time": "04:00",
    }  # fmt: skip
    with pytest.raises(FormError) as gap:
        await event_service.create_event(
            staff, {**base, "date": spring, "start_time": "02:30"}, tz=AMS
        )
    assert gap.value.errors == {"start_time": "nonexistent_time"}
    with pytest.raises(FormError) as twice:
        await event_service.create_event(
            staff, {**base, "date": autumn, "start_time": "02:30"}, tz=AMS
        )
    assert twice.value.errors == {"start_time": "ambiguous_time"}
    first = await event_service.create_event(
        staff, {**base, "date": autumn, "start_time": "02:30", "start_time_fold": "0"}, tz=AMS
    )
    second = await event_service.create_event(
        staff, {**base, "date": autumn, "start_time": "02:30", "start_time_fold": "1"}, tz=AMS
    )
    assert first.starts_at == datetime(2031, 10, 26, 0, 30, tzinfo=UTC)  # summer time, +2
    assert second.starts_at == datetime(2031, 10, 26, 1, 30, tzinfo=UTC)  # winter time, +1
