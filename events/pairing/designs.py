"""Design-theory entry point: repeat-free table rotations from the known constructions.

May import: the standard library and the sibling modules ``constructions``, ``cyclic`` and
``translation``. Pure, synchronous, deterministic for a given seed.
"""

from __future__ import annotations

from functools import lru_cache

from events.pairing.constructions import Rounds, affine_plane, round_robin
from events.pairing.cyclic import cyclic_design
from events.pairing.translation import paired_translation_design


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
