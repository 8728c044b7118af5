"""Venue checks by people with lived experience (ervaringsdeskundigen): an organiser invites
a checker for one of their venues, the checker walks a checklist on a phone at the venue,
and a completed check updates the venue's facts that the filters and the planner use.

A checker is a staff account with ``Role.CHECKER`` and no other rights: every function here
that a checker calls takes the Actor and finds only checks assigned to them; a check is
the assignment (a :class:`VenueCheck` row made by the invitation) and, once completed, the
findings. Photos are re-encoded (which drops their EXIF data, GPS included), kept under
``settings.data_dir`` and shown only to the checker and the venue's organisers.

Imports models, errors, settings, the staff Actor and ``services.venues``.
"""

from __future__ import annotations

import io
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import anyio.to_thread
from PIL import Image, UnidentifiedImageError

from events.models import Role, Venue, VenueCheck
from events.services.errors import FormError, Invalid, NotFound
from events.services.forms import Fields
from events.services.staff import Actor
from events.services.venues import get_venue_for

YES_NO = ("yes", "no", "unsure")
CHOICES: dict[str, tuple[str, ...]] = {
    "entrance_step_free": YES_NO,
    "step_free_route": YES_NO,
    "accessible_toilet": YES_NO,
    "hearing_loop": YES_NO,
    "quiet_room": YES_NO,
    "lighting": ("good", "dim", "harsh", "unsure"),
    "armrest_chairs": ("yes", "some", "no", "unsure"),
    "parking": YES_NO,
}
NUMBERS: dict[str, tuple[int, int]] = {
    "door_width_cm": (30, 400),  # the narrowest door on the way in
    "transit_distance_m": (0, 20000),  # to the nearest bus stop or station
}
ITEMS = (
    "entrance_step_free",
    "step_free_route",
    "door_width_cm",
    "accessible_toilet",
    "hearing_loop",
    "quiet_room",
    "lighting",
    "armrest_chairs",
    "parking",
    "transit_distance_m",
)
FACTS = {
    "entrance_step_free": "step_free_entrance",
    "accessible_toilet": "accessible_toilet",
    "hearing_loop": "hearing_loop",
    "quiet_room": "quiet_room",
}
RECENT = timedelta(days=365)
MAX_PHOTOS = 6
MAX_PHOTO_BYTES = 900_000  # a form body over 1 MB is refused before it gets here
PHOTO_EDGE = 1600


def photo_dir(data_dir: Path, check_id: int) -> Path:
    return data_dir / "venue_checks" / str(check_id)


# --- the checker --------------------------------------------------------------------------


def _checker_only(actor: Actor) -> None:
    if actor.role != Role.CHECKER:
        raise NotFound()


async def checker_checks(actor: Actor) -> list[VenueCheck]:
    """The checks assigned to this checker, open ones first."""
    _checker_only(actor)
    checks = await VenueCheck.filter(checker_id=actor.user_id).prefetch_related("venue")
    return sorted(checks, key=lambda c: (c.completed_at is not None, -c.id))


async def check_for_checker(actor: Actor, check_id: int) -> VenueCheck:
    """One check assigned to this checker, else NotFound."""
    _checker_only(actor)
    check = await VenueCheck.get_or_none(id=check_id, checker_id=actor.user_id).prefetch_related(
        "venue"
    )
    if check is None:
        raise NotFound()
    return check


def check_answers(data: Mapping[str, object]) -> tuple[dict[str, object], dict[str, str]]:
    """Answers and notes from the checklist form (FormError per field). Every item may stay
    unanswered; a note per item and a general note are optional."""
    f = Fields(data)
    answers: dict[str, object] = {}
    for name, options in CHOICES.items():
        value = str(data.get(name) or "")
        if value:
            answers[name] = f.choice(name, options, default="unsure")
    for name, (low, high) in NUMBERS.items():
        if str(data.get(name) or "").strip():
            answers[name] = f.integer(name, default=0, low=low, high=high)
    notes = {}
    for name in (*ITEMS, "general"):
        text = f.text(f"note_{name}", max_length=1000)
        if text:
            notes[name] = text
    if f.errors:
        raise FormError(f.errors)
    return answers, notes


