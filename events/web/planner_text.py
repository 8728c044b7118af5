"""Plain, translated words for what the table planner reports, for organisers who are not
programmers: what each scorecard rule counts, the planner's notes this module recognises
(with their numbers), the basic seating errors, and "why here?" per person and round.

``events.pairing`` stays English and pure; nothing it writes reaches a page from here. Notes
and errors are matched by pattern and re-said in the current language; anything unknown
falls back to the rule's own explanation. "Why here?" is built from the plan and the
registrations, not from ``pairing.explain_seat``.

Imports ``events.i18n`` and ``events.web.labels`` (models and the plan view only for
types); no database work.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from events import i18n
from events.i18n import mark as N_
from events.web import labels

if TYPE_CHECKING:
    from events.models import Registration
    from events.services.tables import PlanView, Seat

RULES = {
    "repeat_encounters": N_("Meetings of people who already sat together"),
    "met_before_again": N_("Meetings of people who met at earlier activities"),
    "keep_apart_violations": N_("People who should sit apart, together"),
    "party_splits_missed": N_("Pairs who came together, at one table"),
    "generation_imbalance": N_("Difference between young and older, over all tables"),
    "single_generation_tables": N_("Tables with only young or only older people"),
    "language_isolated_seats": N_("Seats where nobody speaks the same language"),
    "shared_interest_share": N_("Share of table mates with a shared interest (higher is better)"),
    "accessibility_violations": N_("Seats without the quiet or step-free place needed"),
    "buddies_seated": N_("Friends seated together (higher is better)"),
    "moved_people": N_("People moved to another table"),
}
EXPLANATIONS = {
    "repeat_encounters": N_(
        "How often two people sit at one table again in a later round. Lower is better."
    ),
    "met_before_again": N_(
        "How often people who already met at an earlier activity sit together again."
    ),
    "keep_apart_violations": N_(
        "How often two people who should not sit together still share a table."
    ),
    "party_splits_missed": N_(
        "How often people who signed up together sit at one table. Apart, they meet more "
        "new people."
    ),
    "generation_imbalance": N_(
        "Per table, the difference between the number of young and older people, added up "
        "over all tables and rounds. Lower is better."
    ),
    "single_generation_tables": N_(
        "How many tables have only young or only older people. Lower is better."
    ),
    "language_isolated_seats": N_(
        "How often someone sits at a table where nobody speaks one of their languages."
    ),
    "shared_interest_share": N_(
        "Of all pairs at a table, how many have an interest in common. Higher is better."
    ),
    "accessibility_violations": N_(
        "How often someone who needs a quiet or step-free table does not get one."
    ),
    "buddies_seated": N_("How many pairs of friends sit together at least once."),
    "moved_people": N_("How many people already seated got another table when re-planning."),
}
OTHER_RULE = N_("Another rule of the planner")
OTHER_EXPLANATION = N_("A measure of the planner that this page does not describe.")
HUGE = 1000  # a repeat-free limit this large means "no limit worth mentioning"

_REPEAT_FREE_MAY = re.compile(r"repeat-free seating may exist for up to (\d+) rounds")
_REPEAT_FREE_NOT = re.compile(
    r"no repeat-free plan exists for (\d+) people at tables of (\d+) beyond (\d+) rounds?"
)
_LANGUAGE_AT_LEAST = re.compile(r"at least (\d+) if nobody meets anyone twice")
_NO_MIX = "event has no young-and-older mix to make"
_NOT_MINIMISED = re.compile(r"met_before_policy is \w+: not minimised")

_ERROR_SIZES = re.compile(r"round (\d+): table sizes differ by more than one")
_ERROR_MISSING = re.compile(r"round (\d+): not seated: (.+)")
_ERROR_TWICE = re.compile(r"round (\d+): '?([^' ]+)'? seated twice")
_ERROR_UNKNOWN = re.compile(r"round (\d+): unknown participant")
_ERROR_ROUNDS = re.compile(r"expected (\d+) rounds, got (\d+)")


@dataclass(frozen=True)
class ScoreLine:
    """One scorecard rule as the page shows it: name, value, best, and plain words."""

    name: str
    label: str
    value: Any
    best: Any
    explanation: str
    detail: str


def _note_detail(note: str) -> str:
    """The planner's note re-said in the current language; empty when not recognised."""
    if match := _REPEAT_FREE_NOT.search(note):
        people, size, rounds = (int(g) for g in match.groups())
        return i18n.gettext(
            "With %(people)s people at tables of %(size)s, some people always meet again "
            "after round %(rounds)s. No plan can do better than the best possible figure.",
            people=people,
            size=size,
            rounds=rounds,
        )
    if match := _REPEAT_FREE_MAY.search(note):
        limit = int(match.group(1))
        if limit >= HUGE:
            return i18n.gettext("A plan where nobody meets anyone twice is possible.")
        return i18n.ngettext(
            "A plan where nobody meets anyone twice may be possible for %(num)s round.",
            "A plan where nobody meets anyone twice may be possible for up to %(num)s rounds.",
            limit,
        )
    if match := _LANGUAGE_AT_LEAST.search(note):
        return i18n.ngettext(
            "If nobody is to meet anyone twice, at least %(num)s seat has no shared language.",
            "If nobody is to meet anyone twice, at least %(num)s seats have no shared language.",
            int(match.group(1)),
        )
    if _NO_MIX in note:
        return i18n.gettext("This activity has no mix of young and older people to make.")
    if _NOT_MINIMISED.search(note):
        return i18n.gettext("The planner does not try to keep this low for this activity.")
    return ""


