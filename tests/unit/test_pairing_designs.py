"""Design families (issue 12, point 2): every member checked, not only the sizes we plan.

Each construction is verified on its own (everyone seated once per round, equal tables,
nobody meeting twice), then the planner is shown to reach family members, also with
generations to mix (point 3) and with tables of unequal size (point 5).
"""

from __future__ import annotations

from collections import Counter
from itertools import combinations

import pytest

from events.pairing import (
    KNOWN_MAX_ROUNDS,
    Instance,
    Participant,
    plan_tables,
    proven_min_repeats,
    repeat_count,
    repeat_free_limit,
    table_sizes,
)
from events.pairing.catalogue import CATALOGUE, ROTATIONAL
from events.pairing.constructions import affine_geometry, mols, transversal_rounds
from events.pairing.cyclic import develop
from events.pairing.designs import find_design
from events.pairing.rotational import rotational_design, rotational_rounds

Rounds = list[list[list[int]]]


def assert_resolvable(rounds: Rounds, n: int, k: int) -> None:
    for blocks in rounds:
        assert sorted(p for b in blocks for p in b) == list(range(n))
        assert {len(b) for b in blocks} == {k}
    assert repeat_count(rounds) == 0


@pytest.mark.parametrize(("q", "dim"), [(2, 3), (3, 3), (2, 4), (3, 4), (4, 3), (5, 3)])
def test_affine_geometries(q: int, dim: int) -> None:
    rounds = affine_geometry(q, dim)
    assert rounds is not None
    assert len(rounds) == (q**dim - 1) // (q - 1)
    assert_resolvable(rounds, q**dim, q)


@pytest.mark.parametrize("n", [3, 4, 5, 7, 8, 9, 12, 15, 20])
def test_latin_squares_are_mutually_orthogonal(n: int) -> None:
    squares = mols(n)
    assert squares
    for square in squares:
        assert all(sorted(row) == list(range(n)) for row in square)
        assert all(sorted(col) == list(range(n)) for col in zip(*square, strict=True))
    for a, b in combinations(squares, 2):
        pairs = {(a[x][y], b[x][y]) for x in range(n) for y in range(n)}
        assert len(pairs) == n * n


@pytest.mark.parametrize(
    ("groups", "k", "rounds"),
    [(5, 3, 5), (7, 5, 7), (7, 6, 7), (8, 5, 8), (11, 4, 11), (6, 6, 3), (10, 10, 3), (20, 4, 20)],
)
def test_transversal_designs_and_nets(groups: int, k: int, rounds: int) -> None:
    found = transversal_rounds(groups, k)
    assert found is not None and len(found) == rounds
    assert_resolvable(found, groups * k, k)


@pytest.mark.parametrize(
    ("v", "k"), [(27, 3), (33, 3), (51, 3), (57, 3), (16, 4), (52, 4), (25, 5)]
)
def test_rotational_designs_are_found(v: int, k: int) -> None:
    found = rotational_design(v, k)
    assert found is not None and len(found) == (v - 1) // (k - 1)
    assert_resolvable(found, v, k)


def test_stored_designs_are_valid() -> None:
    for (n, k), (shape, base) in CATALOGUE.items():
        rounds = develop(shape, [[list(b) for b in blocks] for blocks in base])
        assert len(rounds) == (n - 1) // (k - 1) or (n, k) == (18, 3)
        assert_resolvable(rounds, n, k)
    for (v, k), blocks in ROTATIONAL.items():
        rounds = rotational_rounds(v, k, [list(b) for b in blocks])
        assert len(rounds) == (v - 1) // (k - 1)
        assert_resolvable(rounds, v, k)


# Known maxima reached, from a family each; sizes beyond those of test_pairing.py.
FAMILY_MEMBERS = [
    (21, 3, 10, "cyclic"),  # Kirkman triple system KTS(21)
    (27, 3, 13, "affine_geometry"),  # AG(3, 3)
    (33, 3, 16, "rotational"),  # KTS(33)
    (18, 3, 8, "cyclic"),  # nearly Kirkman NKTS(18)
    (24, 3, 11, "cyclic"),  # NKTS(24)
    (28, 4, 9, "cyclic"),  # resolvable (28, 4, 1)
    (40, 4, 13, "rotational"),  # resolvable (40, 4, 1)
    (30, 5, 6, "cyclic"),  # social golfer 6-5-6
    (35, 5, 7, "transversal"),  # 7-5-7 from AG(2, 7) without two lines
    (42, 6, 7, "transversal"),  # 7-6-7
    (36, 6, 3, "transversal"),  # 6-6-3: no two orthogonal Latin squares of order 6
    (49, 7, 8, "affine_geometry"),  # AG(2, 7)
    (14, 2, 13, "round_robin"),
]