async def save_check(
    actor: Actor, check_id: int, data: Mapping[str, object], *, complete: bool, now: datetime
) -> VenueCheck:
    """Store the checklist; on ``complete`` also the date, and the venue's facts follow the
    findings (yes -> true, no -> false, not sure -> unchanged)."""
    check = await check_for_checker(actor, check_id)
    answers, notes = check_answers(data)
    check.answers, check.notes = answers, notes
    if complete:
        check.completed_at = now
    await check.save()
    if complete:
        await _update_facts(check.venue, answers)
    return check


async def _update_facts(venue: Venue, answers: Mapping[str, object]) -> None:
    changed = False
    for item, fact in FACTS.items():
        if answers.get(item) in ("yes", "no"):
            setattr(venue, fact, answers[item] == "yes")
            changed = True
    if changed:
        await venue.save()


def _reencode(content: bytes) -> bytes:
    try:
        with Image.open(io.BytesIO(content)) as image:
            image.load()
            picture = image.convert("RGB")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise Invalid("photo_not_an_image") from exc
    picture.thumbnail((PHOTO_EDGE, PHOTO_EDGE))
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=80)
    return out.getvalue()


async def add_photo(actor: Actor, check_id: int, content: bytes, *, data_dir: Path) -> str:
    """Keep one photo of a check (JPEG or PNG, under 900 kB, at most six); returns its name."""
    check = await check_for_checker(actor, check_id)
    if len(content) > MAX_PHOTO_BYTES:
        raise Invalid("photo_too_large")
    if len(check.photos) >= MAX_PHOTOS:
        raise Invalid("too_many_photos")
    jpeg = await anyio.to_thread.run_sync(_reencode, content)
    name = f"{secrets.token_hex(8)}.jpg"
    folder = photo_dir(data_dir, check.id)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(jpeg)
    check.photos = [*check.photos, name]
    await check.save(update_fields=["photos"])
    return name


async def photo_file(actor: Actor, check_id: int, name: str, *, data_dir: Path) -> Path:
    """A photo of a check, for its checker or an organiser of its venue; else NotFound."""
    check = await VenueCheck.get_or_none(id=check_id)
    if check is None or name not in check.photos:
        raise NotFound()
    if actor.role == Role.CHECKER:
        if check.checker_id != actor.user_id:
            raise NotFound()
    else:
        await get_venue_for(actor, check.venue_id, to_change=True)
    return photo_dir(data_dir, check.id) / name


# --- the public venue page ----------------------------------------------------------------


@dataclass(frozen=True)
class CheckSummary:
    """The latest completed check of a venue, as the public page shows it."""

    completed_at: datetime
    recent: bool
    findings: list[tuple[str, object]]
    notes: dict[str, str]


async def venue_check_summary(venue_id: int, *, now: datetime) -> CheckSummary | None:
    """The latest completed check of a venue (None when there is none); ``recent`` is false
    twelve months after it."""
    check = (
        await VenueCheck.filter(venue_id=venue_id, completed_at__isnull=False)
        .order_by("-completed_at")
        .first()
    )
    if check is None or check.completed_at is None:
        return None
    findings = [(item, check.answers[item]) for item in ITEMS if item in check.answers]
    return CheckSummary(
        completed_at=check.completed_at,
        recent=check.completed_at > now - RECENT,
        findings=findings,
        notes=dict(check.notes),
    )


def checked_at(completed_at: datetime | None) -> datetime:
    """For page validators: when the latest check was completed (epoch when never)."""
    return completed_at or datetime(2000, 1, 1, tzinfo=UTC)
