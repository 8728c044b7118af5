"""Tests for the pure table planner ``events.pairing`` and its designs.

Hard rules are checked here independently of the planner's own scorecard.
"""

from __future__ import annotations

import io
import json
import random
import subprocess
import sys
from collections import Counter
from itertools import combinations
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from events.pairing import (
    Instance,
    Participant,
    PlanningError,
    Seating,
    affine_plane,
    explain_seat,
    galois_field,
    instance_from_json,
    main,
    paired_translation_design,
    plan_tables,
    repeat_count,
    replan,
    round_robin,
    score_plan,
)

# --------------------------------------------------------------------------- helpers


def people(n: int, groups: list[str] | None = None) -> tuple[Participant, ...]:
    groups = groups or ["open"] * n
    return tuple(Participant(id=f"p{i}", group=groups[i]) for i in range(n))


def repeats(rounds: Seating) -> int:
    met: Counter[frozenset[str]] = Counter()
    for tables in rounds:
        for table in tables:
            met.update(frozenset(pair) for pair in combinations(table, 2))
    return sum(c - 1 for c in met.values())


def assert_hard_rules(inst: Instance, rounds: Seating) -> None:
    ids = sorted(p.id for p in inst.participants)
    assert len(rounds) == inst.rounds
    for tables in rounds:
        assert len(tables) == inst.tables()
        assert sorted(pid for table in tables for pid in table) == ids
        sizes = [len(table) for table in tables]
        assert max(sizes) - min(sizes) <= 1
        where = {pid: t + 1 for t, table in enumerate(tables) for pid in table}
        for p in inst.participants:
            if p.pinned_table is not None:
                assert where[p.id] == p.pinned_table
            if "quiet" in p.needs:
                assert where[p.id] in inst.quiet_tables
            if "step_free" in p.needs:
                assert where[p.id] in inst.step_free_tables


# --------------------------------------------------------------------------- properties


