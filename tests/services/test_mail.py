"""What each kind of mail says, to whom, in which language, with which attachments; and that
mail is queued only together with the change that causes it."""

from __future__ import annotations

import base64
import re
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from icalendar import Calendar
from tortoise.transactions import in_transaction

from events.models import (
    Event,
    Group,
    OutboxMessage,
    Registration,
    RegistrationStatus,
    Role,
)
from events.services import events as event_service
from events.services import mail, worker
from events.services.staff import Actor
from events.settings import Settings
from events.tickets import group_code, new_code
from tests import factories

START = datetime(2030, 3, 16, 18, 30, tzinfo=UTC)  # 19:30 in Amsterdam
DATES = {"nl": "zaterdag 16 maart 2030, 19:30", "en": "Saturday 16 March 2030, 19:30"}
WHEN = {"nl": "Wanneer", "en": "When"}
RULES = "Telefoons gaan in de mand bij de deur."
REPLY_TO = "vragen@samen.example"


@pytest.fixture
async def event(db: Settings) -> Event:
    org = await factories.organisation()
    org.email, org.contact_phone = REPLY_TO, "0575 123 456"
    await org.save()
    venue = await factories.venue(org, name="Bibliotheek Zutphen", address="Kuiperstraat 2")
    return await factories.event(
        venue,
        title="Verhalentafel",
        starts_at=START,
        ends_at=START + timedelta(hours=2),
        phone_rules=RULES,
    )


async def registration(event: Event, **fields: Any) -> Registration:
    values: dict[str, Any] = {
        "code": new_code(),
        "first_name": "Joke",
        "email": "joke@example.org",
        "birth_year": 1950,
        "group": Group.OLDER,
        "status": RegistrationStatus.CONFIRMED,
        "locale": "nl",
    }
    values.update(fields)
    return await Registration.create(event=event, **values)


def attachment(message: OutboxMessage, filename: str) -> dict[str, str]:
    [found] = [a for a in message.attachments if a["filename"] == filename]
    return found


STATUS_FOR = {
    "waitlisted": RegistrationStatus.WAITLISTED,
    "awaiting_guardian": RegistrationStatus.AWAITING_GUARDIAN,
    "guardian_request": RegistrationStatus.AWAITING_GUARDIAN,
    "cancelled": RegistrationStatus.CANCELLED,
    "hold_expired": RegistrationStatus.CANCELLED,
    "guardian_declined": RegistrationStatus.CANCELLED,
}


@pytest.mark.parametrize("locale", ["nl", "en"])
@pytest.mark.parametrize("kind", mail.KINDS)
async def test_every_kind_renders_in_the_persons_language(
    event: Event, db: Settings, kind: str, locale: str
) -> None:
    guardian = {"guardian_email": "ouder@example.org", "guardian_token": secrets.token_urlsafe(24)}
    reg = await registration(
        event,
        locale=locale,
        status=STATUS_FOR.get(kind, RegistrationStatus.CONFIRMED),
        waitlist_number=1 if kind == "waitlisted" else None,
        **(guardian if kind in ("guardian_request", "awaiting_guardian") else {}),
    )
    message = await mail.queue_mail(kind, registration=reg, event=event, settings=db)

    assert message is not None
    assert message.kind == kind and message.locale == locale
    assert message.to_email == ("ouder@example.org" if kind == "guardian_request" else reg.email)
    assert "Verhalentafel" in message.subject
    for body in (message.text_body, message.html_body):
        assert "Joke" in body
        assert DATES[locale] in body
        assert WHEN[locale] in body
        assert "Bibliotheek Zutphen" in body and "Kuiperstraat 2" in body
        assert "%(" not in body and "{{" not in body and "{%" not in body
    assert f'<html lang="{locale}">' in message.html_body
    assert "<" not in message.text_body.replace("<-", "")  # plain text stays plain
    # nothing loaded from another host: images come inline, links go to our own site
    assert all(src.startswith("cid:") for src in re.findall(r'src="([^"]*)"', message.html_body))
    for href in re.findall(r'href="([^"]*)"', message.html_body):
        assert href.startswith(db.base_url), href
    assert message.next_attempt_at is not None and message.status == "queued"
    # A reply reaches the organiser, who is named with a phone number in every mail.
    assert message.reply_to == REPLY_TO
    assert "0575 123 456" in message.text_body and "0575 123 456" in message.html_body


async def test_confirmation_carries_ticket_qr_ics_and_companions(
    event: Event, db: Settings
) -> None:
    lead = await registration(event)
    friend = await registration(event, first_name="Sem", email=None, lead=lead, birth_year=2005)
    message = await mail.queue_mail("confirmation", registration=lead, event=event, settings=db)

    assert message is not None
    ticket_url = f"{db.base_url}/tickets/{lead.code}"
    assert ticket_url in message.text_body and ticket_url in message.html_body
    assert group_code(lead.code) in message.text_body
    assert f"{db.base_url}/tickets/{friend.code}" in message.text_body
    assert "Sem" in message.html_body
    qr = attachment(message, "ticket.png")
    assert qr["content_type"] == "image/png" and qr["cid"] == mail.QR_CID
    assert base64.b64decode(qr["content_b64"]).startswith(b"\x89PNG")
    assert f'src="cid:{mail.QR_CID}"' in message.html_body
    ics = attachment(message, "event.ics")
    assert ics["content_type"] == "text/calendar"
    calendar = Calendar.from_ical(base64.b64decode(ics["content_b64"]))
    assert calendar["METHOD"] == "PUBLISH"
    [vevent] = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Verhalentafel"
    assert vevent.decoded("DTSTART") == START


