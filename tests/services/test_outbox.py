"""The outbox sender against a real SMTP server on loopback (aiosmtpd): the confirmation
arrives with a parseable .ics and a QR code that decodes to the ticket URL; failures back
off and give up as specified; concurrent senders never send a message twice; and an SMTP
outage loses no sign-up and no mail."""

from __future__ import annotations

import asyncio
import email
import email.message
import email.policy
import io
import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import PIL.Image
import pytest
import zxingcpp
from aiosmtpd.controller import Controller
from icalendar import Calendar

from events.models import Event, MailStatus, OutboxMessage, Registration, RegistrationStatus
from events.services import outbox, registrations, worker
from events.services.mailer import SMTPMailer, TemporaryFailure
from events.settings import Settings
from tests import factories


class Collector:
    """An aiosmtpd handler that keeps every envelope; refuses recipients when asked."""

    def __init__(self, refuse: str | None = None) -> None:
        self.envelopes: list[Any] = []
        self.refuse = refuse

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if self.refuse:
            return self.refuse
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def messages(self) -> list[email.message.EmailMessage]:
        parsed = []
        for envelope in self.envelopes:
            message = email.message_from_bytes(envelope.content, policy=email.policy.default)
            assert isinstance(message, email.message.EmailMessage)
            parsed.append(message)
        return parsed


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def port() -> int:
    return free_port()


@pytest.fixture
def smtp(port: int) -> Iterator[Collector]:
    handler = Collector()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler
    controller.stop()


@pytest.fixture
def mail_settings(db: Settings, port: int) -> Settings:
    return db.but(
        smtp_host="127.0.0.1", smtp_port=port, mail_from="Samen Offline <hallo@samen.test>"
    )


@pytest.fixture
async def event(db: Settings) -> Event:
    org = await factories.organisation()
    venue = await factories.venue(org, name="Dorpshuis De Linde", town="Lochem")
    start = datetime(2030, 3, 16, 18, 30, tzinfo=UTC)
    return await factories.event(
        venue,
        title="Spelletjesavond jong en oud",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        places_young=10,
        places_older=20,
    )


def later() -> datetime:
    """A moment just after anything queued so far (queued mail is due at once)."""
    return datetime.now(UTC) + timedelta(seconds=1)


def person(n: int, **fields: Any) -> registrations.SignupRequest:
    values: dict[str, Any] = {
        "first_name": f"Anna{n}",
        "email": f"anna{n}@example.org",
        "birth_year": 1950,
        "locale": "nl",
    }
    values.update(fields)
    return registrations.SignupRequest(**values)


def _part(message: email.message.EmailMessage, content_type: str) -> email.message.EmailMessage:
    found = [p for p in message.walk() if p.get_content_type() == content_type]
    assert len(found) == 1, f"expected one {content_type} part, found {len(found)}"
    part = found[0]
    assert isinstance(part, email.message.EmailMessage)
    return part


