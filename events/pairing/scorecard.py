"""Scoring a seating rule by rule, beside the best possible (``score_plan``).

Owns: the one-pass tally of a seating, the seating errors, and the metrics.

May import: the standard library and the sibling modules ``model``, ``indexed`` and
``bounds``.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from events.pairing.bounds import Bounds
from events.pairing.indexed import Model, build_model, caps_for_homes
from events.pairing.model import Instance, Metric, Scorecard, SeatingError


@dataclass
class _Tally:
    """Raw counts of a seating, gathered in one pass."""

    meet: dict[tuple[int, int], int] = field(default_factory=dict)
    party: int = 0
    imbalance: int = 0
    single: int = 0
    isolated: int = 0
    pairs: int = 0
    shared: int = 0
    access: int = 0
    errors: list[SeatingError] = field(default_factory=list)


def _index_rounds(
    inst: Instance, rounds: Sequence[Sequence[Sequence[str]]], index: dict[str, int], tally: _Tally
) -> list[list[list[int]]]:
    out = []
    for r, tables in enumerate(rounds):
        seen: set[str] = set()
        row: list[list[int]] = []
        unknown: list[str] = []
        twice: list[str] = []
        for members in tables:
            row.append([])
            for pid in members:
                if pid not in index:
                    unknown.append(pid)
                elif pid in seen:
                    twice.append(pid)
                else:
                    row[-1].append(index[pid])
                seen.add(pid)
        missing = sorted(set(index) - seen)
        for code, ids in (("unknown_participant", unknown), ("seated_twice", twice)):
            if ids:
                tally.errors.append(SeatingError(code, {"round": r + 1, "ids": tuple(ids)}))
        if missing:
            tally.errors.append(SeatingError("not_seated", {"round": r + 1, "ids": tuple(missing)}))
        sizes = [len(t) for t in row if t]
        if sizes and max(sizes) - min(sizes) > 1:
            tally.errors.append(SeatingError("table_sizes_differ", {"round": r + 1}))
        out.append(row)
    if len(rounds) != inst.rounds:
        params = {"expected": inst.rounds, "got": len(rounds)}
        tally.errors.append(SeatingError("wrong_round_count", params))
    return out


def _tally_table(model: Model, t: int, members: list[int], tally: _Tally) -> None:
    gen, party, lang, interest = model.gen, model.party, model.lang, model.interest
    young = sum(1 for p in members if gen[p] == 0)
    older = sum(1 for p in members if gen[p] == 1)
    tally.imbalance += abs(young - older)
    if members and not (young and older):
        tally.single += 1  # open people count as neither young nor older
    for i, a in enumerate(members):
        if not model.allowed[a] >> t & 1:
            tally.access += 1
        others = [b for b in members if b != a]
        if lang[a] and others and not any(lang[a] & lang[b] for b in others):
            tally.isolated += 1
        for b in members[i + 1 :]:
            key = (a, b) if a < b else (b, a)
            tally.meet[key] = tally.meet.get(key, 0) + 1
            tally.pairs += 1
            tally.shared += 1 if interest[a] & interest[b] else 0
            tally.party += 1 if party[a] >= 0 and party[a] == party[b] else 0


def score_plan(
    instance: Instance,
    rounds: Sequence[Sequence[Sequence[str]]],
    *,
    started: float | None = None,
    previous: Sequence[Sequence[Sequence[str]]] | None = None,
) -> Scorecard:
    """Score any seating (also one edited by hand) against the rules and the best possible."""
    model = build_model(instance)
    index = {pid: i for i, pid in enumerate(model.ids)}
    tally = _Tally()
    indexed = _index_rounds(instance, rounds, index, tally)
    for row in indexed:
        for t, members in enumerate(row):
            _tally_table(model, t, members, tally)
    bounds = Bounds(instance, model)
    elapsed = time.perf_counter() - started if started is not None else 0.0
    return Scorecard(
        repeat_encounters=bounds.repeats(sum(c - 1 for c in tally.meet.values() if c > 1)),
        met_before_again=_met_before_metric(instance, index, tally),
        keep_apart_violations=_pairs_metric(index, tally, instance.keep_apart),
        party_splits_missed=bounds.party(tally.party),
        generation_imbalance=bounds.generations(tally.imbalance),
        single_generation_tables=bounds.single(tally.single),
        language_isolated_seats=bounds.language(tally.isolated),
        shared_interest_share=Metric(
            round(tally.shared / tally.pairs, 4) if tally.pairs else 0.0, None
        ),
        accessibility_violations=bounds.access(tally.access),
        buddies_seated=_buddies_metric(instance, index, tally),
        moved_people=_moved_metric(instance, rounds, previous) if previous is not None else None,
        seating_errors=tuple(tally.errors),
        repeat_free_rounds_limit=bounds.repeat_free_limit,
        time_seconds=elapsed,
    )


def _met_count(index: dict[str, int], tally: _Tally, a: str, b: str) -> int:
    if a not in index or b not in index or a == b:
        return 0
    i, j = sorted((index[a], index[b]))
    return tally.meet.get((i, j), 0)


def _pairs_metric(index: dict[str, int], tally: _Tally, pairs: Sequence[tuple[str, str]]) -> Metric:
    return Metric(sum(_met_count(index, tally, a, b) for a, b in pairs), 0)


def _met_before_metric(inst: Instance, index: dict[str, int], tally: _Tally) -> Metric:
    buddies = {frozenset(p) for p in inst.buddies}
    counted = [(a, b) for a, b in inst.met_before if frozenset((a, b)) not in buddies]
    value = sum(_met_count(index, tally, a, b) for a, b in counted)
    if inst.met_before_policy != "avoid":
        return Metric(value, None, "not_minimised", {"policy": inst.met_before_policy})
    return Metric(value, 0)


def _buddies_metric(inst: Instance, index: dict[str, int], tally: _Tally) -> Metric:
    pairs = list(inst.buddies)
    if inst.met_before_policy == "reunite":
        pairs += list(inst.met_before)
    wanted = {frozenset(p) for p in pairs if p[0] in index and p[1] in index and p[0] != p[1]}
    seated = sum(1 for p in wanted if _met_count(index, tally, *sorted(p)) > 0)
    return Metric(seated, len(wanted))


def _moved_metric(
    inst: Instance,
    rounds: Sequence[Sequence[Sequence[str]]],
    previous: Sequence[Sequence[Sequence[str]]],
) -> Metric:
    present = {p.id for p in inst.participants}
    n_tables = inst.tables()
    moved = 0
    forced = 0
    for r, tables in enumerate(rounds[: len(previous)]):
        before = {pid: t for t, ids in enumerate(previous[r]) for pid in ids if pid in present}
        now = {pid: t for t, ids in enumerate(tables) for pid in ids}
        moved += sum(1 for pid, t in before.items() if now.get(pid) != t)
        kept = [0] * n_tables
        for t in before.values():
            if t < n_tables:
                kept[t] += 1
            else:
                forced += 1
        caps = caps_for_homes(
            [t if t < n_tables else -1 for t in before.values()], len(present), n_tables
        )
        forced += sum(max(0, k - c) for k, c in zip(kept, caps, strict=True))
    return Metric(moved, forced)
