"""Conversation tables (gesprekstafels) of an event: planning them from confirmed sign-ups or
from the people checked in, moving someone by hand, locking, re-planning at the door, the
host's look-up of a person's table, the municipal count of young–older pairs, and an
organisation's own conversation starters.

The planning itself is ``events.pairing`` (pure); this package turns registrations into a
``pairing.Instance`` and stores the result as a ``TablePlan``: rounds of tables (table 1
first) of registration ids, and the planner's scorecard. Its parts:

- ``instance``: who takes part, the rooms, people who met before, the stored scorecard
- ``planning``: plan, replace, move, lock, re-plan at the door (actor-checked)
- ``view``: the plan as pages show it, and look-ups for the door and the report
- ``starters``: the organisation's own conversation starters and the table cards
"""

from __future__ import annotations

from events.services.tables.instance import (
    SOURCES,
    Rounds,
    build_instance,
    met_at_earlier_events,
    participant,
)
from events.services.tables.pairs import KINDS as PAIR_KINDS
from events.services.tables.pairs import Pair, add_pair, event_pairs, pair_options, remove_pair
from events.services.tables.planning import (
    MAX_ROUNDS,
    MAX_TABLE_SIZE,
    get_plan,
    move_person,
    plan_event_tables,
    plan_instance,
    plan_people,
    replan_at_door,
    set_locked,
)
from events.services.tables.starters import (
    MAX_STARTER_LENGTH,
    add_starter,
    card_starters,
    list_starters,
    organisation_starters,
    remove_starter,
    table_cards,
)
from events.services.tables.view import (
    PersonRow,
    PlanView,
    Seat,
    display_names,
    mixed_pairs,
    plan_view,
    seats_in_round,
    sort_key,
    table_of,
)

__all__ = [
    "MAX_ROUNDS",
    "MAX_STARTER_LENGTH",
    "MAX_TABLE_SIZE",
    "PAIR_KINDS",
    "SOURCES",
    "Pair",
    "PersonRow",
    "PlanView",
    "Rounds",
    "Seat",
    "add_pair",
    "add_starter",
    "build_instance",
    "card_starters",
    "display_names",
    "event_pairs",
    "get_plan",
    "list_starters",
    "met_at_earlier_events",
    "mixed_pairs",
    "move_person",
    "organisation_starters",
    "pair_options",
    "participant",
    "plan_event_tables",
    "plan_instance",
    "plan_people",
    "plan_view",
    "remove_pair",
    "remove_starter",
    "replan_at_door",
    "seats_in_round",
    "set_locked",
    "sort_key",
    "table_cards",
    "table_of",
]
