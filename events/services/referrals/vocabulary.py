"""The referral form: its choices, the statements a referred person agrees to, and checking
what a referrer submitted. Pure rules over submitted values; no database.

A referral holds no medical data: the form has no free-text field besides a first name, an
email address and a phone number, and the statement the person agreed to is stored word for
word (:func:`consent_statement`, :func:`feedback_statement`) in the referrer's language.

Imports models (for the vocabulary), errors, forms, ``events.i18n`` and the interests of
the sign-up form (a referral's "kinds of activity" are those interests, so an invitation
can fill them in).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from events.i18n import gettext as _
from events.models import ContactRoute, Group
from events.services.errors import FormError
from events.services.forms import Fields
from events.services.registrations.form import EMAIL_RE, STANDARD_INTERESTS

NEEDS = ("step_free", "quiet", "hearing")
"""What a referred person may need; each is a fact of a venue (:data:`VENUE_FACTS`)."""
VENUE_FACTS = {"step_free": "step_free_entrance", "quiet": "quiet_room", "hearing": "hearing_loop"}
KINDS = STANDARD_INTERESTS
"""Kinds of activity that might suit: the sign-up form's interests (music, games…)."""
CONTACT_ROUTES = tuple(route.value for route in ContactRoute)
GROUPS = tuple(group.value for group in Group)
PHONE_RE = re.compile(r"^\+?[0-9][0-9 ()\-.]{5,24}$")
MAX_NAME = 60


def consent_statement(organisation: str) -> str:
    """What the referred person agreed to before their referral may be sent."""
    return _(
        "I agree that my referrer passes my first name, how to reach me, my age group, the "
        "towns and kinds of activity that might suit me and what helps me take part to "
        "%(organisation)s, so that %(organisation)s can invite me to activities. This "
        "contains no medical information. The data is erased once I no longer take part, or "
        "at once when I ask for it.",
        organisation=organisation,
    )


def feedback_statement(organisation: str) -> str:
    """The optional extra: the referrer may hear how far the person got."""
    return _(
        "I also agree that %(organisation)s tells my referrer whether I was invited, signed "
        "up, came and came again. Nothing else.",
        organisation=organisation,
    )


@dataclass(frozen=True)
class ReferralInput:
    """A checked referral form. ``consent_text`` is the statement the person agreed to."""

    first_name: str
    contact_route: ContactRoute
    email: str | None
    phone: str | None
    group: Group
    towns: tuple[str, ...]
    kinds: tuple[str, ...]
    needs: tuple[str, ...]
    wants_buddy: bool
    feedback_consent: bool
    consent_text: str


def choices(data: Mapping[str, object], name: str, allowed: Sequence[str]) -> tuple[str, ...]:
    """The submitted values of a checkbox group that are among ``allowed``, in order."""
    raw = data.get(name) or ()
    values = [raw] if isinstance(raw, str) else list(raw)  # type: ignore[call-overload]
    return tuple(dict.fromkeys(str(v) for v in values if str(v) in allowed))


def check_phone(f: Fields, name: str, *, required: bool) -> str | None:
    """A phone number as typed (digits, spaces, +, -, brackets), or None when empty."""
    value = " ".join(f.text(name, required=required, max_length=30).split())
    if value and not PHONE_RE.match(value):
        f.fail(name, "invalid_phone")
    return value or None


def check_email(f: Fields, name: str, *, required: bool) -> str | None:
    value = f.text(name, required=required, max_length=254).lower()
    if value and not EMAIL_RE.match(value):
        f.fail(name, "email_invalid")
    return value or None


def _required_choice(f: Fields, name: str, options: tuple[str, ...]) -> str:
    if not f.data.get(name):
        f.fail(name, "required")
        return ""
    return f.choice(name, options, default="")


def check_referral(
    data: Mapping[str, object], *, organisation: str, towns: Sequence[str]
) -> ReferralInput:
    """Turn the submitted form into a :class:`ReferralInput`, or raise FormError per field.

    ``towns`` are the towns the referrer could choose from (the organisation's venues). The
    statement (``agreed``) is required; the feedback statement (``feedback``) is optional.
    Only the contact detail of the chosen route is kept."""
    f = Fields(data)
    first_name = f.text("first_name", required=True, max_length=MAX_NAME)
    route = _required_choice(f, "contact_route", CONTACT_ROUTES)
    email = check_email(f, "email", required=route == ContactRoute.EMAIL)
    phone = check_phone(f, "phone", required=route == ContactRoute.PHONE)
    group = _required_choice(f, "group", GROUPS)
    if not f.boolean("agreed"):
        f.fail("agreed", "consent_required")
    if f.errors:
        raise FormError(f.errors)
    feedback = f.boolean("feedback")
    text = consent_statement(organisation)
    if feedback:
        text = f"{text}\n\n{feedback_statement(organisation)}"
    return ReferralInput(
        first_name=first_name,
        contact_route=ContactRoute(route),
        email=email if route == ContactRoute.EMAIL else None,
        phone=phone if route == ContactRoute.PHONE else None,
        group=Group(group),
        towns=choices(data, "towns", towns),
        kinds=choices(data, "kinds", KINDS),
        needs=choices(data, "needs", NEEDS),
        wants_buddy=f.boolean("wants_buddy"),
        feedback_consent=feedback,
        consent_text=text,
    )
