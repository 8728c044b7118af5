"""The planning model: what goes into the planner and what comes out.

Owns: ``Participant`` and ``Instance`` (input), ``Metric``, ``Scorecard`` and ``Plan``
(output), the ``Seating`` type, ``PlanningError`` with its codes, and ``validate``.

May import: the standard library only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

GROUPS = ("young", "older", "open")
NEEDS = ("quiet", "step_free")
MET_BEFORE_POLICIES = ("avoid", "reunite", "ignore")

Seating = list[list[list[str]]]
"""Rounds -> tables (table 1 first) -> participant ids."""


class PlanningError(ValueError):
    """Bad planning input; ``code`` is a machine-readable snake_case reason."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


# --------------------------------------------------------------------------- input model


@dataclass(frozen=True)
class Participant:
    """One person: ``group`` is young, older or open; ``pinned_table`` counts from 1."""

    id: str
    group: str = "open"
    party: str | None = None
    languages: frozenset[str] = frozenset()
    interests: frozenset[str] = frozenset()
    needs: frozenset[str] = frozenset()
    pinned_table: int | None = None


@dataclass(frozen=True)
class Instance:
    """Everything the planner needs. Give ``table_size`` or ``table_count`` (or both)."""

    participants: tuple[Participant, ...]
    rounds: int = 1
    table_size: int | None = 4
    table_count: int | None = None
    seed: int = 0
    quiet_tables: frozenset[int] = frozenset()
    step_free_tables: frozenset[int] = frozenset()
    met_before: tuple[tuple[str, str], ...] = ()
    keep_apart: tuple[tuple[str, str], ...] = ()
    buddies: tuple[tuple[str, str], ...] = ()
    met_before_policy: str = "avoid"

    def tables(self) -> int:
        """Number of tables: ``table_count``, else enough tables of ``table_size``."""
        n = len(self.participants)
        if self.table_count:
            return max(1, min(self.table_count, max(1, n)))
        size = self.table_size or 4
        return max(1, -(-n // size))


# --------------------------------------------------------------------------- output model


@dataclass(frozen=True)
class Metric:
    """A scorecard line: the plan's ``value`` beside the ``best`` possible (None if unknown)."""

    value: float
    best: float | None
    note: str = ""


@dataclass(frozen=True)
class Scorecard:
    """How good a seating is, rule by rule, and what was impossible."""

    repeat_encounters: Metric
    met_before_again: Metric
    keep_apart_violations: Metric
    party_splits_missed: Metric
    generation_imbalance: Metric
    single_generation_tables: Metric
    language_isolated_seats: Metric
    shared_interest_share: Metric
    accessibility_violations: Metric
    buddies_seated: Metric
    moved_people: Metric | None
    seating_errors: tuple[str, ...]
    repeat_free_rounds_limit: int
    time_seconds: float

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in METRIC_NAMES:
            metric = getattr(self, name)
            if metric is not None:
                out[name] = {"value": metric.value, "best": metric.best, "note": metric.note}
        out["seating_errors"] = list(self.seating_errors)
        out["repeat_free_rounds_limit"] = self.repeat_free_rounds_limit
        out["time_seconds"] = round(self.time_seconds, 4)
        return out


METRIC_NAMES = (
    "repeat_encounters",
    "met_before_again",
    "keep_apart_violations",
    "party_splits_missed",
    "generation_imbalance",
    "single_generation_tables",
    "language_isolated_seats",
    "shared_interest_share",
    "accessibility_violations",
    "buddies_seated",
    "moved_people",
)


@dataclass(frozen=True)
class Plan:
    """The seating of every round and its scorecard; ``method`` says how it was found."""

    rounds: Seating
    scorecard: Scorecard
    method: str = "search"


def validate(inst: Instance) -> None:
    if inst.rounds < 1:
        raise PlanningError("bad_rounds", "rounds must be at least 1")
    if inst.table_size is None and inst.table_count is None:
        raise PlanningError("bad_table_size", "give table_size or table_count")
    if inst.table_size is not None and inst.table_size < 1:
        raise PlanningError("bad_table_size", "table_size must be at least 1")
    if inst.met_before_policy not in MET_BEFORE_POLICIES:
        raise PlanningError("bad_met_before_policy", "met_before_policy: avoid, reunite or ignore")
    seen: set[str] = set()
    for p in inst.participants:
        if p.id in seen:
            raise PlanningError("duplicate_participant", f"participant {p.id!r} appears twice")
        seen.add(p.id)
        if p.group not in GROUPS:
            raise PlanningError("bad_group", f"group of {p.id!r} must be young, older or open")
        if not p.needs <= set(NEEDS):
            raise PlanningError("bad_need", f"needs of {p.id!r}: quiet or step_free")
