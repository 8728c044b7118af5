"""Conversation-table planning: who sits at which table in every round, and why.

Owns: the planning model (``Participant``, ``Instance``, ``Plan``, ``Scorecard``, ``Metric``),
the planner ``plan_tables``, rescoring after a manual move (``score_plan``), re-planning at
the door after no-shows and late arrivals (``replan``), per-person reasons (``explain_seat``),
the JSON format (``instance_from_json``, ``plan_to_json``) and the command line
``python -m events.pairing < instance.json``.

May import: the standard library and ``events.pairing_designs``. Pure and synchronous: no
database, no I/O outside ``main``. Deterministic for a given seed: every search stops after a
fixed number of iterations; the clock is read only for the scorecard's ``time_seconds``.

Rules, in priority order. Hard: everyone sits exactly once per round, table sizes differ by at
most one, pinned people stay at their table, people needing a quiet or step-free table get
one. Soft: keep-apart pairs never meet; nobody meets anyone twice (nor, by default, anyone
they met at earlier events); no two of one party at a table; generations mixed as evenly as
the numbers allow; nobody without a shared language at their table; shared interests.
"""

from __future__ import annotations

import json
import random
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO

from events.pairing_designs import repeat_free_design

GROUPS = ("young", "older", "open")
NEEDS = ("quiet", "step_free")
MET_BEFORE_POLICIES = ("avoid", "reunite", "ignore")

# Weights of the search objective; each rule outweighs everything below it.
W_HARD = 10_000_000
W_APART = 40_000
W_REPEAT = 8_000
W_MOVE = 2_000
W_PARTY = 500
W_SINGLE = 150
W_GEN = 40
W_LANG = 25
W_BUDDY = 20
W_INTEREST = 1

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
        for name in _METRIC_NAMES:
            metric = getattr(self, name)
            if metric is not None:
                out[name] = {"value": metric.value, "best": metric.best, "note": metric.note}
        out["seating_errors"] = list(self.seating_errors)
        out["repeat_free_rounds_limit"] = self.repeat_free_rounds_limit
        out["time_seconds"] = round(self.time_seconds, 4)
        return out


