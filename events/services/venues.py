"""Venues: who may see and change them, and the rules for their fields.

Imports models, errors, forms and the staff Actor.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from tortoise.queryset import QuerySet

from events.models import PhoneStorage, Venue, VenueKind
from events.services.errors import FormError, NotFound
from events.services.forms import SLUG_RE, Fields, slugify
from events.services.staff import Actor

POSTCODE_RE = re.compile(r"^([1-9][0-9]{3})\s?([A-Za-z]{2})$")
ACCESS_FACTS = ("step_free_entrance", "accessible_toilet", "hearing_loop", "quiet_room")


def venues_for(actor: Actor) -> QuerySet[Venue]:
    """The venues this staff member may see: own organisation's, or a host's own."""
    if actor.is_admin:
        return Venue.all()
    if actor.can_organise:
        return Venue.filter(organisation_id=actor.organisation_id)
    return Venue.filter(id__in=list(actor.venue_ids))


async def list_venues(actor: Actor) -> list[Venue]:
    """The actor's venues by name, for lists and choices."""
    return await venues_for(actor).order_by("name")


async def get_venue_for(actor: Actor, venue_id: int, *, to_change: bool = False) -> Venue:
    if to_change and not actor.can_organise:
        raise NotFound()
    venue = await venues_for(actor).get_or_none(id=venue_id)
    if venue is None:
        raise NotFound()
    return venue


def _venue_fields(data: Mapping[str, object]) -> tuple[dict[str, object], dict[str, str]]:
    f = Fields(data)
    values: dict[str, object] = {
        "name": f.text("name", required=True),
        "kind": f.choice("kind", tuple(VenueKind), default=VenueKind.OTHER),
        "description": f.text("description", max_length=4000),
        "address": f.text("address", required=True),
        "town": f.text("town", required=True, max_length=100),
        "phone_storage": f.choice("phone_storage", tuple(PhoneStorage), default="none"),
        "capacity": f.integer("capacity", default=30, low=1, high=10000),
    }
    postcode = f.text("postcode", required=True, max_length=10)
    match = POSTCODE_RE.match(postcode)
    if postcode and not match:
        f.fail("postcode", "invalid_postcode")
    values["postcode"] = f"{match.group(1)} {match.group(2).upper()}" if match else postcode
    for fact in ACCESS_FACTS:
        values[fact] = f.boolean(fact)
    slug = f.text("slug", max_length=80).lower()
    if slug and not SLUG_RE.match(slug):
        f.fail("slug", "invalid_slug")
    values["slug"] = slug
    return values, f.errors


async def _unique_slug(wanted: str, base: str, *, exclude_id: int | None) -> str:
    """The wanted slug if free (else an error), or a free one derived from ``base``."""
    taken = Venue.filter(slug=wanted or slugify(base))
    if exclude_id is not None:
        taken = taken.exclude(id=exclude_id)
    if wanted:
        if await taken.exists():
            raise FormError({"slug": "slug_taken"})
        return wanted
    candidate, n = slugify(base), 1
    while await Venue.filter(slug=candidate).exclude(id=exclude_id or 0).exists():
        n += 1
        candidate = f"{slugify(base)}-{n}"
    return candidate


async def _same_name(actor: Actor, name: str, venue: Venue | None) -> dict[str, str]:
    """A second place of the same name is usually a mistake: ask before saving it."""
    others = venues_for(actor).exclude(id=venue.id) if venue else venues_for(actor)
    names = await others.values_list("name", flat=True)
    wanted = " ".join(name.split()).casefold()  # SQLite folds only ASCII: compare here
    same = any(" ".join(str(n).split()).casefold() == wanted for n in names)
    return {"name": "venue_name_exists"} if same else {}


async def save_venue(actor: Actor, data: Mapping[str, object], venue: Venue | None = None) -> Venue:
    """Create a venue for the actor's organisation, or change one they own."""
    if not actor.can_organise or (actor.organisation_id is None and venue is None):
        raise NotFound()
    values, errors = _venue_fields(data)
    if not errors and not data.get("same_name_ok"):
        errors = await _same_name(actor, str(values["name"]), venue)
    if errors:
        raise FormError(errors)
    values["slug"] = await _unique_slug(
        str(values["slug"]),
        f"{values['name']} {values['town']}",
        exclude_id=venue.id if venue else None,
    )
    if venue is None:
        venue = Venue(organisation_id=actor.organisation_id)
    venue.update_from_dict(values)
    await venue.save()
    return venue
