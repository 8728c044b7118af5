"""Closed-form repeat-free rotations: round robin, affine geometries, Latin squares.

- ``round_robin``: the circle method (Kirkman 1847; Lucas 1883), n people in pairs, n - 1
  rounds;
- ``affine_plane`` and ``affine_geometry``: the parallel classes of lines of AG(2, q) and
  AG(d, q) over GF(q), q a prime power: q**d people at tables of q for
  (q**d - 1) / (q - 1) rounds (AG(3, 3): 27 people at tables of 3 for 13 rounds, a Kirkman
  triple system; AG(3, 4): 64 at tables of 4 for 21 rounds);
- ``mols`` and ``transversal_rounds``: mutually orthogonal Latin squares (q - 1 of order q
  from GF(q) by Bose's construction, MacNeish's 1922 product for other orders, else the
  cyclic square) and the resolvable transversal design they give: n tables of k for n
  rounds from k - 1 squares of order n, and for k = n the net of rows, columns and the
  squares' symbols (6 tables of 6: 3 rounds, the social golfer maximum, as no two
  orthogonal Latin squares of order 6 exist; Tarry 1900).

Every function works on point numbers 0..N-1 and returns rounds as lists of blocks (tables).

May import: the standard library and ``events.pairing.fields``.
"""

from __future__ import annotations

from events.pairing.fields import galois_field, prime_power

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
    """Parallel classes of AG(2, q): q*q points, q+1 rounds of q lines of q points."""
    return affine_geometry(q, 2)


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


def affine_geometry(q: int, dim: int) -> Rounds | None:
    """Parallel classes of lines of AG(dim, q): q**dim points, tables of q.

    A point is its coordinate vector read as a base-q number; one round per direction (a
    vector whose first non-zero coordinate is 1), its lines {x + t*d : t in GF(q)}.
    """
    field = galois_field(q)
    if field is None or dim < 2:
        return None
    size = q**dim
    vectors = [[(p // q**i) % q for i in range(dim)] for p in range(size)]
    directions = [v for v in vectors if any(v) and v[next(i for i, c in enumerate(v) if c)] == 1]
    rounds: Rounds = []
    for d in directions:
        seen = [False] * size
        lines = []
        for p in range(size):
            if seen[p]:
                continue
            line = []
            for t in range(q):
                step = [field.add[x][field.mul[t][c]] for x, c in zip(vectors[p], d, strict=True)]
                point = sum(c * q**i for i, c in enumerate(step))
                seen[point] = True
                line.append(point)
            lines.append(line)
        rounds.append(lines)
    return rounds


Square = list[list[int]]


def mols(n: int) -> list[Square]:
    """Mutually orthogonal Latin squares of order n: q - 1 for a prime power q (Bose), the
    product of the prime-power parts' squares (MacNeish), or one (cyclic) otherwise."""
    if n < 2:
        return []
    pe = prime_power(n)
    if pe is not None:
        field = galois_field(n)
        assert field is not None
        return [
            [[field.add[field.mul[a][x]][y] for y in range(n)] for x in range(n)]
            for a in range(1, n)
        ]
    part = _prime_power_part(n)
    if part == n:  # pragma: no cover - n is a prime power then
        return [[[(x + y) % n for y in range(n)] for x in range(n)]]
    first, second = mols(part), mols(n // part)
    count = min(len(first), len(second))
    if count == 0:
        return [[[(x + y) % n for y in range(n)] for x in range(n)]]
    rest = n // part
    return [
        [
            [
                first[i][x // rest][y // rest] * rest + second[i][x % rest][y % rest]
                for y in range(n)
            ]
            for x in range(n)
        ]
        for i in range(count)
    ]


def _prime_power_part(n: int) -> int:
    p = next(d for d in range(2, n + 1) if n % d == 0)
    part = 1
    while n % p == 0:
        n //= p
        part *= p
    return part


def transversal_rounds(groups: int, k: int) -> Rounds | None:
    """``groups`` tables of ``k`` (k * groups people) from mutually orthogonal Latin squares.

    With k - 1 squares L_1.. of order n = groups: round r has the tables
    {(0, c), (1, L_1(r, c)), ..., (k-1, L_{k-1}(r, c))} for c < n, n rounds (a resolvable
    transversal design); person (i, x) is number i * n + x. For k = n the rows of the grid
    make one round more. With k = n and fewer squares: rows, columns, then one round per
    square (its symbols), a net of len(squares) + 2 rounds.
    """
    n = groups
    squares = mols(n)
    if k < 2 or k > n:
        return None
    if k - 1 <= len(squares):
        rounds = [
            [[c, *(i * n + squares[i - 1][r][c] for i in range(1, k))] for c in range(n)]
            for r in range(n)
        ]
        if k == n:
            rounds.append([[i * n + x for x in range(n)] for i in range(n)])
        return rounds
    if k == n:
        net = [[[x * n + y for y in range(n)] for x in range(n)]]
        net.append([[x * n + y for x in range(n)] for y in range(n)])
        for square in squares:
            net.append(
                [
                    [x * n + y for x in range(n) for y in range(n) if square[x][y] == s]
                    for s in range(n)
                ]
            )
        return net
    return None
