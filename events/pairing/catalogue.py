"""Stored base rounds of cyclic designs that a quick search does not find every time.

Each entry is a shape (Z_n x levels plus fixed points, ``classes`` base rounds; see
``cyclic.CyclicShape``) and its base rounds, found once by ``rotational.cyclic_exact`` with a
larger budget (scripts/bench/pairing.py shows how long a fresh search takes). Developed mod n
they give the design; ``designs`` verifies every stored design before using it.

- 18 at tables of 3, 8 rounds: a nearly Kirkman triple system NKTS(18) (Kotzig and Rosa,
  1974, prove they exist for every v = 0 mod 6 from 18 on);
- 21 at 3, 10 rounds; 39 at 3, 19 rounds; 45 at 3, 22 rounds; 63 at 3, 31 rounds: Kirkman
  triple systems KTS(v) (Ray-Chaudhuri and Wilson, 1971);
- 28 at 4, 9 rounds: a resolvable (28, 4, 1) design (Hanani, Ray-Chaudhuri and Wilson, 1972).

``ROTATIONAL`` holds base blocks of 1-rotational designs (``rotational.rotational_rounds``)
that the search finds only after several restarts: KTS(75), KTS(81) and the resolvable
(40, 4, 1) design.

May import: the standard library and ``events.pairing.cyclic``.
"""

from __future__ import annotations

from events.pairing.cyclic import CyclicShape

Base = tuple[tuple[tuple[int, ...], ...], ...]

CATALOGUE: dict[tuple[int, int], tuple[CyclicShape, Base]] = {
    (18, 3): (
        CyclicShape(n=4, levels=4, fixed=2, classes=2, k=3),
        (
            (
                (0, 3, 7),
                (1, 15, 17),
                (2, 9, 14),
                (4, 13, 16),
                (5, 8, 11),
                (6, 10, 12),
            ),
            (
                (0, 8, 15),
                (1, 10, 14),
                (2, 4, 7),
                (3, 9, 16),
                (5, 12, 13),
                (6, 11, 17),
            ),
        ),
    ),
    (21, 3): (
        CyclicShape(n=5, levels=4, fixed=1, classes=2, k=3),
        (
            (
                (0, 5, 11),
                (1, 19, 20),
                (2, 6, 17),
                (3, 10, 15),
                (4, 7, 14),
                (8, 12, 13),
                (9, 16, 18),
            ),
            (
                (0, 4, 13),
                (1, 3, 17),
                (2, 8, 9),
                (5, 7, 15),
                (6, 14, 20),
                (10, 12, 16),
                (11, 18, 19),
            ),
        ),
    ),
    (28, 4): (
        CyclicShape(n=9, levels=3, fixed=1, classes=1, k=4),
        (
            (
                (0, 1, 13, 18),
                (2, 6, 8, 21),
                (3, 17, 24, 26),
                (4, 10, 14, 20),
                (5, 12, 25, 27),
                (7, 9, 15, 16),
                (11, 19, 22, 23),
            ),
        ),
    ),
    (39, 3): (
        CyclicShape(n=19, levels=2, fixed=1, classes=1, k=3),
        (
            (
                (0, 6, 26),
                (1, 17, 32),
                (2, 35, 37),
                (3, 12, 20),
                (4, 15, 28),
                (5, 23, 27),
                (7, 8, 36),
                (9, 30, 38),
                (10, 14, 33),
                (11, 16, 18),
                (13, 19, 24),
                (21, 22, 29),
                (25, 31, 34),
            ),
        ),
    ),
    (45, 3): (
        CyclicShape(n=11, levels=4, fixed=1, classes=2, k=3),
        (
            (
                (0, 30, 43),
                (1, 22, 40),
                (2, 16, 26),
                (3, 41, 44),
                (4, 27, 32),
                (5, 34, 36),
                (6, 31, 39),
                (7, 12, 33),
                (8, 24, 38),
                (9, 20, 21),
                (10, 19, 25),
                (11, 29, 35),
                (13, 17, 28),
                (14, 37, 42),
                (15, 18, 23),
            ),
            (
                (0, 9, 13),
                (1, 4, 11),
                (2, 21, 36),
                (3, 20, 38),
                (5, 6, 10),
                (7, 27, 43),
                (8, 26, 30),
                (12, 18, 32),
                (14, 33, 34),
                (15, 17, 42),
                (16, 29, 44),
                (19, 31, 41),
                (22, 23, 25),
                (24, 35, 39),
                (28, 37, 40),
            ),
        ),
    ),
    (63, 3): (
        CyclicShape(n=31, levels=2, fixed=1, classes=1, k=3),
        (
            (
                (0, 37, 47),
                (1, 29, 50),
                (2, 11, 26),
                (3, 17, 51),
                (4, 6, 45),
                (5, 15, 60),
                (7, 58, 61),
                (8, 27, 54),
                (9, 22, 44),
                (10, 41, 42),
                (12, 18, 31),
                (13, 46, 55),
                (14, 39, 57),
                (16, 24, 52),
                (19, 30, 59),
                (20, 21, 25),
                (23, 49, 53),
                (28, 35, 62),
                (32, 38, 43),
                (33, 40, 56),
                (34, 36, 48),
            ),
        ),
    ),
}


ROTATIONAL: dict[tuple[int, int], tuple[tuple[int, ...], ...]] = {
    (40, 4): ((1, 5, 8, 25), (2, 16, 10, 11), (4, 32, 20, 22)),
    (75, 3): (
        (1, 65, 35),
        (2, 57, 22),
        (3, 26, 68),
        (4, 7, 45),
        (5, 48, 23),
        (6, 18, 32),
        (9, 25, 36),
        (10, 12, 71),
        (13, 66, 70),
        (14, 19, 64),
        (15, 21, 67),
        (16, 17, 24),
    ),
    (81, 3): (
        (1, 68, 30),
        (2, 54, 60),
        (3, 7, 23),
        (4, 51, 72),
        (5, 48, 58),
        (6, 17, 36),
        (9, 34, 75),
        (10, 66, 67),
        (12, 29, 77),
        (13, 21, 39),
        (15, 59, 24),
        (16, 62, 65),
        (31, 33, 38),
    ),
}
