"""Benchmark the table planner: design families, impossible cases, realistic events, speed.

Run from the repository root: ``python scripts/bench/pairing.py [--skip-large]
[--skip-families]``. Prints four tables:

1. per design family, at least three members: the rounds the planner reaches with nobody
   meeting anyone twice, beside the best known (and the proven upper bound), and the time;
2. small impossible cases: the planner's repeats beside the proven lower bound, and whether
   the exhaustive search proved it the minimum;
3. per case, the planner's scorecard beside a random seating's (same table sizes) and the
   best possible where known, with the time taken;
4. re-planning at the door, and the same seed giving the same plan twice.

Events are generated with a fixed seed.

May import: the standard library and ``events.pairing``.
"""

from __future__ import annotations

import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from events.pairing import (
    KNOWN_MAX_ROUNDS,
    Instance,
    Participant,
    Plan,
    Scorecard,
    Seating,
    plan_tables,
    proven_min_repeats,
    repeat_free_limit,
    replan,
    score_plan,
    table_sizes,
)
from events.pairing.designs import find_design

LANGUAGES = ["nl", "en", "ar", "tr", "pl", "fy"]
INTERESTS = ["music", "garden", "chess", "cooking", "football", "books", "films", "walking"]


@dataclass(frozen=True)
class Case:
    name: str
    instance: Instance


def plain(n: int, size: int, rounds: int, groups: list[str] | None = None) -> Instance:
    groups = groups or ["open"] * n
    people = tuple(Participant(id=f"p{i}", group=groups[i]) for i in range(n))
    return Instance(participants=people, rounds=rounds, table_size=size, seed=1)