@pytest.mark.parametrize(("n", "k", "rounds", "family"), FAMILY_MEMBERS)
def test_each_family_reaches_its_maximum(n: int, k: int, rounds: int, family: str) -> None:
    found = find_design(n, k, rounds)
    assert found is not None
    assert found[0] == family
    assert_resolvable(found[1], n, k)
    known = KNOWN_MAX_ROUNDS.get((n // k, k))
    assert rounds == (known[0] if known else repeat_free_limit([k] * (n // k)))


@pytest.mark.parametrize(
    ("n", "k", "rounds"), [(16, 4, 5), (25, 5, 6), (35, 5, 7), (24, 4, 7), (42, 6, 7)]
)
def test_planner_reaches_the_family_maximum_and_mixes_generations(
    n: int, k: int, rounds: int
) -> None:
    groups = ["young", "older"] * (n // 2) + ["open"] * (n % 2)
    people = tuple(Participant(id=f"p{i}", group=g) for i, g in enumerate(groups))
    inst = Instance(participants=people, rounds=rounds, table_size=k, seed=2)
    plan = plan_tables(inst, effort=0.5)
    card = plan.scorecard
    assert plan.method == "design"
    assert card.repeat_encounters.value == 0
    assert card.single_generation_tables.value == card.single_generation_tables.best == 0


@pytest.mark.parametrize("rounds", [4, 5])
def test_relabelled_design_keeps_parties_needs_and_pins(rounds: int) -> None:
    groups = ["young", "older"] * 8
    people = [Participant(id=f"p{i}", group=g) for i, g in enumerate(groups)]
    people[0] = Participant(id="p0", group="young", needs=frozenset({"quiet"}))
    people[3] = Participant(id="p3", group="older", party="a")
    people[4] = Participant(id="p4", group="young", party="a")
    if rounds == 4:  # in all five rounds of AG(2, 4) everyone meets: p0 and p2 would clash
        people[2] = Participant(id="p2", group="young", pinned_table=3)
    inst = Instance(
        participants=tuple(people), rounds=rounds, table_size=4, seed=4, quiet_tables=frozenset({1})
    )
    plan = plan_tables(inst)
    card = plan.scorecard
    assert card.repeat_encounters.value == 0
    # in five rounds everyone meets everyone once, p3 and p4 too; in four they need not
    assert card.party_splits_missed.value == (1 if rounds == 5 else 0)
    assert card.accessibility_violations.value == 0
    assert card.single_generation_tables.value == 0
    for tables in plan.rounds:
        assert "p0" in tables[0]
        assert rounds == 5 or "p2" in tables[2]


@pytest.mark.parametrize(("n", "k", "rounds"), [(20, 3, 10), (30, 4, 9), (38, 3, 18), (27, 4, 9)])
def test_unequal_tables_from_a_design_without_some_points(n: int, k: int, rounds: int) -> None:
    inst = Instance(
        participants=tuple(Participant(id=f"p{i}") for i in range(n)),
        rounds=rounds,
        table_size=k,
        seed=1,
    )
    plan = plan_tables(inst, effort=0.3)
    assert plan.method == "design"
    assert plan.scorecard.repeat_encounters.value == 0
    for tables in plan.rounds:
        assert sorted((len(t) for t in tables), reverse=True) == table_sizes(n, k)


def test_table_sizes_never_leave_a_table_two_short() -> None:
    assert table_sizes(30, 4) == [4] * 6 + [3] * 2
    assert table_sizes(9, 3) == [3, 3, 3]
    assert table_sizes(10, 3) == [3, 3, 2, 2]
    assert table_sizes(5, 4) == [3, 2]
    assert table_sizes(0, 4) == []
    for n in range(1, 120):
        for size in range(2, 8):
            sizes = table_sizes(n, size)
            assert sum(sizes) == n and max(sizes) <= size
            assert max(sizes) - min(sizes) <= 1
            assert len(sizes) == -(-n // size)
    inst = Instance(participants=tuple(Participant(id=str(i)) for i in range(30)), table_size=4)
    assert Counter(len(t) for t in plan_tables(inst, effort=0.2).rounds[0]) == {4: 6, 3: 2}


def test_known_maxima_are_upper_bounds_of_the_limit() -> None:
    for (g, s), (best, upper) in KNOWN_MAX_ROUNDS.items():
        assert best <= upper
        assert repeat_free_limit([s] * g) == min(upper, (g * s - 1) // (s - 1))
    assert repeat_free_limit([3] * 4) == 4  # 12 at tables of 3: no nearly Kirkman system
    assert repeat_free_limit([4, 4, 4]) == 1  # a later table takes two from one table


@pytest.mark.parametrize(
    ("sizes", "rounds", "found", "proven"),
    [
        ((3, 3, 3, 3), 5, 3, 2),  # 12 at 3 for 5 rounds: at least 2 repeats, by search
        ((4, 4, 4), 3, 6, 6),  # pigeonhole is exact
        ((3, 3, 3), 5, 9, 9),  # counting is exact: AG(2, 3) plus a fifth round
        ((4, 3, 3), 3, 4, 2),  # 10 people: the search finds a seating with 2
    ],
)
def test_proven_lower_bounds_for_small_events(
    sizes: tuple[int, ...], rounds: int, found: int, proven: int
) -> None:
    bound, _exact = proven_min_repeats(sizes, rounds, found)
    assert bound == proven
