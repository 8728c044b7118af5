"""The mail worker as it runs in production: inside ``serve`` (the app's lifespan) when asked,
and as ``python -m events worker --once`` without an SMTP server."""

from __future__ import annotations

import asyncio
import email.message
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from events.app import create_app
from events.models import MailStatus, OutboxMessage
from events.services import registrations
from events.settings import Settings
from tests import factories
from tests.web.helpers import sign_in, soup

ROOT = Path(__file__).resolve().parents[2]


class Recorder:
    def __init__(self) -> None:
        self.sent: list[str] = []

    async def send(self, message: email.message.EmailMessage) -> None:
        self.sent.append(str(message["To"]))


async def test_app_runs_the_worker_in_process_and_stops_it(settings: Settings) -> None:
    mailer = Recorder()
    app = create_app(settings.but(run_worker_in_process=True), mailer=mailer)
    async with app.router.lifespan_context(app):
        org = await factories.organisation()
        event = await factories.event(await factories.venue(org))
        request = registrations.SignupRequest(
            first_name="Els", email="els@example.org", birth_year=1947, locale="nl"
        )
        await registrations.sign_up(event.id, request, settings=settings)
        for _ in range(200):  # the worker sends, then marks the row sent: wait for both
            message = await OutboxMessage.get(kind="confirmation")
            if mailer.sent and message.status == MailStatus.SENT:
                break
            await asyncio.sleep(0.05)
    assert mailer.sent == ["els@example.org"]
    assert message.status == MailStatus.SENT


def test_worker_command_without_smtp_keeps_mail_and_says_so(
    settings: Settings, tmp_path: Path
) -> None:
    env = {
        **os.environ,
        "EVENTS_DATABASE_URL": settings.database_url,
        "EVENTS_DATA_DIR": str(tmp_path),
        "EVENTS_SMTP_HOST": "",
    }
    done = subprocess.run(
        [sys.executable, "-m", "events", "worker", "--once"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "EVENTS_SMTP_HOST is not set" in done.stderr


async def test_organisers_see_a_warning_while_mail_is_stuck(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    org = await factories.organisation()
    event = await factories.event(await factories.venue(org))
    organiser = await factories.organiser(org)
    request = registrations.SignupRequest(
        first_name="Els", email="els@example.org", birth_year=1947
    )
    await registrations.sign_up(event.id, request, settings=settings)
    await sign_in(client, organiser.email)
    assert "nog niet worden verstuurd" not in (await client.get("/organise/outbox")).text
    # Twenty minutes without a server that answers: stuck.
    await OutboxMessage.all().update(
        created_at=datetime.now(UTC) - timedelta(minutes=20),
        attempts=3,
        last_error="SMTPConnectError: connection refused",
    )
    page = await client.get("/organise/outbox")
    warning = soup(page).find(attrs={"role": "alert"})
    assert warning is not None and "nog niet worden verstuurd" in warning.text
    assert "connection refused" in warning.text


async def test_the_dashboard_warns_while_mail_is_stuck(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    """Mail waiting longer than a quarter of an hour shows on the organiser's dashboard."""
    org = await factories.organisation()
    await factories.organiser(org, email="inge@example.org")
    event = await factories.event(await factories.venue(org))
    await sign_in(client, "inge@example.org")
    assert "nog niet worden verstuurd" not in (await client.get("/organise/")).text
    long_ago = datetime.now(UTC) - timedelta(hours=2)
    message = await OutboxMessage.create(
        kind="confirmation", to_email="riet@example.org", subject="Ticket", text_body="x",
        event_id=event.id, next_attempt_at=long_ago, last_error="421 busy",
    )  # fmt: skip
    await OutboxMessage.filter(id=message.id).update(created_at=long_ago)
    page = (await client.get("/organise/")).text
    assert "1 e-mail(s) kon(den) nog niet worden verstuurd." in page and "421 busy" in page
