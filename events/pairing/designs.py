"""Design-theory entry point: repeat-free table rotations from the known constructions.

``find_design`` tries the families from the cheapest to the most expensive and says which
one answered; ``repeat_free_design`` gives only the rounds. Families (see each module for
its construction and citation):

- ``round_robin``: tables of 2 (``constructions``);
- ``affine_geometry``: q**d people at tables of q, q a prime power (``constructions``);
- ``transversal``: n tables of k from k - 1 orthogonal Latin squares of order n, and the
  net of rows, columns and squares for k = n (``constructions``);
- ``rotational``: 1-rotational Kirkman triple systems and resolvable (v, 4, 1) designs
  (``rotational``);
- ``translation``: 4 * 2^m people at tables of 4 for 2^m + 2 rounds, the social golfer
  8-4-10 among them (``translation``);
- ``cyclic``: one or more base rounds on Z_n x levels plus fixed points, developed mod n,
  stored (``catalogue``) or found by exact search (``rotational.cyclic_exact``: nearly
  Kirkman systems, 30 at tables of 5 for 6 rounds...) or, failing that, by tabu search
  (``cyclic``).

May import: the standard library and the sibling modules ``constructions``, ``cyclic``,
``catalogue``, ``rotational``, ``translation`` and ``limits``. Pure, synchronous,
deterministic for a seed.
"""

from __future__ import annotations

from functools import lru_cache

from events.pairing.catalogue import CATALOGUE, ROTATIONAL
from events.pairing.constructions import (
    Rounds,
    affine_geometry,
    repeat_count,
    round_robin,
    transversal_rounds,
)
from events.pairing.cyclic import cyclic_design, cyclic_shapes, develop
from events.pairing.limits import repeat_free_limit
from events.pairing.rotational import cyclic_exact, rotational_design, rotational_rounds
from events.pairing.translation import paired_translation_design

Frozen = tuple[tuple[tuple[int, ...], ...], ...]


@lru_cache(maxsize=64)
def _cached_design(n_points: int, k: int, rounds: int, seed: int) -> tuple[str, Frozen] | None:
    found = _find(n_points, k, rounds, seed)
    if found is None:
        return None
    family, design = found
    design = design[:rounds]
    if len(design) < rounds or repeat_count(design) != 0:  # pragma: no cover - a bug guard
        return None
    return family, tuple(tuple(tuple(b) for b in blocks) for blocks in design)


def _find(n_points: int, k: int, rounds: int, seed: int) -> tuple[str, Rounds] | None:
    if k < 2 or n_points % k or rounds > repeat_free_limit([k] * (n_points // k)):
        return None
    if k == 2:
        return _named("round_robin", round_robin(n_points), rounds)
    closed = _closed_form(n_points, k, rounds)
    if closed is not None:
        return closed
    stored = _stored(n_points, k, rounds)
    if stored is not None:
        return stored
    rotational = _named("rotational", rotational_design(n_points, k, tries=2), rounds)
    if rotational is not None:
        return rotational
    if k == 4 and rounds > (n_points - 1) // 3 - 2:
        paired = paired_translation_design(n_points, rounds, seed=seed)
        if paired is not None:
            return "translation", paired
    for shape in [s for s in cyclic_shapes(n_points, k, rounds) if not s.short][:2]:
        exact = _named("cyclic", cyclic_exact(shape, seed=seed, tries=6), rounds)
        if exact is not None:
            return exact
    if n_points > 64:
        return None
    return _named("cyclic", cyclic_design(n_points, k, rounds, seed=seed), rounds)


def _stored(n_points: int, k: int, rounds: int) -> tuple[str, Rounds] | None:
    if (n_points, k) in CATALOGUE:
        shape, classes = CATALOGUE[(n_points, k)]
        stored = develop(shape, [[list(b) for b in blocks] for blocks in classes])
        return _named("cyclic", stored, rounds)
    if (n_points, k) in ROTATIONAL:
        base = [list(block) for block in ROTATIONAL[(n_points, k)]]
        return _named("rotational", rotational_rounds(n_points, k, base), rounds)
    return None


def _closed_form(n_points: int, k: int, rounds: int) -> tuple[str, Rounds] | None:
    dim = next((d for d in range(2, 8) if k**d == n_points), None)
    if dim is not None:
        found = _named("affine_geometry", affine_geometry(k, dim), rounds)
        if found is not None:
            return found
    return _named("transversal", transversal_rounds(n_points // k, k), rounds)


def _named(family: str, design: Rounds | None, rounds: int) -> tuple[str, Rounds] | None:
    return (family, design) if design is not None and len(design) >= rounds else None


def find_design(n_points: int, k: int, rounds: int, *, seed: int = 0) -> tuple[str, Rounds] | None:
    """The family name and ``rounds`` rounds of equal tables of ``k`` with no pair meeting
    twice, from the first construction that reaches them; None if none does."""
    found = _cached_design(n_points, k, rounds, seed)
    if found is None:
        return None
    family, design = found
    return family, [[list(b) for b in blocks] for blocks in design]


def repeat_free_design(n_points: int, k: int, rounds: int, *, seed: int = 0) -> Rounds | None:
    """Rounds of equal tables of ``k`` with no pair meeting twice, from a construction or None."""
    found = find_design(n_points, k, rounds, seed=seed)
    return found[1] if found is not None else None
