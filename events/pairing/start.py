"""Initial seatings: matching for restricted people, the greedy fill, and designs mapped
onto people.

Owns: ``match_constrained`` (pins and needs by augmenting paths), ``greedy_seats`` (round by
round, cheapest sampled table) and ``design_seats`` (a repeat-free design with people mapped
onto its points and tables ordered to honour needs).

May import: the standard library and the sibling modules ``indexed``, ``state``,
``designs`` and ``relabel``.
"""

from __future__ import annotations

import random

from events.pairing.designs import repeat_free_design
from events.pairing.indexed import Model, pair_pen
from events.pairing.relabel import colour_points
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
    g = model.gen[p]
    # The emptiest table first, then one without this generation yet: restricted people
    # spread out and leave room to mix.
    tables.sort(key=lambda t: (len(load[t]), any(model.gen[q] == g for q in load[t])))
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
    """Fill one round person by person, each at the cheapest sampled table with room.

    Restricted people come first, then one young and one older *anchor* per table (each to a
    table still without their generation), then everyone else.
    """
    m = state.m
    seat = list(fixed)
    members: list[list[int]] = [[] for _ in range(m.n_tables)]
    for p, t in enumerate(seat):
        if t >= 0:
            members[t].append(p)
    open_tables = [t for t in range(m.n_tables) if len(members[t]) < m.caps[r][t]]
    rest, anchors = _fill_order(m, seat, rng)
    for p in rest:
        if not open_tables:  # pragma: no cover - capacities always add up to n
            raise RuntimeError("no table with room")
        sample = [t for t in open_tables if m.allowed[p] >> t & 1] or open_tables
        if p in anchors:
            g = m.gen[p]
            sample = [t for t in sample if all(m.gen[x] != g for x in members[t])] or sample
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


def _fill_order(m: Model, seat: list[int], rng: random.Random) -> tuple[list[int], set[int]]:
    """People not yet seated in fill order, and the anchors among them."""
    every = (1 << m.n_tables) - 1
    rest = [p for p in range(m.n) if seat[p] < 0]
    rng.shuffle(rest)
    restricted = sorted(
        (p for p in rest if m.allowed[p] != every), key=lambda p: bin(m.allowed[p]).count("1")
    )
    free = [p for p in rest if m.allowed[p] == every]
    young = [p for p in free if m.gen[p] == 0][: m.n_tables]
    older = [p for p in free if m.gen[p] == 1][: m.n_tables]
    anchors = [p for pair in zip(young, older, strict=False) for p in pair]
    anchors += young[len(older) :] + older[len(young) :]
    chosen = set(anchors)
    return restricted + anchors + [p for p in free if p not in chosen], chosen


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
    """A repeat-free design mapped onto people, with tables ordered to honour needs.

    Tables of k and k - 1 come from a design on tables x k points without some points that
    never share a table in the rounds used (so every table loses at most one).
    """
    caps = model.caps[0]
    k = max(caps)
    if model.n_rounds < 2 or k < 2 or any(row != caps for row in model.caps):
        return None
    if 3 * model.n_rounds * (k - 1) <= model.n - 1:
        return None  # sparse: plain search finds repeat-free seatings faster
    full = model.n_tables * k
    design = repeat_free_design(full, k, model.n_rounds, seed=seed)
    if design is None:
        return None
    gone = _apart_points(design, full, full - model.n, rng)
    if gone is None:
        return None
    number = {p: i for i, p in enumerate(p for p in range(full) if p not in gone)}
    design = [[[number[p] for p in b if p in number] for b in blocks] for blocks in design]
    person = _people_on_points(model, design, rng)
    seats = []
    for blocks in design:
        kept = [[person[p] for p in b] for b in blocks]
        seat = [0] * model.n
        for t, block in zip(_order_blocks(model, kept), kept, strict=True):
            for p in block:
                seat[p] = t
        seats.append(seat)
    return seats


def _apart_points(
    design: list[list[list[int]]], size: int, count: int, rng: random.Random
) -> set[int] | None:
    """``count`` points of which no two share a block in any round, or None."""
    met = [set[int]() for _ in range(size)]
    for blocks in design:
        for block in blocks:
            for p in block:
                met[p].update(block)
    order = list(range(size))
    for _ in range(20 if count > 1 else 1):
        chosen: set[int] = set()
        for p in order:
            if len(chosen) == count:
                break
            if not met[p] & chosen:
                chosen.add(p)
        if len(chosen) == count:
            return chosen
        rng.shuffle(order)
    return None


def _people_on_points(model: Model, design: list[list[list[int]]], rng: random.Random) -> list[int]:
    """The person on each design point: points coloured so tables mix (``relabel``), then
    the people of each generation in random order on the points of their colour."""
    by_group: list[list[int]] = [[], [], []]
    for p in range(model.n):
        by_group[model.gen[p]].append(p)
    counts = (len(by_group[0]), len(by_group[1]), len(by_group[2]))
    colours = colour_points(design, counts, rng, steps=100 * model.n)
    for group in by_group:
        rng.shuffle(group)
    return [by_group[c].pop() for c in colours]


def _order_blocks(model: Model, blocks: list[list[int]]) -> list[int]:
    """Table index per block: blocks with restricted members get allowed tables if possible."""
    caps = model.caps[0]
    masks = []
    for block in blocks:
        mask = sum(1 << t for t, cap in enumerate(caps) if cap == len(block))
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
        if table_of[b] < 0:  # needs that no table meets: any free table of the right size
            table_of[b] = next(t for t in free if caps[t] == len(blocks[b]))
            free.remove(table_of[b])
    return table_of


def _augment_blocks(b: int, masks: list[int], owner: list[int], seen: set[int]) -> bool:
    for t in range(len(owner)):
        if masks[b] >> t & 1 and t not in seen:
            seen.add(t)
            if owner[t] < 0 or _augment_blocks(owner[t], masks, owner, seen):
                owner[t] = b
                return True
    return False
