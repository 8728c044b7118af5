"""What is known about repeat-free seatings: maxima from the literature, and small proofs.

Owns: ``KNOWN_MAX_ROUNDS`` (the social golfer maxima, OEIS A107431, with the families they
come from), ``repeat_free_limit`` (the most rounds any repeat-free seating of these table
sizes can last: a proven upper bound) and ``proven_min_repeats`` (an exhaustive search
that proves the fewest repeats for small events, within a fixed number of search nodes).

May import: the standard library only. Pure and deterministic.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

# Social golfer problem, OEIS A107431: the most rounds of g tables of s people with nobody
# meeting anyone twice (s <= g; for s > g it is 1). (best known, proven upper bound).
# Sources: round robin (s = 2, 2g - 1); affine planes AG(2, q) (s = g = q, q + 1 rounds);
# Kirkman triple systems, Ray-Chaudhuri & Wilson 1971 ((v - 1) / 2 for v = 3 (mod 6));
# nearly Kirkman systems, Kotzig & Rosa 1974 ((v - 2) / 2 for v = 0 (mod 6), v >= 18; 12
# people only 4); resolvable (v, 4, 1) designs, Hanani, Ray-Chaudhuri & Wilson 1972
# ((v - 1) / 3 for v = 4 (mod 12)); no two orthogonal Latin squares of order 6 (Tarry 1900:
# 6 tables of 6 only 3 rounds); 8 tables of 4 for 10 rounds, Aguado 2004. T(7, 5) is 7 or 8
# and T(7, 6) at least 7 (both from AG(2, 7) without some of its points).
KNOWN_MAX_ROUNDS: dict[tuple[int, int], tuple[int, int]] = {
    (2, 2): (3, 3),
    (3, 2): (5, 5),
    (3, 3): (4, 4),
    (4, 2): (7, 7),
    (4, 3): (4, 4),
    (4, 4): (5, 5),
    (5, 2): (9, 9),
    (5, 3): (7, 7),
    (5, 4): (5, 5),
    (5, 5): (6, 6),
    (6, 2): (11, 11),
    (6, 3): (8, 8),
    (6, 4): (7, 7),
    (6, 5): (6, 6),
    (6, 6): (3, 3),
    (7, 2): (13, 13),
    (7, 3): (10, 10),
    (7, 4): (9, 9),
    (7, 5): (7, 8),
    (7, 6): (7, 8),
    (7, 7): (8, 8),
    (8, 4): (10, 10),
}


def forced_pairs(size: int, groups: int) -> int:
    """Fewest same-group pairs among ``size`` people drawn from ``groups`` groups."""
    a, b = divmod(size, groups)
    return b * (a + 1) * a // 2 + (groups - b) * a * (a - 1) // 2


def repeat_free_limit(sizes: Sequence[int]) -> int:
    """The most rounds a repeat-free seating at these tables can last (a proven upper bound).

    Counting: someone at a table of q meets q - 1 people a round, n - 1 in all. Pigeonhole:
    with fewer tables than seats at a table, the second round repeats. Known maxima of
    ``KNOWN_MAX_ROUNDS`` for equal tables. ``1 << 30`` means no limit (tables of one).
    """
    caps = [c for c in sizes if c > 0]
    n = sum(caps)
    if n <= 1 or max(caps) <= 1:
        return 1 << 30
    tables, q_min, q_max = len(caps), min(caps), max(caps)
    if tables == 1 or forced_pairs(q_max, tables) > 0:
        return 1
    limit = (n - 1) // max(1, q_min - 1)
    known = KNOWN_MAX_ROUNDS.get((tables, q_max)) if q_min == q_max else None
    return min(limit, known[1]) if known else limit


def counting_min_repeats(sizes: Sequence[int], rounds: int) -> int:
    """Repeats no seating avoids: the counting and pigeonhole bounds, and known maxima."""
    caps = [c for c in sizes if c > 0]
    n = sum(caps)
    if not caps or rounds < 2:
        return 0
    if len(caps) == 1:
        return (rounds - 1) * n * (n - 1) // 2
    per_person = max(0, rounds * (min(caps) - 1) - (n - 1))
    counting = -(-n * per_person // 2)
    pigeon = (rounds - 1) * sum(forced_pairs(c, len(caps)) for c in caps)
    beyond = 1 if rounds > repeat_free_limit(caps) else 0
    return max(counting, pigeon, beyond)


# --------------------------------------------------------------------------- exhaustive proof

MAX_PROOF_PEOPLE = 24
PROOF_NODES = 1_000_000  # about a second of search on a laptop


@lru_cache(maxsize=64)
def proven_min_repeats(sizes: tuple[int, ...], rounds: int, found: int) -> tuple[int, bool]:
    """A proven lower bound on the repeats of any seating, and whether it is the minimum.

    Only table sizes and rounds count here (no pins, needs or parties), so the bound holds
    for every event with these tables.

    ``found`` is a seating's count (so the minimum is at most that). For up to
    ``MAX_PROOF_PEOPLE`` people an exhaustive search (round 1 fixed, symmetric choices made
    once, see ``_Proof``) rules out fewer repeats one count at a time, so a search that runs
    out of its ``PROOF_NODES`` nodes still leaves a better bound; the same on every machine.
    """
    caps = tuple(sorted((c for c in sizes if c > 0), reverse=True))
    lower = counting_min_repeats(caps, rounds)
    if found <= lower:
        return found, True
    if sum(caps) > MAX_PROOF_PEOPLE or rounds < 2:
        return lower, False
    proof = _Proof(caps, rounds)
    for target in range(lower, found):
        try:
            cheaper = proof.search(below=target + 1)
        except _OutOfNodes:
            return target, False
        if cheaper is not None:
            return cheaper, True
    return found, True


class _Proof:
    """Depth-first branch and bound over rounds 2.. of a seating whose round 1 is fixed.

    Symmetries used once each (every seating has a relabelled copy that passes them all):
    round 1 seats people 0, 1, 2... in order; every table starts with the lowest unseated
    person; in round 2 the members of each round-1 table, and the round-1 tables of one
    size, are taken in number order; rounds 3.. come in lexicographic order.
    """

    def __init__(self, caps: tuple[int, ...], rounds: int) -> None:
        self.caps, self.rounds, self.n = caps, rounds, sum(caps)
        self.best = 0
        self.nodes = 0
        self.meet = [[0] * self.n for _ in range(self.n)]
        self.group = [g for g, c in enumerate(caps) for _ in range(c)]
        self.group_start = [sum(caps[:g]) for g in range(len(caps))]
        self.pigeon = sum(forced_pairs(c, len(caps)) for c in caps)
        self.previous: list[tuple[int, ...]] = []
        for g in range(len(caps)):
            self._seat(list(range(self.group_start[g], self.group_start[g] + caps[g])), 1)

    def _seat(self, table: Sequence[int], step: int) -> None:
        for i, a in enumerate(table):
            for b in table[i + 1 :]:
                self.meet[a][b] += step
                self.meet[b][a] += step

    def search(self, *, below: int) -> int | None:
        """The repeats of a seating with fewer than ``below``, or None if there is none."""
        self.best = below
        self._round(2, 0)
        return self.best if self.best < below else None

    def _round(self, r: int, cost: int) -> None:
        if r > self.rounds:
            self.best = cost
            return
        if cost + self._still_forced(r) >= self.best:
            return
        sizes = sorted(self.caps, reverse=True)
        self._table(_RoundState(r, [False] * self.n, sizes), cost)

    def _still_forced(self, r: int) -> int:
        """Repeats rounds r.. must add: by pigeonhole against round 1, and by counting."""
        left = self.rounds - r + 1
        need = left * (self.caps[-1] - 1)
        short = sum(max(0, need - row.count(0) + 1) for row in self.meet)
        return max(left * self.pigeon, -(-short // 2))

    def _table(self, st: _RoundState, cost: int) -> None:
        if not st.sizes_left:
            order = tuple(p for table in st.tables for p in table)
            if st.r >= 4 and order < self.previous[-1]:
                return
            self.previous.append(order)
            self._round(st.r + 1, cost)
            self.previous.pop()
            return
        first = st.seated.index(False)
        for size in sorted(set(st.sizes_left), reverse=True):
            st.sizes_left.remove(size)
            self._grow(st, [first], size, cost)
            st.sizes_left.append(size)
            st.sizes_left.sort(reverse=True)

    def _grow(self, st: _RoundState, table: list[int], size: int, cost: int) -> None:
        self.nodes += 1
        if self.nodes > PROOF_NODES:
            raise _OutOfNodes
        later = self.rounds - st.r
        if cost + later * self.pigeon >= self.best:
            return
        if len(table) == size:
            st.seated_mark(table, True)
            st.tables.append(tuple(table))
            self._seat(table, 1)
            self._table(st, cost)
            self._seat(table, -1)
            st.tables.pop()
            st.seated_mark(table, False)
            return
        for p in self._candidates(st, table):
            extra = sum(1 for x in table if self.meet[p][x])
            table.append(p)
            self._grow(st, table, size, cost + extra)
            table.pop()

    def _candidates(self, st: _RoundState, table: list[int]) -> list[int]:
        low = table[-1] + 1 if len(table) > 1 else table[0] + 1
        free = [p for p in range(low, self.n) if not st.seated[p] and p not in table]
        if st.r != 2:
            return free
        return self._round_two(st, table, free)

    def _round_two(self, st: _RoundState, table: list[int], free: list[int]) -> list[int]:
        """Round 2: only the lowest unseated member of a round-1 table, and of the untouched
        round-1 tables of one size only the first."""
        used = set(table) | {p for t in st.tables for p in t}
        out = []
        untouched_sizes: set[int] = set()
        for p in free:
            g = self.group[p]
            lowest = next(
                q
                for q in range(self.group_start[g], self.group_start[g] + self.caps[g])
                if q not in used and not st.seated[q]
            )
            if p != lowest:
                continue
            touched = any(self.group[q] == g for q in used)
            if not touched:
                if self.caps[g] in untouched_sizes:
                    continue
                untouched_sizes.add(self.caps[g])
            out.append(p)
        return out


class _OutOfNodes(Exception):
    pass


class _RoundState:
    """The round being filled: who is seated, the table sizes left, the tables so far."""

    def __init__(self, r: int, seated: list[bool], sizes_left: list[int]) -> None:
        self.r, self.seated, self.sizes_left = r, seated, sizes_left
        self.tables: list[tuple[int, ...]] = []

    def seated_mark(self, table: Sequence[int], value: bool) -> None:
        for p in table:
            self.seated[p] = value
