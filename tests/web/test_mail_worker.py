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
from types import SimpleNamespace

import httpx
from starlette.applications import Starlette

from events.app import create_app
from events.models import MailStatus, OutboxMessage
from events.services import outbox, registrations
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
    assert "could not be sent" not in (await client.get("/organise/outbox")).text
    # Twenty minutes without a server that answers: stuck.
    await OutboxMessage.all().update(
        created_at=datetime.now(UTC) - timedelta(minutes=20),
        attempts=3,
        last_error="SMTPConnectError: connection refused",
    )
    page = await client.get("/organise/outbox")
    warning = soup(page).find(attrs={"role": "alert"})
    assert warning is not None and "could not be sent" in warning.text
    assert "connection refused" in warning.text


def test_the_dashboard_shows_the_warning_it_is_given(app: Starlette) -> None:
    """The dashboard template shows the same warning when its handler passes
    ``mail_stuck`` (events/web/organise.py asks ``outbox.stuck_mail``)."""
    template = app.state.templates.get_template("organise/dashboard.html")
    stuck = outbox.StuckMail(count=2, oldest=datetime.now(UTC), last_error="421 busy")
    context = {
        "request": SimpleNamespace(url=SimpleNamespace(path="/organise/", query="")),
        "csrf_token": "", "actor": None, "locale": "en", "base_url": "",
        "url_for": lambda name, **params: "/", "upcoming": [], "counts": {}, "past": [],
        "venues": [],
    }  # fmt: skip
    assert "could not be sent" not in template.render(context)
    html = template.render({**context, "mail_stuck": stuck})
    assert "2 email(s) could not be sent yet" in html and "421 busy" in html
