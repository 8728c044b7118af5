"""The planning model: what goes into the planner and what comes out.

Owns: ``Participant`` and ``Instance`` (input), ``table_sizes``, ``Metric``, ``Scorecard``,
``SeatingError``, ``Reason``, ``SeatReasons`` and ``Plan`` (output), the ``Seating`` type,
``PlanningError`` with its codes, and ``validate``.

Everything that comes out is data: a code (snake_case) with parameters (numbers, ids,
language and interest values), never a sentence; ``events.web.planner_text`` words them.

May import: the standard library only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
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
        return max(1, len(table_sizes(n, self.table_size or 4)))

    def sizes(self) -> list[int]:
        """People per table in every round, table 1 first (larger tables first)."""
        return balanced_sizes(len(self.participants), self.tables())


def balanced_sizes(n_people: int, n_tables: int) -> list[int]:
    """``n_people`` over ``n_tables`` tables whose sizes differ by at most one, larger first."""
    q, rem = divmod(n_people, max(1, n_tables))
    return [q + 1 if t < rem else q for t in range(n_tables)]


def table_sizes(n_people: int, table_size: int) -> list[int]:
    """The fewest tables of at most ``table_size`` with sizes differing by at most one.

    30 people at tables of 4 give six tables of 4 and two of 3 (never seven of 4 and one of 2).
    """
    if n_people <= 0:
        return []
    size = max(1, table_size)
    return balanced_sizes(n_people, -(-n_people // size))


# --------------------------------------------------------------------------- output model


Params = Mapping[str, Any]
"""Parameters of a code: ints, strings, or tuples of strings (ids, languages, interests)."""


def _jsonable(params: Params) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, tuple | frozenset) else v for k, v in params.items()}


@dataclass(frozen=True)
class Metric:
    """A scorecard line: the plan's ``value`` beside the ``best`` possible (None if unknown).

    ``best`` is a proven lower bound (for ``buddies_seated`` and ``shared_interest_share`` an
    upper one). ``code`` names what more there is to say, with ``params``; empty if nothing.
    """

    value: float
    best: float | None
    code: str = ""
    params: Params = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "best": self.best,
            "code": self.code,
            "params": _jsonable(self.params),
        }


@dataclass(frozen=True)
class Coded:
    """A ``code`` with its ``params``; as JSON, the code beside its parameters."""

    code: str
    params: Params = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, **_jsonable(self.params)}


class SeatingError(Coded):
    """A broken hard rule of a seating: ``code`` with ``params`` (``round`` from 1, ``ids``).

    Codes: ``unknown_participant``, ``seated_twice``, ``not_seated``, ``table_sizes_differ``
    (each with ``round``; the first three with ``ids``) and ``wrong_round_count`` (with
    ``expected`` and ``got``).
    """


class Reason(Coded):
    """One reason why someone sits where they sit (codes: ``explanations``)."""


@dataclass(frozen=True)
class SeatReasons:
    """Why one person sits at ``table`` (from 1) in ``round`` (from 1)."""

    round: int
    table: int
    reasons: tuple[Reason, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "round": self.round,
            "table": self.table,
            "reasons": [r.as_dict() for r in self.reasons],
        }


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
    seating_errors: tuple[SeatingError, ...]
    repeat_free_rounds_limit: int
    time_seconds: float

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in METRIC_NAMES:
            metric = getattr(self, name)
            if metric is not None:
                out[name] = metric.as_dict()
        out["seating_errors"] = [e.as_dict() for e in self.seating_errors]
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