async def test_confirmation_arrives_with_ics_and_qr_code(
    event: Event, mail_settings: Settings, smtp: Collector
) -> None:
    outcome = await registrations.sign_up(event.id, person(1), settings=mail_settings)
    lead = outcome.lead
    assert lead is not None and lead.status == RegistrationStatus.CONFIRMED

    report = await worker.run_once(SMTPMailer(mail_settings), settings=mail_settings, now=later())

    assert report.send is not None and len(report.send.sent) == 1
    [envelope] = smtp.envelopes
    assert envelope.rcpt_tos == ["anna1@example.org"]
    [message] = smtp.messages()
    assert message["To"] == "anna1@example.org"
    assert message["From"] == "Samen Offline <hallo@samen.test>"
    assert "Spelletjesavond jong en oud" in message["Subject"]
    ticket_url = f"{mail_settings.base_url}/tickets/{lead.code}"

    text = _part(message, "text/plain").get_content()
    html = _part(message, "text/html").get_content()
    assert ticket_url in text and ticket_url in html
    assert "zaterdag 16 maart 2030, 19:30" in text  # Dutch, in Amsterdam time

    ics = _part(message, "text/calendar")
    assert ics.get_filename() == "event.ics"
    assert ics.get_param("method") == "PUBLISH"
    calendar = Calendar.from_ical(ics.get_content())
    assert calendar["METHOD"] == "PUBLISH"
    [vevent] = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Spelletjesavond jong en oud"
    assert vevent["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert vevent.decoded("DTSTART") == datetime(2030, 3, 16, 18, 30, tzinfo=UTC)
    assert "Dorpshuis De Linde" in str(vevent["LOCATION"])

    png = _part(message, "image/png")
    cid = str(png["Content-ID"]).strip("<>")
    assert f'src="cid:{cid}"' in html
    assert png.get_filename() == "ticket.png"
    image = PIL.Image.open(io.BytesIO(png.get_content()))
    [barcode] = zxingcpp.read_barcodes(image)
    assert barcode.text == ticket_url

    stored = await OutboxMessage.get(registration_id=lead.id, kind="confirmation")
    assert stored.status == MailStatus.SENT and stored.attempts == 1


async def test_refused_connection_backs_off_then_retries_hourly_for_days(
    event: Event, mail_settings: Settings
) -> None:
    await registrations.sign_up(event.id, person(1), settings=mail_settings)
    mailer = SMTPMailer(mail_settings)  # nothing listens on the port
    created = (await OutboxMessage.get(kind="confirmation")).created_at
    now = later()
    waits = []
    while True:
        report = await outbox.send_due(mailer, now=now)
        message = await OutboxMessage.get(kind="confirmation")
        if report.failed:
            break
        assert len(report.retrying) == 1
        assert message.status == MailStatus.QUEUED and message.last_error
        waits.append(message.next_attempt_at - now)
        # not due a moment before its time
        early = await outbox.send_due(mailer, now=message.next_attempt_at - timedelta(seconds=1))
        assert early.attempted == 0
        now = message.next_attempt_at
    short = [timedelta(seconds=s) for s in (10, 60, 300, 900, 3600)]
    assert waits[:5] == short
    # After the short schedule: every hour (the cap), for seven days, then it gives up.
    assert set(waits[5:]) == {outbox.RETRY_CAP}
    assert outbox.GIVE_UP_AFTER <= now - created < outbox.GIVE_UP_AFTER + outbox.RETRY_CAP
    assert message.status == MailStatus.FAILED
    assert message.attempts == len(waits) + 1 > 150
    assert (await outbox.send_due(mailer, now=now + timedelta(days=1))).attempted == 0


async def test_after_a_long_outage_mail_goes_as_soon_as_the_server_answers(
    event: Event, mail_settings: Settings, port: int
) -> None:
    for n in range(3):
        await registrations.sign_up(event.id, person(n), settings=mail_settings)
    mailer = SMTPMailer(mail_settings)
    now = later()
    for _ in range(8):  # two days down: everything backs off to the hourly cap
        await outbox.send_due(mailer, now=now)
        now += timedelta(hours=6)
    now -= timedelta(hours=6) - timedelta(minutes=1)  # a minute after the last try
    waiting = await OutboxMessage.filter(status=MailStatus.QUEUED).order_by("next_attempt_at")
    assert len(waiting) == 3 and all(m.next_attempt_at > now for m in waiting)
    handler = Collector()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        # Nothing is due, but a probe tries the stuck mail now; it gets through, so the
        # rest is sent at once instead of at its next hourly try.
        report = await outbox.send_due(mailer, now=now, probe=True)
    finally:
        controller.stop()
    assert len(report.sent) == 3
    assert len(handler.envelopes) == 3
    assert not await OutboxMessage.filter(status=MailStatus.QUEUED).exists()


async def test_a_probe_that_fails_changes_nothing_else(
    event: Event, mail_settings: Settings
) -> None:
    await registrations.sign_up(event.id, person(1), settings=mail_settings)
    mailer = SMTPMailer(mail_settings)
    await outbox.send_due(mailer, now=later())
    before = await OutboxMessage.get(kind="confirmation")
    report = await outbox.send_due(mailer, now=later(), probe=True)
    assert report.attempted == 1 and report.retrying
    after = await OutboxMessage.get(kind="confirmation")
    assert after.status == MailStatus.QUEUED and after.attempts == before.attempts + 1


async def test_message_ids_are_stable_per_message_and_unique_across_installations(
    event: Event, mail_settings: Settings
) -> None:
    await registrations.sign_up(event.id, person(1), settings=mail_settings)
    message = await OutboxMessage.get(kind="confirmation")
    here = outbox.build_email(message, mail_from=mail_settings.mail_from, id_secret="one")
    again = outbox.build_email(message, mail_from=mail_settings.mail_from, id_secret="one")
    elsewhere = outbox.build_email(message, mail_from=mail_settings.mail_from, id_secret="two")
    assert here["Message-ID"] == again["Message-ID"] != elsewhere["Message-ID"]
    assert str(here["Message-ID"]).endswith("@samen.test>")
    assert len(str(here["Message-ID"])) > len(f"<outbox-{message.id}@samen.test>") + 15


async def test_reply_to_is_set_when_the_message_has_one(
    event: Event, mail_settings: Settings
) -> None:
    await registrations.sign_up(event.id, person(1), settings=mail_settings)
    message = await OutboxMessage.get(kind="confirmation")
    assert "Reply-To" not in outbox.build_email(message, mail_from=mail_settings.mail_from)
    message.reply_to = "inge@stichting.example"
    built = outbox.build_email(message, mail_from=mail_settings.mail_from)
    assert built["Reply-To"] == "inge@stichting.example"
    message.reply_to = "x@example.org\r\nBcc: victim@example.org"
    message.subject = "Avond\r\nBcc: victim@example.org"
    built = outbox.build_email(message, mail_from=mail_settings.mail_from)
    assert "Bcc" not in built and "\n" not in str(built["Subject"])


async def test_stuck_mail_is_reported_to_organisers(event: Event, mail_settings: Settings) -> None:
    org_user = await factories.organiser(await event.organisation)
    other_user = await factories.organiser(await factories.organisation())
    actor, other = await factories.actor_of(org_user), await factories.actor_of(other_user)
    await registrations.sign_up(event.id, person(1), settings=mail_settings)
    now = later()
    assert await outbox.stuck_mail(actor, now=now) is None
    await outbox.send_due(SMTPMailer(mail_settings), now=now)
    stuck = await outbox.stuck_mail(actor, now=now + outbox.STUCK_AFTER + timedelta(minutes=1))
    assert stuck is not None and stuck.count == 1 and stuck.last_error
    assert await outbox.stuck_mail(other, now=now + timedelta(hours=2)) is None


async def test_permanent_refusal_fails_at_once(
    event: Event, mail_settings: Settings, port: int
) -> None:
    handler = Collector(refuse="550 5.1.1 No such mailbox here")
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        await registrations.sign_up(event.id, person(1), settings=mail_settings)
        report = await outbox.send_due(SMTPMailer(mail_settings), now=later())
    finally:
        controller.stop()
    assert len(report.failed) == 1
    message = await OutboxMessage.get(kind="confirmation")
    assert message.status == MailStatus.FAILED and message.attempts == 1
    assert "550" in message.last_error and "No such mailbox" in message.last_error
    assert handler.envelopes == []


class SlowMailer:
    """Records what it sends and yields control while "sending"."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    async def send(self, message: email.message.EmailMessage) -> None:
        await asyncio.sleep(0.01)
        self.sent.append(str(message["Message-ID"]))


class FlakyMailer:
    async def send(self, message: email.message.EmailMessage) -> None:
        raise TemporaryFailure("421 try again later", 421)


async def test_concurrent_senders_never_send_a_message_twice(event: Event, db: Settings) -> None:
    for n in range(12):
        await registrations.sign_up(event.id, person(n), settings=db)
    mailer = SlowMailer()
    now = later()
    reports = await asyncio.gather(
        outbox.send_due(mailer, now=now),
        outbox.send_due(mailer, now=now),
        outbox.send_due(mailer, now=now),
    )
    assert len(mailer.sent) == 12
    assert len(set(mailer.sent)) == 12
    assert sum(len(r.sent) for r in reports) == 12
    assert await OutboxMessage.filter(status=MailStatus.SENT).count() == 12
    assert (await outbox.send_due(mailer, now=now + timedelta(hours=1))).attempted == 0


async def test_claimed_message_is_left_alone_until_the_claim_runs_out(
    event: Event, db: Settings
) -> None:
    await registrations.sign_up(event.id, person(1), settings=db)
    now = later()
    message = await OutboxMessage.get(kind="confirmation")
    await OutboxMessage.filter(id=message.id).update(claimed_until=now + outbox.CLAIM)
    mailer = SlowMailer()
    assert (await outbox.send_due(mailer, now=now)).attempted == 0
    after = await outbox.send_due(mailer, now=now + outbox.CLAIM + timedelta(seconds=1))
    assert after.sent == [message.id]


async def test_4xx_reply_is_temporary(event: Event, db: Settings) -> None:
    await registrations.sign_up(event.id, person(1), settings=db)
    now = later()
    report = await outbox.send_due(FlakyMailer(), now=now)
    assert len(report.retrying) == 1
    message = await OutboxMessage.get(kind="confirmation")
    assert message.next_attempt_at == now + timedelta(seconds=10)
    assert message.last_error == "421 try again later"


async def test_no_mailer_keeps_everything_queued(event: Event, db: Settings) -> None:
    await registrations.sign_up(event.id, person(1), settings=db)
    report = await worker.run_once(None, settings=db, now=later())
    assert report.send is None and report.waiting == 1
    assert await OutboxMessage.filter(status=MailStatus.QUEUED).count() == 1


async def test_smtp_outage_loses_no_sign_up_and_no_mail(
    event: Event, mail_settings: Settings, port: int
) -> None:
    mailer = SMTPMailer(mail_settings)
    for n in range(20):
        outcome = await registrations.sign_up(event.id, person(n), settings=mail_settings)
        assert outcome.lead is not None
        assert outcome.lead.status == RegistrationStatus.CONFIRMED
    assert await Registration.filter(event_id=event.id).count() == 20

    down = later()
    report = await worker.run_once(mailer, settings=mail_settings, now=down)
    assert report.send is not None and len(report.send.retrying) == 20 and not report.send.sent
    assert await OutboxMessage.filter(kind="confirmation", status=MailStatus.QUEUED).count() == 20

    handler = Collector()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        up = down + timedelta(seconds=11)
        report = await worker.run_once(mailer, settings=mail_settings, now=up)
        assert report.send is not None and len(report.send.sent) == 20
        again = await worker.run_once(mailer, settings=mail_settings, now=up + timedelta(hours=2))
        assert again.send is not None and again.send.attempted == 0
    finally:
        controller.stop()

    recipients = [tuple(e.rcpt_tos) for e in handler.envelopes]
    assert sorted(recipients) == sorted((f"anna{n}@example.org",) for n in range(20))
    ids = [m["Message-ID"] for m in handler.messages()]
    assert len(set(ids)) == 20
    assert await OutboxMessage.filter(kind="confirmation", status=MailStatus.SENT).count() == 20


async def test_a_cancellation_calendar_part_says_method_cancel_and_replies_go_to_the_organiser(
    event: Event, mail_settings: Settings
) -> None:
    """Mail clients offer to remove a cancelled activity only when the text/calendar part
    carries METHOD=CANCEL; answers go to the organiser (Reply-To)."""
    import base64

    ics = base64.b64encode(b"BEGIN:VCALENDAR\r\nMETHOD:CANCEL\r\nEND:VCALENDAR\r\n").decode()
    message = await OutboxMessage.create(
        kind="event_cancelled", to_email="riet@example.org", subject="Afgelast",
        text_body="Afgelast.", reply_to="inge@stichting.example", event_id=event.id,
        next_attempt_at=event.starts_at,
        attachments=[{"filename": "event.ics", "content_type": "text/calendar",
                      "content_b64": ics, "method": "CANCEL"}],
    )  # fmt: skip
    mime = outbox.build_email(message, mail_from=mail_settings.mail_from)
    [part] = [p for p in mime.walk() if p.get_content_type() == "text/calendar"]
    assert part.get_param("method") == "CANCEL"
    assert mime["Reply-To"] == "inge@stichting.example"
