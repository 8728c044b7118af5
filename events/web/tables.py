"""Organiser pages for conversation tables: plan from sign-ups or check-ins, see every round,
move someone by hand, lock; print the wall plan and the table cards; the organisation's own
conversation starters.

Thin handlers over ``events.services.tables``; access through ``get_event_for`` (another
organisation's event answers 404).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from events import i18n, starters
from events.i18n import mark as N_
from events.services import scope, tables
from events.services.errors import EventsError, FormError, NotFound
from events.services.forms import Fields, parse_id
from events.services.records import Event
from events.services.staff import Actor
from events.web.auth import require_actor
from events.web.messages import error_text, field_errors
from events.web.planner_text import score_lines, seating_errors, why_here
from events.web.templating import redirect, render

MAX_SEED = 999_999
ACTIONS = ("plan", "replan", "move", "lock", "unlock", "pair_add", "pair_remove")

_ERRORS = {
    "plan_locked": N_("This table plan is locked. Unlock it first to change it."),
    "too_few_people": N_("Tables need at least two people."),
    "no_plan": N_("There is no table plan yet."),
    "bad_round": N_("This round does not exist in the plan."),
    "bad_table": N_("This table does not exist in the plan."),
    "not_in_plan": N_("This person is not in the table plan."),
    "invalid_pair": N_("Choose two different people of this activity."),
    "confirm_replace": N_(
        "Tick the box to confirm that the current plan may be replaced, then try again."
    ),
}
_DONE = {
    "pair_add": N_("The pair is saved; a new plan takes it into account."),
    "pair_remove": N_("The pair is removed."),
    "plan": N_("The tables are planned."),
    "replan": N_("The tables are planned again for who is here."),
    "move": N_("Moved."),
    "lock": N_("The plan is locked."),
    "unlock": N_("The plan is unlocked."),
}
SOURCES = {
    "registered": N_("Everyone with a confirmed sign-up (beforehand)"),
    "checked_in": N_("Everyone checked in at the door (at the start)"),
}


def _message(code: str) -> str:
    return i18n.gettext(_ERRORS[code]) if code in _ERRORS else error_text(code)


def _done(request: Request) -> str | None:
    """The sentence for the plan, move or lock that just went through (once)."""
    done = request.session.pop("tables_done", None)
    return i18n.gettext(_DONE[done]) if done in _DONE else None


def _event_id(request: Request) -> int:
    return parse_id(request.path_params["event_id"])


def _back(request: Request, event_id: int, error: str | None = None) -> RedirectResponse:
    query = f"error={error}" if error else ""
    return redirect(request, "organise_tables", query=query, event_id=event_id)


async def tables_page(request: Request) -> Response:
    actor = require_actor(request, organise=True)
    event = await scope.get_event_for(actor, _event_id(request))
    view = await tables.plan_view(actor, event.id)
    error = request.query_params.get("error")
    context = {
        "event": event,
        "view": view,
        "sources": [(key, i18n.gettext(label)) for key, label in SOURCES.items()],
        "error": _message(error) if error else None,
        "done": _done(request),
        "error_code": error,
        "pairs": await tables.event_pairs(actor, event.id),
        "pair_options": await tables.pair_options(actor, event.id),
        **(_plan_texts(view) if view else {"lines": [], "why": {}, "errors": []}),
    }
    return render(request, "organise/tables.html", context)


def _plan_texts(view: tables.PlanView) -> dict[str, object]:
    """The scorecard, the seating errors and "why here?" in plain words of the page's language."""
    names = {row.registration_id: row.name for row in view.people}
    scorecard: dict[str, Any] = view.plan.scorecard
    found = scorecard.get("seating_errors") or []
    return {
        "lines": score_lines(scorecard),
        "errors": seating_errors(found, names),
        "why": why_here(view.reasons, names),
    }


async def plan_action(request: Request) -> Response:
    """POST: plan, re-plan at the door, move, lock or unlock; back to the tables page."""
    actor = require_actor(request, organise=True)
    event = await scope.get_event_for(actor, _event_id(request), to_change=True)
    action = request.path_params["action"]
    if action not in ACTIONS:
        raise NotFound()
    f = Fields(dict(await request.form()))
    try:
        if action == "plan":
            await _plan(actor, event, f)
        elif action == "replan":
            await tables.replan_at_door(actor, event.id)
        elif action in ("pair_add", "pair_remove"):
            await _pair(actor, event.id, action, f)
        elif action in ("lock", "unlock"):
            await tables.set_locked(actor, event.id, locked=action == "lock")
        else:
            await _move(actor, event.id, f)
    except EventsError as exc:
        code = next(iter(exc.errors.values())) if isinstance(exc, FormError) else exc.code
        return _back(request, event.id, code)
    request.session["tables_done"] = action  # said once on the tables page
    return _back(request, event.id)


