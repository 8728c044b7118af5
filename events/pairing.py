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
W_FROZEN = 1_000_000
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
    move_weight: list[int] = field(default_factory=list)


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


def _isolated(langs: list[int]) -> int:
    """How many people (with known languages) share none with the rest of their table."""
    size = len(langs)
    prefix = [0] * (size + 1)
    for i, la in enumerate(langs):
        prefix[i + 1] = prefix[i] | la
    out, suffix = 0, 0
    for i in range(size - 1, -1, -1):
        la = langs[i]
        if la and not la & (prefix[i] | suffix):
            out += 1
        suffix |= la
    return out


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
        self.cost = [
            [self.local(r, t, ms) for t, ms in enumerate(ts)] for r, ts in enumerate(self.tables)
        ]
        self.total = sum(map(sum, self.cost)) + self._pairs_total()

    def _pairs_total(self) -> int:
        m = self.m
        keys = {a * m.n + b for ts in self.tables for ms in ts for a in ms for b in ms if a < b}
        keys.update(k for k in m.special if k // m.n < k % m.n)
        return sum(_pair_pen(m.special.get(k), self.meet[k]) for k in keys)

    def local(self, r: int, t: int, members: list[int]) -> int:
        """Cost of one table that does not depend on other rounds."""
        m = self.m
        party, interest, allowed = m.party, m.interest, m.allowed
        cost = 0
        bit = 1 << t
        gens = [m.gen[a] for a in members]
        young, older = gens.count(0), gens.count(1)
        size = len(members)
        for i, a in enumerate(members):
            if not allowed[a] & bit:
                cost += W_HARD
            pa, ia = party[a], interest[a]
            for b in members[i + 1 :]:
                if pa >= 0 and pa == party[b]:
                    cost += W_PARTY
                if ia & interest[b]:
                    cost -= W_INTEREST
        if size > 1:
            cost += W_LANG * _isolated([m.lang[a] for a in members])
        if m.home is not None:
            home = m.home[r]
            moved = sum(1 for a in members if home[a] >= 0 and home[a] != t)
            cost += m.move_weight[r] * moved
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
        n, meet, special = self.m.n, self.meet, self.m.special
        ta, tb = self.seat[r][a], self.seat[r][b]
        ma, mb = self.tables[r][ta], self.tables[r][tb]
        delta = 0
        for leaving, joining, members in ((a, b, ma), (b, a, mb)):
            out_base, in_base = leaving * n, joining * n
            for x in members:
                if x == leaving:
                    continue
                k_out, k_in = out_base + x, in_base + x
                if special and (k_out in special or k_in in special):
                    delta += self._pair_delta(k_out, -1) + self._pair_delta(k_in, 1)
                    continue
                if meet[k_out] >= 2:
                    delta -= W_REPEAT
                if meet[k_in] >= 1:
                    delta += W_REPEAT
        new_a = [b if x == a else x for x in ma]
        new_b = [a if y == b else y for y in mb]
        ca, cb = self.local(r, ta, new_a), self.local(r, tb, new_b)
        delta += ca + cb - self.cost[r][ta] - self.cost[r][tb]
        return delta, new_a, new_b, ca, cb

    def commit(
        self, r: int, a: int, b: int, evaluated: tuple[int, list[int], list[int], int, int]
    ) -> None:
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

    def penalised(self, r: int, t: int) -> int:
        """How badly this table breaks the rules (0: fine, shared interests aside)."""
        members = self.tables[r][t]
        n, meet, special = self.m.n, self.meet, self.m.special
        pen = self.cost[r][t]
        interest = self.m.interest
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                key = a * n + b
                c = meet[key]
                if c > 1 or key in special:
                    pen += _pair_pen(special.get(key), c)
                if interest[a] & interest[b]:
                    pen += W_INTEREST
        return max(0, pen)


# --------------------------------------------------------------------------- initial seating


def _match_constrained(model: _Model, r: int, rng: random.Random) -> list[int]:
    """Seat people with an allowed-table restriction by augmenting paths; -1 elsewhere."""
    every = (1 << model.n_tables) - 1
    seat = [-1] * model.n
    load: list[list[int]] = [[] for _ in range(model.n_tables)]
    order = [p for p in range(model.n) if model.allowed[p] != every]
    order.sort(key=lambda p: (bin(model.allowed[p]).count("1"), rng.random()))
    for p in order:
        _augment(model, r, p, seat=seat, load=load, seen=set())
    return seat


def _augment(
    model: _Model, r: int, p: int, *, seat: list[int], load: list[list[int]], seen: set[int]
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
            if _augment(model, r, q, seat=seat, load=load, seen=seen):
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
    rest.sort(key=lambda p: bin(m.allowed[p]).count("1"))  # restricted people first
    for p in rest:
        if not open_tables:  # pragma: no cover - capacities always add up to n
            raise RuntimeError("no table with room")
        sample = [t for t in open_tables if m.allowed[p] >> t & 1] or open_tables
        if len(sample) > 24:
            sample = rng.sample(sample, 24)
        best_t, best_cost = sample[0], 1 << 62
        for t in sample:
            cost = _place_cost(state, r, t, p, members=members[t])
            if cost < best_cost:
                best_t, best_cost = t, cost
        seat[p] = best_t
        members[best_t].append(p)
        if len(members[best_t]) >= m.caps[r][best_t]:
            open_tables.remove(best_t)
    return seat


def _place_cost(state: _State, r: int, t: int, p: int, *, members: list[int]) -> int:
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


def _greedy_seats(
    model: _Model, rng: random.Random, start: list[list[int]] | None
) -> list[list[int]]:
    spread = [[p % model.n_tables for p in range(model.n)] for _ in range(model.n_rounds)]
    state = _State(model, spread)
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
    if 3 * model.n_rounds * (k - 1) <= model.n - 1:
        return None  # sparse: plain search finds repeat-free seatings faster
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
    """Search effort in swap evaluations: a count, never a clock."""

    evals: int
    max_tables: int = 10
    noise: float = 0.04
    polish: float = 0.25


def _candidate_tables(
    state: _State, r: int, ta: int, rng: random.Random, *, limit: int
) -> list[int]:
    n_tables = state.m.n_tables
    if n_tables - 1 <= limit:
        return [t for t in range(n_tables) if t != ta]
    return [t for t in rng.sample(range(n_tables), limit + 1) if t != ta][:limit]


def _best_swap(
    state: _State, r: int, a: int, rng: random.Random, *, limit: int
) -> tuple[int, int, tuple[int, list[int], list[int], int, int]] | None:
    ta = state.seat[r][a]
    best: tuple[int, int, tuple[int, list[int], list[int], int, int]] | None = None
    for tb in _candidate_tables(state, r, ta, rng, limit=limit):
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


class _Walk:
    """Local search bookkeeping: the evaluation count and the best seating seen."""

    def __init__(self, state: _State, rng: random.Random, budget: _Budget) -> None:
        self.state, self.rng, self.budget = state, rng, budget
        self.spent = 0
        self.best_total = state.total
        self.best_seats: list[list[int]] | None = None

    def attempt(self, r: int, ta: int, *, identity: bool) -> None:
        state, rng = self.state, self.rng
        a = rng.choice(state.tables[r][ta])
        if identity and rng.random() < 0.5:
            self.spent += state.m.n_rounds
            self._identity(a)
            return
        if rng.random() < 0.05:
            _try_labels(state, r, ta, rng)
            return
        found = _best_swap(state, r, a, rng, limit=self.budget.max_tables)
        self.spent += self.budget.max_tables * state.m.caps[r][0]
        if found is None:
            return
        delta, b, ev = found
        if delta < 0 or (delta == 0 and rng.random() < 0.5):
            state.commit(r, a, b, ev)
        elif delta < W_HARD and rng.random() < self.budget.noise:
            if self.best_seats is None or state.total < self.best_total:
                self.best_total, self.best_seats = state.total, [list(x) for x in state.seat]
            state.commit(r, a, b, ev)

    def _identity(self, a: int) -> None:
        state, rng = self.state, self.rng
        b = rng.randrange(state.m.n)
        if b == a:
            return
        before = state.total
        delta = _identity_swap(state, a, b)
        if delta < 0 or (delta == 0 and rng.random() < 0.5):
            return
        if delta < W_REPEAT and rng.random() < self.budget.noise:
            if self.best_seats is None or before < self.best_total:
                _identity_swap(state, a, b)
                self.best_total, self.best_seats = before, [list(x) for x in state.seat]
                _identity_swap(state, a, b)
            return
        _identity_swap(state, a, b)

    def finish(self) -> None:
        if self.best_seats is not None and self.best_total < self.state.total:
            self.state.load(self.best_seats)


def _improve(state: _State, rng: random.Random, budget: _Budget, *, identity: bool) -> None:
    """Sweeps: try to repair every table breaking a rule, then polish random tables."""
    m = state.m
    walk = _Walk(state, rng, budget)
    cells = [(r, t) for r in range(m.n_rounds) for t in range(m.n_tables)]
    polish = max(20, int(len(cells) * budget.polish))
    while walk.spent < budget.evals:
        scored = [
            (state.penalised(r, t), rng.random(), r, t) for r, t in cells if state.tables[r][t]
        ]
        bad = sorted(x for x in scored if x[0] > 0)
        bad.reverse()
        walk.spent += len(cells) // 8 + 1
        for _, _, r, t in bad:
            if walk.spent >= budget.evals:
                break
            if state.penalised(r, t):
                walk.attempt(r, t, identity=identity)
        for _ in range(polish if len(bad) < 4 else 0):
            if walk.spent >= budget.evals:
                break
            r, t = rng.choice(cells)
            if state.tables[r][t]:
                walk.attempt(r, t, identity=identity)
    walk.finish()


def _try_labels(state: _State, r: int, ta: int, rng: random.Random) -> None:
    caps = state.m.caps[r]
    tb = rng.randrange(state.m.n_tables)
    if tb == ta or caps[ta] != caps[tb]:
        return
    delta = state.swap_labels_delta(r, ta, tb)
    if delta <= 0:
        state.swap_labels(r, ta, tb, delta)


def _search_evals(model: _Model, effort: float) -> int:
    small = 100_000 * min(1.0, 24 / max(1, model.n))  # small events: search harder, it is cheap
    base = 20_000 + 60 * model.n * model.n_rounds + small
    return int(base * effort)


# --------------------------------------------------------------------------- public API


def plan_tables(instance: Instance, *, effort: float = 1.0) -> Plan:
    """Seat everyone for every round; ``effort`` scales the fixed iteration budget."""
    started = time.perf_counter()
    _validate(instance)
    model = _build_model(instance)
    evals = _search_evals(model, effort)
    state, method = _searched(model, instance.seed, evals, design=False)
    designed = _design_seats(model, random.Random(instance.seed), instance.seed)
    if designed is not None and (model.n <= 64 or state.total >= W_REPEAT):
        other, _ = _searched(model, instance.seed, evals, design=True)
        if other.total < state.total:
            state, method = other, "design"
    rounds = _to_ids(model, state.seat)
    card = score_plan(instance, rounds, started=started)
    return Plan(rounds, card, method)


def _searched(model: _Model, seed: int, evals: int, *, design: bool) -> tuple[_State, str]:
    """Start from a design (then map people onto it) or from a greedy seating, and improve."""
    rng = random.Random(seed)
    if model.n == 0:
        return _State(model, [[] for _ in range(model.n_rounds)]), "empty"
    seats = _design_seats(model, rng, seed) if design else None
    if seats is None:
        state = _State(model, _greedy_seats(model, rng, None))
        _improve(state, rng, _Budget(evals), identity=False)
        return state, "search"
    state = _State(model, seats)
    _improve(state, rng, _Budget(evals, noise=0.02), identity=True)
    _improve(state, rng, _Budget(evals // 2), identity=False)
    return state, "design"


def _to_ids(model: _Model, seats: list[list[int]]) -> Seating:
    rounds: Seating = []
    for row in seats:
        tables: list[list[str]] = [[] for _ in range(model.n_tables)]
        for p, t in enumerate(row):
            tables[t].append(model.ids[p])
        rounds.append(tables)
    return rounds


def replan(
    instance: Instance,
    previous: Sequence[Sequence[Sequence[str]]],
    *,
    frozen_rounds: int = 1,
    effort: float = 1.0,
) -> Plan:
    """Re-plan after no-shows and late arrivals, moving as few seated people as possible.

    ``instance`` lists the people now present; ``previous`` is the earlier seating (ids not in
    the instance are dropped). People keep their previous table in each round unless a rule
    or the new table count forces a move; the scorecard's ``moved_people`` counts the moves.
    In the first ``frozen_rounds`` rounds (the one being seated at the door) a move outweighs
    every soft rule; in later rounds it outweighs party, generation, language and interests
    but not a repeat encounter.
    """
    started = time.perf_counter()
    _validate(instance)
    index = {p.id: i for i, p in enumerate(instance.participants)}
    n_tables = instance.tables()
    home = _homes(instance, previous, index, n_tables)
    caps = [_caps_for_homes(row, len(index), n_tables) for row in home]
    model = _build_model(instance, caps)
    model.home = home
    model.move_weight = [W_FROZEN if r < frozen_rounds else W_MOVE for r in range(instance.rounds)]
    rng = random.Random(instance.seed)
    start = [_keep_homes(model, r, rng) for r in range(model.n_rounds)]
    state = _State(model, _greedy_seats(model, rng, start))
    _improve(state, rng, _Budget(_search_evals(model, effort) // 2), identity=False)
    rounds = _to_ids(model, state.seat)
    card = score_plan(instance, rounds, started=started, previous=previous)
    return Plan(rounds, card, "replan")


def _homes(
    inst: Instance,
    previous: Sequence[Sequence[Sequence[str]]],
    index: dict[str, int],
    n_tables: int,
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
    home = model.home[r]
    seat = [-1] * model.n
    room = list(model.caps[r])
    people = list(range(model.n))
    rng.shuffle(people)
    people.sort(key=lambda p: model.allowed[p] >> max(home[p], 0) & 1 == 0)
    for p in people:
        t = home[p]
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


# --------------------------------------------------------------------------- scorecard


@dataclass
class _Tally:
    """Raw counts of a seating, gathered in one pass."""

    meet: dict[tuple[int, int], int] = field(default_factory=dict)
    party: int = 0
    imbalance: int = 0
    single: int = 0
    isolated: int = 0
    pairs: int = 0
    shared: int = 0
    access: int = 0
    errors: list[str] = field(default_factory=list)


def _index_rounds(
    inst: Instance, rounds: Sequence[Sequence[Sequence[str]]], index: dict[str, int], tally: _Tally
) -> list[list[list[int]]]:
    out = []
    for r, tables in enumerate(rounds):
        seen: set[str] = set()
        row: list[list[int]] = []
        for members in tables:
            row.append([])
            for pid in members:
                if pid not in index:
                    tally.errors.append(f"round {r + 1}: unknown participant {pid!r}")
                elif pid in seen:
                    tally.errors.append(f"round {r + 1}: {pid!r} seated twice")
                else:
                    row[-1].append(index[pid])
                seen.add(pid)
        missing = sorted(set(index) - seen)
        if missing:
            tally.errors.append(f"round {r + 1}: not seated: {', '.join(missing)}")
        sizes = [len(t) for t in row if t]
        if sizes and max(sizes) - min(sizes) > 1:
            tally.errors.append(f"round {r + 1}: table sizes differ by more than one")
        out.append(row)
    if len(rounds) != inst.rounds:
        tally.errors.append(f"expected {inst.rounds} rounds, got {len(rounds)}")
    return out


def _tally_table(model: _Model, t: int, members: list[int], tally: _Tally) -> None:
    gen, party, lang, interest = model.gen, model.party, model.lang, model.interest
    young = sum(1 for p in members if gen[p] == 0)
    older = sum(1 for p in members if gen[p] == 1)
    tally.imbalance += abs(young - older)
    if model.mixed_event and len(members) > 1 and (young == 0) != (older == 0):
        tally.single += 1
    for i, a in enumerate(members):
        if not model.allowed[a] >> t & 1:
            tally.access += 1
        others = [b for b in members if b != a]
        if lang[a] and others and not any(lang[a] & lang[b] for b in others):
            tally.isolated += 1
        for b in members[i + 1 :]:
            key = (a, b) if a < b else (b, a)
            tally.meet[key] = tally.meet.get(key, 0) + 1
            tally.pairs += 1
            tally.shared += 1 if interest[a] & interest[b] else 0
            tally.party += 1 if party[a] >= 0 and party[a] == party[b] else 0


def score_plan(
    instance: Instance,
    rounds: Sequence[Sequence[Sequence[str]]],
    *,
    started: float | None = None,
    previous: Sequence[Sequence[Sequence[str]]] | None = None,
) -> Scorecard:
    """Score any seating (also one edited by hand) against the rules and the best possible."""
    model = _build_model(instance)
    index = {pid: i for i, pid in enumerate(model.ids)}
    tally = _Tally()
    indexed = _index_rounds(instance, rounds, index, tally)
    for row in indexed:
        for t, members in enumerate(row):
            _tally_table(model, t, members, tally)
    bounds = _Bounds(instance, model)
    elapsed = time.perf_counter() - started if started is not None else 0.0
    return Scorecard(
        repeat_encounters=bounds.repeats(sum(c - 1 for c in tally.meet.values() if c > 1)),
        met_before_again=_met_before_metric(instance, index, tally),
        keep_apart_violations=_pairs_metric(index, tally, instance.keep_apart, "keep apart"),
        party_splits_missed=bounds.party(tally.party),
        generation_imbalance=bounds.generations(tally.imbalance),
        single_generation_tables=bounds.single(tally.single),
        language_isolated_seats=bounds.language(tally.isolated),
        shared_interest_share=Metric(
            round(tally.shared / tally.pairs, 4) if tally.pairs else 0.0,
            None,
            "share of table pairs with a shared interest; higher is better",
        ),
        accessibility_violations=bounds.access(tally.access),
        buddies_seated=_buddies_metric(instance, index, tally),
        moved_people=_moved_metric(instance, rounds, previous) if previous is not None else None,
        seating_errors=tuple(tally.errors),
        repeat_free_rounds_limit=bounds.repeat_free_limit,
        time_seconds=elapsed,
    )


def _met_count(index: dict[str, int], tally: _Tally, a: str, b: str) -> int:
    if a not in index or b not in index or a == b:
        return 0
    i, j = sorted((index[a], index[b]))
    return tally.meet.get((i, j), 0)


def _pairs_metric(
    index: dict[str, int], tally: _Tally, pairs: Sequence[tuple[str, str]], what: str
) -> Metric:
    value = sum(_met_count(index, tally, a, b) for a, b in pairs)
    return Metric(value, 0, f"meetings of {what} pairs")


def _met_before_metric(inst: Instance, index: dict[str, int], tally: _Tally) -> Metric:
    buddies = {frozenset(p) for p in inst.buddies}
    counted = [(a, b) for a, b in inst.met_before if frozenset((a, b)) not in buddies]
    value = sum(_met_count(index, tally, a, b) for a, b in counted)
    if inst.met_before_policy != "avoid":
        return Metric(value, None, f"met_before_policy is {inst.met_before_policy}: not minimised")
    return Metric(value, 0, "meetings of pairs who met at earlier events")


def _buddies_metric(inst: Instance, index: dict[str, int], tally: _Tally) -> Metric:
    pairs = list(inst.buddies)
    if inst.met_before_policy == "reunite":
        pairs += list(inst.met_before)
    wanted = {frozenset(p) for p in pairs if p[0] in index and p[1] in index and p[0] != p[1]}
    seated = sum(1 for p in wanted if _met_count(index, tally, *sorted(p)) > 0)
    return Metric(seated, len(wanted), "buddy pairs seated together at least once")


def _moved_metric(
    inst: Instance,
    rounds: Sequence[Sequence[Sequence[str]]],
    previous: Sequence[Sequence[Sequence[str]]],
) -> Metric:
    present = {p.id for p in inst.participants}
    n_tables = inst.tables()
    moved = 0
    forced = 0
    for r, tables in enumerate(rounds[: len(previous)]):
        before = {pid: t for t, ids in enumerate(previous[r]) for pid in ids if pid in present}
        now = {pid: t for t, ids in enumerate(tables) for pid in ids}
        moved += sum(1 for pid, t in before.items() if now.get(pid) != t)
        kept = [0] * n_tables
        for t in before.values():
            if t < n_tables:
                kept[t] += 1
            else:
                forced += 1
        caps = _caps_for_homes(
            [t if t < n_tables else -1 for t in before.values()], len(present), n_tables
        )
        forced += sum(max(0, k - c) for k, c in zip(kept, caps, strict=True))
    return Metric(moved, forced, "seat changes of people already seated (all rounds)")


def _forced_pairs(size: int, groups: int) -> int:
    """Fewest same-group pairs among ``size`` people drawn from ``groups`` groups."""
    a, b = divmod(size, groups)
    return b * (a + 1) * a // 2 + (groups - b) * a * (a - 1) // 2


class _Bounds:
    """Counting lower bounds: the best any seating of this instance can do."""

    def __init__(self, inst: Instance, model: _Model) -> None:
        self.inst, self.m = inst, model
        caps = [c for c in model.caps[0] if c > 0] or [1]
        self.q_min, self.q_max, self.tables = min(caps), max(caps), len(caps)
        self.n = model.n
        self.repeat_free_limit = self._repeat_free_limit()

    def _repeat_free_limit(self) -> int:
        if self.n <= 1 or self.q_max <= 1:
            return self.inst.rounds if self.n <= 1 else 1 << 30
        if _forced_pairs(self.q_max, self.tables) > 0 and self.tables > 1:
            return 1
        if self.tables == 1:
            return 1
        return (self.n - 1) // max(1, self.q_min - 1)

    def repeats(self, value: int) -> Metric:
        rounds = self.inst.rounds
        per_person = max(0, rounds * (self.q_min - 1) - (self.n - 1))
        counting = -(-self.n * per_person // 2)
        pigeon = (rounds - 1) * sum(_forced_pairs(c, self.tables) for c in self.m.caps[0])
        if self.tables == 1:
            pigeon = (rounds - 1) * self.n * (self.n - 1) // 2
        best = max(counting, pigeon, self._fixed_together())
        limit = self.repeat_free_limit
        if rounds <= limit:
            note = f"repeat-free seating may exist for up to {limit} rounds"
        else:
            note = (
                f"no repeat-free plan exists for {self.n} people at tables of {self.q_max} "
                f"beyond {limit} round{'s' if limit != 1 else ''}; best is a lower bound"
            )
        return Metric(value, best, note)

    def _fixed_together(self) -> int:
        """Repeats forced by people who may sit at one table only (pins, needs)."""
        per_table: dict[int, int] = {}
        for mask in self.m.allowed:
            if mask & (mask - 1) == 0:
                per_table[mask] = per_table.get(mask, 0) + 1
        pairs = sum(c * (c - 1) // 2 for c in per_table.values())
        return pairs * (self.inst.rounds - 1)

    def party(self, value: int) -> Metric:
        sizes: dict[str, int] = {}
        for p in self.inst.participants:
            if p.party:
                sizes[p.party] = sizes.get(p.party, 0) + 1
        per_round = sum(_forced_pairs(s, self.tables) for s in sizes.values())
        return Metric(value, per_round * self.inst.rounds, "pairs of one party at one table")

    def generations(self, value: int) -> Metric:
        young = self.m.gen.count(0)
        older = self.m.gen.count(1)
        opened = self.m.gen.count(2)
        odd = sum(1 for c in self.m.caps[0] if c % 2)
        best = max(abs(young - older), odd - opened)
        if (best - (young - older)) % 2:
            best += 1
        return Metric(value, best * self.inst.rounds, "sum over tables of |young - older|")

    def single(self, value: int) -> Metric:
        if not self.m.mixed_event:
            return Metric(value, 0, "event has no young-and-older mix to make")
        young, older = self.m.gen.count(0), self.m.gen.count(1)
        all_open_tables = self.m.gen.count(2) // max(1, self.q_min)
        # A table of one is never counted as single-generation (nobody to mix with).
        lone_seats = sum(1 for cap in self.m.caps[0] if cap == 1)
        per_round = max(0, self.tables - min(young, older) - all_open_tables - lone_seats)
        return Metric(value, per_round * self.inst.rounds, "tables with only young or only older")

    def language(self, value: int) -> Metric:
        lang, rounds = self.m.lang, self.inst.rounds
        partners = [
            sum(1 for b in range(self.n) if b != a and lang[a] & lang[b]) if lang[a] else rounds
            for a in range(self.n)
        ]
        if self.q_min < 2:
            return Metric(value, 0, "seats where nobody shares a language")
        alone = sum(1 for c in partners if c == 0) * rounds
        no_repeat = sum(max(0, rounds - c) for c in partners)
        note = "seats where nobody shares a language"
        if no_repeat > alone:
            note += f"; at least {no_repeat} if nobody meets anyone twice"
        return Metric(value, alone, note)

    def access(self, value: int) -> Metric:
        model = self.m
        every = (1 << model.n_tables) - 1
        restricted = [p for p in range(model.n) if model.allowed[p] != every]
        seat = _match_constrained(model, 0, random.Random(0))
        unmet = sum(1 for p in restricted if seat[p] < 0)
        unmet += self._impossible_needs()
        return Metric(value, unmet * self.inst.rounds, "pinned or needs-based seats not honoured")

    def _impossible_needs(self) -> int:
        n_tables = self.m.n_tables
        return sum(1 for p in self.inst.participants if _unsatisfiable(p, self.inst, n_tables))


def _unsatisfiable(p: Participant, inst: Instance, n_tables: int) -> bool:
    """Pinned outside the tables, or needs that no table meets."""
    if p.pinned_table is not None:
        return not 1 <= p.pinned_table <= n_tables
    every = (1 << n_tables) - 1
    if not p.needs or _allowed_mask(p, inst, n_tables) != every:
        return False
    return not _needs_met_everywhere(p, inst, n_tables)


def _needs_met_everywhere(p: Participant, inst: Instance, n_tables: int) -> bool:
    every = set(range(1, n_tables + 1))
    quiet_ok = "quiet" not in p.needs or every <= set(inst.quiet_tables)
    step_ok = "step_free" not in p.needs or every <= set(inst.step_free_tables)
    return quiet_ok and step_ok


# --------------------------------------------------------------------------- explanations


def explain_seat(
    instance: Instance, rounds: Sequence[Sequence[Sequence[str]]], person_id: str
) -> list[str]:
    """One sentence per round saying why ``person_id`` sits at that table."""
    people = {p.id: p for p in instance.participants}
    me = people[person_id]
    met: dict[str, int] = {}
    earlier = {frozenset(p) for p in instance.met_before}
    lines = []
    for r, tables in enumerate(rounds):
        for t, ids in enumerate(tables):
            if person_id in ids:
                mates = [people[i] for i in ids if i != person_id and i in people]
                reasons = _table_reasons(instance, me, t + 1) + _mate_reasons(
                    me, mates, met, earlier
                )
                lines.append(f"round {r + 1}, table {t + 1}: " + "; ".join(reasons))
                for mate in mates:
                    met[mate.id] = met.get(mate.id, 0) + 1
    return lines


def _table_reasons(inst: Instance, me: Participant, table: int) -> list[str]:
    reasons = []
    if me.pinned_table == table:
        reasons.append("pinned to this table")
    if "quiet" in me.needs:
        reasons.append("quiet table" if table in inst.quiet_tables else "NO quiet table available")
    if "step_free" in me.needs:
        ok = table in inst.step_free_tables
        reasons.append("step-free table" if ok else "NO step-free table available")
    return reasons


def _mate_reasons(
    me: Participant, mates: list[Participant], met: dict[str, int], earlier: set[frozenset[str]]
) -> list[str]:
    groups = [m.group for m in [me, *mates]]
    young, older, opened = (groups.count(g) for g in GROUPS)
    reasons = [f"{young} young, {older} older, {opened} open"]
    again = [m.id for m in mates if met.get(m.id)]
    reasons.append(f"meets again: {', '.join(again)}" if again else "new faces only")
    before = [m.id for m in mates if frozenset((me.id, m.id)) in earlier]
    if before:
        reasons.append(f"met at an earlier event: {', '.join(before)}")
    langs = sorted({lang for m in mates for lang in m.languages & me.languages})
    if me.languages:
        reasons.append(f"speaks {', '.join(langs)} here" if langs else "shares no language here")
    likes = sorted({i for m in mates for i in m.interests & me.interests})
    if likes:
        reasons.append(f"shared interests: {', '.join(likes)}")
    same_party = [m.id for m in mates if me.party and m.party == me.party]
    if same_party:
        reasons.append(f"with own party: {', '.join(same_party)}")
    return reasons


# --------------------------------------------------------------------------- JSON and CLI


def _pairs(data: Any, name: str) -> tuple[tuple[str, str], ...]:
    if data is None:
        return ()
    if not isinstance(data, list) or not all(isinstance(p, list) and len(p) == 2 for p in data):
        raise PlanningError("bad_pairs", f"{name} must be a list of [id, id] pairs")
    return tuple((str(a), str(b)) for a, b in data)


def _participant(data: Any) -> Participant:
    if not isinstance(data, Mapping) or "id" not in data:
        raise PlanningError("bad_participant", "each participant needs an id")
    pinned = data.get("pinned_table")
    return Participant(
        id=str(data["id"]),
        group=str(data.get("group", "open")),
        party=str(data["party"]) if data.get("party") is not None else None,
        languages=frozenset(map(str, data.get("languages") or ())),
        interests=frozenset(map(str, data.get("interests") or ())),
        needs=frozenset(map(str, data.get("needs") or ())),
        pinned_table=int(pinned) if pinned is not None else None,
    )


def instance_from_json(data: Mapping[str, Any]) -> Instance:
    """Build an ``Instance`` from the documented JSON object (see docs/pairing.md)."""
    if not isinstance(data, Mapping):
        raise PlanningError("bad_instance", "the instance must be a JSON object")
    try:
        inst = Instance(
            participants=tuple(_participant(p) for p in data.get("participants") or ()),
            rounds=int(data.get("rounds", 1)),
            table_size=int(data["table_size"]) if data.get("table_size") is not None else None,
            table_count=int(data["table_count"]) if data.get("table_count") is not None else None,
            seed=int(data.get("seed", 0)),
            quiet_tables=frozenset(int(t) for t in data.get("quiet_tables") or ()),
            step_free_tables=frozenset(int(t) for t in data.get("step_free_tables") or ()),
            met_before=_pairs(data.get("met_before"), "met_before"),
            keep_apart=_pairs(data.get("keep_apart"), "keep_apart"),
            buddies=_pairs(data.get("buddies"), "buddies"),
            met_before_policy=str(data.get("met_before_policy", "avoid")),
        )
    except (TypeError, ValueError) as exc:
        if isinstance(exc, PlanningError):
            raise
        raise PlanningError("bad_instance", str(exc)) from exc
    _validate(inst)
    return inst


def plan_to_json(plan: Plan) -> dict[str, Any]:
    """The documented output object: ``rounds`` and ``scorecard`` (plus ``method``)."""
    return {"rounds": plan.rounds, "scorecard": plan.scorecard.as_dict(), "method": plan.method}


def main(
    argv: Sequence[str] | None = None, stdin: TextIO | None = None, stdout: TextIO | None = None
) -> int:
    """``python -m events.pairing < instance.json``: print the plan and scorecard as JSON."""
    src, out = stdin or sys.stdin, stdout or sys.stdout
    try:
        data = json.load(src)
        inst = instance_from_json(data)
        plan = plan_tables(inst)
    except json.JSONDecodeError as exc:
        json.dump({"error": "bad_json", "message": str(exc)}, out)
        out.write("\n")
        return 2
    except PlanningError as exc:
        json.dump({"error": exc.code, "message": str(exc)}, out)
        out.write("\n")
        return 2
    result = plan_to_json(plan)
    if isinstance(data, Mapping) and data.get("explain"):
        result["explanations"] = {
            p.id: explain_seat(inst, plan.rounds, p.id) for p in inst.participants
        }
    json.dump(result, out, indent=1 if argv and "--pretty" in argv else None, ensure_ascii=False)
    out.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