async def test_no_address_means_no_mail_and_no_error(event: Event, db: Settings) -> None:
    lead = await registration(event)
    companion = await registration(event, email=None, lead=lead)
    assert (
        await mail.queue_mail("cancelled", registration=companion, event=event, settings=db) is None
    )
    assert (
        await mail.queue_mail("guardian_request", registration=lead, event=event, settings=db)
        is None
    )
    assert await OutboxMessage.all().count() == 0


async def test_waitlist_position_guardian_link_and_reminder_rules(
    event: Event, db: Settings
) -> None:
    await registration(event, email="eerst@example.org", status="waitlisted", waitlist_number=1)
    second = await registration(event, status="waitlisted", waitlist_number=2, locale="en")
    waiting = await mail.queue_mail("waitlisted", registration=second, event=event, settings=db)
    assert waiting is not None and "number 2 on the waiting list" in waiting.text_body
    assert waiting.attachments == []

    token = secrets.token_urlsafe(24)
    young = await registration(
        event, first_name="Noor", email="noor@example.org", birth_year=2016, group=Group.YOUNG,
        status="awaiting_guardian", guardian_email="papa@example.org", guardian_token=token,
        locale="en",
    )  # fmt: skip
    request = await mail.queue_mail(
        "guardian_request", registration=young, event=event, settings=db
    )
    assert request is not None and request.to_email == "papa@example.org"
    assert f"{db.base_url}/consent/{token}" in request.text_body
    assert f"{db.guardian_hold_hours} hours" in request.text_body
    assert RULES in request.text_body

    promoted = await mail.queue_mail("promoted", registration=young, event=event, settings=db)
    assert promoted is not None and promoted.attachments == []
    assert "parent or guardian must still give permission" in promoted.text_body

    confirmed = await registration(event, email="kees@example.org", locale="en")
    reminder = await mail.queue_mail("reminder", registration=confirmed, event=event, settings=db)
    assert reminder is not None and RULES in reminder.text_body and RULES in reminder.html_body
    assert [a["filename"] for a in reminder.attachments] == ["ticket.png"]


async def test_mail_is_queued_only_with_the_change_that_causes_it(
    event: Event, db: Settings
) -> None:
    reg = await registration(event)
    with pytest.raises(RuntimeError):
        async with in_transaction():
            await mail.queue_mail("cancelled", registration=reg, event=event, settings=db)
            raise RuntimeError("the change failed")
    assert await OutboxMessage.all().count() == 0


async def test_cancelling_an_event_tells_everyone_registered(event: Event, db: Settings) -> None:
    lead = await registration(event, email="a@example.org")
    await registration(event, email=None, lead=lead)  # a companion: no address
    await registration(event, email="b@example.org", status="waitlisted", waitlist_number=1)
    await registration(event, email="c@example.org", status="cancelled")
    actor = Actor(1, "org@example.org", "", Role.ORGANISER, event.organisation_id)  # type: ignore[attr-defined]

    await event_service.cancel_event(actor, event, settings=db)
    await event_service.cancel_event(actor, event, settings=db)  # twice: no second notice

    sent = await OutboxMessage.filter(kind="event_cancelled").order_by("to_email")
    assert [m.to_email for m in sent] == ["a@example.org", "b@example.org"]
    calendar = Calendar.from_ical(base64.b64decode(attachment(sent[0], "event.ics")["content_b64"]))
    [vevent] = calendar.walk("VEVENT")
    assert vevent["STATUS"] == "CANCELLED"


async def test_reminder_is_queued_once_a_day_before(event: Event, db: Settings) -> None:
    early = await registration(
        event, email="vroeg@example.org", confirmed_at=START - timedelta(days=5)
    )
    await registration(event, email="laat@example.org", confirmed_at=START - timedelta(hours=3))
    await registration(event, email="wacht@example.org", status="waitlisted", waitlist_number=1)

    two_days = await worker.run_once(None, settings=db, now=START - timedelta(hours=48))
    assert two_days.reminders == 0
    now = START - timedelta(hours=20)
    first = await worker.run_once(None, settings=db, now=now)
    again = await worker.run_once(None, settings=db, now=now + timedelta(minutes=5))

    assert (first.reminders, again.reminders) == (1, 0)
    [reminder] = await OutboxMessage.filter(kind="reminder")
    assert reminder.to_email == "vroeg@example.org"
    assert (await Registration.get(id=early.id)).reminder_sent_at == now
