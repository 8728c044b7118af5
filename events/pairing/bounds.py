"""Counting lower bounds: the best any seating of an instance can do, rule by rule.

Owns: ``Bounds`` and the forced-pairs count.

May import: the standard library and the sibling modules ``model``, ``indexed`` and
``start`` (the matching of restricted people).
"""

from __future__ import annotations

import random

from events.pairing.indexed import Model, allowed_mask
from events.pairing.model import Instance, Metric, Participant
from events.pairing.start import match_constrained


def _forced_pairs(size: int, groups: int) -> int:
    """Fewest same-group pairs among ``size`` people drawn from ``groups`` groups."""
    a, b = divmod(size, groups)
    return b * (a + 1) * a // 2 + (groups - b) * a * (a - 1) // 2


class Bounds:
    """Counting lower bounds: the best any seating of this instance can do."""

    def __init__(self, inst: Instance, model: Model) -> None:
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
        seat = match_constrained(model, 0, random.Random(0))
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
    if not p.needs or allowed_mask(p, inst, n_tables) != every:
        return False
    return not _needs_met_everywhere(p, inst, n_tables)


def _needs_met_everywhere(p: Participant, inst: Instance, n_tables: int) -> bool:
    every = set(range(1, n_tables + 1))
    quiet_ok = "quiet" not in p.needs or every <= set(inst.quiet_tables)
    step_ok = "step_free" not in p.needs or every <= set(inst.step_free_tables)
    return quiet_ok and step_ok
