"""Counting lower bounds: the best any seating of an instance can do, rule by rule.

Owns: ``Bounds``, one method per scorecard metric, each returning the ``Metric`` with its
code and parameters.

May import: the standard library and the sibling modules ``model``, ``indexed``, ``limits``
and ``start`` (the matching of restricted people).
"""

from __future__ import annotations

import random

from events.pairing.indexed import Model, allowed_mask
from events.pairing.limits import (
    MAX_PROOF_PEOPLE,
    counting_min_repeats,
    forced_pairs,
    proven_min_repeats,
    repeat_free_limit,
)
from events.pairing.model import Instance, Metric, Participant
from events.pairing.start import match_constrained


class Bounds:
    """Counting lower bounds: the best any seating of this instance can do."""

    def __init__(self, inst: Instance, model: Model) -> None:
        self.inst, self.m = inst, model
        caps = [c for c in model.caps[0] if c > 0] or [1]
        self.caps = caps
        self.q_min, self.q_max, self.tables = min(caps), max(caps), len(caps)
        self.n = model.n
        self.repeat_free_limit = repeat_free_limit(caps) if self.n > 1 else inst.rounds

    def repeats(self, value: int) -> Metric:
        """Repeats beside a proven lower bound: counting, pigeonhole, known maxima, people
        bound to one table, and for small events an exhaustive search (``limits``)."""
        rounds, limit = self.inst.rounds, self.repeat_free_limit
        best = max(counting_min_repeats(self.caps, rounds), self._fixed_together())
        # The exhaustive search only pays where no repeat-free seating exists anyway, or
        # where the event is so small that it is quick.
        small = self.n <= MAX_PROOF_PEOPLE and (rounds > limit or self.n <= 12)
        if value > best and small:
            best = max(best, proven_min_repeats(tuple(self.caps), rounds, value)[0])
        if rounds <= limit:
            return Metric(value, best, "repeat_free_may_exist", {"limit": limit})
        params = {"people": self.n, "size": self.q_max, "limit": limit, "exact": int(value <= best)}
        return Metric(value, best, "repeat_free_impossible", params)

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
        per_round = sum(forced_pairs(s, self.tables) for s in sizes.values())
        return Metric(value, per_round * self.inst.rounds)

    def generations(self, value: int) -> Metric:
        young = self.m.gen.count(0)
        older = self.m.gen.count(1)
        opened = self.m.gen.count(2)
        odd = sum(1 for c in self.m.caps[0] if c % 2)
        best = max(abs(young - older), odd - opened)
        if (best - (young - older)) % 2:
            best += 1
        return Metric(value, best * self.inst.rounds)

    def single(self, value: int) -> Metric:
        """Tables without both a young and an older person: at most min(Y, O) tables mix."""
        young, older = self.m.gen.count(0), self.m.gen.count(1)
        pairs_room = sum(1 for cap in self.m.caps[0] if cap >= 2)
        per_round = self.tables - min(young, older, pairs_room)
        best = per_round * self.inst.rounds
        if not self.m.mixed_event:
            return Metric(value, best, "no_mix_to_make", {"young": young, "older": older})
        if per_round:
            params = {"young": young, "older": older, "tables": self.tables, "num": per_round}
            return Metric(value, best, "mix_forced", params)
        return Metric(value, best)

    def language(self, value: int) -> Metric:
        lang, rounds = self.m.lang, self.inst.rounds
        partners = [
            sum(1 for b in range(self.n) if b != a and lang[a] & lang[b]) if lang[a] else rounds
            for a in range(self.n)
        ]
        if self.q_min < 2:
            return Metric(value, 0)
        alone = sum(1 for c in partners if c == 0) * rounds
        no_repeat = sum(max(0, rounds - c) for c in partners)
        if no_repeat > alone:
            return Metric(value, alone, "language_without_repeats", {"num": no_repeat})
        return Metric(value, alone)

    def access(self, value: int) -> Metric:
        model = self.m
        every = (1 << model.n_tables) - 1
        restricted = [p for p in range(model.n) if model.allowed[p] != every]
        seat = match_constrained(model, 0, random.Random(0))
        unmet = sum(1 for p in restricted if seat[p] < 0)
        unmet += self._impossible_needs()
        return Metric(value, unmet * self.inst.rounds)

    def _impossible_needs(self) -> int:
        n_tables = self.m.n_tables
        return sum(1 for p in self.inst.participants if _unsatisfiable(p, self.inst, n_tables))


def _unsatisfiable(p: Participant, inst: Instance, n_tables: int) -> bool:
    """Pinned outside the tables, or needs that no table meets."""
    if p.pinned_table is not None:
        return not 1 <= p.pinned_table <= n_tables
    every = (1 << n_tables) - 1
    if not p.needs or allowed_mask(p, inst, n_tables) != every:
        return False
    return not _needs_met_everywhere(p, inst, n_tables)


def _needs_met_everywhere(p: Participant, inst: Instance, n_tables: int) -> bool:
    every = set(range(1, n_tables + 1))
    quiet_ok = "quiet" not in p.needs or every <= set(inst.quiet_tables)
    step_ok = "step_free" not in p.needs or every <= set(inst.step_free_tables)
    return quiet_ok and step_ok
