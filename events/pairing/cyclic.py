"""A seeded search for cyclic (1-rotational) resolvable packings.

A base round on points Z_n x {levels} plus fixed points, developed by adding 1 mod n to get
n rounds.

May import: the standard library and ``events.pairing.constructions``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from events.pairing.constructions import Rounds, repeat_count


@dataclass(frozen=True)
class CyclicShape:
    """Points Z_n x range(levels) plus ``fixed`` points; ``classes`` base rounds develop by Z_n.

    With ``short`` (levels == k, k divides n, no fixed points) two Z_n-invariant rounds come
    first: the transversal round {(i, a) : a < k} for each i, and the round of cosets of the
    subgroup of order k inside each level. They use mixed difference 0 and the pure
    differences that are multiples of n/k, so the developed base round must avoid those:
    n + 2 rounds in all (32 people at tables of 4: 8 + 2 = 10 rounds, social golfer 8-4-10).
    """

    n: int
    levels: int
    fixed: int
    classes: int
    k: int
    short: bool = False

    def x_pure_classes(self) -> list[int]:
        """Pure difference classes (below n/2) used by the coset round of a short shape."""
        if not self.short:
            return []
        step = self.n // self.k
        return sorted({min(j * step, self.n - j * step) for j in range(1, self.k)} - {self.n / 2})

    @property
    def points(self) -> int:
        return self.n * self.levels + self.fixed

    def slack(self) -> int:
        """Difference keys available minus keys the base rounds must use (>= 0 to be possible)."""
        pure = self.levels * ((self.n - 1) // 2 - len(self.x_pure_classes()))
        mixed = self.levels * (self.levels - 1) // 2 * (self.n - (1 if self.short else 0))
        needed = self.classes * (self.points // self.k) * self.k * (self.k - 1) // 2
        return pure + mixed + self.fixed * self.levels - needed


def cyclic_shapes(n_points: int, k: int, rounds: int) -> list[CyclicShape]:
    """Plausible shapes for a cyclic design, most slack first."""
    shapes = []
    blocks = n_points // k
    for classes in range(1, rounds + 1):
        n = -(-rounds // classes)
        if n < 2:
            break
        for fixed in range(blocks + 1):
            if (n_points - fixed) % n:
                continue
            levels = (n_points - fixed) // n
            if fixed and classes * (k - 1) > levels:
                continue
            shape = CyclicShape(n, levels, fixed, classes, k)
            if shape.slack() >= 0:
                shapes.append(shape)
    shapes.sort(key=lambda s: (-s.slack() / max(1, s.n), s.classes))
    n = n_points // k
    short = CyclicShape(n, k, 0, 1, k, short=True)
    if n_points % k == 0 and n % k == 0 and n < rounds <= n + 2 and short.slack() >= 0:
        shapes.insert(0, short)
    return shapes


def pair_keys(shape: CyclicShape) -> list[list[int]]:
    """Key of every point pair: equal keys repeat a meeting once developed; -1 is forbidden."""
    n, lv = shape.n, shape.levels
    finite = n * lv
    size = shape.points
    keys = [[-1] * size for _ in range(size)]
    for p in range(size):
        for q in range(size):
            if p == q:
                continue
            keys[p][q] = _key(p, q, n, lv, finite=finite)
    return keys


def _key(p: int, q: int, n: int, lv: int, *, finite: int) -> int:
    if p >= finite and q >= finite:
        return -1
    if p >= finite or q >= finite:
        inf, other = (p, q) if p >= finite else (q, p)
        return n * lv + lv * lv * n + (inf - finite) * lv + other // n
    a, x = divmod(p, n)
    b, y = divmod(q, n)
    if a == b:
        d = (y - x) % n
        d = min(d, n - d)
        return -1 if 2 * d == n else a * n + d
    if a > b:
        a, b, x, y = b, a, y, x
    return n * lv + (a * lv + b) * n + (y - x) % n


class _CyclicSearch:
    """Tabu search for base rounds whose developments never repeat a pair."""

    def __init__(self, shape: CyclicShape, rng: random.Random) -> None:
        self.shape = shape
        self.rng = rng
        self.keys = pair_keys(shape)
        n_keys = shape.n * shape.levels * (1 + shape.levels) + shape.fixed * shape.levels + 1
        self.count = [0] * n_keys
        self.total = 0
        self._reserve_short_keys()
        pts = list(range(shape.points))
        self.classes: list[list[list[int]]] = []
        self.where: list[list[int]] = []
        for _ in range(shape.classes):
            rng.shuffle(pts)
            blocks = [pts[i : i + shape.k] for i in range(0, len(pts), shape.k)]
            where = [0] * shape.points
            for b, block in enumerate(blocks):
                for p in block:
                    where[p] = b
            self.classes.append(blocks)
            self.where.append(where)
            for block in blocks:
                for i, p in enumerate(block):
                    for q in block[i + 1 :]:
                        self._bump(p, q, 1)

    def _reserve_short_keys(self) -> None:
        shape = self.shape
        if not shape.short:
            return
        n, lv = shape.n, shape.levels
        for a in range(lv):
            for d in shape.x_pure_classes():
                self.count[a * n + d] = 1
            for b in range(a + 1, lv):
                self.count[n * lv + (a * lv + b) * n] = 1

    def _bump(self, p: int, q: int, step: int) -> None:
        key = self.keys[p][q]
        if key < 0:
            self.total += step
            return
        before = self.count[key]
        self.count[key] = before + step
        if (step > 0 and before >= 1) or (step < 0 and before >= 2):
            self.total += step

    def swap_delta(self, c: int, p: int, q: int) -> int:
        before = self.total
        self.apply_swap(c, p, q)
        delta = self.total - before
        self.apply_swap(c, q, p)
        return delta

    def apply_swap(self, c: int, p: int, q: int) -> None:
        blocks, where = self.classes[c], self.where[c]
        a, b = where[p], where[q]
        for x in blocks[a]:
            if x != p:
                self._bump(p, x, -1)
                self._bump(q, x, 1)
        for y in blocks[b]:
            if y != q:
                self._bump(q, y, -1)
                self._bump(p, y, 1)
        blocks[a][blocks[a].index(p)] = q
        blocks[b][blocks[b].index(q)] = p
        where[p], where[q] = b, a

    def conflicted(self) -> list[tuple[int, int]]:
        out = []
        for c, blocks in enumerate(self.classes):
            for block in blocks:
                for i, p in enumerate(block):
                    for q in block[i + 1 :]:
                        key = self.keys[p][q]
                        if key < 0 or self.count[key] > 1:
                            out.append((c, p))
                            out.append((c, q))
        return out

    def run(self, max_steps: int) -> bool:
        tabu: dict[tuple[int, int], int] = {}
        for step in range(max_steps):
            if self.total == 0:
                return True
            c, p = self.rng.choice(self.conflicted())
            best: tuple[int, int] | None = None
            best_delta = 1 << 30
            for q in range(self.shape.points):
                if self.where[c][q] == self.where[c][p]:
                    continue
                delta = self.swap_delta(c, p, q)
                if tabu.get((c, q), -1) > step and self.total + delta > 0:
                    continue
                if delta < best_delta or (delta == best_delta and self.rng.random() < 0.5):
                    best, best_delta = (c, q), delta
            if best is None:
                continue
            self.apply_swap(c, p, best[1])
            tabu[(c, p)] = step + 3 + self.rng.randrange(4)
            tabu[best] = step + 3 + self.rng.randrange(4)
        return self.total == 0

    def develop(self) -> Rounds:
        return develop(self.shape, self.classes)


def develop(shape: CyclicShape, classes: list[list[list[int]]]) -> Rounds:
    """Every base round shifted by 0..n-1 (after the two invariant rounds of a short shape)."""
    finite = shape.n * shape.levels
    rounds: Rounds = []
    if shape.short:
        n, k = shape.n, shape.k
        rounds.append([[a * n + i for a in range(shape.levels)] for i in range(n)])
        step = n // k
        rounds.append(
            [
                [a * n + x + j * step for j in range(k)]
                for a in range(shape.levels)
                for x in range(step)
            ]
        )
    for blocks in classes:
        for shift in range(shape.n):
            rounds.append([[_shift(p, shift, shape.n, finite) for p in b] for b in blocks])
    return rounds


def _shift(p: int, shift: int, n: int, finite: int) -> int:
    if p >= finite:
        return p
    level, x = divmod(p, n)
    return level * n + (x + shift) % n


def cyclic_design(
    n_points: int, k: int, rounds: int, *, seed: int = 0, max_steps: int = 5000
) -> Rounds | None:
    """Search a cyclic resolvable packing with ``rounds`` repeat-free rounds, or None."""
    for shape in cyclic_shapes(n_points, k, rounds)[:2]:
        search = _CyclicSearch(shape, random.Random(seed))
        if search.run(max_steps):
            found = search.develop()[:rounds]
            if repeat_count(found) == 0:
                return found
    return None