async def _plan(actor: Actor, event: Event, f: Fields) -> None:
    source = f.choice("source", tuple(SOURCES), default="registered")
    seed = f.integer("seed", default=1, low=0, high=MAX_SEED)
    size = f.integer("table_size", default=event.table_size, low=2, high=8)
    rounds = f.integer("rounds", default=event.table_rounds, low=1, high=8)
    if f.errors:
        raise FormError(f.errors)
    await tables.plan_event_tables(
        actor,
        event.id,
        source=source,
        seed=seed,
        table_size=size,
        rounds=rounds,
        avoid_earlier=f.boolean("avoid_earlier"),
        replace=f.data.get("replace") == "yes",
    )


async def _pair(actor: Actor, event_id: int, action: str, f: Fields) -> None:
    kind = f.choice("kind", tables.PAIR_KINDS, default="apart")
    first, second = parse_id(f.data.get("first", "")), parse_id(f.data.get("second", ""))
    if f.errors or first < 0 or second < 0:
        raise FormError(f.errors or {"first": "invalid_pair"})
    change = tables.add_pair if action == "pair_add" else tables.remove_pair
    await change(actor, event_id, kind, first, second)


async def _move(actor: Actor, event_id: int, f: Fields) -> None:
    person = parse_id(f.data.get("registration_id", ""))
    round_number = f.integer("round", default=0, low=1, high=8)
    table = f.integer("table", default=0, low=1, high=999)
    if f.errors or person < 0:
        raise FormError(f.errors or {"registration_id": "invalid_input"})
    await tables.move_person(
        actor, event_id, registration_id=person, round_index=round_number - 1, to_table=table
    )


async def wall_page(request: Request) -> Response:
    """The wall plan to print: everyone alphabetically, large, with their table per round."""
    actor = require_actor(request, organise=True)
    event = await scope.get_event_for(actor, _event_id(request))
    view = await tables.plan_view(actor, event.id)
    if view is None:
        return _back(request, event.id, "no_plan")
    return render(request, "organise/tables_wall.html", {"event": event, "view": view})


async def cards_page(request: Request) -> Response:
    """Table cards to print: per round per table, the number and three starters."""
    actor = require_actor(request, organise=True)
    event = await scope.get_event_for(actor, _event_id(request))
    cards = await tables.table_cards(actor, event.id, locale=i18n.current_locale())
    if cards is None:
        return _back(request, event.id, "no_plan")
    context = {"event": event, "cards": cards.starters, "quiet_table": cards.quiet_table}
    return render(request, "organise/tables_cards.html", context)


async def starters_page(request: Request) -> Response:
    """The organisation's own conversation starters: list, add, remove."""
    actor = require_actor(request, organise=True)
    values: dict[str, str] = {"locale": i18n.current_locale()}
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        form = await request.form()
        values = {"text": str(form.get("text", "")), "locale": str(form.get("locale", ""))}
        try:
            await tables.add_starter(actor, values["text"], values["locale"])
        except FormError as exc:
            errors, status = field_errors(exc.errors), 422
        else:
            return redirect(request, "organise_starters", query="added=1")
    context = {
        "own": await tables.list_starters(actor),
        "builtin": starters.builtin(i18n.current_locale()),
        "values": values,
        "errors": errors,
        "added": request.query_params.get("added") == "1",
    }
    return render(request, "organise/starters.html", context, status=status)


async def remove_starter(request: Request) -> Response:
    actor = require_actor(request, organise=True)
    starter_id = parse_id(request.path_params["starter_id"])
    await tables.remove_starter(actor, starter_id)
    return redirect(request, "organise_starters")


routes = [
    Route("/organise/events/{event_id}/tables", tables_page, name="organise_tables"),
    Route("/organise/events/{event_id}/tables/wall", wall_page, name="organise_tables_wall"),
    Route("/organise/events/{event_id}/tables/cards", cards_page, name="organise_tables_cards"),
    Route(
        "/organise/events/{event_id}/tables/{action}",
        plan_action,
        methods=["POST"],
        name="organise_tables_action",
    ),
    Route("/organise/starters", starters_page, methods=["GET", "POST"], name="organise_starters"),
    Route(
        "/organise/starters/{starter_id}/remove",
        remove_starter,
        methods=["POST"],
        name="organise_starter_remove",
    ),
]
