"""Finite fields GF(q) for prime powers q, as full operation tables.

May import: the standard library only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache


def prime_power(q: int) -> tuple[int, int] | None:
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
    pe = prime_power(q)
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
