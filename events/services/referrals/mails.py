"""Mail about referrals, written to the outbox like every other mail (the worker sends it).

Owns what each kind says: a new referrer's welcome with the link to choose a password
(``referral_referrer_invitation``), the invitation to an activity (``referral_invitation``),
and the two halves of a buddy pairing: to the buddy (``referral_buddy``, with the link to
say afterwards how it went) and to the referred person (``referral_buddy_person``). Text
and HTML come from ``templates/email/<kind>.txt|html`` in the recipient's language.
:func:`queue_mail` only renders and INSERTs, so callers run it inside the transaction of the
change that causes the mail.

Imports models, settings, ``events.i18n``, ``events.urls`` and ``referrals.links``.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from events import i18n
from events.i18n import gettext as _
from events.models import Event, Organisation, OutboxMessage
from events.services import mail
from events.settings import Settings
from events.urls import Urls

KINDS = (
    "referral_referrer_invitation",
    "referral_invitation",
    "referral_buddy",
    "referral_buddy_person",
)
TEMPLATE_DIR = Path(__file__).resolve().parents[3] / "templates"
BLANK_LINES = re.compile(r"\n{3,}")


def _subject(kind: str, context: dict[str, Any]) -> str:
    """The subject line in the current language; never a referred person's name."""
    if kind == "referral_referrer_invitation":
        return _("You can now refer people to %(organisation)s", **context)
    if kind == "referral_invitation":
        return _("You are invited: %(title)s", **context)
    return _("Coming along together: %(title)s", **context)


def event_context(event: Event, settings: Settings) -> dict[str, Any]:
    """What every mail about an activity shows (``event.venue`` and ``organisation``
    fetched)."""
    fmt = i18n.Formatter(settings.timezone)
    venue, organisation = event.venue, event.organisation
    return {
        "title": event.title,
        "when": fmt.full(event.starts_at),
        "ends": fmt.time(event.ends_at),
        "place": venue.name,
        "address": f"{venue.address}, {venue.postcode} {venue.town}",
        "event_url": Urls(settings.base_url).absolute("event_detail", slug=event.slug),
        **organisation_context(organisation, settings),
    }


def organisation_context(organisation: Organisation, settings: Settings) -> dict[str, Any]:
    return {
        "organisation": organisation.name,
        "contact_name": organisation.contact_name,
        "contact_phone": organisation.contact_phone,
        "contact_email": organisation.email,
        "organisation_url": Urls(settings.base_url).absolute(
            "organisation_detail", slug=organisation.slug
        ),
    }


async def queue_mail(
    kind: str,
    *,
    to_email: str,
    locale: str,
    context: dict[str, Any],
    settings: Settings,
    event_id: int | None = None,
    reply_to: str = "",
) -> OutboxMessage:
    """Render one mail of ``kind`` in ``locale`` and write it to the outbox."""
    if kind not in KINDS:
        raise ValueError(f"unknown referral mail kind {kind!r}")
    env = mail.environment(settings.timezone)
    with i18n.use_locale(locale):
        subject = _subject(kind, context)
        values = {"event_url": context.get("organisation_url", ""), **context}
        text = env.get_template(f"email/{kind}.txt").render(values, subject=subject)
        html = env.get_template(f"email/{kind}.html").render(
            values, subject=subject, locale=i18n.current_locale()
        )
    return await OutboxMessage.create(
        kind=kind,
        to_email=to_email,
        subject=subject[:300],
        text_body=BLANK_LINES.sub("\n\n", text).strip() + "\n",
        html_body=html,
        locale=locale,
        event_id=event_id,
        reply_to=reply_to,
        next_attempt_at=datetime.now(UTC),
    )
