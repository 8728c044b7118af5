"""Per-person reasons: why someone sits at their table in every round, as codes.

Owns: ``explain_seat`` (one person) and ``explain_plan`` (everyone). Every reason is a
``Reason`` code with parameters; ``events.web.planner_text`` words them. Codes, in order:

- ``pinned``: pinned to this table;
- ``quiet_table`` / ``no_quiet_table``, ``step_free_table`` / ``no_step_free_table``: a need
  met or not;
- ``mix`` (``young``, ``older``, ``open``: counts at the table, the person included);
- ``meets_again`` (``ids``: met earlier in this plan) or ``new_faces``;
- ``met_before`` (``ids``: met at an earlier event);
- ``shared_languages`` (``languages``) or ``no_shared_language`` (only for people with
  known languages);
- ``shared_interests`` (``interests``);
- ``with_party`` (``ids``), ``with_buddy`` (``ids``), ``with_keep_apart`` (``ids``).

May import: the standard library and ``events.pairing.model``.
"""

from __future__ import annotations

from collections.abc import Sequence

from events.pairing.model import GROUPS, Instance, Participant, Reason, SeatReasons

Rounds = Sequence[Sequence[Sequence[str]]]


def explain_plan(instance: Instance, rounds: Rounds) -> dict[str, list[SeatReasons]]:
    """Per participant id, per round: the table and the reasons for it."""
    people = {p.id: p for p in instance.participants}
    pairs = _Pairs(instance)
    met: dict[str, set[str]] = {pid: set() for pid in people}
    out: dict[str, list[SeatReasons]] = {pid: [] for pid in people}
    for r, tables in enumerate(rounds, start=1):
        for t, ids in enumerate(tables, start=1):
            here = [people[i] for i in ids if i in people]
            for me in here:
                mates = [m for m in here if m.id != me.id]
                reasons = _table_reasons(instance, me, t) + _mate_reasons(
                    me, mates, met[me.id], pairs
                )
                out[me.id].append(SeatReasons(r, t, tuple(reasons)))
            for me in here:
                met[me.id].update(m.id for m in here if m.id != me.id)
    return out


def explain_seat(instance: Instance, rounds: Rounds, person_id: str) -> list[SeatReasons]:
    """Per round: the table of ``person_id`` and the reasons for it."""
    return explain_plan(instance, rounds)[person_id]


class _Pairs:
    """The instance's pair lists as sets, for look-up."""

    def __init__(self, inst: Instance) -> None:
        self.earlier = {frozenset(p) for p in inst.met_before}
        self.buddies = {frozenset(p) for p in inst.buddies}
        self.apart = {frozenset(p) for p in inst.keep_apart}


def _table_reasons(inst: Instance, me: Participant, table: int) -> list[Reason]:
    reasons = []
    if me.pinned_table == table:
        reasons.append(Reason("pinned", {"table": table}))
    for need, tables in (("quiet", inst.quiet_tables), ("step_free", inst.step_free_tables)):
        if need in me.needs:
            code = f"{need}_table" if table in tables else f"no_{need}_table"
            reasons.append(Reason(code))
    return reasons


def _ids(me: Participant, mates: list[Participant], pairs: set[frozenset[str]]) -> list[str]:
    return [m.id for m in mates if frozenset((me.id, m.id)) in pairs]


def _mate_reasons(
    me: Participant, mates: list[Participant], met: set[str], pairs: _Pairs
) -> list[Reason]:
    groups = [m.group for m in [me, *mates]]
    counts = dict(zip(GROUPS, (groups.count(g) for g in GROUPS), strict=True))
    reasons = [Reason("mix", counts)]
    again = tuple(m.id for m in mates if m.id in met)
    reasons.append(Reason("meets_again", {"ids": again}) if again else Reason("new_faces"))
    coded = (
        ("met_before", _ids(me, mates, pairs.earlier)),
        ("with_party", [m.id for m in mates if me.party and m.party == me.party]),
        ("with_buddy", _ids(me, mates, pairs.buddies)),
        ("with_keep_apart", _ids(me, mates, pairs.apart)),
    )
    reasons += [Reason(code, {"ids": tuple(ids)}) for code, ids in coded[:1] if ids]
    if me.languages:
        langs = tuple(sorted({lang for m in mates for lang in m.languages & me.languages}))
        shared = Reason("shared_languages", {"languages": langs})
        reasons.append(shared if langs else Reason("no_shared_language"))
    likes = tuple(sorted({i for m in mates for i in m.interests & me.interests}))
    if likes:
        reasons.append(Reason("shared_interests", {"interests": likes}))
    reasons += [Reason(code, {"ids": tuple(ids)}) for code, ids in coded[1:] if ids]
    return reasons
