"""Checking what people send about ideas: a proposal, an "I would come", a report. Pure
rules over submitted values (the town and venue choices are passed in); no database.

Imports models (for the vocabulary), errors, forms and the email rule of
``registrations.form``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from events.models import BringAlong, IdeaAudience, IdeaTiming
from events.services.errors import FormError
from events.services.forms import Fields, parse_id
from events.services.registrations.form import EMAIL_RE

TITLE_MAX = 120
SUMMARY_MAX = 300  # an activity's summary holds 300: an idea must fit into its draft
REASON_MAX = 300
MONTHS_AHEAD = 12


@dataclass(frozen=True)
class IdeaRequest:
    """A checked proposal. ``venue_id`` is None for "anywhere in the town"."""

    title: str
    summary: str
    town: str
    venue_id: int | None
    month: str
    timing: IdeaTiming
    audience: IdeaAudience
    first_name: str
    email: str
    under_16: bool


@dataclass(frozen=True)
class SupportRequest:
    email: str
    bring: BringAlong


def months_from(today: date, count: int = MONTHS_AHEAD) -> list[str]:
    """``YYYY-MM`` of this month and the next ``count - 1``: the months one may choose."""
    months = []
    year, month = today.year, today.month
    for _ in range(count):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def check_email(f: Fields, name: str = "email") -> str:
    value = f.text(name, required=True, max_length=254).lower()
    if value and not EMAIL_RE.match(value):
        f.fail(name, "email_invalid")
    return value


def _town(f: Fields, towns: Sequence[str]) -> str:
    """The town as the venues spell it (chosen from a list, compared without case)."""
    raw = f.text("town", required=True, max_length=100)
    if not raw:
        return ""
    known = {town.casefold(): town for town in towns}
    if raw.casefold() not in known:
        f.fail("town", "invalid_choice")
        return raw
    return known[raw.casefold()]


def _venue(f: Fields, town: str, venue_towns: Mapping[int, str]) -> int | None:
    """An optional venue, which must lie in the chosen town."""
    raw = str(f.data.get("venue") or "").strip()
    if not raw:
        return None
    venue_id = parse_id(raw)
    if venue_id not in venue_towns:
        f.fail("venue", "invalid_choice")
        return None
    if town and venue_towns[venue_id].casefold() != town.casefold():
        f.fail("venue", "venue_not_in_town")
    return venue_id


def check_idea(
    data: Mapping[str, object],
    *,
    towns: Sequence[str],
    venue_towns: Mapping[int, str],
    today: date,
) -> IdeaRequest:
    """Turn a submitted proposal into an :class:`IdeaRequest`, or raise FormError per field.

    ``towns`` are the towns one may choose, ``venue_towns`` maps each choosable venue id
    to its town."""
    f = Fields(data)
    title = f.text("title", required=True, max_length=TITLE_MAX)
    summary = " ".join(f.text("summary", required=True, max_length=SUMMARY_MAX).split())
    town = _town(f, towns)
    venue_id = _venue(f, town, venue_towns)
    month = str(data.get("month") or "").strip()
    if month and month not in months_from(today):
        f.fail("month", "invalid_choice")
    timing = f.choice("timing", tuple(IdeaTiming), default=IdeaTiming.ANY)
    audience = f.choice("audience", tuple(IdeaAudience), default=IdeaAudience.YOUNG)
    first_name = f.text("first_name", required=True, max_length=60)
    email = check_email(f)
    if f.errors:
        raise FormError(f.errors)
    return IdeaRequest(
        title=title,
        summary=summary,
        town=town,
        venue_id=venue_id,
        month=month,
        timing=IdeaTiming(timing),
        audience=IdeaAudience(audience),
        first_name=first_name,
        email=email,
        under_16=f.boolean("under_16"),
    )


def check_support(data: Mapping[str, object]) -> SupportRequest:
    f = Fields(data)
    email = check_email(f)
    bring = f.choice("bring", tuple(BringAlong), default=BringAlong.NOBODY)
    if f.errors:
        raise FormError(f.errors)
    return SupportRequest(email=email, bring=BringAlong(bring))


def check_reason(data: Mapping[str, object]) -> str:
    f = Fields(data)
    reason = " ".join(f.text("reason", max_length=REASON_MAX).split())
    if f.errors:
        raise FormError(f.errors)
    return reason
