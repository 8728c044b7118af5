"""An organisation's own conversation starters, and the starters printed on table cards.

Imports models, errors, the staff ``Actor`` and ``events.starters``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from events import starters
from events.models import ConversationStarter, Event
from events.services.errors import FormError, NotFound
from events.services.scope import ensure_event_access
from events.services.staff import Actor
from events.services.tables.instance import Rounds, quiet_table
from events.services.tables.planning import get_plan

MAX_STARTER_LENGTH = 300


async def organisation_starters(organisation_id: int, locale: str | None = None) -> list[str]:
    query = ConversationStarter.filter(organisation_id=organisation_id)
    if locale is not None:
        query = query.filter(locale=locale)
    return [str(t) for t in await query.order_by("id").values_list("text", flat=True)]


def _organisation_of(actor: Actor) -> int:
    if not actor.can_organise or actor.organisation_id is None:
        raise NotFound()
    return actor.organisation_id


async def list_starters(actor: Actor) -> list[ConversationStarter]:
    organisation_id = _organisation_of(actor)
    return await ConversationStarter.filter(organisation_id=organisation_id).order_by("id")


async def add_starter(actor: Actor, text: str, locale: str) -> ConversationStarter:
    """Add an organisation's own starter; FormError for empty, too long or odd language."""
    organisation_id = _organisation_of(actor)
    cleaned = " ".join(text.split())
    if not cleaned:
        raise FormError({"text": "required"})
    if len(cleaned) > MAX_STARTER_LENGTH:
        raise FormError({"text": "too_long"})
    if locale not in starters.LOCALES:
        raise FormError({"locale": "invalid_choice"})
    return await ConversationStarter.create(
        organisation_id=organisation_id, text=cleaned, locale=locale
    )


async def remove_starter(actor: Actor, starter_id: int) -> None:
    organisation_id = _organisation_of(actor)
    deleted = await ConversationStarter.filter(
        id=starter_id, organisation_id=organisation_id
    ).delete()
    if not deleted:
        raise NotFound()


def card_starters(
    rounds: Rounds, *, locale: str, extra: Sequence[str], seed: int
) -> list[list[list[str]]]:
    """Starters per round per table (table 1 first), different on every card."""
    n_tables = max((len(tables) for tables in rounds), default=0)
    return [
        [
            starters.starters_for(
                t, r, locale=locale, extra=list(extra), seed=seed, tables=n_tables
            )
            for t in range(1, len(tables) + 1)
        ]
        for r, tables in enumerate(rounds, start=1)
    ]


@dataclass(frozen=True)
class TableCards:
    """Starters per round per table for the printed cards, and which table is the quiet one."""

    starters: list[list[list[str]]]
    quiet_table: int


async def table_cards(actor: Actor, event_id: int, *, locale: str) -> TableCards | None:
    """The cards of the event's stored plan, or None without a plan."""
    await ensure_event_access(actor, event_id)
    event = await Event.get(id=event_id)
    plan = await get_plan(event_id)
    if plan is None:
        return None
    extra = await organisation_starters(event.organisation_id, locale)
    cards = card_starters(plan.rounds, locale=locale, extra=extra, seed=event.id)
    n_tables = max((len(tables) for tables in plan.rounds), default=0)
    return TableCards(starters=cards, quiet_table=quiet_table(n_tables))