@st.composite
def feasible_instances(draw: st.DrawFn) -> Instance:
    """Random instances whose hard rules can all be met."""
    n = draw(st.integers(1, 36))
    size = draw(st.integers(2, 6))
    rounds = draw(st.integers(1, 4))
    n_tables = -(-n // size)
    q_min = n // n_tables
    tables = list(range(1, n_tables + 1))
    quiet = set(draw(st.lists(st.sampled_from(tables), max_size=2, unique=True)))
    step_free = set(draw(st.lists(st.sampled_from(tables), max_size=2, unique=True))) - quiet
    free = [t for t in tables if t not in quiet | step_free]
    budget = {"quiet": len(quiet) * q_min, "step_free": len(step_free) * q_min}
    pin_room = dict.fromkeys(free, q_min)
    out = []
    for i in range(n):
        choice = draw(st.sampled_from(["none", "none", "none", "quiet", "step_free", "pin"]))
        needs: frozenset[str] = frozenset()
        pinned = None
        if choice in budget and budget[choice] > 0:
            budget[choice] -= 1
            needs = frozenset({choice})
        elif choice == "pin" and free:
            t = draw(st.sampled_from(free))
            if pin_room[t] > 0:
                pin_room[t] -= 1
                pinned = t
        out.append(
            Participant(
                id=f"p{i}",
                group=draw(st.sampled_from(["young", "older", "open"])),
                party=draw(st.sampled_from([None, None, "a", "b"])),
                languages=frozenset(draw(st.sets(st.sampled_from(["nl", "en", "ar"]), max_size=2))),
                interests=frozenset(draw(st.sets(st.sampled_from(["music", "chess"]), max_size=2))),
                needs=needs,
                pinned_table=pinned,
            )
        )
    return Instance(
        participants=tuple(out),
        rounds=rounds,
        table_size=size,
        seed=draw(st.integers(0, 1000)),
        quiet_tables=frozenset(quiet),
        step_free_tables=frozenset(step_free),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(feasible_instances())
def test_hard_rules_hold_on_random_instances(inst: Instance) -> None:
    plan = plan_tables(inst, effort=0.3)
    assert_hard_rules(inst, plan.rounds)
    card = plan.scorecard
    assert card.seating_errors == ()
    assert card.accessibility_violations.value == 0
    assert card.repeat_encounters.value == repeats(plan.rounds)
    assert card.repeat_encounters.best is not None
    assert card.repeat_encounters.value >= card.repeat_encounters.best


@settings(max_examples=15, deadline=None)
@given(feasible_instances())
def test_same_seed_same_plan(inst: Instance) -> None:
    assert plan_tables(inst, effort=0.2).rounds == plan_tables(inst, effort=0.2).rounds


@settings(max_examples=40, deadline=None)
@given(feasible_instances())
def test_bounds_never_exceed_what_plans_reach(inst: Instance) -> None:
    card = plan_tables(inst, effort=0.2).scorecard
    for name in (
        "repeat_encounters",
        "party_splits_missed",
        "generation_imbalance",
        "single_generation_tables",
        "language_isolated_seats",
        "accessibility_violations",
    ):
        metric = getattr(card, name)
        assert metric.best is None or metric.value >= metric.best, name


# --------------------------------------------------------------------------- known limits


@pytest.mark.parametrize(
    ("n", "size", "rounds"),
    [(16, 4, 5), (20, 4, 5), (24, 4, 7), (15, 3, 7), (9, 3, 4), (12, 2, 11)],
)
def test_known_repeat_free_limits_are_reached(n: int, size: int, rounds: int) -> None:
    inst = Instance(participants=people(n), rounds=rounds, table_size=size, seed=1)
    plan = plan_tables(inst)
    assert_hard_rules(inst, plan.rounds)
    assert repeats(plan.rounds) == 0
    assert plan.scorecard.repeat_encounters.value == 0


def test_social_golfer_32_at_4_for_10_rounds() -> None:
    inst = Instance(participants=people(32), rounds=10, table_size=4, seed=1)
    plan = plan_tables(inst)
    assert_hard_rules(inst, plan.rounds)
    assert repeats(plan.rounds) == 0
    assert plan.method == "design"


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_paired_translation_design_8_4_10(seed: int) -> None:
    rounds = paired_translation_design(32, 10, seed=seed)
    assert rounds is not None
    assert len(rounds) == 10
    for blocks in rounds:
        assert sorted(p for b in blocks for p in b) == list(range(32))
        assert all(len(b) == 4 for b in blocks)
    assert repeat_count(rounds) == 0


def test_eight_young_eight_older_balanced_without_repeats() -> None:
    groups = ["young"] * 8 + ["older"] * 8
    inst = Instance(participants=people(16, groups), rounds=4, table_size=4, seed=3)
    plan = plan_tables(inst)
    assert repeats(plan.rounds) == 0
    group = {p.id: p.group for p in inst.participants}
    for tables in plan.rounds:
        for table in tables:
            assert sorted(group[pid] for pid in table) == ["older", "older", "young", "young"]
    assert plan.scorecard.generation_imbalance.value == 0
    assert plan.scorecard.single_generation_tables.value == 0


def test_impossible_repeat_free_plan_is_explained() -> None:
    inst = Instance(participants=people(12), rounds=2, table_size=4)
    plan = plan_tables(inst)
    metric = plan.scorecard.repeat_encounters
    assert plan.scorecard.repeat_free_rounds_limit == 1
    assert metric.code == "repeat_free_impossible"
    assert dict(metric.params) == {"people": 12, "size": 4, "limit": 1, "exact": 1}
    assert metric.best == 3  # each round-2 table of 4 takes two people from one round-1 table
    assert metric.value == 3


# --------------------------------------------------------------------------- soft rules


def test_parties_split_and_keep_apart_and_met_before_respected() -> None:
    base = people(16, ["young", "older"] * 8)
    parted = tuple(
        Participant(id=p.id, group=p.group, party=f"f{i // 3}" if i < 12 else None)
        for i, p in enumerate(base)
    )
    inst = Instance(
        participants=parted,
        rounds=3,
        table_size=4,
        keep_apart=(("p0", "p5"), ("p6", "p9")),
        met_before=(("p1", "p2"), ("p3", "p7")),
    )
    card = plan_tables(inst).scorecard
    assert card.party_splits_missed.value == 0
    assert card.keep_apart_violations.value == 0
    assert card.met_before_again.value == 0
    assert card.repeat_encounters.value == 0


def test_buddies_are_seated_together() -> None:
    inst = Instance(participants=people(12), rounds=2, table_size=4, buddies=(("p0", "p11"),))
    plan = plan_tables(inst)
    assert plan.scorecard.buddies_seated.value == 1
    assert any("p0" in t and "p11" in t for tables in plan.rounds for t in tables)


def test_nobody_language_isolated_when_avoidable() -> None:
    langs = [{"nl"}] * 10 + [{"ar", "en"}, {"ar"}, {"en"}, {"en"}, {"tr", "nl"}, {"tr"}]
    inst = Instance(
        participants=tuple(
            Participant(id=f"p{i}", languages=frozenset(lang)) for i, lang in enumerate(langs)
        ),
        rounds=1,
        table_size=4,
    )
    card = plan_tables(inst).scorecard
    assert card.language_isolated_seats.value == card.language_isolated_seats.best == 0


def test_rescoring_a_manual_move_counts_repeats_and_errors() -> None:
    inst = Instance(participants=people(16), rounds=2, table_size=4)
    plan = plan_tables(inst)
    moved = [[list(t) for t in tables] for tables in plan.rounds]
    # put round 2's first table equal to round 1's first table: 6 repeated pairs at least
    first = set(moved[0][0])
    for t, table in enumerate(moved[1]):
        moved[1][t] = [p for p in table if p not in first]
    moved[1][0] += sorted(first)
    card = score_plan(inst, moved)
    assert card.repeat_encounters.value >= 6
    broken = [tables[1:] for tables in moved]
    assert score_plan(inst, broken).seating_errors


def test_explanations_say_why_someone_sits_somewhere() -> None:
    ps = (
        Participant(
            id="ans", group="older", needs=frozenset({"quiet"}), languages=frozenset({"nl"})
        ),
        *people(7),
    )
    inst = Instance(participants=ps, rounds=2, table_size=4, quiet_tables=frozenset({2}))
    plan = plan_tables(inst)
    seats = explain_seat(inst, plan.rounds, "ans")
    assert [(seat.round, seat.table) for seat in seats] == [(1, 2), (2, 2)]
    for seat in seats:
        codes = [reason.code for reason in seat.reasons]
        assert "quiet_table" in codes and "mix" in codes
        assert all(
            isinstance(reason.code, str) and " " not in reason.code for reason in seat.reasons
        )


# --------------------------------------------------------------------------- re-planning


def event(n: int, seed: int = 7) -> Instance:
    rng = random.Random(seed)
    ps = tuple(
        Participant(
            id=f"p{i}",
            group=rng.choice(["young", "older"]),
            party=f"f{i // 2}" if i % 10 < 2 else None,
            languages=frozenset({"nl"}),
            interests=frozenset(rng.sample(["music", "chess", "garden", "films"], 2)),
        )
        for i in range(n)
    )
    return Instance(participants=ps, rounds=3, table_size=4, seed=seed)


def test_replan_after_no_shows_and_late_arrivals_moves_few() -> None:
    inst = event(120)
    plan = plan_tables(inst, effort=0.5)
    rng = random.Random(1)
    gone = set(rng.sample([p.id for p in inst.participants], 12))
    late = tuple(Participant(id=f"late{i}", group="young") for i in range(5))
    now = Instance(
        participants=tuple(p for p in inst.participants if p.id not in gone) + late,
        rounds=inst.rounds,
        table_size=4,
        seed=inst.seed,
    )
    again = replan(now, plan.rounds)
    assert_hard_rules(now, again.rounds)
    moved = again.scorecard.moved_people
    assert moved is not None
    assert moved.best is not None
    assert moved.best <= moved.value <= moved.best + 30
    assert again.scorecard.repeat_encounters.value == 0
    # the round being seated at the door moves only the people the new table sizes force
    stay = [len([p for p in t if p not in gone]) for t in plan.rounds[0]]
    kept = sorted(stay[: now.tables()], reverse=True)
    q, extra = divmod(len(now.participants), now.tables())
    forced = sum(max(0, k - (q + 1 if i < extra else q)) for i, k in enumerate(kept))
    forced += sum(stay[now.tables() :])  # tables that no longer exist
    before = {p: t for t, ids in enumerate(plan.rounds[0]) for p in ids if p not in gone}
    after = {p: t for t, ids in enumerate(again.rounds[0]) for p in ids}
    assert sum(1 for p, t in before.items() if after[p] != t) == forced


def test_replan_without_changes_moves_nobody() -> None:
    inst = event(40)
    plan = plan_tables(inst, effort=0.5)
    again = replan(inst, plan.rounds)
    assert again.rounds == plan.rounds
    assert again.scorecard.moved_people is not None
    assert again.scorecard.moved_people.value == 0


# --------------------------------------------------------------------------- JSON and CLI


def test_command_line_prints_plan_and_scorecard() -> None:
    data = {
        "table_size": 4,
        "rounds": 2,
        "seed": 5,
        "quiet_tables": [1],
        "participants": [
            {"id": "a", "group": "young", "party": "x", "needs": ["quiet"]},
            {"id": "b", "group": "older", "party": "x", "languages": ["nl"]},
            *({"id": f"p{i}", "group": "open"} for i in range(6)),
        ],
        "met_before": [["a", "p1"]],
        "keep_apart": [["b", "p2"]],
        "buddies": [["p3", "p4"]],
    }
    out = io.StringIO()
    assert main([], io.StringIO(json.dumps(data)), out) == 0
    result = json.loads(out.getvalue())
    assert len(result["rounds"]) == 2
    assert all("a" in tables[0] for tables in result["rounds"])
    card = result["scorecard"]
    assert card["accessibility_violations"]["value"] == 0
    assert {"repeat_encounters", "generation_imbalance", "time_seconds"} <= set(card)


def test_python_dash_m_runs_the_planner() -> None:
    root = Path(__file__).resolve().parents[2]
    data = {"table_size": 3, "rounds": 2, "participants": [{"id": str(i)} for i in range(9)]}
    done = subprocess.run(
        [sys.executable, "-m", "events.pairing"],
        input=json.dumps(data),
        capture_output=True,
        text=True,
        cwd=root,
        check=True,
        timeout=60,
    )
    result = json.loads(done.stdout)
    assert [len(tables) for tables in result["rounds"]] == [3, 3]
    assert result["scorecard"]["repeat_encounters"]["value"] == 0


def test_command_line_rejects_bad_input_with_a_code() -> None:
    out = io.StringIO()
    bad = {"table_size": 4, "rounds": 1, "participants": [{"id": "a", "group": "child"}]}
    assert main([], io.StringIO(json.dumps(bad)), out) == 2
    assert json.loads(out.getvalue())["error"] == "bad_group"
    out = io.StringIO()
    assert main([], io.StringIO("{not json"), out) == 2
    assert json.loads(out.getvalue())["error"] == "bad_json"


def test_instance_from_json_rejects_duplicates() -> None:
    with pytest.raises(PlanningError) as err:
        instance_from_json({"table_size": 4, "participants": [{"id": "a"}, {"id": "a"}]})
    assert err.value.code == "duplicate_participant"


# --------------------------------------------------------------------------- designs


@pytest.mark.parametrize("q", [2, 3, 4, 5, 7, 8, 9])
def test_affine_planes_are_resolvable_and_repeat_free(q: int) -> None:
    plane = affine_plane(q)
    assert plane is not None
    assert len(plane) == q + 1
    for blocks in plane:
        assert sorted(p for b in blocks for p in b) == list(range(q * q))
    assert repeat_count(plane) == 0


def test_galois_fields_have_inverses_and_round_robin_meets_everyone() -> None:
    for q in (4, 8, 9, 16):
        field = galois_field(q)
        assert field is not None
        assert all(any(field.mul[a][b] == 1 for b in range(q)) for a in range(1, q))
    assert galois_field(6) is None
    rr = round_robin(10)
    assert rr is not None
    assert repeat_count(rr) == 0
    assert sum(len(blocks) for blocks in rr) == 45
