"""The paired translation design on GF(2^m) x 4 levels: tables of 4 for 4 * 2^m people.

May import: the standard library and the sibling modules ``fields`` and ``constructions``.
"""

from __future__ import annotations

import random

from events.pairing.constructions import Rounds, repeat_count
from events.pairing.fields import prime_power

_PAIRS = ((0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3))
# The four special rounds: level pairs joined in a round; the other levels get subspace blocks.
_SPECIAL_ROUNDS = (((0, 1),), ((2, 3),), ((0, 2), (1, 3)), ((0, 3), (1, 2)))


class _PairedSearch:
    """Parameters of a translation-invariant design on GF(q) x 4 levels, q = 2^m >= 8.

    Every round is invariant under x -> x + t (t in GF(q), addition is XOR), so it is given
    by blocks up to translation. Three kinds of round, with what each uses up:

    - *transversal*: block {(0,0), (u1,1), (u2,2), (u3,3)}; mixed difference u_a + u_b
      between levels a and b;
    - *paired* levels a, b: blocks {(t,a), (t+d,a), (t+s,b), (t+s+d,b)}; pure difference d
      on both levels and mixed differences s and s + d between them;
    - *subspace* level a: the cosets of a 2-dimensional subspace V_a; pure differences V_a.

    With q - 2 transversal rounds every level pair keeps exactly two mixed differences
    {s, s + d}; four more rounds join each level pair once (see ``_SPECIAL_ROUNDS``) and give
    each level one subspace round. That works when, per level, the three forced d's are
    distinct and the unused nonzero differences contain a 2-dimensional subspace: q + 2
    rounds, no pair meeting twice. For q = 8: 32 people at tables of 4 for 10 rounds (the
    social golfer 8-4-10). Per-level translations are automorphisms, so the first
    transversal round is (0, 0, 0); the rest are drawn by a seeded random search.
    """

    def __init__(self, q: int, rng: random.Random) -> None:
        self.q, self.rng = q, rng
        self.transversal: list[tuple[int, int, int]] = []
        self.left: dict[tuple[int, int], list[int]] = {}
        self.subspace: list[list[int]] = []

    def _draw_transversals(self) -> bool:
        used: dict[tuple[int, int], set[int]] = {pair: set() for pair in _PAIRS}
        self.transversal = []
        for j in range(self.q - 2):
            for _ in range(200):
                u = (0, *(self.rng.randrange(self.q) for _ in range(3))) if j else (0, 0, 0, 0)
                keys = {(a, b): u[a] ^ u[b] for a, b in _PAIRS}
                if all(v not in used[pair] for pair, v in keys.items()):
                    break
            else:
                return False
            for pair, v in keys.items():
                used[pair].add(v)
            self.transversal.append((u[1], u[2], u[3]))
        self.left = {pair: [x for x in range(self.q) if x not in used[pair]] for pair in _PAIRS}
        return True

    def _subspaces(self) -> bool:
        self.subspace = []
        for level in range(4):
            ds = {self.left[p][0] ^ self.left[p][1] for p in _PAIRS if level in p}
            if len(ds) < 3:
                return False
            spare = [x for x in range(1, self.q) if x not in ds]
            found = next(
                ([0, x, y, x ^ y] for x in spare for y in spare if x < y and x ^ y in spare),
                None,
            )
            if found is None:
                return False
            self.subspace.append(found)
        return True

    def run(self, tries: int) -> bool:
        return any(self._draw_transversals() and self._subspaces() for _ in range(tries))

    def rounds(self) -> Rounds:
        q = self.q
        out: Rounds = []
        for u1, u2, u3 in self.transversal:
            out.append([[t, q + (u1 ^ t), 2 * q + (u2 ^ t), 3 * q + (u3 ^ t)] for t in range(q)])
        for joined in _SPECIAL_ROUNDS:
            blocks: list[list[int]] = []
            for a, b in joined:
                s, s2 = self.left[(a, b)]
                d = s ^ s2
                blocks += [
                    [a * q + t, a * q + (t ^ d), b * q + (s ^ t), b * q + (s2 ^ t)]
                    for t in range(q)
                    if t < t ^ d
                ]
            for level in sorted(set(range(4)) - {x for pair in joined for x in pair}):
                v = self.subspace[level]
                blocks += [
                    [level * q + (t ^ x) for x in v] for t in range(q) if t == min(t ^ x for x in v)
                ]
            out.append(blocks)
        return out


def paired_translation_design(
    n_points: int, rounds: int, *, seed: int = 0, tries: int = 2000
) -> Rounds | None:
    """Repeat-free rounds of tables of 4 for 4*q people, q = 2^m >= 8, up to q + 2 rounds."""
    q = n_points // 4
    pe = prime_power(q)
    if n_points % 4 or pe is None or pe[0] != 2 or q < 8 or rounds > q + 2:
        return None
    search = _PairedSearch(q, random.Random(seed))
    if not search.run(tries):
        return None
    found = search.rounds()[:rounds]
    return found if repeat_count(found) == 0 else None


# --------------------------------------------------------------------------- entry point
