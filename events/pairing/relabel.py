"""Which design point each generation gets: a colouring of the points so tables mix.

A design fixes who meets whom, not who is who. Here its points are coloured young, older
and open (as many of each as the event has) so that as few blocks (tables) as possible
lack a young or an older person: a min-conflicts local search that swaps the colours of
two points, with a fixed number of steps and the best colouring kept. Some designs cannot
be coloured perfectly (no Steiner triple system is 2-colourable: Rosa 1970), and then the
planner's own search decides between mixing and meeting someone new.

May import: the standard library only.
"""

from __future__ import annotations

import random

Rounds = list[list[list[int]]]


class _Colouring:
    def __init__(self, blocks: list[list[int]], colour: list[int]) -> None:
        self.blocks, self.colour = blocks, colour
        self.of_point: list[list[int]] = [[] for _ in colour]
        for b, block in enumerate(blocks):
            for p in block:
                self.of_point[p].append(b)
        self.count = [[0, 0, 0] for _ in blocks]
        for b, block in enumerate(blocks):
            for p in block:
                self.count[b][colour[p]] += 1
        self.bad = sum(self._bad(b) for b in range(len(blocks)))

    def _bad(self, b: int) -> int:
        c = self.count[b]
        return 1 if len(self.blocks[b]) > 1 and not (c[0] and c[1]) else 0

    def swap(self, p: int, q: int) -> int:
        """Swap the colours of p and q; returns the change in bad blocks."""
        cp, cq = self.colour[p], self.colour[q]
        touched = set(self.of_point[p]) ^ set(self.of_point[q])
        before = sum(self._bad(b) for b in touched)
        for b in self.of_point[p]:
            self.count[b][cp] -= 1
            self.count[b][cq] += 1
        for b in self.of_point[q]:
            self.count[b][cq] -= 1
            self.count[b][cp] += 1
        self.colour[p], self.colour[q] = cq, cp
        delta = sum(self._bad(b) for b in touched) - before
        self.bad += delta
        return delta

    def bad_blocks(self) -> list[int]:
        return [b for b in range(len(self.blocks)) if self._bad(b)]


def colour_points(
    design: Rounds, counts: tuple[int, int, int], rng: random.Random, *, steps: int
) -> list[int]:
    """A colour (0 young, 1 older, 2 open) per point, ``counts`` of each, mixing tables.

    Each step takes a block that does not mix and swaps one of its points with a point of
    the colour it lacks; a swap that makes things worse is undone nine times in ten.
    """
    colour = [0] * counts[0] + [1] * counts[1] + [2] * counts[2]
    rng.shuffle(colour)
    state = _Colouring([b for blocks in design for b in blocks], colour)
    best, best_bad = list(colour), state.bad
    by_colour = [[p for p, c in enumerate(colour) if c == k] for k in range(3)]
    for _ in range(steps):
        if state.bad == 0 or not (counts[0] and counts[1]):
            break
        b = rng.choice(state.bad_blocks())
        lacking = 0 if not state.count[b][0] else 1
        p = rng.choice([x for x in state.blocks[b] if state.colour[x] != lacking])
        q = rng.choice(by_colour[lacking])
        if state.swap(p, q) > 0 and rng.random() < 0.9:
            state.swap(p, q)
            continue
        by_colour[lacking].remove(q)
        by_colour[lacking].append(p)
        by_colour[state.colour[q]].remove(p)
        by_colour[state.colour[q]].append(q)
        if state.bad < best_bad:
            best, best_bad = list(state.colour), state.bad
    return best
