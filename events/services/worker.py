"""The background worker: what has to happen without anyone asking, every few seconds.

One pass (:func:`run_once`) queues the 24-hour reminders, releases places held too long
for a guardian's consent, and sends the mail that is due. With no mailer (no SMTP server
configured) the mail stays in the outbox and the log says how much is waiting; nothing is
dropped. :func:`run_forever` repeats passes until told to stop; ``python -m events worker``
and the in-process worker of ``serve`` both use it.

Imports models, settings and the mail, outbox, mailer, registrations, limits and sessions
services; it also forgets old sessions and rate-limit attempts.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from events.models import Event, EventStatus, Registration, RegistrationStatus
from events.services import ideas, limits, mail, outbox, registrations, sessions, volunteers
from events.services.mailer import Mailer
from events.settings import Settings

REMINDER_BEFORE = timedelta(hours=24)
PROBE_EVERY = 60.0
"""Seconds between early tries of mail that backs off, to notice the server is back."""
LIMIT_WINDOWS = timedelta(days=1)
"""Longer than any rate limit's window: older attempts count for nothing and are deleted."""

log = logging.getLogger("events.mail")


@dataclass(frozen=True)
class WorkerReport:
    """What one pass did. ``send`` is None when no mailer is configured."""

    reminders: int
    holds_released: int
    send: outbox.SendReport | None
    waiting: int


async def queue_reminders(*, settings: Settings, now: datetime) -> int:
    """Queue a reminder for each confirmed registration with an address whose event starts
    within 24 hours, once: ``reminder_sent_at`` is set in the same transaction, by a
    conditional UPDATE so two workers cannot both queue it. People who got their place
    inside those 24 hours already have everything in their confirmation and are skipped."""
    events = await Event.filter(
        status=EventStatus.PUBLISHED, starts_at__gt=now, starts_at__lte=now + REMINDER_BEFORE
    ).prefetch_related("venue", "organisation")
    queued = 0
    for event in events:
        due = (
            await Registration.filter(
                event_id=event.id,
                status=RegistrationStatus.CONFIRMED,
                email__isnull=False,
                reminder_sent_at__isnull=True,
            )
            .filter(
                Q(confirmed_at__isnull=True) | Q(confirmed_at__lt=event.starts_at - REMINDER_BEFORE)
            )
            .order_by("id")
        )
        for registration in due:
            async with in_transaction():
                marked = await Registration.filter(
                    id=registration.id, reminder_sent_at__isnull=True
                ).update(reminder_sent_at=now)
                if marked == 1:
                    await mail.queue_mail(
                        "reminder", registration=registration, event=event, settings=settings
                    )
                    queued += 1
    return queued


async def run_once(
    mailer: Mailer | None, *, settings: Settings, now: datetime | None = None, probe: bool = True
) -> WorkerReport:
    """One pass: reminders, expired guardian holds, then sending (when there is a mailer).
    With ``probe``, mail that backs off after failures is tried early when nothing else is
    due (see :func:`outbox.send_due`)."""
    now = now or datetime.now(UTC)
    reminders = await queue_reminders(settings=settings, now=now)
    released = await registrations.release_expired_holds(settings=settings, now=now)
    await volunteers.queue_task_reminders(settings=settings, now=now)
    await ideas.notify_published_ideas(settings=settings, now=now)
    await sessions.forget_old_sessions(now=now, idle=settings.session_idle)
    await limits.forget_expired(older_than=LIMIT_WINDOWS, now=now)
    report = None
    if mailer is not None:
        report = await outbox.send_due(
            mailer,
            now=now,
            mail_from=settings.mail_from,
            id_secret=settings.secret_key,
            probe=probe,
        )
    waiting = await outbox.waiting_count()
    if mailer is None:
        log.debug("no SMTP server configured: %s message(s) wait in the outbox", waiting)
    return WorkerReport(reminders, released, report, waiting)


async def run_forever(
    settings: Settings, mailer: Mailer | None, *, interval: float = 2.0, stop: asyncio.Event
) -> None:
    """Run passes every ``interval`` seconds until ``stop`` is set. A failing pass is
    logged and the next one tries again; the loop itself never dies of it."""
    log.info("mail worker started (%s)", "sending" if mailer else "no SMTP: queueing only")
    last_waiting = -1
    last_probe = -PROBE_EVERY
    loop = asyncio.get_running_loop()
    while not stop.is_set():
        try:
            probe = loop.time() - last_probe >= PROBE_EVERY
            if probe:
                last_probe = loop.time()
            report = await run_once(mailer, settings=settings, probe=probe)
            last_waiting = log_report(report, last_waiting=last_waiting)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("mail worker pass failed; trying again")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=interval)
    log.info("mail worker stopped")


def log_report(report: WorkerReport, *, last_waiting: int = -1) -> int:
    """Log what a pass did; the number waiting without SMTP only when it changed (so a
    loop every two seconds does not flood the log). Returns the number waiting."""
    if report.send is None and report.waiting != last_waiting:
        log.warning(
            "no SMTP server configured (EVENTS_SMTP_HOST): %s message(s) wait in the outbox, "
            "see /organise/outbox",
            report.waiting,
        )
    if report.reminders or report.holds_released:
        log.info(
            "mail worker: %s reminder(s) queued, %s guardian hold(s) released",
            report.reminders, report.holds_released,
        )  # fmt: skip
    if report.send is not None and report.send.attempted:
        log.info(
            "mail worker: %s sent, %s to retry, %s failed",
            len(report.send.sent), len(report.send.retrying), len(report.send.failed),
        )  # fmt: skip
    return report.waiting
