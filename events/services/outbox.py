"""The outbox sender: turns queued :class:`OutboxMessage` rows into mail and sends them.

Owns the MIME shape of a message (:func:`build_email`: text and HTML alternatives, the
inline QR image by ``cid``, attachments), the claim that lets several workers share the
table without sending one message twice (a conditional UPDATE of ``claimed_until``), the
retry schedule (:data:`BACKOFF`, then every :data:`RETRY_CAP` until :data:`GIVE_UP_AFTER`),
the probe that sends stuck mail as soon as the server answers again, and what organisers
see of the queue (:func:`outbox_for`, :func:`stuck_mail`).

Delivery is at least once: a message the server accepted but whose answer was lost is sent
again, with the same ``Message-ID`` (unique across installations: it carries a keyed hash
of the row), so mail programs can tell it is the same mail.

Imports models, errors, the mailer seam and the staff Actor; never the web layer.
"""

from __future__ import annotations

import base64
import email.message
import email.utils
import hashlib
import hmac
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet

from events.models import Event, MailStatus, OutboxMessage
from events.services.errors import NotFound
from events.services.mailer import DeliveryError, Mailer, PermanentFailure, classify
from events.services.staff import Actor

BACKOFF: tuple[timedelta, ...] = (
    timedelta(seconds=10),
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(hours=1),
)
RETRY_CAP = timedelta(hours=1)
"""After the short schedule, one try per this interval..."""
GIVE_UP_AFTER = timedelta(days=7)
"""...until a message has waited this long since it was queued; then it is marked failed."""
STUCK_AFTER = timedelta(minutes=15)
"""Mail queued longer than this, with failed tries or no server, is shown as stuck."""
CLAIM = timedelta(minutes=5)
SENT_WINDOW = timedelta(days=7)
DEFAULT_FROM = "Samen Offline <noreply@localhost>"

log = logging.getLogger("events.mail")


@dataclass
class SendReport:
    """What one pass over the due messages did (message ids per outcome)."""

    sent: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    lost_claims: int = 0

    @property
    def attempted(self) -> int:
        return len(self.sent) + len(self.retrying) + len(self.failed)


# --- building the message -----------------------------------------------------------------


def _domain(mail_from: str) -> str:
    address = email.utils.parseaddr(mail_from)[1]
    return address.rpartition("@")[2] or "localhost"


def _one_line(value: str) -> str:
    """A header value on one line: a line break in a title or an address must not start a
    header of its own (and the email package refuses it, which would block the mail)."""
    return " ".join(value.split())


def message_id(message: OutboxMessage, *, mail_from: str, id_secret: str = "") -> str:
    """The same for every try of one message; different for every other message, also of
    another installation or of a restored backup (the row, its time and the secret)."""
    created = message.created_at.isoformat() if message.created_at else ""
    seed = f"{message.id}:{created}:{message.to_email}".encode()
    tag = hmac.new(id_secret.encode(), seed, hashlib.sha256).hexdigest()[:20]
    return f"<outbox-{message.id}.{tag}@{_domain(mail_from)}>"


def build_email(
    message: OutboxMessage, *, mail_from: str, id_secret: str = ""
) -> email.message.EmailMessage:
    """The MIME message: multipart/alternative (text, HTML with its inline images in a
    multipart/related), inside multipart/mixed when there are attachments. The Message-ID
    is fixed per outbox row (:func:`message_id`), so a retry after a lost reply is
    recognisable as the same mail. ``Reply-To`` is the row's, when it has one."""
    mime = email.message.EmailMessage()
    mime["Subject"] = _one_line(message.subject)
    mime["From"] = mail_from
    mime["To"] = _one_line(message.to_email)
    reply_to = _one_line(message.reply_to or "")
    if reply_to and " " not in reply_to:
        mime["Reply-To"] = reply_to
    mime["Date"] = email.utils.format_datetime(message.created_at or datetime.now().astimezone())
    mime["Message-ID"] = message_id(message, mail_from=mail_from, id_secret=id_secret)
    mime["Content-Language"] = message.locale
    mime["Auto-Submitted"] = "auto-generated"
    mime.set_content(message.text_body)
    items: Sequence[dict[str, Any]] = message.attachments or []
    inline = [a for a in items if a.get("cid")] if message.html_body else []
    if message.html_body:
        mime.add_alternative(message.html_body, subtype="html")
        parts = mime.get_payload()
        assert isinstance(parts, list)
        html_part = parts[-1]
        assert isinstance(html_part, email.message.EmailMessage)
        for item in inline:
            maintype, _sep, subtype = str(item["content_type"]).partition("/")
            html_part.add_related(
                base64.b64decode(item["content_b64"]),
                maintype=maintype,
                subtype=subtype,
                cid=f"<{item['cid']}>",
                filename=item["filename"],
                disposition="inline",
            )
    for item in items:
        if item in inline:
            continue
        _attach(mime, item)
    return mime


