"""The mail transport seam: a :class:`Mailer` sends one finished message or raises.

Owns the split of delivery failures into :class:`TemporaryFailure` (try again later:
connection refused, timeouts, a dropped connection, 4xx replies) and
:class:`PermanentFailure` (do not try again: 5xx replies such as an unknown recipient).
:class:`SMTPMailer` is the real transport (aiosmtplib); tests pass their own mailer or an
SMTPMailer pointed at a local server. Imports settings and aiosmtplib only.
"""

from __future__ import annotations

import email.message
from typing import Protocol

import aiosmtplib

from events.settings import Settings

CONNECT_TIMEOUT = 15.0


class DeliveryError(Exception):
    """A message could not be delivered; ``code`` is the SMTP reply code when there was one."""

    def __init__(self, reason: str, code: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code


class TemporaryFailure(DeliveryError):
    """Worth another try later (the outbox backs off)."""


class PermanentFailure(DeliveryError):
    """No use trying again: the message is marked failed and shown to organisers."""


class Mailer(Protocol):
    """Anything that can send a finished message, raising a :class:`DeliveryError`."""

    async def send(self, message: email.message.EmailMessage) -> None: ...


def _by_code(code: int, reason: str) -> DeliveryError:
    text = f"{code} {reason}".strip()
    return PermanentFailure(text, code) if 500 <= code < 600 else TemporaryFailure(text, code)


def classify(exc: Exception) -> DeliveryError:
    """Map an aiosmtplib (or socket) error to a temporary or permanent failure."""
    if isinstance(exc, DeliveryError):
        return exc
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        refusals = [r for r in exc.recipients if isinstance(r, aiosmtplib.SMTPRecipientRefused)]
        if refusals and all(500 <= r.code < 600 for r in refusals):
            return PermanentFailure(
                "; ".join(f"{r.code} {r.message}" for r in refusals), refusals[0].code
            )
        return TemporaryFailure(str(exc) or "recipients refused")
    if isinstance(exc, aiosmtplib.SMTPAuthenticationError):
        # Wrong credentials are a setup problem: keep the mail and retry after the fix.
        return TemporaryFailure(f"{exc.code} {exc.message}".strip(), exc.code)
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        return _by_code(exc.code, exc.message)
    if isinstance(exc, (aiosmtplib.SMTPException, OSError, TimeoutError)):
        return TemporaryFailure(f"{type(exc).__name__}: {exc}")
    return TemporaryFailure(f"{type(exc).__name__}: {exc}")


class SMTPMailer:
    """Sends through the SMTP server in the settings: one connection per message."""

    def __init__(self, settings: Settings, *, timeout: float = CONNECT_TIMEOUT) -> None:
        self.settings = settings
        self.timeout = timeout

    async def send(self, message: email.message.EmailMessage) -> None:
        s = self.settings
        try:
            await aiosmtplib.send(
                message,
                hostname=s.smtp_host,
                port=s.smtp_port,
                username=s.smtp_username or None,
                password=s.smtp_password or None,
                use_tls=s.smtp_tls == "tls",
                start_tls=s.smtp_tls == "starttls",
                timeout=self.timeout,
            )
        except Exception as exc:
            raise classify(exc) from exc


def mailer_from_settings(settings: Settings) -> Mailer | None:
    """The SMTP mailer when ``EVENTS_SMTP_HOST`` is set; None means mail stays queued."""
    return SMTPMailer(settings) if settings.smtp_host else None
