"""Plain, translated words for what the table planner reports, for organisers who are not
programmers: what each scorecard rule counts, the planner's codes for what was possible
(with their numbers), the basic seating errors, and "why here?" per person and round.

``events.pairing`` returns codes with parameters, never sentences: a scorecard metric has
``code`` and ``params``, a seating error is ``{"code", "round", "ids"...}`` and a reason per
person and round is a ``pairing.Reason``. This module words each code in the current
language through ``events.i18n``; nothing here reads English. A code it does not know (or a
plan stored before codes) shows the rule's own explanation or a general sentence.

Imports ``events.i18n`` and ``events.web.labels`` (``events.pairing`` only for the types of
its reasons); never ``events.models``, and no database work: callers pass plain values.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from events import i18n
from events.i18n import mark as N_
from events.web import labels

if TYPE_CHECKING:
    from events import pairing

RULES = {
    "repeat_encounters": N_("Meetings of people who already sat together"),
    "met_before_again": N_("Meetings of people who met at earlier activities"),
    "keep_apart_violations": N_("People who should sit apart, together"),
    "party_splits_missed": N_("Pairs who came together, at one table"),
    "generation_imbalance": N_("Difference between young and older, over all tables"),
    "single_generation_tables": N_("Tables without both a young and an older person"),
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
        "How many tables lack a young or an older person; people of any age count as "
        "neither. Lower is better."
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

Params = Mapping[str, Any]


@dataclass(frozen=True)
class ScoreLine:
    """One scorecard rule as the page shows it: name, value, best, and plain words."""

    name: str
    label: str
    value: Any
    best: Any
    explanation: str
    detail: str


def _int(params: Params, name: str) -> int:
    value = params.get(name, 0)
    return value if isinstance(value, int) else 0


def _repeats_possible(params: Params) -> str:
    limit = _int(params, "limit")
    if limit >= HUGE:
        return i18n.gettext("A plan where nobody meets anyone twice is possible.")
    return i18n.ngettext(
        "A plan where nobody meets anyone twice may be possible for %(num)s round.",
        "A plan where nobody meets anyone twice may be possible for up to %(num)s rounds.",
        limit,
    )


def _repeats_impossible(params: Params) -> str:
    return i18n.gettext(
        "With %(people)s people at tables of %(size)s, some people always meet again "
        "after round %(rounds)s. No plan can do better than the best possible figure.",
        people=_int(params, "people"),
        size=_int(params, "size"),
        rounds=_int(params, "limit"),
    )


def _mix_forced(params: Params) -> str:
    return i18n.ngettext(
        "With fewer young or older people than tables, %(num)s table per round cannot "
        "mix young and older.",
        "With fewer young or older people than tables, %(num)s tables per round cannot "
        "mix young and older.",
        _int(params, "num"),
    )


def _language(params: Params) -> str:
    return i18n.ngettext(
        "If nobody is to meet anyone twice, at least %(num)s seat has no shared language.",
        "If nobody is to meet anyone twice, at least %(num)s seats have no shared language.",
        _int(params, "num"),
    )


_DETAILS: dict[str, Callable[[Params], str]] = {
    "repeat_free_may_exist": _repeats_possible,
    "repeat_free_impossible": _repeats_impossible,
    "mix_forced": _mix_forced,
    "no_mix_to_make": lambda _params: i18n.gettext(
        "This activity has no mix of young and older people to make."
    ),
    "language_without_repeats": _language,
    "not_minimised": lambda _params: i18n.gettext(
        "The planner does not try to keep this low for this activity."
    ),
}


def _detail(line: Mapping[str, Any]) -> str:
    """The metric's code in words in the current language; empty when there is none."""
    worder = _DETAILS.get(str(line.get("code") or ""))
    params = line.get("params")
    return worder(params if isinstance(params, Mapping) else {}) if worder else ""


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
                detail=_detail(line),
            )
        )
    return lines