def _attach(mime: email.message.EmailMessage, item: dict[str, Any]) -> None:
    maintype, _sep, subtype = str(item["content_type"]).partition("/")
    data = base64.b64decode(item["content_b64"])
    if maintype == "text":
        # A cancellation's .ics says METHOD:CANCEL, so mail clients offer to remove it.
        method = str(item.get("method") or "PUBLISH")
        params = {"method": method} if subtype == "calendar" else {}
        mime.add_attachment(
            data.decode("utf-8"), subtype=subtype, filename=item["filename"], params=params
        )
    else:
        mime.add_attachment(data, maintype=maintype, subtype=subtype, filename=item["filename"])


# --- sending ------------------------------------------------------------------------------


def _due(now: datetime) -> Q:
    return Q(status=MailStatus.QUEUED, next_attempt_at__lte=now) & (
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    )


async def _claim(message_id: int, now: datetime, *, force: bool = False) -> bool:
    """Take one due message for this worker: only a one-row UPDATE means it is ours.
    ``force`` (a probe) takes a queued message before its time, never a claimed one."""
    free = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    due = Q(status=MailStatus.QUEUED) & free if force else _due(now)
    claimed = await OutboxMessage.filter(Q(id=message_id) & due).update(claimed_until=now + CLAIM)
    return claimed == 1


def next_attempt(
    attempts: int, now: datetime, *, queued_at: datetime | None = None
) -> datetime | None:
    """When to try again after ``attempts`` failed tries: the short schedule, then every
    :data:`RETRY_CAP`; None (give up) once the message has waited :data:`GIVE_UP_AFTER`."""
    if queued_at is not None and now - queued_at >= GIVE_UP_AFTER:
        return None
    wait = BACKOFF[attempts - 1] if attempts <= len(BACKOFF) else RETRY_CAP
    return now + min(wait, RETRY_CAP)


async def _record_failure(
    message: OutboxMessage, error: DeliveryError, now: datetime, report: SendReport
) -> None:
    attempts = message.attempts + 1
    retry_at = (
        None
        if isinstance(error, PermanentFailure)
        else next_attempt(attempts, now, queued_at=message.created_at)
    )
    changes: dict[str, Any] = {
        "attempts": attempts,
        "last_error": error.reason[:2000],
        "claimed_until": None,
    }
    if retry_at is None:
        changes["status"] = MailStatus.FAILED
        report.failed.append(message.id)
        log.error(
            "mail %s (%s to %s) failed after %s attempt(s): %s",
            message.id, message.kind, message.to_email, attempts, error.reason,
        )  # fmt: skip
    else:
        changes["next_attempt_at"] = retry_at
        report.retrying.append(message.id)
        log.warning(
            "mail %s (%s) not sent, attempt %s, next try at %s: %s",
            message.id, message.kind, attempts, retry_at.isoformat(), error.reason,
        )  # fmt: skip
    await OutboxMessage.filter(id=message.id).update(**changes)


async def send_one(
    message: OutboxMessage,
    mailer: Mailer,
    *,
    mail_from: str,
    now: datetime,
    report: SendReport,
    id_secret: str = "",
) -> None:
    """Send one claimed message and record the outcome."""
    try:
        await mailer.send(build_email(message, mail_from=mail_from, id_secret=id_secret))
    except Exception as exc:  # the mailer's own errors and anything unexpected alike
        await _record_failure(message, classify(exc), now, report)
        return
    await OutboxMessage.filter(id=message.id).update(
        status=MailStatus.SENT, sent_at=now, attempts=message.attempts + 1, claimed_until=None
    )
    report.sent.append(message.id)
    log.info("mail %s (%s) sent", message.id, message.kind)


async def send_due(
    mailer: Mailer,
    *,
    now: datetime,
    batch: int = 50,
    mail_from: str = DEFAULT_FROM,
    id_secret: str = "",
    probe: bool = False,
) -> SendReport:
    """Send up to ``batch`` messages that are due, oldest first. Safe to run in several
    workers at once: each message is claimed before it is sent.

    With ``probe`` (the worker asks about once a minute), when nothing was due but mail is
    backing off, the message whose next try is nearest is tried now. Whenever a message
    goes out after failed tries, the server answers again: every message backing off is
    made due at once, so a long outage ends with the mail sent within minutes, not at
    each message's next hourly try."""
    report = SendReport()
    send = {"mail_from": mail_from, "now": now, "report": report, "id_secret": id_secret}
    ids = (
        await OutboxMessage.filter(_due(now))
        .order_by("next_attempt_at", "id")
        .limit(batch)
        .values_list("id", flat=True)
    )
    probing = not ids and probe
    if probing:
        ids = await _probe_candidate(now)
    recovered = False
    for raw_id in ids:
        message_id = int(str(raw_id))
        if not await _claim(message_id, now, force=probing):
            report.lost_claims += 1
            continue
        message = await OutboxMessage.get(id=message_id)
        await send_one(message, mailer, **send)  # type: ignore[arg-type]
        if message.attempts > 0 and report.sent and report.sent[-1] == message.id:
            recovered = recovered or await _all_due_now(now)
    if probing and recovered:
        more = await send_due(
            mailer, now=now, batch=batch, mail_from=mail_from, id_secret=id_secret
        )
        report.sent += more.sent
        report.retrying += more.retrying
        report.failed += more.failed
        report.lost_claims += more.lost_claims
    return report


