"""Mail about ideas, written to the outbox (never sent from here): the link that confirms a
proposal, the link that confirms an "I would come", and the news that an idea goes ahead.

Owns what these messages say (``templates/email/idea_<kind>.txt`` and ``.html``, rendered
at queue time in one language); the idea pages' addresses come from ``events.urls`` (a
test checks them against the router). Like ``services.mail.queue_mail`` it only INSERTs,
so callers run it inside the transaction of the change that causes it.

Imports models, settings, ``events.i18n`` and ``events.urls``.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from events import i18n
from events.i18n import gettext as _
from events.models import OutboxMessage
from events.services import mail
from events.settings import Settings
from events.urls import Urls

KINDS = ("idea_confirm", "idea_support_confirm", "idea_published")
TEMPLATE_DIR = Path(__file__).resolve().parents[3] / "templates"
BLANK_LINES = re.compile(r"\n{3,}")

log = logging.getLogger("events.mail")


def idea_url(base_url: str, name: str, /, **params: object) -> str:
    """The absolute address of an idea page, by route name."""
    return Urls(base_url).absolute(name, None, **params)


def event_url(base_url: str, slug: str) -> str:
    return Urls(base_url).absolute("event_detail", slug=slug)


def _subject(kind: str, title: str) -> str:
    subjects = {
        "idea_confirm": _("Please confirm your idea: %(title)s", title=title),
        "idea_support_confirm": _("Please confirm that you would come: %(title)s", title=title),
        "idea_published": _("It is going ahead: %(title)s", title=title),
    }
    return subjects[kind]


async def queue_idea_mail(
    kind: str,
    *,
    to_email: str,
    title: str,
    locale: str,
    settings: Settings,
    context: dict[str, Any],
    event_id: int | None = None,
) -> OutboxMessage:
    """Write one mail of ``kind`` about the idea called ``title`` to the outbox.

    ``context`` fills the template; ``organisation`` and ``event_url`` (the footer's name
    and link) default to Samen Offline and the list of ideas."""
    if kind not in KINDS:
        raise ValueError(f"unknown idea mail kind {kind!r}")
    env = mail.environment(settings.timezone)
    with i18n.use_locale(locale):
        subject = _subject(kind, title)
        values = {
            "organisation": "Samen Offline",
            "event_url": idea_url(settings.base_url, "ideas_list"),
            "base_url": settings.base_url,
            "title": title,
            **context,
        }
        text = env.get_template(f"email/{kind}.txt").render(values, subject=subject)
        html = env.get_template(f"email/{kind}.html").render(
            values, subject=subject, locale=i18n.current_locale()
        )
    message = await OutboxMessage.create(
        kind=kind,
        to_email=to_email,
        subject=subject[:300],
        text_body=BLANK_LINES.sub("\n\n", text).strip() + "\n",
        html_body=html,
        attachments=[],
        locale=locale,
        event_id=event_id,
        next_attempt_at=datetime.now(UTC),
    )
    log.info("queued %s mail %s", kind, message.id)
    return message
