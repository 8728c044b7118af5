"""Initial seatings: matching for restricted people, the greedy fill, and designs mapped
onto people.

Owns: ``match_constrained`` (pins and needs by augmenting paths), ``greedy_seats`` (round by
round, cheapest sampled table) and ``design_seats`` (a repeat-free design with people mapped
onto its points and tables ordered to honour needs).

May import: the standard library and the sibling modules ``indexed``, ``state`` and
``designs``.
"""

from __future__ import annotations

import random

from events.pairing.designs import repeat_free_design
from events.pairing.indexed import Model, pair_pen
from events.pairing.state import State


def match_constrained(model: Model, r: int, rng: random.Random) -> list[int]:
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
    model: Model, r: int, p: int, *, seat: list[int], load: list[list[int]], seen: set[int]
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


def _greedy_round(state: State, r: int, rng: random.Random, fixed: list[int]) -> list[int]:
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


def _place_cost(state: State, r: int, t: int, p: int, *, members: list[int]) -> int:
    n, meet, special = state.m.n, state.meet, state.m.special
    cost = state.local(r, t, [*members, p]) - state.local(r, t, members)
    for x in members:
        key = p * n + x
        c = meet[key]
        if c or key in special:
            cost += pair_pen(special.get(key), c + 1) - pair_pen(special.get(key), c)
    return cost


def _record_round(state: State, r: int, seat: list[int]) -> None:
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


def greedy_seats(
    model: Model, rng: random.Random, start: list[list[int]] | None
) -> list[list[int]]:
    spread = [[p % model.n_tables for p in range(model.n)] for _ in range(model.n_rounds)]
    state = State(model, spread)
    state.meet = [0] * (model.n * model.n)
    seats = []
    for r in range(model.n_rounds):
        fixed = start[r] if start is not None else match_constrained(model, r, rng)
        seat = _greedy_round(state, r, rng, fixed)
        _record_round(state, r, seat)
        seats.append(seat)
    return seats


def design_seats(model: Model, rng: random.Random, seed: int) -> list[list[int]] | None:
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


def _interleaved(model: Model, rng: random.Random) -> list[int]:
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


def _order_blocks(model: Model, blocks: list[list[int]]) -> list[int]:
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