def join(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c`` in the current language."""
    if len(items) <= 1:
        return "".join(items)
    return i18n.gettext("%(items)s and %(last)s", items=", ".join(items[:-1]), last=items[-1])


def _names(ids: Any, names: Mapping[int, str]) -> str:
    """Planner ids (registration ids as strings) as a list of first names."""
    found = [names.get(int(i), "?") for i in ids or () if str(i).isdigit()]
    return join(found) if found else "?"


def seating_errors(
    errors: Sequence[Mapping[str, Any] | str], names: Mapping[int, str]
) -> list[str]:
    """The planner's basic-rule errors (after moving by hand) in the current language."""
    return [_seating_error(error, names) for error in errors]


def _seating_error(error: Mapping[str, Any] | str, names: Mapping[int, str]) -> str:
    code = error.get("code") if isinstance(error, Mapping) else None
    params: Params = error if isinstance(error, Mapping) else {}
    round_number = _int(params, "round")
    if code == "table_sizes_differ":
        return i18n.gettext(
            "Round %(round)s: some tables have two or more people more than others.",
            round=round_number,
        )
    if code == "not_seated":
        return i18n.gettext(
            "Round %(round)s: no seat for %(names)s.",
            round=round_number,
            names=_names(params.get("ids"), names),
        )
    if code == "seated_twice":
        return i18n.gettext(
            "Round %(round)s: %(name)s has two seats.",
            round=round_number,
            name=_names(params.get("ids"), names),
        )
    if code == "unknown_participant":
        return i18n.gettext(
            "Round %(round)s: someone in the plan is no longer signed up.", round=round_number
        )
    if code == "wrong_round_count":
        return i18n.gettext(
            "The plan has %(got)s rounds instead of %(expected)s.",
            got=_int(params, "got"),
            expected=_int(params, "expected"),
        )
    return i18n.gettext("The plan breaks a basic rule. Make a new plan to repair it.")


# --- why here? ---------------------------------------------------------------------------


@dataclass(frozen=True)
class WhyRound:
    """Why one person sits where they sit in one round: a heading and plain sentences."""

    heading: str
    sentences: list[str]


@dataclass(frozen=True)
class Rooms:
    """What the page already says about the tables: which one is quiet, step-free or not.

    Kept for callers; the planner's own reasons now say whether a need was met."""

    quiet_table: int
    step_free: bool


def _label(table: Mapping[str, str], value: str) -> str:
    """A stored language or interest in words; an organisation's own interests as typed."""
    return i18n.gettext(table[value]) if value in table else value


def _mix(params: Params) -> str:
    parts = []
    if young := _int(params, "young"):
        parts.append(i18n.ngettext("%(num)s young person", "%(num)s young people", young))
    if older := _int(params, "older"):
        parts.append(i18n.ngettext("%(num)s older person", "%(num)s older people", older))
    if opened := _int(params, "open"):
        parts.append(
            i18n.ngettext("%(num)s person of any age", "%(num)s people of any age", opened)
        )
    return i18n.gettext("At this table: %(mix)s.", mix=join(parts))


def _values(params: Params, name: str, table: Mapping[str, str]) -> str:
    return join([_label(table, str(v)) for v in params.get(name) or ()])


def _reason_words(names: Mapping[int, str]) -> dict[str, Callable[[Params], str]]:
    """Per reason code, how to say it; in the order the page shows them."""
    gettext = i18n.gettext
    return {
        "mix": _mix,
        "meets_again": lambda p: gettext(
            "Sits with %(names)s again.", names=_names(p["ids"], names)
        ),
        "new_faces": lambda _p: gettext("Meets only people they have not sat with yet."),
        "met_before": lambda p: gettext(
            "Met %(names)s at an earlier activity.", names=_names(p["ids"], names)
        ),
        "shared_languages": lambda p: gettext(
            "Can speak %(languages)s here.",
            languages=_values(p, "languages", labels.LANGUAGE_LABELS),
        ),
        "no_shared_language": lambda _p: gettext("Nobody here speaks one of their languages."),
        "shared_interests": lambda p: gettext(
            "Interests in common: %(interests)s.",
            interests=_values(p, "interests", labels.INTEREST_LABELS),
        ),
        "with_party": lambda _p: gettext("Came together with someone at this table."),
        "with_buddy": lambda p: gettext(
            "Sits with %(names)s, as asked.", names=_names(p["ids"], names)
        ),
        "with_keep_apart": lambda p: gettext(
            "Sits with %(names)s, although they should sit apart.",
            names=_names(p["ids"], names),
        ),
        "pinned": lambda _p: gettext("Has a fixed seat at this table."),
        "quiet_table": lambda _p: gettext("Sits at the quiet table, as asked."),
        "no_quiet_table": lambda _p: gettext(
            "Asked for a quiet table, but this is not the quiet one."
        ),
        "step_free_table": lambda _p: gettext("This table is step-free, as needed."),
        "no_step_free_table": lambda _p: gettext(
            "Needs a place without steps, but the entrance has steps."
        ),
    }


def _sentences(
    reasons: Sequence[pairing.Reason], words: Mapping[str, Callable[[Params], str]]
) -> list[str]:
    order = list(words)
    known = [r for r in reasons if r.code in words]
    known.sort(key=lambda r: order.index(r.code))
    return [words[r.code](r.params) for r in known]


def why_here(
    reasons: Mapping[int, Sequence[pairing.SeatReasons]], names: Mapping[int, str]
) -> dict[int, list[WhyRound]]:
    """Per registration, per round: the table and the planner's reasons, in plain words.

    ``reasons`` maps a registration id to ``pairing.explain_plan``'s answer for it (the
    planner ids are registration ids as strings); ``names`` gives the first names to show.
    """
    words = _reason_words(names)
    out: dict[int, list[WhyRound]] = {}
    for rid, seats in reasons.items():
        out[rid] = [
            WhyRound(
                i18n.gettext(
                    "Round %(round)s, table %(table)s", round=seat.round, table=seat.table
                ),
                _sentences(seat.reasons, words),
            )
            for seat in seats
        ]
    return out
