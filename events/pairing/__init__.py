"""Conversation-table planning: who sits at which table in every round, and why.

The public surface of the package; its modules, by job:

- ``model``: ``Participant``, ``Instance``, ``table_sizes``, ``Plan``, ``Scorecard``,
  ``Metric``, ``SeatingError``, ``Reason``, ``SeatReasons``, ``PlanningError``, ``validate``;
- ``indexed``, ``state``, ``start``, ``relabel``, ``search``: the instance as arrays, the
  search state, first seatings (matching, greedy, designs coloured so tables mix) and the
  local search;
- ``planner``: ``plan_tables`` and ``replan`` (re-planning at the door);
- ``scorecard``, ``bounds``, ``limits``: ``score_plan``, the lower bound beside each metric,
  the known social golfer maxima and exhaustive proofs for small events;
- ``explanations``: ``explain_plan`` and ``explain_seat`` (reason codes);
- ``fields``, ``constructions``, ``rotational``, ``cyclic``, ``translation``, ``catalogue``,
  ``designs``: design-theory constructions of repeat-free rotations;
- ``jsonio`` and ``__main__``: the JSON format and ``python -m events.pairing < in.json``.

Everything that comes out is data (codes with parameters), never a sentence.

May import: the standard library and its own modules only; never ``events.models``,
``events.services`` or ``events.web``. Pure and synchronous: no database, no I/O outside
``main``. Deterministic for a given seed.

Rules, in priority order. Hard: everyone sits exactly once per round, table sizes differ by
at most one, pinned people stay at their table, people needing a quiet or step-free table
get one. Soft: keep-apart pairs never meet; every table mixes young and older where the
numbers allow; nobody meets anyone twice (nor, by default, anyone they met at earlier
events); no two of one party at a table; generations spread evenly; nobody without a shared
language at their table; buddies together once; shared interests.
"""

from __future__ import annotations

from events.pairing.constructions import affine_plane, repeat_count, round_robin
from events.pairing.designs import repeat_free_design
from events.pairing.explanations import explain_plan, explain_seat
from events.pairing.fields import Field, galois_field
from events.pairing.jsonio import instance_from_json, main, plan_to_json
from events.pairing.limits import KNOWN_MAX_ROUNDS, proven_min_repeats, repeat_free_limit
from events.pairing.model import (
    GROUPS,
    MET_BEFORE_POLICIES,
    NEEDS,
    Instance,
    Metric,
    Participant,
    Plan,
    PlanningError,
    Reason,
    Scorecard,
    Seating,
    SeatingError,
    SeatReasons,
    table_sizes,
)
from events.pairing.planner import plan_tables, replan
from events.pairing.scorecard import score_plan
from events.pairing.translation import paired_translation_design

__all__ = [
    "GROUPS",
    "KNOWN_MAX_ROUNDS",
    "MET_BEFORE_POLICIES",
    "NEEDS",
    "Field",
    "Instance",
    "Metric",
    "Participant",
    "Plan",
    "PlanningError",
    "Reason",
    "Scorecard",
    "SeatReasons",
    "Seating",
    "SeatingError",
    "affine_plane",
    "explain_plan",
    "explain_seat",
    "galois_field",
    "instance_from_json",
    "main",
    "paired_translation_design",
    "plan_tables",
    "plan_to_json",
    "proven_min_repeats",
    "repeat_count",
    "repeat_free_design",
    "repeat_free_limit",
    "replan",
    "round_robin",
    "score_plan",
    "table_sizes",
]