def score_lines(scorecard: Mapping[str, Any]) -> list[ScoreLine]:
    """The scorecard's rules in plan order, each with its label and plain explanation."""
    lines = []
    for name, line in scorecard.items():
        if not isinstance(line, dict) or "value" not in line:
            continue
        lines.append(
            ScoreLine(
                name=name,
                label=i18n.gettext(RULES.get(name, OTHER_RULE)),
                value=line["value"],
                best=line.get("best"),
                explanation=i18n.gettext(EXPLANATIONS.get(name, OTHER_EXPLANATION)),
                detail=_note_detail(str(line.get("note", ""))),
            )
        )
    return lines


def seating_errors(errors: Sequence[str], names: Mapping[int, str]) -> list[str]:
    """The planner's basic-rule errors (after moving by hand) in the current language."""
    return [_seating_error(error, names) for error in errors]


def _name_list(ids: str, names: Mapping[int, str]) -> str:
    found = [names.get(int(i), "?") for i in re.findall(r"\d+", ids)]
    return join(found) if found else "?"


def _seating_error(error: str, names: Mapping[int, str]) -> str:
    if match := _ERROR_SIZES.match(error):
        return i18n.gettext(
            "Round %(round)s: some tables have two or more people more than others.",
            round=match.group(1),
        )
    if match := _ERROR_MISSING.match(error):
        return i18n.gettext(
            "Round %(round)s: no seat for %(names)s.",
            round=match.group(1),
            names=_name_list(match.group(2), names),
        )
    if match := _ERROR_TWICE.match(error):
        return i18n.gettext(
            "Round %(round)s: %(name)s has two seats.",
            round=match.group(1),
            name=_name_list(match.group(2), names),
        )
    if match := _ERROR_UNKNOWN.match(error):
        return i18n.gettext(
            "Round %(round)s: someone in the plan is no longer signed up.", round=match.group(1)
        )
    if match := _ERROR_ROUNDS.match(error):
        return i18n.gettext(
            "The plan has %(got)s rounds instead of %(expected)s.",
            got=match.group(2),
            expected=match.group(1),
        )
    return i18n.gettext("The plan breaks a basic rule. Make a new plan to repair it.")