def realistic(n: int, *, rounds: int = 4, size: int = 4, seed: int = 2024) -> Instance:
    """An event with parties (couples, friends), mostly Dutch speakers, interests and needs."""
    rng = random.Random(seed + n)
    people: list[Participant] = []
    party_no = 0
    while len(people) < n:
        members = 1 if rng.random() < 0.75 else rng.choice([2, 2, 3])
        party_no += 1
        for _ in range(min(members, n - len(people))):
            people.append(_person(rng, len(people), f"party{party_no}" if members > 1 else None))
    n_tables = -(-n // size)
    quiet = frozenset(range(1, max(1, n_tables // 4) + 1))
    step_free = frozenset(range(max(1, n_tables // 4), max(2, n_tables // 2) + 1))
    return Instance(
        participants=tuple(people),
        rounds=rounds,
        table_size=size,
        seed=seed,
        quiet_tables=quiet,
        step_free_tables=step_free,
    )


def _person(rng: random.Random, i: int, party: str | None) -> Participant:
    langs = {"nl"} if rng.random() < 0.85 else set()
    if rng.random() < 0.3 or not langs:
        langs.add(rng.choice(LANGUAGES))
    needs = set()
    if rng.random() < 0.04:
        needs.add("quiet")
    if rng.random() < 0.06:
        needs.add("step_free")
    return Participant(
        id=f"p{i}",
        group=rng.choices(["young", "older", "open"], [45, 45, 10])[0],
        party=party,
        languages=frozenset(langs),
        interests=frozenset(rng.sample(INTERESTS, rng.randint(1, 3))),
        needs=frozenset(needs),
    )


def random_seating(inst: Instance, seed: int = 99) -> Seating:
    rng = random.Random(seed)
    ids = [p.id for p in inst.participants]
    n_tables = inst.tables()
    rounds: Seating = []
    for _ in range(inst.rounds):
        rng.shuffle(ids)
        rounds.append([ids[t::n_tables] for t in range(n_tables)])
    return rounds


COLUMNS = [
    ("repeat", "repeat_encounters"),
    ("party", "party_splits_missed"),
    ("gen", "generation_imbalance"),
    ("1-gen", "single_generation_tables"),
    ("lang", "language_isolated_seats"),
    ("access", "accessibility_violations"),
    ("interest", "shared_interest_share"),
]


def _fmt(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.2f}" if isinstance(value, float) and not value.is_integer() else f"{value:g}"


def row(name: str, plan: Plan, rand: Scorecard) -> str:
    cells = [f"{name:<22}", f"{plan.method:<7}", f"{plan.scorecard.time_seconds:6.2f}s"]
    for _, attr in COLUMNS:
        mine, other = getattr(plan.scorecard, attr), getattr(rand, attr)
        cells.append(f"{_fmt(mine.value)}/{_fmt(other.value)}/{_fmt(mine.best)}".rjust(13))
    return " ".join(cells)


def cases(skip_large: bool) -> list[Case]:
    out = [
        Case("16@4 x5", plain(16, 4, 5)),
        Case("20@4 x5", plain(20, 4, 5)),
        Case("24@4 x7", plain(24, 4, 7)),
        Case("32@4 x10 (8-4-10)", plain(32, 4, 10)),
        Case("15@3 x7 (Kirkman)", plain(15, 3, 7)),
        Case("8y+8o@4 x4", plain(16, 4, 4, ["young"] * 8 + ["older"] * 8)),
        Case("12y+12o@4 x4", plain(24, 4, 4, ["young", "older"] * 12)),
        Case("12@4 x3 (impossible)", plain(12, 4, 3)),
    ]
    sizes = [12, 20, 40, 100, 200] + ([] if skip_large else [1000])
    out += [Case(f"event {n}@4 x4", realistic(n)) for n in sizes]
    return out


def bench_replan() -> str:
    inst = realistic(200)
    plan = plan_tables(inst)
    rng = random.Random(5)
    gone = set(rng.sample([p.id for p in inst.participants], 20))
    late = tuple(_person(rng, 1000 + i, None) for i in range(5))
    now = Instance(
        participants=tuple(p for p in inst.participants if p.id not in gone) + late,
        rounds=inst.rounds,
        table_size=inst.table_size,
        seed=inst.seed,
        quiet_tables=inst.quiet_tables,
        step_free_tables=inst.step_free_tables,
    )
    started = time.perf_counter()
    again = replan(now, plan.rounds)
    elapsed = time.perf_counter() - started
    moved = again.scorecard.moved_people
    seated = sum(1 for p in now.participants if p.id not in {q.id for q in late}) * inst.rounds
    card = again.scorecard
    return (
        f"re-plan 200 people, 20 no-shows + 5 late arrivals, {inst.rounds} rounds: "
        f"{elapsed:.2f}s, moved {moved.value if moved else '?'} of {seated} seats "
        f"(forced at least {moved.best if moved else '?'}), repeats "
        f"{card.repeat_encounters.value}, access violations "
        f"{card.accessibility_violations.value}, errors {len(card.seating_errors)}"
    )


# --------------------------------------------------------------------------- families

# (family, people, table size, best known rounds, size used by no test). Beyond OEIS
# A107431 the best known is the family's own count (an upper bound is printed beside it).
FAMILIES = [
    ("round robin (pairs)", 10, 2, 9, False),
    ("round robin (pairs)", 22, 2, 21, True),
    ("round robin (pairs)", 30, 2, 29, True),
    ("affine geometry AG(d,q)", 16, 4, 5, False),
    ("affine geometry AG(d,q)", 27, 3, 13, False),
    ("affine geometry AG(d,q)", 25, 5, 6, False),
    ("affine geometry AG(d,q)", 81, 9, 10, True),
    ("affine geometry AG(d,q)", 64, 4, 21, False),
    ("Latin squares (MOLS)", 20, 4, 5, False),
    ("Latin squares (MOLS)", 35, 5, 7, False),
    ("Latin squares (MOLS)", 44, 4, 11, False),
    ("Latin squares (MOLS)", 56, 7, 8, True),
    ("Latin squares (MOLS)", 36, 6, 3, False),
    ("Kirkman triples KTS(v)", 15, 3, 7, False),
    ("Kirkman triples KTS(v)", 21, 3, 10, False),
    ("Kirkman triples KTS(v)", 33, 3, 16, False),
    ("Kirkman triples KTS(v)", 39, 3, 19, True),
    ("Kirkman triples KTS(v)", 45, 3, 22, True),
    ("nearly Kirkman NKTS(v)", 18, 3, 8, False),
    ("nearly Kirkman NKTS(v)", 24, 3, 11, False),
    ("nearly Kirkman NKTS(v)", 30, 3, 14, True),
    ("resolvable (v,4,1)", 16, 4, 5, False),
    ("resolvable (v,4,1)", 28, 4, 9, False),
    ("resolvable (v,4,1)", 40, 4, 13, False),
    ("resolvable (v,4,1)", 52, 4, 17, False),
    ("resolvable (v,4,1)", 76, 4, 25, True),
]


def golfer_members() -> list[tuple[str, int, int, int, bool]]:
    """Every social golfer maximum of OEIS A107431 up to 7 tables of 7, and 8 tables of 4."""
    return [
        ("social golfer A107431", g * s, s, best, False)
        for (g, s), (best, _upper) in sorted(KNOWN_MAX_ROUNDS.items())
    ]


def reached(n: int, k: int, best: int) -> tuple[int, float, str]:
    """The most rounds up to ``best`` the planner seats with zero repeats (by bisection,
    trying ``best`` first), with the time and method of that plan."""
    people = tuple(Participant(id=f"p{i}") for i in range(n))

    def attempt(rounds: int) -> Plan:
        return plan_tables(Instance(participants=people, rounds=rounds, table_size=k, seed=1))

    plan = attempt(best)
    if plan.scorecard.repeat_encounters.value == 0:
        return best, plan.scorecard.time_seconds, plan.method
    low, high, found = 1, best - 1, attempt(1)
    while low < high:
        middle = (low + high + 1) // 2
        trial = attempt(middle)
        if trial.scorecard.repeat_encounters.value == 0:
            low, found = middle, trial
        else:
            high = middle - 1
    return low, found.scorecard.time_seconds, found.method


def family_table(members: list[tuple[str, int, int, int, bool]]) -> None:
    print("design families: rounds with zero repeats (planner) / best known / upper bound")
    print("(* a size that no test uses)")
    head = f"{'family':<26}{'people':>7}{'size':>5}{'reached':>9}{'best':>6}{'upper':>7}"
    print(f"{head}{'time':>8}  {'method (construction)'}")
    for family, n, k, best, untested in members:
        got, seconds, method = reached(n, k, best)
        upper = repeat_free_limit(table_sizes(n, k))
        found = find_design(n, k, best)
        source = f"{method} ({found[0] if found else 'none'})"
        mark = "" if got >= best else "  <- gap"
        name = f"{family}{' *' if untested else ''}"
        line = f"{name:<26}{n:>7}{k:>5}{got:>9}{best:>6}{upper:>7}{seconds:>7.2f}s  {source}"
        print(f"{line}{mark}", flush=True)


IMPOSSIBLE = [(6, 3, 2), (8, 4, 2), (9, 3, 5), (10, 4, 3), (12, 4, 2), (12, 4, 3), (12, 3, 5)]
IMPOSSIBLE += [(8, 2, 8), (15, 3, 8), (16, 4, 6), (18, 3, 9), (20, 4, 6), (24, 4, 8)]


def impossible_table() -> None:
    print("\nimpossible small cases: planner repeats / proven lower bound (exact: proved minimum)")
    print(f"{'people':>7}{'size':>5}{'rounds':>7}{'limit':>6}{'repeats':>9}{'bound':>7}  proof")
    for n, k, rounds in IMPOSSIBLE:
        people = tuple(Participant(id=f"p{i}") for i in range(n))
        inst = Instance(participants=people, rounds=rounds, table_size=k, seed=1)
        card = plan_tables(inst).scorecard.repeat_encounters
        value = int(card.value)
        bound, exact = proven_min_repeats(tuple(table_sizes(n, k)), rounds, value)
        proof = "minimum" if exact and bound == value else f"gap {value - bound}"
        limit = repeat_free_limit(table_sizes(n, k))
        print(f"{n:>7}{k:>5}{rounds:>7}{limit:>6}{value:>9}{bound:>7}  {proof}", flush=True)


def bench_determinism() -> str:
    inst = realistic(200)
    first, second = plan_tables(inst), plan_tables(inst)
    same = first.rounds == second.rounds
    return f"same seed twice (200 people, 4 rounds): {'same plan' if same else 'DIFFERENT PLANS'}"


def main(argv: list[str]) -> int:
    if "--skip-families" not in argv:
        family_table(FAMILIES + golfer_members())
        impossible_table()
        print()
    head = [f"{'case':<22}", f"{'method':<7}", f"{'time':>7}"]
    head += [f"{title:>13}" for title, _ in COLUMNS]
    print("cells: planner/random/best possible (lower bound; '-' unknown)")
    print(" ".join(head))
    for case in cases("--skip-large" in argv):
        plan = plan_tables(case.instance)
        rand = score_plan(case.instance, random_seating(case.instance))
        print(row(case.name, plan, rand), flush=True)
    print(bench_replan())
    print(bench_determinism())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
