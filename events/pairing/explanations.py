"""Per-person reasons: why someone sits at their table in every round.

May import: the standard library and ``events.pairing.model``.
"""

from __future__ import annotations

from collections.abc import Sequence

from events.pairing.model import GROUPS, Instance, Participant


def explain_seat(
    instance: Instance, rounds: Sequence[Sequence[Sequence[str]]], person_id: str
) -> list[str]:
    """One sentence per round saying why ``person_id`` sits at that table."""
    people = {p.id: p for p in instance.participants}
    me = people[person_id]
    met: dict[str, int] = {}
    earlier = {frozenset(p) for p in instance.met_before}
    lines = []
    for r, tables in enumerate(rounds):
        for t, ids in enumerate(tables):
            if person_id in ids:
                mates = [people[i] for i in ids if i != person_id and i in people]
                reasons = _table_reasons(instance, me, t + 1) + _mate_reasons(
                    me, mates, met, earlier
                )
                lines.append(f"round {r + 1}, table {t + 1}: " + "; ".join(reasons))
                for mate in mates:
                    met[mate.id] = met.get(mate.id, 0) + 1
    return lines


def _table_reasons(inst: Instance, me: Participant, table: int) -> list[str]:
    reasons = []
    if me.pinned_table == table:
        reasons.append("pinned to this table")
    if "quiet" in me.needs:
        reasons.append("quiet table" if table in inst.quiet_tables else "NO quiet table available")
    if "step_free" in me.needs:
        ok = table in inst.step_free_tables
        reasons.append("step-free table" if ok else "NO step-free table available")
    return reasons


def _mate_reasons(
    me: Participant, mates: list[Participant], met: dict[str, int], earlier: set[frozenset[str]]
) -> list[str]:
    groups = [m.group for m in [me, *mates]]
    young, older, opened = (groups.count(g) for g in GROUPS)
    reasons = [f"{young} young, {older} older, {opened} open"]
    again = [m.id for m in mates if met.get(m.id)]
    reasons.append(f"meets again: {', '.join(again)}" if again else "new faces only")
    before = [m.id for m in mates if frozenset((me.id, m.id)) in earlier]
    if before:
        reasons.append(f"met at an earlier event: {', '.join(before)}")
    langs = sorted({lang for m in mates for lang in m.languages & me.languages})
    if me.languages:
        reasons.append(f"speaks {', '.join(langs)} here" if langs else "shares no language here")
    likes = sorted({i for m in mates for i in m.interests & me.interests})
    if likes:
        reasons.append(f"shared interests: {', '.join(likes)}")
    same_party = [m.id for m in mates if me.party and m.party == me.party]
    if same_party:
        reasons.append(f"with own party: {', '.join(same_party)}")
    return reasons