def join(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c`` in the current language."""
    if len(items) <= 1:
        return "".join(items)
    return i18n.gettext("%(items)s and %(last)s", items=", ".join(items[:-1]), last=items[-1])


# --- why here? ---------------------------------------------------------------------------


@dataclass(frozen=True)
class WhyRound:
    """Why one person sits where they sit in one round: a heading and plain sentences."""

    heading: str
    sentences: list[str]


@dataclass(frozen=True)
class Rooms:
    """What the page already says about the tables: which one is quiet, step-free or not."""

    quiet_table: int
    step_free: bool


def _label(table: Mapping[str, str], value: str) -> str:
    """A stored language or interest in words; an organisation's own interests as typed."""
    return i18n.gettext(table[value]) if value in table else value


def _mix(seats: Sequence[Seat]) -> str:
    groups = [seat.group for seat in seats]
    parts = []
    if young := groups.count("young"):
        parts.append(i18n.ngettext("%(num)s young person", "%(num)s young people", young))
    if older := groups.count("older"):
        parts.append(i18n.ngettext("%(num)s older person", "%(num)s older people", older))
    if opened := groups.count("open"):
        parts.append(
            i18n.ngettext("%(num)s person of any age", "%(num)s people of any age", opened)
        )
    return i18n.gettext("At this table: %(mix)s.", mix=join(parts))


def _needs(me: Registration, table: int, rooms: Rooms) -> list[str]:
    out = []
    if "quiet" in me.needs:
        if table == rooms.quiet_table:
            out.append(i18n.gettext("Sits at the quiet table, as asked."))
        else:
            out.append(i18n.gettext("Asked for a quiet table, but this is not the quiet one."))
    if "step_free" in me.needs:
        if rooms.step_free:
            out.append(i18n.gettext("This table is step-free, as needed."))
        else:
            out.append(i18n.gettext("Needs a place without steps, but the entrance has steps."))
    return out


def _mates(me: Registration, mates: Sequence[Registration], again: Sequence[str]) -> list[str]:
    out = []
    if again:
        out.append(i18n.gettext("Sits with %(names)s again.", names=join(again)))
    else:
        out.append(i18n.gettext("Meets only people they have not sat with yet."))
    if me.languages:
        spoken = sorted({lang for m in mates for lang in set(m.languages) & set(me.languages)})
        if spoken:
            words = join([_label(labels.LANGUAGE_LABELS, lang) for lang in spoken])
            out.append(i18n.gettext("Can speak %(languages)s here.", languages=words))
        else:
            out.append(i18n.gettext("Nobody here speaks one of their languages."))
    likes = sorted({i for m in mates for i in set(m.interests) & set(me.interests)})
    if likes:
        words = join([_label(labels.INTEREST_LABELS, like) for like in likes])
        out.append(i18n.gettext("Interests in common: %(interests)s.", interests=words))
    party = _party(me)
    together = [m for m in mates if _party(m) == party]
    if together:
        out.append(i18n.gettext("Came together with someone at this table."))
    return out


def _party(registration: Registration) -> int:
    lead: int | None = registration.lead_id
    return lead or registration.id


def why_here(
    view: PlanView, people: Mapping[int, Registration], rooms: Rooms
) -> dict[int, list[WhyRound]]:
    """Per registration, per round: the table, who sits there, whom they meet, their needs."""
    names = {row.registration_id: row.name for row in view.people}
    met: dict[int, set[int]] = {rid: set() for rid in people}
    out: dict[int, list[WhyRound]] = {rid: [] for rid in people}
    for round_number, tables in enumerate(view.rounds, start=1):
        for table_number, seats in enumerate(tables, start=1):
            ids = [seat.registration_id for seat in seats if seat.registration_id in people]
            for rid in ids:
                me = people[rid]
                mates = [people[other] for other in ids if other != rid]
                again = [names[m.id] for m in mates if m.id in met[rid]]
                heading = i18n.gettext(
                    "Round %(round)s, table %(table)s", round=round_number, table=table_number
                )
                sentences = [
                    _mix(seats),
                    *_mates(me, mates, again),
                    *_needs(me, table_number, rooms),
                ]
                out[rid].append(WhyRound(heading, sentences))
            for rid in ids:
                met[rid].update(other for other in ids if other != rid)
    return out
