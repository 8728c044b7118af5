"""The planner's entry points: ``plan_tables`` and ``replan`` (at the door).

May import: the standard library and the sibling modules ``model``, ``indexed``, ``state``,
``start``, ``search`` and ``scorecard``. Deterministic for a given seed: every search stops
after a fixed number of evaluations; the clock is read only for ``time_seconds``.
"""

from __future__ import annotations

import random
import time
from collections.abc import Sequence

from events.pairing.indexed import W_FROZEN, W_MOVE, W_REPEAT, Model, build_model, caps_for_homes
from events.pairing.model import Instance, Plan, Seating, validate
from events.pairing.scorecard import score_plan
from events.pairing.search import Budget, improve, search_evals
from events.pairing.start import design_seats, greedy_seats
from events.pairing.state import State


def plan_tables(instance: Instance, *, effort: float = 1.0) -> Plan:
    """Seat everyone for every round; ``effort`` scales the fixed iteration budget."""
    started = time.perf_counter()
    validate(instance)
    model = build_model(instance)
    evals = search_evals(model, effort)
    state, method = _searched(model, instance.seed, evals, design=False)
    designed = design_seats(model, random.Random(instance.seed), instance.seed)
    if designed is not None and (model.n <= 64 or state.total >= W_REPEAT):
        other, _ = _searched(model, instance.seed, evals, design=True)
        if other.total < state.total:
            state, method = other, "design"
    rounds = _to_ids(model, state.seat)
    card = score_plan(instance, rounds, started=started)
    return Plan(rounds, card, method)


def _searched(model: Model, seed: int, evals: int, *, design: bool) -> tuple[State, str]:
    """Start from a design (then map people onto it) or from a greedy seating, and improve."""
    rng = random.Random(seed)
    if model.n == 0:
        return State(model, [[] for _ in range(model.n_rounds)]), "empty"
    seats = design_seats(model, rng, seed) if design else None
    if seats is None:
        state = State(model, greedy_seats(model, rng, None))
        improve(state, rng, Budget(evals), identity=False)
        return state, "search"
    state = State(model, seats)
    improve(state, rng, Budget(evals, noise=0.02), identity=True)
    improve(state, rng, Budget(evals // 2), identity=False)
    return state, "design"


def _to_ids(model: Model, seats: list[list[int]]) -> Seating:
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
    validate(instance)
    index = {p.id: i for i, p in enumerate(instance.participants)}
    n_tables = instance.tables()
    home = _homes(instance, previous, index, n_tables)
    caps = [caps_for_homes(row, len(index), n_tables) for row in home]
    model = build_model(instance, caps)
    model.home = home
    model.move_weight = [W_FROZEN if r < frozen_rounds else W_MOVE for r in range(instance.rounds)]
    rng = random.Random(instance.seed)
    start = [_keep_homes(model, r, rng) for r in range(model.n_rounds)]
    state = State(model, greedy_seats(model, rng, start))
    improve(state, rng, Budget(search_evals(model, effort) // 2), identity=False)
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


def _keep_homes(model: Model, r: int, rng: random.Random) -> list[int]:
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
