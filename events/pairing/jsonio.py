"""The JSON format and the command line ``python -m events.pairing < instance.json``.

Owns: ``instance_from_json``, ``plan_to_json`` and ``main``.

May import: the standard library and the sibling modules ``model``, ``planner`` and
``explanations``. The only I/O of the package is here, in ``main``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
from typing import Any, TextIO

from events.pairing.explanations import explain_plan
from events.pairing.model import Instance, Participant, Plan, PlanningError, validate
from events.pairing.planner import plan_tables


def _pairs(data: Any, name: str) -> tuple[tuple[str, str], ...]:
    if data is None:
        return ()
    if not isinstance(data, list) or not all(isinstance(p, list) and len(p) == 2 for p in data):
        raise PlanningError("bad_pairs", f"{name} must be a list of [id, id] pairs")
    return tuple((str(a), str(b)) for a, b in data)


def _participant(data: Any) -> Participant:
    if not isinstance(data, Mapping) or "id" not in data:
        raise PlanningError("bad_participant", "each participant needs an id")
    pinned = data.get("pinned_table")
    return Participant(
        id=str(data["id"]),
        group=str(data.get("group", "open")),
        party=str(data["party"]) if data.get("party") is not None else None,
        languages=frozenset(map(str, data.get("languages") or ())),
        interests=frozenset(map(str, data.get("interests") or ())),
        needs=frozenset(map(str, data.get("needs") or ())),
        pinned_table=int(pinned) if pinned is not None else None,
    )


def instance_from_json(data: Mapping[str, Any]) -> Instance:
    """Build an ``Instance`` from the documented JSON object (see docs/pairing.md)."""
    if not isinstance(data, Mapping):
        raise PlanningError("bad_instance", "the instance must be a JSON object")
    try:
        inst = Instance(
            participants=tuple(_participant(p) for p in data.get("participants") or ()),
            rounds=int(data.get("rounds", 1)),
            table_size=int(data["table_size"]) if data.get("table_size") is not None else None,
            table_count=int(data["table_count"]) if data.get("table_count") is not None else None,
            seed=int(data.get("seed", 0)),
            quiet_tables=frozenset(int(t) for t in data.get("quiet_tables") or ()),
            step_free_tables=frozenset(int(t) for t in data.get("step_free_tables") or ()),
            met_before=_pairs(data.get("met_before"), "met_before"),
            keep_apart=_pairs(data.get("keep_apart"), "keep_apart"),
            buddies=_pairs(data.get("buddies"), "buddies"),
            met_before_policy=str(data.get("met_before_policy", "avoid")),
        )
    except (TypeError, ValueError) as exc:
        if isinstance(exc, PlanningError):
            raise
        raise PlanningError("bad_instance", str(exc)) from exc
    validate(inst)
    return inst


def plan_to_json(plan: Plan) -> dict[str, Any]:
    """The documented output object: ``rounds`` and ``scorecard`` (plus ``method``)."""
    return {"rounds": plan.rounds, "scorecard": plan.scorecard.as_dict(), "method": plan.method}


def main(
    argv: Sequence[str] | None = None, stdin: TextIO | None = None, stdout: TextIO | None = None
) -> int:
    """``python -m events.pairing < instance.json``: print the plan and scorecard as JSON."""
    src, out = stdin or sys.stdin, stdout or sys.stdout
    try:
        data = json.load(src)
        inst = instance_from_json(data)
        plan = plan_tables(inst)
    except json.JSONDecodeError as exc:
        json.dump({"error": "bad_json", "message": str(exc)}, out)
        out.write("\n")
        return 2
    except PlanningError as exc:
        json.dump({"error": exc.code, "message": str(exc)}, out)
        out.write("\n")
        return 2
    result = plan_to_json(plan)
    if isinstance(data, Mapping) and data.get("explain"):
        explained = explain_plan(inst, plan.rounds)
        result["explanations"] = {
            pid: [seat.as_dict() for seat in seats] for pid, seats in explained.items()
        }
    json.dump(result, out, indent=1 if argv and "--pretty" in argv else None, ensure_ascii=False)
    out.write("\n")
    return 0
