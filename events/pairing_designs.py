"""Design-theory constructions of repeat-free table rotations for ``events.pairing``.

Owns: finite fields GF(q), affine planes AG(2, q), the round-robin circle method, and a seeded
search for cyclic (1-rotational) resolvable packings: a base round on points
Z_n x {levels} plus fixed points, developed by adding 1 mod n to get n rounds. Every function
works on point numbers 0..N-1 and returns rounds as lists of blocks (tables) of points.

May import: the standard library only. Pure, synchronous, deterministic for a given seed.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

Rounds = list[list[list[int]]]


# --------------------------------------------------------------------------- finite fields


def _prime_power(q: int) -> tuple[int, int] | None:
    """Return (p, e) with q == p**e and p prime, or None."""
    if q < 2:
        return None
    p = next(d for d in range(2, q + 1) if q % d == 0)
    e, rest = 0, q
    while rest % p == 0:
        rest //= p
        e += 1
    return (p, e) if rest == 1 else None


def _poly_mulmod(a: int, b: int, p: int, e: int, *, modulus: Sequence[int]) -> int:
    """Multiply two field elements coded as base-p digit strings modulo a monic polynomial."""
    da = [(a // p**i) % p for i in range(e)]
    db = [(b // p**i) % p for i in range(e)]
    prod = [0] * (2 * e - 1)
    for i, x in enumerate(da):
        for j, y in enumerate(db):
            prod[i + j] = (prod[i + j] + x * y) % p
    for deg in range(2 * e - 2, e - 1, -1):
        coef = prod[deg]
        if coef:
            for i in range(e):
                prod[deg - e + i] = (prod[deg - e + i] - coef * modulus[i]) % p
            prod[deg] = 0
    return sum(prod[i] * p**i for i in range(e))


@dataclass(frozen=True)
class Field:
    """GF(q) with elements 0..q-1; ``add`` and ``mul`` are full operation tables."""

    q: int
    add: tuple[tuple[int, ...], ...]
    mul: tuple[tuple[int, ...], ...]


@lru_cache(maxsize=16)
def galois_field(q: int) -> Field | None:
    """Build GF(q) for a prime power q (found by trying monic polynomials), else None."""
    pe = _prime_power(q)
    if pe is None:
        return None
    p, e = pe
    add = tuple(
        tuple(sum((((a // p**i) + (b // p**i)) % p) * p**i for i in range(e)) for b in range(q))
        for a in range(q)
    )
    for code in range(p**e):
        modulus = [(code // p**i) % p for i in range(e)]
        mul = tuple(
            tuple(_poly_mulmod(a, b, p, e, modulus=modulus) for b in range(q)) for a in range(q)
        )
        if all(any(mul[a][b] == 1 for b in range(1, q)) for a in range(1, q)):
            return Field(q, add, mul)
    return None  # pragma: no cover - an irreducible polynomial always exists


# --------------------------------------------------------------------------- constructions


def affine_plane(q: int) -> Rounds | None:
    """Parallel classes of AG(2, q): q*q points, q+1 rounds of q lines of q points.

    Point (x, y) is number x*q + y. Lines y = m*x + c come first (slope m), the vertical lines
    x = c last, so the first q rounds of two-valued x-coordinates stay generation-friendly.
    """
    field = galois_field(q)
    if field is None:
        return None
    rounds: Rounds = []
    for m in range(q):
        rounds.append([[x * q + field.add[field.mul[m][x]][c] for x in range(q)] for c in range(q)])
    rounds.append([[c * q + y for y in range(q)] for c in range(q)])
    return rounds


def round_robin(n: int) -> Rounds | None:
    """Circle method: n (even) people in pairs, n-1 rounds, everyone meets everyone once."""
    if n < 2 or n % 2:
        return None
    rounds: Rounds = []
    for r in range(n - 1):
        ring = [(r + i) % (n - 1) for i in range(n - 1)]
        pairs = [[n - 1, ring[0]]]
        pairs += [[ring[i], ring[n - 1 - i]] for i in range(1, n // 2)]
        rounds.append(pairs)
    return rounds


# --------------------------------------------------------------------------- cyclic search


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


def _pair_keys(shape: CyclicShape) -> list[list[int]]:
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
        self.keys = _pair_keys(shape)
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
        shape = self.shape
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
        for blocks in self.classes:
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


# --------------------------------------------------------------------------- GF(2^m) x 4 levels

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
    pe = _prime_power(q)
    if n_points % 4 or pe is None or pe[0] != 2 or q < 8 or rounds > q + 2:
        return None
    search = _PairedSearch(q, random.Random(seed))
    if not search.run(tries):
        return None
    found = search.rounds()[:rounds]
    return found if repeat_count(found) == 0 else None


# --------------------------------------------------------------------------- entry point


def repeat_count(rounds: Rounds) -> int:
    """Pair meetings beyond the first, over all rounds."""
    seen: dict[tuple[int, int], int] = {}
    extra = 0
    for blocks in rounds:
        for block in blocks:
            for i, p in enumerate(block):
                for q in block[i + 1 :]:
                    key = (p, q) if p < q else (q, p)
                    extra += 1 if key in seen else 0
                    seen[key] = 1
    return extra


@lru_cache(maxsize=64)
def _cached_design(
    n_points: int, k: int, rounds: int, seed: int
) -> tuple[tuple[tuple[int, ...], ...], ...] | None:
    found = _find_design(n_points, k, rounds, seed)
    if found is None:
        return None
    return tuple(tuple(tuple(b) for b in blocks) for blocks in found)


def _find_design(n_points: int, k: int, rounds: int, seed: int) -> Rounds | None:
    if k < 2 or n_points % k or rounds < 2 or rounds > (n_points - 1) // (k - 1):
        return None
    if n_points // k < k:
        return None
    if k == 2:
        return (round_robin(n_points) or [])[:rounds] or None
    if n_points == k * k and rounds <= k + 1:
        plane = affine_plane(k)
        if plane is not None:
            return plane[:rounds]
    if k == 4 and rounds > (n_points - 1) // (k - 1) - 2:
        paired = paired_translation_design(n_points, rounds, seed=seed)
        if paired is not None:
            return paired
    if n_points > 64:
        return None
    return cyclic_design(n_points, k, rounds, seed=seed)


def repeat_free_design(n_points: int, k: int, rounds: int, *, seed: int = 0) -> Rounds | None:
    """Rounds of equal tables of ``k`` with no pair meeting twice, from a construction or None.

    Tries, in order: the round-robin circle method (k = 2), the affine plane AG(2, k) for
    N = k*k (k a prime power), the paired translation design over GF(2^m) x 4 levels (tables
    of 4, N = 4 * 2^m), and a seeded search for a cyclic resolvable packing.
    """
    found = _cached_design(n_points, k, rounds, seed)
    if found is None:
        return None
    return [[list(b) for b in blocks] for blocks in found]
