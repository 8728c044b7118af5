"""The instance as integer arrays, for fast evaluation, and the weights of the objective.

Owns: ``Model`` (people as numbers, groups, parties, languages and interests as bit masks,
allowed tables, special pairs), ``build_model``, the table capacities after re-planning
(``caps_for_homes``) and the pair penalty ``pair_pen``.

May import: the standard library and ``events.pairing.model``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from events.pairing.model import GROUPS, Instance, Participant

# Weights of the search objective; each rule outweighs everything below it. A table that
# does not mix young and older (W_UNMIXED) outweighs a repeat: mixing is the point.
W_HARD = 10_000_000
W_FROZEN = 1_000_000
W_APART = 400_000
W_UNMIXED = 100_000
W_REPEAT = 8_000
W_MOVE = 2_000
W_PARTY = 500
W_GEN = 40
W_LANG = 25
W_BUDDY = 20
W_INTEREST = 1


@dataclass
class Model:
    """The instance as integer arrays, for fast evaluation."""

    ids: list[str]
    n: int
    n_tables: int
    n_rounds: int
    caps: list[list[int]]
    gen: list[int]
    party: list[int]
    lang: list[int]
    interest: list[int]
    allowed: list[int]
    special: dict[int, tuple[int, int, int]]
    mixed_event: bool  # some young and some older: tables should mix
    home: list[list[int]] | None = None
    move_weight: list[int] = field(default_factory=list)


def _bits(values: Iterable[str], codes: dict[str, int]) -> int:
    mask = 0
    for value in values:
        mask |= 1 << codes.setdefault(value, len(codes))
    return mask


def allowed_mask(p: Participant, inst: Instance, n_tables: int) -> int:
    every = (1 << n_tables) - 1
    if p.pinned_table is not None and 1 <= p.pinned_table <= n_tables:
        return 1 << (p.pinned_table - 1)
    mask = every
    for need, tables in (("quiet", inst.quiet_tables), ("step_free", inst.step_free_tables)):
        if need in p.needs:
            mask &= sum(1 << (t - 1) for t in tables if 1 <= t <= n_tables)
    return mask or every


def _special_pairs(inst: Instance, index: dict[str, int]) -> dict[int, tuple[int, int, int]]:
    """Pair key -> (met before and to avoid, keep apart, buddy), both orders."""
    flags: dict[tuple[int, int], list[int]] = {}
    met_slot = {"avoid": 0, "reunite": 2}.get(inst.met_before_policy)
    lists: list[tuple[Iterable[tuple[str, str]], int | None]] = [
        (inst.met_before, met_slot),
        (inst.keep_apart, 1),
        (inst.buddies, 2),
    ]
    for pairs, slot in lists:
        if slot is None:
            continue
        for a, b in pairs:
            if a in index and b in index and a != b:
                i, j = sorted((index[a], index[b]))
                flags.setdefault((i, j), [0, 0, 0])[slot] = 1
    n = len(index)
    out: dict[int, tuple[int, int, int]] = {}
    for (i, j), f in flags.items():
        if f[2]:
            f[0] = 0
        out[i * n + j] = out[j * n + i] = (f[0], f[1], f[2])
    return out


def build_model(inst: Instance, caps: list[list[int]] | None = None) -> Model:
    people = inst.participants
    index = {p.id: i for i, p in enumerate(people)}
    n_tables = inst.tables()
    if caps is None:
        caps = [inst.sizes() for _ in range(inst.rounds)]
    langs: dict[str, int] = {}
    interests: dict[str, int] = {}
    parties: dict[str, int] = {}
    gen = [GROUPS.index(p.group) for p in people]
    return Model(
        ids=[p.id for p in people],
        n=len(people),
        n_tables=n_tables,
        n_rounds=inst.rounds,
        caps=caps,
        gen=gen,
        party=[parties.setdefault(p.party, len(parties)) if p.party else -1 for p in people],
        lang=[_bits(p.languages, langs) for p in people],
        interest=[_bits(p.interests, interests) for p in people],
        allowed=[allowed_mask(p, inst, n_tables) for p in people],
        special=_special_pairs(inst, index),
        mixed_event=0 in gen and 1 in gen,
    )


def pair_pen(flags: tuple[int, int, int] | None, c: int) -> int:
    if flags is None:
        return W_REPEAT * (c - 1) if c > 1 else 0
    prior, apart, buddy = flags
    pen = W_REPEAT * max(0, c + prior - 1) + W_APART * apart * c
    return pen - (W_BUDDY if buddy and c else 0)


def caps_for_homes(row: list[int], n: int, n_tables: int) -> list[int]:
    """Give the larger table sizes to the tables that kept the most people."""
    kept = [0] * n_tables
    for t in row:
        if t >= 0:
            kept[t] += 1
    q, rem = divmod(n, n_tables)
    order = sorted(range(n_tables), key=lambda t: (-kept[t], t))
    caps = [q] * n_tables
    for t in order[:rem]:
        caps[t] = q + 1
    return caps
