"""Local search over a seating: sweeps that repair tables breaking a rule, then polish.

Owns: ``Budget`` (effort as a count of swap evaluations, never a clock), ``improve`` and
``search_evals``.

May import: the standard library and the sibling modules ``indexed`` and ``state``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from events.pairing.indexed import W_HARD, W_LANG, W_REPEAT, Model
from events.pairing.state import State


@dataclass
class Budget:
    """Search effort in swap evaluations: a count, never a clock."""

    evals: int
    max_tables: int = 10
    noise: float = 0.04
    polish: float = 0.25
    patience: float = 0.3  # share of the budget spent without a better seating: stop


def _candidate_tables(
    state: State, r: int, ta: int, rng: random.Random, *, limit: int
) -> list[int]:
    n_tables = state.m.n_tables
    if n_tables - 1 <= limit:
        return [t for t in range(n_tables) if t != ta]
    return [t for t in rng.sample(range(n_tables), limit + 1) if t != ta][:limit]


def _best_swap(
    state: State, r: int, a: int, rng: random.Random, *, limit: int
) -> tuple[int, int, tuple[int, list[int], list[int], int, int]] | None:
    ta = state.seat[r][a]
    best: tuple[int, int, tuple[int, list[int], list[int], int, int]] | None = None
    for tb in _candidate_tables(state, r, ta, rng, limit=limit):
        for b in state.tables[r][tb]:
            ev = state.swap_delta(r, a, b)
            if best is None or ev[0] < best[0] or (ev[0] == best[0] and rng.random() < 0.3):
                best = (ev[0], b, ev)
    return best


Evaluated = tuple[int, list[int], list[int], int, int]


def _mix_swap(state: State, r: int, ta: int) -> tuple[int, int, int, Evaluated] | None:
    """For a table without a young or an older person: the best swap of someone it has to
    spare (open, or one of two of a generation) with someone of the missing generation
    from a table that has two of them. Every such table is tried, not a sample."""
    m = state.m
    members = state.tables[r][ta]
    gens = [m.gen[x] for x in members]
    missing = 0 if 0 not in gens else 1
    spare = [x for x in members if m.gen[x] == 2 or gens.count(m.gen[x]) > 1] or members
    best: tuple[int, int, int, Evaluated] | None = None
    for tb, others in enumerate(state.tables[r]):
        donors = [y for y in others if m.gen[y] == missing] if tb != ta else []
        if len(donors) < 2:
            continue
        for y in donors:
            for x in spare:
                ev = state.swap_delta(r, x, y)
                if best is None or ev[0] < best[0]:
                    best = (ev[0], x, y, ev)
    return best


def _identity_swap(state: State, a: int, b: int) -> int:
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

    def __init__(self, state: State, rng: random.Random, budget: Budget) -> None:
        self.state, self.rng, self.budget = state, rng, budget
        self.spent = 0
        self.best_total = state.total
        self.best_seats: list[list[int]] | None = None

    def attempt(self, r: int, ta: int, *, identity: bool, aim: bool = False) -> None:
        """Move someone at table ``ta`` of round ``r``; with ``aim``, mostly someone in a
        pair that breaks a rule."""
        state, rng = self.state, self.rng
        if identity:  # relabel a design: swap two people in every round, nothing else
            self.spent += state.m.n_rounds
            self._identity(r, ta)
            return
        if aim and state.unmixed(r, ta) and self._mix(r, ta):
            return
        aimed = aim and rng.random() < 0.7
        a = rng.choice(state.culprits(r, ta) if aimed else state.tables[r][ta])
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

    def _mix(self, r: int, ta: int) -> bool:
        """Try to give table ``ta`` the generation it lacks; True if a swap was made."""
        found = _mix_swap(self.state, r, ta)
        self.spent += self.state.m.n_tables
        if found is None or found[0] >= 0:
            return False
        _delta, x, y, ev = found
        self.state.commit(r, x, y, ev)
        return True

    def _identity(self, r: int, ta: int) -> None:
        """Swap someone at table ``ta`` with someone else in all rounds; for a table that
        does not mix, someone of the generation it lacks."""
        state, rng = self.state, self.rng
        m = state.m
        if state.unmixed(r, ta) and rng.random() < 0.8:
            gens = {m.gen[x] for x in state.tables[r][ta]}
            lacking = 0 if 0 not in gens else 1
            members = [x for x in state.tables[r][ta] if m.gen[x] != lacking]
            a = rng.choice(members or state.tables[r][ta])
            b = rng.choice([y for y in range(m.n) if m.gen[y] == lacking] or [a])
        else:
            a = rng.choice(state.culprits(r, ta))
            b = rng.randrange(m.n)
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


def improve(state: State, rng: random.Random, budget: Budget, *, identity: bool) -> None:
    """Sweeps: try to repair every table breaking a rule, then polish random tables; stop
    when the budget is spent, or when a ``budget.patience`` share of it found nothing
    better."""
    m = state.m
    walk = _Walk(state, rng, budget)
    cells = [(r, t) for r in range(m.n_rounds) for t in range(m.n_tables)]
    polish = max(20, int(len(cells) * budget.polish))
    best, improved_at = state.total, 0
    while walk.spent < budget.evals and walk.spent - improved_at < budget.evals * budget.patience:
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
                walk.attempt(r, t, identity=identity, aim=True)
        for _ in range(polish if len(bad) < 4 else 0):
            if walk.spent >= budget.evals:
                break
            r, t = rng.choice(cells)
            if state.tables[r][t]:
                walk.attempt(r, t, identity=identity)
        if min(state.total, walk.best_total) < best - W_LANG:  # interests alone: no progress
            best, improved_at = min(state.total, walk.best_total), walk.spent
    walk.finish()


def _try_labels(state: State, r: int, ta: int, rng: random.Random) -> None:
    caps = state.m.caps[r]
    tb = rng.randrange(state.m.n_tables)
    if tb == ta or caps[ta] != caps[tb]:
        return
    delta = state.swap_labels_delta(r, ta, tb)
    if delta <= 0:
        state.swap_labels(r, ta, tb, delta)


def search_evals(model: Model, effort: float) -> int:
    small = 100_000 * min(1.0, 24 / max(1, model.n))  # small events: search harder, it is cheap
    base = 20_000 + 60 * model.n * model.n_rounds + small
    return int(base * effort)
