"""The search state: a seating of all rounds with meeting counts and cached table costs.

Owns: ``State`` (load a seating, evaluate and commit swaps of two people or of two table
labels, say how badly a table breaks the rules).

May import: the standard library and ``events.pairing.indexed``.
"""

from __future__ import annotations

from events.pairing.indexed import (
    W_GEN,
    W_HARD,
    W_INTEREST,
    W_LANG,
    W_PARTY,
    W_REPEAT,
    W_UNMIXED,
    Model,
    pair_pen,
)


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


class State:
    """A seating of all rounds with meeting counts and cached table costs."""

    def __init__(self, model: Model, seats: list[list[int]]) -> None:
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
        return sum(pair_pen(m.special.get(k), self.meet[k]) for k in keys)

    def local(self, r: int, t: int, members: list[int]) -> int:
        """Cost of one table that does not depend on other rounds."""
        m = self.m
        party, interest, allowed, gen, lang = m.party, m.interest, m.allowed, m.gen, m.lang
        cost = 0
        bit = 1 << t
        young = older = 0
        langs = []
        for i, a in enumerate(members):
            g = gen[a]
            young += g == 0
            older += g == 1
            langs.append(lang[a])
            if not allowed[a] & bit:
                cost += W_HARD
            pa, ia = party[a], interest[a]
            for b in members[i + 1 :]:
                if pa >= 0 and pa == party[b]:
                    cost += W_PARTY
                if ia & interest[b]:
                    cost -= W_INTEREST
        size = len(members)
        if size > 1:
            cost += W_LANG * _isolated(langs)
            if m.mixed_event and not (young and older):
                cost += W_UNMIXED
        if m.home is not None:
            home = m.home[r]
            moved = sum(1 for a in members if home[a] >= 0 and home[a] != t)
            cost += m.move_weight[r] * moved
        return cost + W_GEN * abs(young - older)

    def _pair_delta(self, key: int, step: int) -> int:
        c = self.meet[key]
        flags = self.m.special.get(key)
        if flags is None:
            if step > 0:
                return W_REPEAT if c >= 1 else 0
            return -W_REPEAT if c >= 2 else 0
        return pair_pen(flags, c + step) - pair_pen(flags, c)

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
        for leaving, joining, t in ((a, b, ta), (b, a, tb)):
            for x in self.tables[r][t]:
                if x != leaving:
                    meet[leaving * n + x] -= 1
                    meet[x * n + leaving] -= 1
                    meet[joining * n + x] += 1
                    meet[x * n + joining] += 1
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
                    pen += pair_pen(special.get(key), c)
                if interest[a] & interest[b]:
                    pen += W_INTEREST
        return max(0, pen)

    def culprits(self, r: int, t: int) -> list[int]:
        """Members of a pair that breaks a rule here (repeat, party, special), else everyone."""
        m, meet = self.m, self.meet
        members = self.tables[r][t]
        party, special, n = m.party, m.special, m.n
        out: set[int] = set()
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                key = a * n + b
                if meet[key] > 1 or key in special or (party[a] >= 0 and party[a] == party[b]):
                    out.update((a, b))
        return [p for p in members if p in out] or members

    def unmixed(self, r: int, t: int) -> bool:
        """A table of two or more at a mixed event without both a young and an older."""
        m = self.m
        gens = {m.gen[a] for a in self.tables[r][t]}
        return m.mixed_event and len(self.tables[r][t]) > 1 and not {0, 1} <= gens