async def _probe_candidate(now: datetime) -> list[Any]:
    return (
        await OutboxMessage.filter(
            Q(status=MailStatus.QUEUED, attempts__gt=0)
            & (Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        )
        .order_by("next_attempt_at", "id")
        .limit(1)
        .values_list("id", flat=True)
    )


async def _all_due_now(now: datetime) -> bool:
    """The server answers again: what waits for a later try is due now."""
    moved = await OutboxMessage.filter(
        status=MailStatus.QUEUED, attempts__gt=0, next_attempt_at__gt=now
    ).update(next_attempt_at=now)
    if moved:
        log.info("mail server answers again: %s waiting message(s) due now", moved)
    return bool(moved)


async def waiting_count() -> int:
    """Messages still queued (due or not)."""
    return await OutboxMessage.filter(status=MailStatus.QUEUED).count()


# --- for organisers -----------------------------------------------------------------------


@dataclass(frozen=True)
class OutboxView:
    """What the organiser's outbox page shows."""

    waiting: list[OutboxMessage]
    failed: list[OutboxMessage]
    sent_recently: int


def _scoped(actor: Actor) -> QuerySet[OutboxMessage]:
    if actor.is_admin:
        return OutboxMessage.all()
    events = Event.filter(organisation_id=actor.organisation_id).values("id")
    return OutboxMessage.filter(event_id__in=Subquery(events))


async def outbox_for(actor: Actor, *, now: datetime, limit: int = 200) -> OutboxView:
    """Queued and failed mail of the actor's organisation's events (admins: all), newest
    first, and how many were sent in the last seven days."""
    scoped = _scoped(actor)
    waiting = await scoped.filter(status=MailStatus.QUEUED).order_by("-id").limit(limit)
    failed = await scoped.filter(status=MailStatus.FAILED).order_by("-id").limit(limit)
    sent = await scoped.filter(status=MailStatus.SENT, sent_at__gte=now - SENT_WINDOW).count()
    return OutboxView(waiting=list(waiting), failed=list(failed), sent_recently=sent)


async def retry_failed(actor: Actor, message_id: int, *, now: datetime) -> OutboxMessage:
    """An organiser sends a failed message again (after an outage or a fixed address):
    back in the queue with a fresh count of attempts. NotFound outside the actor's scope."""
    message = await _scoped(actor).get_or_none(id=message_id, status=MailStatus.FAILED)
    if message is None:
        raise NotFound()
    await OutboxMessage.filter(id=message.id, status=MailStatus.FAILED).update(
        status=MailStatus.QUEUED, attempts=0, next_attempt_at=now, claimed_until=None
    )
    log.info("mail %s (%s) queued again by staff user %s", message.id, message.kind, actor.user_id)
    await message.refresh_from_db()
    return message


async def message_for(actor: Actor, message_id: int) -> OutboxMessage:
    """One message of the actor's organisation, to read on screen (a hall without a mail
    server passes a consent link on by hand). NotFound outside the actor's scope."""
    if not actor.can_organise:
        raise NotFound()
    message = await _scoped(actor).get_or_none(id=message_id)
    if message is None:
        raise NotFound()
    return message


async def resend(actor: Actor, message_id: int, *, now: datetime) -> OutboxMessage:
    """Send one message (again): a failed one goes back in the queue, a waiting one is due
    now, a sent one is queued once more as a copy (the first stays as it was sent)."""
    message = await message_for(actor, message_id)
    if message.status == MailStatus.FAILED:
        return await retry_failed(actor, message_id, now=now)
    if message.status == MailStatus.QUEUED:
        await OutboxMessage.filter(id=message.id, status=MailStatus.QUEUED).update(
            next_attempt_at=now, claimed_until=None
        )
        await message.refresh_from_db()
        return message
    copy = await OutboxMessage.create(
        kind=message.kind,
        to_email=message.to_email,
        subject=message.subject,
        text_body=message.text_body,
        html_body=message.html_body,
        attachments=message.attachments,
        locale=message.locale,
        reply_to=message.reply_to,
        event_id=message.event_id,
        registration_id=message.registration_id,
        next_attempt_at=now,
    )
    log.info("mail %s sent again as %s by staff user %s", message.id, copy.id, actor.user_id)
    return copy


@dataclass(frozen=True)
class StuckMail:
    """Mail of the actor's organisation that should have gone and has not."""

    count: int
    oldest: datetime
    last_error: str


async def stuck_mail(actor: Actor, *, now: datetime) -> StuckMail | None:
    """Queued mail waiting longer than :data:`STUCK_AFTER` (the server refuses or does not
    answer, or none is set up), for the organiser's dashboard; None when all is well."""
    stuck = _scoped(actor).filter(status=MailStatus.QUEUED, created_at__lt=now - STUCK_AFTER)
    count = await stuck.count()
    if not count:
        return None
    oldest = await stuck.order_by("created_at").first()
    assert oldest is not None
    latest = await stuck.exclude(last_error="").order_by("-next_attempt_at").first()
    return StuckMail(
        count=count, oldest=oldest.created_at, last_error=latest.last_error if latest else ""
    )
