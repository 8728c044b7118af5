"""Closed-form repeat-free rotations: affine planes and the round-robin circle method.

Every function works on point numbers 0..N-1 and returns rounds as lists of blocks (tables).

May import: the standard library and ``events.pairing.fields``.
"""

from __future__ import annotations

from events.pairing.fields import galois_field

Rounds = list[list[list[int]]]


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
