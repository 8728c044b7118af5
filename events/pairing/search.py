"""Local search over a seating: sweeps that repair tables breaking a rule, then polish.

Owns: ``Budget`` (effort as a count of swap evaluations, never a clock), ``improve`` and
``search_evals``.

May import: the standard library and the sibling modules ``indexed`` and ``state``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from events.pairing.indexed import W_HARD, W_REPEAT, Model
from events.pairing.state import State


@dataclass
class Budget:
    """Search effort in swap evaluations: a count, never a clock."""

    evals: int
    max_tables: int = 10
    noise: float = 0.04
    polish: float = 0.25


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


def improve(state: State, rng: random.Random, budget: Budget, *, identity: bool) -> None:
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
