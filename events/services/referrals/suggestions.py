"""Which upcoming activities fit a referred person: in one of their towns (when they named
any), at a venue that meets every need they have (step-free entrance, a quiet room, a
hearing loop), and with a place left in their age group or for any age. Soonest first.

The activities come from the public listing (``services.events.upcoming_events``: published
and not ended) of the referral's organisation, the places from ``services.places``.

Imports models, ``services.events``, ``services.places`` and ``referrals.vocabulary``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from events.models import Event, Group, Organisation, Referral, Venue
from events.services import places
from events.services.listing import upcoming_events
from events.services.referrals.vocabulary import VENUE_FACTS

SHOWN = 3


@dataclass(frozen=True)
class Suggestion:
    """An activity and why it fits (or, for the full list, what does not)."""

    event: Event
    places_left: int
    town_fits: bool
    needs_missing: tuple[str, ...]

    @property
    def fits(self) -> bool:
        return self.town_fits and not self.needs_missing and self.places_left > 0


async def open_events(organisation: Organisation, *, now: datetime) -> list[Event]:
    """The organisation's published activities that are still open for sign-up."""
    found = await upcoming_events(now=now, organisation_slug=organisation.slug)
    return [e for e in found if places.open_for_signup(e, now)]


def places_for(event: Event, group: Group) -> int:
    """Places left that this age group can take: its own and those for any age."""
    left = places.places_left(event)
    if group == Group.OPEN:
        return sum(left.values())
    return left[group] + left[Group.OPEN]


def needs_missing(venue: Venue, needs: Sequence[str]) -> tuple[str, ...]:
    return tuple(n for n in needs if n in VENUE_FACTS and not getattr(venue, VENUE_FACTS[n]))


def judge(referral: Referral, event: Event) -> Suggestion:
    towns = {t.casefold() for t in referral.towns}
    return Suggestion(
        event=event,
        places_left=places_for(event, Group(referral.group)),
        town_fits=not towns or event.venue.town.casefold() in towns,
        needs_missing=needs_missing(event.venue, referral.needs),
    )


def suggest(referral: Referral, events: Sequence[Event], *, limit: int = SHOWN) -> list[Suggestion]:
    """The first ``limit`` activities that fit, soonest first."""
    fitting = [s for s in (judge(referral, e) for e in events) if s.fits]
    return fitting[:limit]
