"""The planner says what, the web says how (issue 12, point 4).

``events.pairing`` returns codes with parameters: scorecard metrics, seating errors and the
reasons per person and round. No sentence comes out of it; ``events.web.planner_text``
words the codes in Dutch and English.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from typing import Any

from events import i18n
from events.pairing import (
    Instance,
    Participant,
    explain_plan,
    main,
    plan_tables,
    plan_to_json,
    score_plan,
)
from events.web import planner_text

CODE = re.compile(r"^[a-z][a-z_]*$|^$")


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from strings(item)


def event() -> Instance:
    people = (
        Participant(
            "ans", "older", party="x", languages=frozenset({"nl"}), needs=frozenset({"quiet"})
        ),
        Participant("bo", "young", party="x", languages=frozenset({"nl", "en"})),
        Participant("cem", "young", languages=frozenset({"tr"}), interests=frozenset({"music"})),
        Participant("dirk", "older", interests=frozenset({"music"}), pinned_table=2),
        *(Participant(f"p{i}", ["young", "older", "open"][i % 3]) for i in range(8)),
    )
    return Instance(
        participants=people,
        rounds=3,
        table_size=4,
        seed=3,
        quiet_tables=frozenset({1}),
        met_before=(("ans", "p0"),),
        buddies=(("bo", "p1"),),
        keep_apart=(("cem", "p2"),),
    )


def test_the_plan_as_json_holds_codes_and_numbers_never_sentences() -> None:
    inst = event()
    out = io.StringIO()
    data = {
        "table_size": 4,
        "rounds": 3,
        "explain": True,
        "participants": [{"id": p.id, "group": p.group} for p in inst.participants],
    }
    assert main([], io.StringIO(json.dumps(data)), out) == 0
    result = json.loads(out.getvalue())
    result["scorecard"].pop("time_seconds")
    for text in strings([result["scorecard"], result["explanations"]]):
        assert " " not in text, text  # ids, codes, languages: no sentence anywhere
    card = result["scorecard"]["repeat_encounters"]
    assert set(card) == {"value", "best", "code", "params"}
    assert card["code"] == "repeat_free_impossible"  # 3 tables of 4: round 2 must repeat
    assert card["params"] == {"people": 12, "size": 4, "limit": 1, "exact": 1}
    first = result["explanations"]["p0"][0]
    assert first["round"] == 1 and 1 <= first["table"] <= 3
    assert {"mix", "new_faces"} <= {reason["code"] for reason in first["reasons"]}


def test_reasons_per_person_are_codes_with_parameters() -> None:
    inst = event()
    plan = plan_tables(inst, effort=0.3)
    explained = explain_plan(inst, plan.rounds)
    assert set(explained) == {p.id for p in inst.participants}
    for seats in explained.values():
        assert [seat.round for seat in seats] == [1, 2, 3]
        for seat in seats:
            codes = [reason.code for reason in seat.reasons]
            assert all(CODE.match(code) for code in codes)
            assert codes.count("mix") == 1
            assert ("meets_again" in codes) != ("new_faces" in codes)
    ans = {r.code: r.params for seat in explained["ans"] for r in seat.reasons}
    assert "quiet_table" in ans
    dirk = explained["dirk"]
    assert all(seat.table == 2 and seat.reasons[0].code == "pinned" for seat in dirk)
    mix = next(r for r in explained["cem"][0].reasons if r.code == "mix")
    assert sum(mix.params.values()) == len(plan.rounds[0][explained["cem"][0].table - 1])


def test_seating_errors_are_codes_with_round_and_ids() -> None:
    inst = event()
    plan = plan_tables(inst, effort=0.2)
    broken = [[list(t) for t in tables] for tables in plan.rounds]
    broken[0][0].append("ghost")
    moved = broken[1][0].pop()
    broken[1][1].append(moved)
    broken[1][1].append(moved)
    card = score_plan(inst, broken[:2])
    codes = {e.code: dict(e.params) for e in card.seating_errors}
    assert codes["unknown_participant"] == {"round": 1, "ids": ("ghost",)}
    assert codes["seated_twice"] == {"round": 2, "ids": (moved,)}
    assert codes["wrong_round_count"] == {"expected": 3, "got": 2}
    as_json = card.as_dict()["seating_errors"]
    assert {"code": "wrong_round_count", "expected": 3, "got": 2} in as_json


def test_the_web_words_every_code_in_dutch_and_english() -> None:
    inst = event()
    plan = plan_tables(inst, effort=0.3)
    card = plan_to_json(plan)["scorecard"]
    explained = explain_plan(inst, plan.rounds)
    reasons = {i: explained[p.id] for i, p in enumerate(inst.participants, start=1)}
    names = {i: p.id.title() for i, p in enumerate(inst.participants, start=1)}
    for locale in ("nl", "en"):
        with i18n.use_locale(locale):
            lines = planner_text.score_lines(card)
            why = planner_text.why_here(reasons, names)
        assert {line.name for line in lines} >= {"repeat_encounters", "single_generation_tables"}
        assert all(line.label and line.explanation for line in lines)
        for rounds in why.values():
            assert len(rounds) == 3
            assert all(r.sentences for r in rounds)
        words = " ".join(s for rounds in why.values() for r in rounds for s in r.sentences)
        assert "_" not in words  # no code leaks onto the page
    with i18n.use_locale("nl"):
        heading = planner_text.why_here(reasons, names)[1][0].heading
    assert heading.startswith("Ronde 1, tafel")