_METRIC_NAMES = (
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


# --------------------------------------------------------------------------- indexed model


@dataclass
class _Model:
    """The instance as integer arrays, for fast evaluation."""

    ids: list[str]
    n: int
    n_tables: int
    n_rounds: int
    caps: list[list[int]]
    gen: list[int]
    party: list[int]
    lang: list[int]
    interest: list[int]
    allowed: list[int]
    special: dict[int, tuple[int, int, int]]
    mixed_event: bool
    home: list[list[int]] | None = None


def _bits(values: Iterable[str], codes: dict[str, int]) -> int:
    mask = 0
    for value in values:
        mask |= 1 << codes.setdefault(value, len(codes))
    return mask


def _balanced_caps(n: int, n_tables: int) -> list[int]:
    q, rem = divmod(n, n_tables)
    return [q + 1 if t < rem else q for t in range(n_tables)]


def _allowed_mask(p: Participant, inst: Instance, n_tables: int) -> int:
    every = (1 << n_tables) - 1
    if p.pinned_table is not None and 1 <= p.pinned_table <= n_tables:
        return 1 << (p.pinned_table - 1)
    mask = every
    for need, tables in (("quiet", inst.quiet_tables), ("step_free", inst.step_free_tables)):
        if need in p.needs:
            mask &= sum(1 << (t - 1) for t in tables if 1 <= t <= n_tables)
    return mask or every


def _special_pairs(inst: Instance, index: dict[str, int]) -> dict[int, tuple[int, int, int]]:
    """Pair key -> (met before and to avoid, keep apart, buddy), both orders."""
    flags: dict[tuple[int, int], list[int]] = {}
    met_slot = {"avoid": 0, "reunite": 2}.get(inst.met_before_policy)
    lists: list[tuple[Iterable[tuple[str, str]], int | None]] = [
        (inst.met_before, met_slot),
        (inst.keep_apart, 1),
        (inst.buddies, 2),
    ]
    for pairs, slot in lists:
        if slot is None:
            continue
        for a, b in pairs:
            if a in index and b in index and a != b:
                i, j = sorted((index[a], index[b]))
                flags.setdefault((i, j), [0, 0, 0])[slot] = 1
    n = len(index)
    out: dict[int, tuple[int, int, int]] = {}
    for (i, j), f in flags.items():
        if f[2]:
            f[0] = 0
        out[i * n + j] = out[j * n + i] = (f[0], f[1], f[2])
    return out


def _build_model(inst: Instance, caps: list[list[int]] | None = None) -> _Model:
    people = inst.participants
    index = {p.id: i for i, p in enumerate(people)}
    n_tables = inst.tables()
    if caps is None:
        caps = [_balanced_caps(len(people), n_tables) for _ in range(inst.rounds)]
    langs: dict[str, int] = {}
    interests: dict[str, int] = {}
    parties: dict[str, int] = {}
    gen = [GROUPS.index(p.group) for p in people]
    return _Model(
        ids=[p.id for p in people],
        n=len(people),
        n_tables=n_tables,
        n_rounds=inst.rounds,
        caps=caps,
        gen=gen,
        party=[parties.setdefault(p.party, len(parties)) if p.party else -1 for p in people],
        lang=[_bits(p.languages, langs) for p in people],
        interest=[_bits(p.interests, interests) for p in people],
        allowed=[_allowed_mask(p, inst, n_tables) for p in people],
        special=_special_pairs(inst, index),
        mixed_event=0 in gen and 1 in gen,
    )


def _pair_pen(flags: tuple[int, int, int] | None, c: int) -> int:
    if flags is None:
        return W_REPEAT * (c - 1) if c > 1 else 0
    prior, apart, buddy = flags
    pen = W_REPEAT * max(0, c + prior - 1) + W_APART * apart * c
    return pen - (W_BUDDY if buddy and c else 0)


# --------------------------------------------------------------------------- search state


class _State:
    """A seating of all rounds with meeting counts and cached table costs."""

    def __init__(self, model: _Model, seats: list[list[int]]) -> None:
        self.m = model
        self.load(seats)

    def load(self, seats: list[list[int]]) -> None:
        m = self.m
        self.seat = [list(row) for row in seats]
        self.tables: list[list[list[int]]] = []
        for row in self.seat:
            tables: list[list[int]] = [[] for _ in range(m.n_tables)]
            for person, t in enumerate(row):
                tables[t].append(person)
            self.tables.append(tables)
        self.meet = [0] * (m.n * m.n)
        for tables in self.tables:
            for members in tables:
                for i, a in enumerate(members):
                    for b in members[i + 1 :]:
                        self.meet[a * m.n + b] += 1
                        self.meet[b * m.n + a] += 1
        self.cost = [[self.local(r, t, ms) for t, ms in enumerate(ts)] for r, ts in enumerate(self.tables)]
        self.total = sum(map(sum, self.cost)) + self._pairs_total()

    def _pairs_total(self) -> int:
        m, total = self.m, 0
        for a in range(m.n):
            for b in range(a + 1, m.n):
                c = self.meet[a * m.n + b]
                key = a * m.n + b
                if c > 1 or key in m.special:
                    total += _pair_pen(m.special.get(key), c)
        return total

    def local(self, r: int, t: int, members: list[int]) -> int:
        """Cost of one table that does not depend on other rounds."""
        m = self.m
        gen, party, lang, interest, allowed = m.gen, m.party, m.lang, m.interest, m.allowed
        home = m.home[r] if m.home is not None else None
        cost = young = older = 0
        bit = 1 << t
        size = len(members)
        for i, a in enumerate(members):
            g = gen[a]
            if g == 0:
                young += 1
            elif g == 1:
                older += 1
            if not allowed[a] & bit:
                cost += W_HARD
            if home is not None and home[a] >= 0 and home[a] != t:
                cost += W_MOVE
            pa, ia, la = party[a], interest[a], lang[a]
            shared = la == 0 or size == 1
            for j, b in enumerate(members):
                if j > i:
                    if pa >= 0 and pa == party[b]:
                        cost += W_PARTY
                    if ia & interest[b]:
                        cost -= W_INTEREST
                if not shared and j != i and la & lang[b]:
                    shared = True
            if not shared:
                cost += W_LANG
        cost += W_GEN * abs(young - older)
        if m.mixed_event and size > 1 and (young == 0) != (older == 0):
            cost += W_SINGLE
        return cost

    def _pair_delta(self, key: int, step: int) -> int:
        c = self.meet[key]
        flags = self.m.special.get(key)
        if flags is None:
            if step > 0:
                return W_REPEAT if c >= 1 else 0
            return -W_REPEAT if c >= 2 else 0
        return _pair_pen(flags, c + step) - _pair_pen(flags, c)

    def swap_delta(self, r: int, a: int, b: int) -> tuple[int, list[int], list[int], int, int]:
        """Cost change of swapping a and b (at different tables) in round r."""
        n = self.m.n
        ta, tb = self.seat[r][a], self.seat[r][b]
        ma, mb = self.tables[r][ta], self.tables[r][tb]
        delta = 0
        pd = self._pair_delta
        for x in ma:
            if x != a:
                delta += pd(a * n + x, -1) + pd(b * n + x, 1)
        for y in mb:
            if y != b:
                delta += pd(b * n + y, -1) + pd(a * n + y, 1)
        new_a = [b if x == a else x for x in ma]
        new_b = [a if y == b else y for y in mb]
        ca, cb = self.local(r, ta, new_a), self.local(r, tb, new_b)
        delta += ca + cb - self.cost[r][ta] - self.cost[r][tb]
        return delta, new_a, new_b, ca, cb

    def commit(self, r: int, a: int, b: int, evaluated: tuple[int, list[int], list[int], int, int]) -> None:
        delta, new_a, new_b, ca, cb = evaluated
        n, meet = self.m.n, self.meet
        ta, tb = self.seat[r][a], self.seat[r][b]
        for x in self.tables[r][ta]:
            if x != a:
                meet[a * n + x] -= 1
                meet[x * n + a] -= 1
                meet[b * n + x] += 1
                meet[x * n + b] += 1
        for y in self.tables[r][tb]:
            if y != b:
                meet[b * n + y] -= 1
                meet[y * n + b] -= 1
                meet[a * n + y] += 1
                meet[y * n + a] += 1
        self.tables[r][ta], self.tables[r][tb] = new_a, new_b
        self.cost[r][ta], self.cost[r][tb] = ca, cb
        self.seat[r][a], self.seat[r][b] = tb, ta
        self.total += delta

    def swap_labels_delta(self, r: int, ta: int, tb: int) -> int:
        ma, mb = self.tables[r][ta], self.tables[r][tb]
        new = self.local(r, ta, mb) + self.local(r, tb, ma)
        return new - self.cost[r][ta] - self.cost[r][tb]

    def swap_labels(self, r: int, ta: int, tb: int, delta: int) -> None:
        tables = self.tables[r]
        tables[ta], tables[tb] = tables[tb], tables[ta]
        for p in tables[ta]:
            self.seat[r][p] = ta
        for p in tables[tb]:
            self.seat[r][p] = tb
        self.cost[r][ta] = self.local(r, ta, tables[ta])
        self.cost[r][tb] = self.local(r, tb, tables[tb])
        self.total += delta

    def penalised(self, r: int, t: int) -> bool:
        """Does this table break any rule (not counting missed shared interests)?"""
        members = self.tables[r][t]
        n, meet, special = self.m.n, self.meet, self.m.special
        reward = 0
        interest = self.m.interest
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                key = a * n + b
                if meet[key] > 1 or (key in special and _pair_pen(special[key], meet[key]) > 0):
                    return True
                if interest[a] & interest[b]:
                    reward += W_INTEREST
        return self.cost[r][t] + reward > 0


# --------------------------------------------------------------------------- initial seating


def _match_constrained(model: _Model, r: int, rng: random.Random) -> list[int]:
    """Seat people with an allowed-table restriction by augmenting paths; -1 elsewhere."""
    every = (1 << model.n_tables) - 1
    seat = [-1] * model.n
    load: list[list[int]] = [[] for _ in range(model.n_tables)]
    order = [p for p in range(model.n) if model.allowed[p] != every]
    order.sort(key=lambda p: (bin(model.allowed[p]).count("1"), rng.random()))
    for p in order:
        _augment(model, r, p, seat, load, set())
    return seat


def _augment(
    model: _Model, r: int, p: int, seat: list[int], load: list[list[int]], seen: set[int]
) -> bool:
    tables = [t for t in range(model.n_tables) if model.allowed[p] >> t & 1]
    for t in tables:
        if t not in seen and len(load[t]) < model.caps[r][t]:
            seat[p] = t
            load[t].append(p)
            return True
    for t in tables:
        if t in seen:
            continue
        seen.add(t)
        for q in list(load[t]):
            load[t].remove(q)
            if _augment(model, r, q, seat, load, seen):
                seat[p] = t
                load[t].append(p)
                return True
            load[t].append(q)
    return False


def _greedy_round(state: _State, r: int, rng: random.Random, fixed: list[int]) -> list[int]:
    """Fill one round person by person, each at the cheapest sampled table with room."""
    m = state.m
    seat = list(fixed)
    members: list[list[int]] = [[] for _ in range(m.n_tables)]
    for p, t in enumerate(seat):
        if t >= 0:
            members[t].append(p)
    open_tables = [t for t in range(m.n_tables) if len(members[t]) < m.caps[r][t]]
    rest = [p for p in range(m.n) if seat[p] < 0]
    rng.shuffle(rest)
    for p in rest:
        if not open_tables:  # pragma: no cover - capacities always add up to n
            raise RuntimeError("no table with room")
        sample = open_tables if len(open_tables) <= 24 else rng.sample(open_tables, 24)
        best_t, best_cost = sample[0], 1 << 62
        for t in sample:
            cost = _place_cost(state, r, t, p, members[t])
            if cost < best_cost:
                best_t, best_cost = t, cost
        seat[p] = best_t
        members[best_t].append(p)
        if len(members[best_t]) >= m.caps[r][best_t]:
            open_tables.remove(best_t)
    return seat


def _place_cost(state: _State, r: int, t: int, p: int, members: list[int]) -> int:
    n, meet, special = state.m.n, state.meet, state.m.special
    cost = state.local(r, t, [*members, p]) - state.local(r, t, members)
    for x in members:
        key = p * n + x
        c = meet[key]
        if c or key in special:
            cost += _pair_pen(special.get(key), c + 1) - _pair_pen(special.get(key), c)
    return cost


def _record_round(state: _State, r: int, seat: list[int]) -> None:
    """Add a finished round's meetings so later greedy rounds avoid them."""
    n = state.m.n
    tables: list[list[int]] = [[] for _ in range(state.m.n_tables)]
    for p, t in enumerate(seat):
        tables[t].append(p)
    for members in tables:
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                state.meet[a * n + b] += 1
                state.meet[b * n + a] += 1


def _greedy_seats(model: _Model, rng: random.Random, start: list[list[int]] | None) -> list[list[int]]:
    empty = [[0] * model.n for _ in range(model.n_rounds)]
    state = _State(model, empty)
    state.meet = [0] * (model.n * model.n)
    seats = []
    for r in range(model.n_rounds):
        fixed = start[r] if start is not None else _match_constrained(model, r, rng)
        seat = _greedy_round(state, r, rng, fixed)
        _record_round(state, r, seat)
        seats.append(seat)
    return seats


def _design_seats(model: _Model, rng: random.Random, seed: int) -> list[list[int]] | None:
    """A repeat-free design mapped onto people, with tables ordered to honour needs."""
    caps = model.caps[0]
    k = caps[0]
    if model.n_rounds < 2 or any(c != k for row in model.caps for c in row) or k < 2:
        return None
    design = repeat_free_design(model.n, k, model.n_rounds, seed=seed)
    if design is None:
        return None
    people = _interleaved(model, rng)
    seats = []
    for blocks in design:
        seat = [0] * model.n
        order = _order_blocks(model, [[people[p] for p in b] for b in blocks])
        for t, block in zip(order, blocks, strict=True):
            for p in block:
                seat[people[p]] = t
        seats.append(seat)
    return seats


def _interleaved(model: _Model, rng: random.Random) -> list[int]:
    """People in young/older alternation, so design points spread the generations."""
    by_group: list[list[int]] = [[], [], []]
    for p in range(model.n):
        by_group[model.gen[p]].append(p)
    for group in by_group:
        rng.shuffle(group)
    out: list[int] = []
    while any(by_group):
        for group in by_group:
            if group:
                out.append(group.pop())
    return out


def _order_blocks(model: _Model, blocks: list[list[int]]) -> list[int]:
    """Table index per block: blocks with restricted members get allowed tables if possible."""
    every = (1 << model.n_tables) - 1
    masks = []
    for block in blocks:
        mask = every
        for p in block:
            mask &= model.allowed[p]
        masks.append(mask)
    owner = [-1] * model.n_tables
    for b in sorted(range(len(blocks)), key=lambda b: bin(masks[b]).count("1")):
        _augment_blocks(b, masks, owner, set())
    free = [t for t in range(model.n_tables) if owner[t] < 0]
    table_of = [-1] * len(blocks)
    for t, b in enumerate(owner):
        if b >= 0:
            table_of[b] = t
    for b in range(len(blocks)):
        if table_of[b] < 0:
            table_of[b] = free.pop(0)
    return table_of


def _augment_blocks(b: int, masks: list[int], owner: list[int], seen: set[int]) -> bool:
    for t in range(len(owner)):
        if masks[b] >> t & 1 and t not in seen:
            seen.add(t)
            if owner[t] < 0 or _augment_blocks(owner[t], masks, owner, seen):
                owner[t] = b
                return True
    return False


# --------------------------------------------------------------------------- local search


@dataclass
class _Budget:
    steps: int
    max_tables: int = 30
    noise: float = 0.04


def _candidate_tables(state: _State, r: int, ta: int, rng: random.Random, limit: int) -> list[int]:
    n_tables = state.m.n_tables
    if n_tables - 1 <= limit:
        return [t for t in range(n_tables) if t != ta]
    return [t for t in rng.sample(range(n_tables), limit + 1) if t != ta][:limit]


def _best_swap(
    state: _State, r: int, a: int, rng: random.Random, limit: int
) -> tuple[int, int, tuple[int, list[int], list[int], int, int]] | None:
    ta = state.seat[r][a]
    best: tuple[int, int, tuple[int, list[int], list[int], int, int]] | None = None
    for tb in _candidate_tables(state, r, ta, rng, limit):
        for b in state.tables[r][tb]:
            ev = state.swap_delta(r, a, b)
            if best is None or ev[0] < best[0] or (ev[0] == best[0] and rng.random() < 0.3):
                best = (ev[0], b, ev)
    return best


def _identity_swap(state: _State, a: int, b: int) -> int:
    """Swap two people in every round (keeps who-meets-whom structure); returns the delta."""
    delta = 0
    for r in range(state.m.n_rounds):
        if state.seat[r][a] != state.seat[r][b]:
            ev = state.swap_delta(r, a, b)
            state.commit(r, a, b, ev)
            delta += ev[0]
    return delta


def _improve(state: _State, rng: random.Random, budget: _Budget, *, identity: bool) -> None:
    m = state.m
    best_total, best_seats = state.total, [list(row) for row in state.seat]
    for _ in range(budget.steps):
        r = rng.randrange(m.n_rounds)
        ta = rng.randrange(m.n_tables)
        if not state.tables[r][ta] or (not state.penalised(r, ta) and rng.random() < 0.8):
            continue
        a = rng.choice(state.tables[r][ta])
        if identity and rng.random() < 0.5:
            _try_identity(state, rng, a)
            continue
        if rng.random() < 0.05:
            _try_labels(state, r, ta, rng)
            continue
        found = _best_swap(state, r, a, rng, budget.max_tables)
        if found is None:
            continue
        delta, b, ev = found
        if delta < 0 or (delta == 0 and rng.random() < 0.5):
            state.commit(r, a, b, ev)
        elif delta < W_HARD and rng.random() < budget.noise:
            if state.total < best_total:
                best_total, best_seats = state.total, [list(row) for row in state.seat]
            state.commit(r, a, b, ev)
    if best_total < state.total:
        state.load(best_seats)


def _try_identity(state: _State, rng: random.Random, a: int) -> None:
    b = rng.randrange(state.m.n)
    if b == a:
        return
    delta = _identity_swap(state, a, b)
    if delta > 0 or (delta == 0 and rng.random() < 0.5):
        _identity_swap(state, a, b)


def _try_labels(state: _State, r: int, ta: int, rng: random.Random) -> None:
    caps = state.m.caps[r]
    tb = rng.randrange(state.m.n_tables)
    if tb == ta or caps[ta] != caps[tb]:
        return
    delta = state.swap_labels_delta(r, ta, tb)
    if delta <= 0:
        state.swap_labels(r, ta, tb, delta)


def _search_steps(model: _Model, effort: float) -> int:
    base = 3000 + 12 * model.n * model.n_rounds
    return int(base * effort)


# --------------------------------------------------------------------------- public API


def plan_tables(instance: Instance, *, effort: float = 1.0) -> Plan:
    """Seat everyone for every round; ``effort`` scales the fixed iteration budget."""
    started = time.perf_counter()
    _validate(instance)
    model = _build_model(instance)
    rng = random.Random(instance.seed)
    seats, method = _initial(model, rng, instance.seed)
    state = _State(model, seats)
    steps = _search_steps(model, effort)
    if method == "design":
        _improve(state, rng, _Budget(steps, noise=0.0), identity=True)
    _improve(state, rng, _Budget(steps), identity=False)
    rounds = _to_ids(model, state.seat)
    card = score_plan(instance, rounds, started=started)
    return Plan(rounds, card, method)


def _initial(model: _Model, rng: random.Random, seed: int) -> tuple[list[list[int]], str]:
    if model.n == 0:
        return [[] for _ in range(model.n_rounds)], "empty"
    designed = _design_seats(model, rng, seed)
    if designed is not None:
        return designed, "design"
    return _greedy_seats(model, rng, None), "search"


def _to_ids(model: _Model, seats: list[list[int]]) -> Seating:
    rounds: Seating = []
    for r, row in enumerate(seats):
        tables: list[list[str]] = [[] for _ in range(model.n_tables)]
        for p, t in enumerate(row):
            tables[t].append(model.ids[p])
        del r
        rounds.append(tables)
    return rounds


def replan(instance: Instance, previous: Sequence[Sequence[Sequence[str]]], *, effort: float = 1.0) -> Plan:
    """Re-plan after no-shows and late arrivals, moving as few seated people as possible.

    ``instance`` lists the people now present; ``previous`` is the earlier seating (ids not in
    the instance are dropped). People keep their previous table in each round unless a rule
    or the new table count forces a move; the scorecard's ``moved_people`` counts the moves.
    """
    started = time.perf_counter()
    _validate(instance)
    index = {p.id: i for i, p in enumerate(instance.participants)}
    n_tables = instance.tables()
    home = _homes(instance, previous, index, n_tables)
    caps = [_caps_for_homes(row, len(index), n_tables) for row in home]
    model = _build_model(instance, caps)
    model.home = home
    rng = random.Random(instance.seed)
    start = [_keep_homes(model, r, rng) for r in range(model.n_rounds)]
    state = _State(model, _greedy_seats(model, rng, start))
    steps = _search_steps(model, effort) // 2
    _improve(state, rng, _Budget(steps), identity=False)
    rounds = _to_ids(model, state.seat)
    card = score_plan(instance, rounds, started=started, previous=previous)
    return Plan(rounds, card, "replan")


def _homes(
    inst: Instance, previous: Sequence[Sequence[Sequence[str]]], index: dict[str, int], n_tables: int
) -> list[list[int]]:
    home = [[-1] * len(index) for _ in range(inst.rounds)]
    for r, tables in enumerate(previous[: inst.rounds]):
        for t, ids in enumerate(tables):
            if t >= n_tables:
                continue
            for pid in ids:
                if pid in index:
                    home[r][index[pid]] = t
    return home


def _caps_for_homes(row: list[int], n: int, n_tables: int) -> list[int]:
    """Give the larger table sizes to the tables that kept the most people."""
    kept = [0] * n_tables
    for t in row:
        if t >= 0:
            kept[t] += 1
    q, rem = divmod(n, n_tables)
    order = sorted(range(n_tables), key=lambda t: (-kept[t], t))
    caps = [q] * n_tables
    for t in order[:rem]:
        caps[t] = q + 1
    return caps


def _keep_homes(model: _Model, r: int, rng: random.Random) -> list[int]:
    assert model.home is not None
    seat = [-1] * model.n
    room = list(model.caps[r])
    people = list(range(model.n))
    rng.shuffle(people)
    people.sort(key=lambda p: model.allowed[p] >> max(model.home[r][p], 0) & 1 == 0)
    for p in people:
        t = model.home[r][p]
        if t >= 0 and room[t] > 0:
            seat[p] = t
            room[t] -= 1
    return seat


def _validate(inst: Instance) -> None:
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
