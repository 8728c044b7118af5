"""Conversation-table planning: who sits at which table in every round, and why.

The public surface of the package; its modules, by job:

- ``model``: ``Participant``, ``Instance``, ``Plan``, ``Scorecard``, ``Metric``,
  ``PlanningError`` and ``validate``;
- ``indexed``, ``state``, ``start``, ``search``: the instance as arrays, the search state,
  initial seatings (matching, greedy, designs) and the local search;
- ``planner``: ``plan_tables`` and ``replan`` (re-planning at the door);
- ``scorecard``, ``bounds``: ``score_plan`` and the lower bounds beside each metric;
- ``explanations``: ``explain_seat``;
- ``fields``, ``constructions``, ``cyclic``, ``translation``, ``designs``: design-theory
  constructions of repeat-free rotations;
- ``jsonio`` and ``__main__``: the JSON format and ``python -m events.pairing < in.json``.

May import: the standard library and its own modules only; never ``events.models``,
``events.services`` or ``events.web``. Pure and synchronous: no database, no I/O outside
``main``. Deterministic for a given seed.

Rules, in priority order. Hard: everyone sits exactly once per round, table sizes differ by at
most one, pinned people stay at their table, people needing a quiet or step-free table get
one. Soft: keep-apart pairs never meet; nobody meets anyone twice (nor, by default, anyone
they met at earlier events); no two of one party at a table; generations mixed as evenly as
the numbers allow; nobody without a shared language at their table; shared interests.
"""

from __future__ import annotations

from events.pairing.constructions import affine_plane, repeat_count, round_robin
from events.pairing.designs import repeat_free_design
from events.pairing.explanations import explain_seat
from events.pairing.fields import Field, galois_field
from events.pairing.jsonio import instance_from_json, main, plan_to_json
from events.pairing.model import (
    GROUPS,
    MET_BEFORE_POLICIES,
    NEEDS,
    Instance,
    Metric,
    Participant,
    Plan,
    PlanningError,
    Scorecard,
    Seating,
)
from events.pairing.planner import plan_tables, replan
from events.pairing.scorecard import score_plan
from events.pairing.translation import paired_translation_design

__all__ = [
    "GROUPS",
    "MET_BEFORE_POLICIES",
    "NEEDS",
    "Field",
    "Instance",
    "Metric",
    "Participant",
    "Plan",
    "PlanningError",
    "Scorecard",
    "Seating",
    "affine_plane",
    "explain_seat",
    "galois_field",
    "instance_from_json",
    "main",
    "paired_translation_design",
    "plan_tables",
    "plan_to_json",
    "repeat_count",
    "repeat_free_design",
    "replan",
    "round_robin",
    "score_plan",
]
