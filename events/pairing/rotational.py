"""1-rotational resolvable designs from difference families, found by exhaustive search.

Points Z_m plus one fixed point (m = v - 1), tables of k, m / (k - 1) rounds, nobody meeting
anyone twice. H is the subgroup of Z_m of order k - 1 (the multiples of u = m / (k - 1)).
The base round is {fixed} + H together with base blocks B_1..B_t and all their translates
by H, where the B_i take one element of every other coset of H and their differences cover
Z_m - H exactly once; round s adds s to every point (s < u). This is the 1-rotational
construction of Kirkman triple systems (k = 3, v = 3 mod 6) and of resolvable (v, 4, 1)
designs (k = 4, v = 4 mod 12): M. Buratti and F. Zuanni, "G-invariantly resolvable Steiner
2-designs which are 1-rotational over G", Bull. Belg. Math. Soc. 5 (1998); see also the
Handbook of Combinatorial Designs (Colbourn and Dinitz, 2nd ed., 2007) on resolvable
designs and difference families.

The search takes blocks one at a time, each starting at the lowest unused coset with that
coset's own number (a translate by H is the same block), and stops after a fixed number of
nodes: deterministic for a seed.

May import: the standard library and ``events.pairing.constructions``.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from events.pairing.constructions import Rounds
from events.pairing.cyclic import CyclicShape, develop, pair_keys

NODES = 20_000


class _OutOfNodes(Exception):
    pass


class _Blocks:
    """Depth-first search for blocks of k that use every slot once and every key at most once.

    A slot holds interchangeable items (the elements of one coset, or one point); a block
    takes items of k different slots, in slot order, and starts at the lowest free slot
    with that slot's first item. ``key(x, y)`` is -1 when x and y may never share a block.
    """

    def __init__(
        self,
        slots: list[list[int]],
        k: int,
        key: Callable[[int, int], int],
        *,
        used_keys: set[int],
        rng: random.Random,
        classes: int = 1,
    ) -> None:
        self.slots, self.k, self.key, self.rng = slots, k, key, rng
        self.classes_left = classes - 1
        self.done: list[list[list[int]]] = []
        self.slot_of = {x: s for s, items in enumerate(slots) for x in items}
        self.free = [True] * len(slots)
        self.used = set(used_keys)
        self.blocks: list[list[int]] = []
        self.nodes = 0

    def run(self) -> bool:
        try:
            return self._next_block()
        except _OutOfNodes:
            return False

    def _next_block(self) -> bool:
        if True not in self.free:
            return self._next_class()
        first = self.free.index(True)
        self.free[first] = False
        found = self._extend([self.slots[first][0]], first)
        self.free[first] = True
        return found

    def _next_class(self) -> bool:
        """All slots used: done, or start the next base round with every slot free again."""
        if not self.classes_left:
            return True
        self.classes_left -= 1
        self.done.append(self.blocks)
        saved_free, self.free, self.blocks = self.free, [True] * len(self.slots), []
        if self._next_block():
            return True
        self.blocks, self.free = self.done.pop(), saved_free
        self.classes_left += 1
        return False

    def _extend(self, block: list[int], last: int) -> bool:
        self.nodes += 1
        if self.nodes > NODES:
            raise _OutOfNodes
        if len(block) == self.k:
            self.blocks.append(list(block))
            if self._next_block():
                return True
            self.blocks.pop()
            return False
        options = [
            x for s in range(last + 1, len(self.slots)) if self.free[s] for x in self.slots[s]
        ]
        self.rng.shuffle(options)
        for x in options:
            keys = self._keys(block, x)
            if keys is None:
                continue
            slot = self.slot_of[x]
            self.used.update(keys)
            self.free[slot] = False
            block.append(x)
            if self._extend(block, slot):
                return True
            block.pop()
            self.free[slot] = True
            self.used.difference_update(keys)
        return False

    def _keys(self, block: list[int], x: int) -> list[int] | None:
        out: list[int] = []
        for y in block:
            key = self.key(y, x)
            if key < 0 or key in self.used or key in out:
                return None
            out.append(key)
        return out


def rotational_design(v: int, k: int, *, seed: int = 0, tries: int = 30) -> Rounds | None:
    """Repeat-free rounds of tables of ``k`` for ``v`` people, (v - 1) / (k - 1) rounds, or None.

    Needs (k - 1) | (v - 1) and k (k - 1) | (v - k); seeded searches with restarts.
    """
    m = v - 1
    if k < 3 or m % (k - 1) or (m - k + 1) % (k * (k - 1)):
        return None
    u = m // (k - 1)
    h = [j * u for j in range(k - 1)]
    slots = [[c + g for g in h] for c in range(1, u)]

    def key(x: int, y: int) -> int:
        d = (y - x) % m
        return -1 if 2 * d == m else min(d, m - d)

    inner = {min(g, m - g) for g in h if g}
    for attempt in range(tries):
        search = _Blocks(slots, k, key, used_keys=inner, rng=random.Random(seed * 7919 + attempt))
        if search.run():
            return rotational_rounds(v, k, search.blocks)
    return None


def rotational_rounds(v: int, k: int, blocks: list[list[int]]) -> Rounds:
    """Develop base blocks B_i (points of Z_{v-1}; point v - 1 is the fixed one)."""
    m = v - 1
    u = m // (k - 1)
    h = [j * u for j in range(k - 1)]
    base = [[m, *h]] + [[(b + g) % m for b in block] for block in blocks for g in h]
    return [[[p if p == m else (p + s) % m for p in b] for b in base] for s in range(u)]


def cyclic_exact(shape: CyclicShape, *, seed: int = 0, tries: int = 30) -> Rounds | None:
    """One base round on a cyclic shape (Z_n x levels plus fixed points) found exactly.

    Developed by adding 1 mod n it gives n repeat-free rounds: for example 18 people at
    tables of 3 for 8 rounds (a nearly Kirkman triple system) on Z_8 x 2 plus 2 points.
    """
    if shape.short:
        return None
    keys = pair_keys(shape)
    slots = [[p] for p in range(shape.points)]
    for attempt in range(tries):
        search = _Blocks(
            slots,
            shape.k,
            lambda x, y: keys[x][y],
            used_keys=set(),
            rng=random.Random(seed * 7919 + attempt),
            classes=shape.classes,
        )
        if search.run():
            return develop(shape, [*search.done, search.blocks])
    return None
