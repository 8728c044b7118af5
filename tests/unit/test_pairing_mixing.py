"""Property tests of the planner on random realistic events (issue 12, point 1).

Every table mixes young and older (``open`` people count as neither) whenever the numbers
allow it, and otherwise exactly the forced number of tables does not; on roomy events
nobody meets anyone twice, and where young and older are plentiful, parties are split as far
as their size allows. Checked against the
seating itself, not only against the planner's scorecard.
"""

from __future__ import annotations

from collections import Counter
from itertools import combinations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from events.pairing import Instance, Participant, Seating, plan_tables, table_sizes

LANGUAGES = ["nl", "en", "ar", "tr", "pl"]
INTERESTS = ["music", "garden", "chess", "cooking", "walking"]


@st.composite
def realistic_events(draw: st.DrawFn, low: int = 10, high: int = 60) -> Instance:
    """10-1,000 people, 0-30 % open, parties of 2-4 with mixed ages, needs, languages."""
    n = draw(st.integers(low, high))
    size = draw(st.integers(3, 6))
    rounds = draw(st.integers(1, 4))
    open_share = draw(st.integers(0, 30)) / 100
    rng = draw(st.randoms(use_true_random=False))
    n_tables = len(table_sizes(n, size))
    quiet = frozenset(range(1, max(1, n_tables // 4) + 1))
    step_free = frozenset(range(max(2, n_tables // 2), n_tables + 1)) - quiet
    budget = {"quiet": len(quiet), "step_free": len(step_free)}
    people: list[Participant] = []
    while len(people) < n:
        members = 1 if rng.random() < 0.7 else rng.randint(2, 4)
        party = f"party{len(people)}" if members > 1 else None
        for _ in range(min(members, n - len(people))):
            need = rng.choice(["quiet", "step_free"]) if rng.random() < 0.08 else None
            if need is not None and budget[need] > 0:
                budget[need] -= 1
            else:
                need = None
            group = "open" if rng.random() < open_share else rng.choice(["young", "older"])
            people.append(
                Participant(
                    id=f"p{len(people)}",
                    group=group,
                    party=party,
                    languages=frozenset(rng.sample(LANGUAGES, rng.randint(0, 2)) or ["nl"]),
                    interests=frozenset(rng.sample(INTERESTS, rng.randint(0, 2))),
                    needs=frozenset({need}) if need else frozenset(),
                )
            )
    return Instance(
        participants=tuple(people),
        rounds=rounds,
        table_size=size,
        seed=draw(st.integers(0, 10_000)),
        quiet_tables=quiet,
        step_free_tables=step_free,
    )


def unmixed_tables(inst: Instance, rounds: Seating) -> int:
    group = {p.id: p.group for p in inst.participants}
    return sum(
        1
        for tables in rounds
        for table in tables
        if not {"young", "older"} <= {group[pid] for pid in table}
    )


def repeats(rounds: Seating) -> int:
    met = Counter(
        frozenset(pair) for tables in rounds for t in tables for pair in combinations(t, 2)
    )
    return sum(c - 1 for c in met.values())


def party_pairs(inst: Instance, rounds: Seating) -> int:
    party = {p.id: p.party for p in inst.participants}
    return sum(
        1
        for tables in rounds
        for table in tables
        for a, b in combinations(table, 2)
        if party[a] is not None and party[a] == party[b]
    )


def check_event(inst: Instance, effort: float) -> None:
    plan = plan_tables(inst, effort=effort)
    card = plan.scorecard
    assert card.seating_errors == ()
    assert card.accessibility_violations.value == 0
    assert [len(t) for t in plan.rounds[0]] == inst.sizes()
    young = sum(p.group == "young" for p in inst.participants)
    older = sum(p.group == "older" for p in inst.participants)
    n_tables = inst.tables()
    forced = n_tables - min(young, older, n_tables)
    assert card.single_generation_tables.best == forced * inst.rounds
    assert unmixed_tables(inst, plan.rounds) == card.single_generation_tables.value
    assert card.single_generation_tables.value == card.single_generation_tables.best
    if young >= n_tables and older >= n_tables:
        assert card.single_generation_tables.value == 0
    size = max(len(t) for t in plan.rounds[0])
    roomy = inst.rounds * (size - 1) <= (len(inst.participants) - 1) // 2
    assert repeats(plan.rounds) == card.repeat_encounters.value
    if roomy:  # zero, or what a table larger than the number of tables forces
        assert card.repeat_encounters.value == card.repeat_encounters.best
    if roomy and min(young, older) >= 2 * n_tables:
        # With exactly one young (or older) per table, mixing and meeting new people can
        # force two of a party together; with twice as many, parties split as far as
        # their size allows.
        assert party_pairs(inst, plan.rounds) == card.party_splits_missed.best


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(realistic_events())
def test_small_events_mix_every_table_the_numbers_allow(inst: Instance) -> None:
    check_event(inst, effort=0.5)


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(realistic_events(low=150, high=1000))
def test_large_events_mix_every_table_the_numbers_allow(inst: Instance) -> None:
    check_event(inst, effort=0.3)


def test_open_people_never_count_as_mixing() -> None:
    people = tuple(Participant(id=f"y{i}", group="young") for i in range(3)) + tuple(
        Participant(id=f"o{i}", group=g) for i, g in enumerate(["open"] * 6 + ["older"] * 3)
    )
    inst = Instance(participants=people, rounds=2, table_size=4, seed=3)
    plan = plan_tables(inst)
    card = plan.scorecard.single_generation_tables
    assert card.best == card.value == 0  # three tables, each with a young and an older
    all_open = Instance(participants=people[3:9], rounds=1, table_size=3)
    lone = plan_tables(all_open).scorecard.single_generation_tables
    assert lone.value == lone.best == 2  # two tables of open people mix nobody
    assert lone.code == "no_mix_to_make"
    young_and_open = Instance(participants=people[:9], rounds=1, table_size=3)
    card = plan_tables(young_and_open).scorecard.single_generation_tables
    assert card.value == card.best == 3 and card.code == "no_mix_to_make"


def test_too_few_older_people_leave_exactly_the_forced_tables_unmixed() -> None:
    people = tuple(Participant(id=f"p{i}", group="older" if i < 2 else "young") for i in range(16))
    inst = Instance(participants=people, rounds=3, table_size=4, seed=1)
    card = plan_tables(inst).scorecard.single_generation_tables
    assert card.value == card.best == 2 * 3
    assert card.code == "mix_forced"
    assert dict(card.params) == {"young": 14, "older": 2, "tables": 4, "num": 2}
