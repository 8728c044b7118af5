"""The mail worker as it runs in production: inside ``serve`` (the app's lifespan) when asked,
and as ``python -m events worker --once`` without an SMTP server."""

from __future__ import annotations

import asyncio
import email.message
import os
import subprocess
import sys
from pathlib import Path

from events.app import create_app
from events.models import MailStatus, OutboxMessage
from events.services import registrations
from events.settings import Settings
from tests import factories

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
        for _ in range(200):
            if mailer.sent:
                break
            await asyncio.sleep(0.05)
        message = await OutboxMessage.get(kind="confirmation")
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
