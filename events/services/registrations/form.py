"""Checking a sign-up form: the fields, the generation group a birth year falls in, and
when a guardian's consent is needed. Pure rules over submitted values; no database writes.

Imports models (for the vocabulary), errors, forms, ``services.emails`` (typo suggestions)
and ``services.places``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from events.models import Event, Group, RegistrationSource
from events.services import emails
from events.services.errors import FormError
from events.services.forms import Fields
from events.services.places import capacity

GUARDIAN_AGE = 16
ADULT_AGE = 18
MAX_COMPANIONS = 3
LANGUAGES = ("nl", "en", "de", "fr", "tr", "ar", "pl", "uk", "es", "pap", "fy")
STANDARD_INTERESTS = (
    "music",
    "games",
    "cooking",
    "nature",
    "stories",
    "sports",
    "crafts",
    "technology",
    "film",
    "books",
)
NEEDS = ("step_free", "quiet", "hearing", "sight", "seat")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Companion:
    first_name: str
    birth_year: int


@dataclass(frozen=True)
class SignupRequest:
    """Checked sign-up input. ``group`` is set only by staff (assisted sign-up, walk-ins)."""

    first_name: str
    email: str | None
    birth_year: int | None
    guardian_email: str | None = None
    languages: tuple[str, ...] = ()
    interests: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    companions: tuple[Companion, ...] = ()
    locale: str = "nl"
    source: RegistrationSource = RegistrationSource.ONLINE
    group: Group | None = None
    # Asked to be fetched or walked with: a volunteer task is made, the address is shown
    # only to the volunteer the organiser pairs.
    accompany: bool = False
    pickup_address: str | None = None


# --- groups and ages ----------------------------------------------------------------------


def age_in_year(birth_year: int, on: date) -> int:
    """The age reached in the event's calendar year (we ask for a birth year only)."""
    return on.year - birth_year


def needs_guardian(birth_year: int | None, on: date) -> bool:
    """Possibly under 16 on the day: with only a birth year, anyone who turns 16 in the
    event's year or later counts as under 16 (the safe side)."""
    return birth_year is not None and age_in_year(birth_year, on) <= GUARDIAN_AGE


def group_for(event: Event, birth_year: int | None, on: date) -> Group:
    """The generation group for a birth year; ``open`` when the age is between the groups
    or the own group has no places. Raises when the event has no place for this age."""
    if birth_year is None:
        return Group.OPEN
    age = age_in_year(birth_year, on)
    if age < event.young_min_age:
        raise FormError({"birth_year": "too_young"})
    group = Group.OPEN
    if age <= event.young_max_age:
        group = Group.YOUNG
    elif age >= event.older_min_age:
        group = Group.OLDER
    if group != Group.OPEN and capacity(event, group) == 0:
        group = Group.OPEN
    if capacity(event, group) == 0:
        raise FormError({"birth_year": "no_places_for_age"})
    return group


# --- checking the form --------------------------------------------------------------------


def _email(f: Fields, name: str, *, required: bool, suggest_typos: bool = False) -> str | None:
    """A checked address. With ``suggest_typos`` a likely typo (``gmial.con``) is refused
    with ``email_suggestion`` unless the form says ``keep_<name>`` (keep it as typed)."""
    value = f.text(name, required=required, max_length=254).lower()
    keep = str(f.data.get(f"keep_{name}") or "").lower() in ("1", "true", "yes", "on")
    if value and suggest_typos and not keep and emails.suggest(value):
        f.fail(name, "email_suggestion")
    elif value and not EMAIL_RE.match(value):
        f.fail(name, "email_invalid")
    return value or None


def _birth_year(f: Fields, name: str, today: date, *, required: bool) -> int | None:
    raw = str(f.data.get(name) or "").strip()
    if not raw:
        if required:
            f.fail(name, "required")
        return None
    if not (raw.isascii() and raw.isdigit()) or not today.year - 110 <= int(raw) <= today.year:
        f.fail(name, "invalid_birth_year")
        return None
    return int(raw)


def _choices(data: Mapping[str, object], name: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
    raw = data.get(name) or ()
    values = [raw] if isinstance(raw, str) else list(raw)  # type: ignore[call-overload]
    return tuple(dict.fromkeys(str(v) for v in values if str(v) in allowed))


def _companions(
    f: Fields, event: Event, today: date, *, lead_birth_year: int | None, staff: bool
) -> list[Companion]:
    """The companions of ``companion_1_name``… Every error sits on that companion's own
    field: a missing or bad year, too young for the activity, no places for their age, or
    under 16 without an adult lead (``companion_needs_adult``, on their year of birth)."""
    day = event.starts_at.date()
    adult_lead = lead_birth_year is not None and age_in_year(lead_birth_year, day) >= ADULT_AGE
    companions = []
    for n in range(1, MAX_COMPANIONS + 1):
        year_field = f"companion_{n}_birth_year"
        name = f.text(f"companion_{n}_name", max_length=60)
        year = _birth_year(f, year_field, today, required=bool(name))
        if year is not None and not name:
            f.fail(f"companion_{n}_name", "required")
        if not name or year is None:
            continue
        try:
            group_for(event, year, day)
        except FormError as exc:
            f.fail(year_field, exc.errors["birth_year"])
        if not staff and needs_guardian(year, day) and not adult_lead:
            f.fail(year_field, "companion_needs_adult")
        companions.append(Companion(name, year))
    return companions


def check_signup(
    data: Mapping[str, object],
    *,
    event: Event,
    today: date,
    locale: str,
    source: RegistrationSource = RegistrationSource.ONLINE,
    extra_interests: tuple[str, ...] = (),
) -> SignupRequest:
    """Turn submitted fields into a :class:`SignupRequest`, or raise FormError per field.

    Companions come as ``companion_1_name``/``companion_1_birth_year`` … up to three."""
    staff = source in (RegistrationSource.ASSISTED, RegistrationSource.WALK_IN)
    f = Fields(data)
    first_name = f.text("first_name", required=True, max_length=60)
    email = _email(f, "email", required=not staff, suggest_typos=not staff)
    birth_year = _birth_year(f, "birth_year", today, required=not staff)
    group = None
    if staff:
        group = Group(f.choice("group", tuple(Group), default=Group.OPEN))
    guardian_email = None
    if not staff and needs_guardian(birth_year, event.starts_at.date()):
        guardian_email = _email(f, "guardian_email", required=True, suggest_typos=True)
        if guardian_email and guardian_email == email:
            f.fail("guardian_email", "guardian_same_email")
    companions = _companions(f, event, today, lead_birth_year=birth_year, staff=staff)
    accompany = f.boolean("accompany")
    pickup = f.text("pickup_address", required=accompany, max_length=300) if accompany else ""
    if f.errors:
        raise FormError(f.errors)
    return SignupRequest(
        first_name=first_name,
        email=email,
        birth_year=birth_year,
        guardian_email=guardian_email,
        languages=_choices(data, "languages", LANGUAGES),
        interests=_choices(data, "interests", STANDARD_INTERESTS + extra_interests),
        needs=_choices(data, "needs", NEEDS),
        companions=tuple(companions),
        locale=locale,
        source=source,
        group=group,
        accompany=accompany,
        pickup_address=pickup or None,
    )
