"""Where ideas live and who looks after them: the towns one may propose for, the venues one
may name, and which ideas a staff member may moderate.

An organiser "of a town" is an organiser whose organisation has a venue in that town;
admins look after every town. Hosts look after none. Towns are compared without case, and
an idea stores the town as the venues spell it.

Owns :func:`idea_towns`, :func:`venue_choices`, :func:`towns_of`, :func:`ideas_for` and
:func:`get_idea_for`. Imports models, errors and the staff ``Actor``.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import reduce

from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from events.models import Idea, Venue
from events.services.errors import NotFound
from events.services.staff import Actor


def _distinct(towns: Sequence[str]) -> list[str]:
    """Each town once (the first spelling wins), sorted as people read them."""
    seen: dict[str, str] = {}
    for town in towns:
        seen.setdefault(town.strip().casefold(), town.strip())
    return sorted(seen.values(), key=str.casefold)


async def idea_towns() -> list[str]:
    """The towns with a venue: where an organiser can pick an idea up."""
    return _distinct([str(t) for t in await Venue.all().values_list("town", flat=True)])


async def venue_choices() -> list[Venue]:
    """Every venue, by town and name, for the optional "where exactly" of a proposal."""
    return await Venue.all().order_by("town", "name")


async def towns_of(actor: Actor) -> list[str] | None:
    """The towns this staff member looks after; None means every town (admins)."""
    if actor.is_admin:
        return None
    if not actor.can_organise:
        return []
    rows = await Venue.filter(organisation_id=actor.organisation_id).values_list("town", flat=True)
    return _distinct([str(t) for t in rows])


def in_towns(query: QuerySet[Idea], towns: Sequence[str] | None) -> QuerySet[Idea]:
    """Only ideas in these towns (compared without case); None leaves the query alone."""
    if towns is None:
        return query
    if not towns:
        return query.filter(id__in=[])
    return query.filter(reduce(lambda a, b: a | b, (Q(town__iexact=t) for t in towns)))


async def ideas_for(actor: Actor) -> QuerySet[Idea]:
    """The ideas this staff member may moderate and turn into activities."""
    if not actor.can_organise:
        return Idea.filter(id__in=[])
    return in_towns(Idea.all(), await towns_of(actor))


async def get_idea_for(actor: Actor, idea_id: int) -> Idea:
    """One idea the actor looks after; NotFound for anything else (also unconfirmed ones,
    which are not ideas yet)."""
    query = await ideas_for(actor)
    idea = await query.filter(confirmed_at__isnull=False).get_or_none(id=idea_id)
    if idea is None:
        raise NotFound()
    return idea
