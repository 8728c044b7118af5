"""Ideas pages: the public list and one idea, proposing without an account, "I would come",
reporting, the confirmation links from the mails, and the organisers' ``/organise/ideas``
(approve, reject, merge, deal with reports, turn an idea into a draft activity).

Nothing on these pages names a proposer or a supporter: the services hand over only what
may be shown (``PublicIdea``). Imports the ideas service, the web helpers and ``i18n``.
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from events import i18n
from events.i18n import mark as N_
from events.services import ideas
from events.services.errors import EventsError, FormError, NotFound
from events.services.forms import parse_id
from events.web.auth import require_actor
from events.web.messages import error_text, field_errors
from events.web.ratelimit import client_key
from events.web.signup import mask_email
from events.web.templating import redirect, render

PROPOSED_KEY = "idea_proposed"
SUPPORTED_KEY = "idea_supported"

TIMING_LABELS = {
    "weekday_evenings": N_("A weekday evening"),
    "weekends": N_("At the weekend"),
    "any": N_("Any time"),
}
AUDIENCE_LABELS = {
    "young": N_("Young people"),
    "mixed": N_("Young and older together"),
}
BRING_LABELS = {
    "nobody": N_("Just me"),
    "older": N_("I'd bring someone older"),
    "younger": N_("I'd bring someone younger"),
}
_MESSAGES = {
    "idea_rate_limited": N_(
        "Many ideas or reactions came from this connection. Please wait a little and try again."
    ),
    "link_expired": N_("This link is no longer valid. Please fill in the form again."),
    "idea_not_open": N_("This idea has already been dealt with."),
    "merge_not_possible": N_("Choose another idea from the same town."),
    "idea_has_activity": N_("An activity has already been made of this idea."),
    "idea_not_approved": N_("Approve this idea before you turn it into an activity."),
}
_FIELD_MESSAGES = {
    ("venue", "venue_not_in_town"): N_("Choose a place in that town, or no particular place."),
    ("town", "invalid_choice"): N_("Choose one of the towns."),
    ("summary", "too_long"): N_("Two sentences are enough: at most 300 characters."),
}


def _text(code: str) -> str:
    return i18n.gettext(_MESSAGES[code]) if code in _MESSAGES else error_text(code)


def _field_errors(errors: dict[str, str]) -> dict[str, str]:
    shown = field_errors(errors)
    for (name, code), message in _FIELD_MESSAGES.items():
        if errors.get(name) == code:
            shown[name] = i18n.gettext(message)
    return shown


def _today(request: Request) -> date:
    return datetime.now(ZoneInfo(request.app.state.settings.timezone)).date()


def month_label(month: str) -> str:
    """``2027-03`` -> "maart 2027" in the current language; "" for no month."""
    if not month:
        return ""
    year, number = (int(part) for part in month.split("-"))
    return format_date(date(year, number, 1), "LLLL y", locale=i18n.current_locale())


def _page(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    """Render an ideas page with the translated labels every one of them may show."""
    shared = {
        "timing_labels": dict(i18n.choices(TIMING_LABELS)),
        "audience_labels": dict(i18n.choices(AUDIENCE_LABELS)),
        "bring_labels": dict(i18n.choices(BRING_LABELS)),
        "month_label": month_label,
    }
    return render(request, name, {**shared, **context}, status=status)


def _throttled(response: Response, exc: ideas.Throttled) -> Response:
    response.headers["Retry-After"] = str(exc.retry_after)
    return response


# --- public pages -------------------------------------------------------------------------


async def ideas_list(request: Request) -> Response:
    town = request.query_params.get("town", "").strip() or None
    now = datetime.now(UTC)
    found = await ideas.approved_ideas(
        now=now, this_month=_today(request).strftime("%Y-%m"), town=town
    )
    by_town = [(t, list(items)) for t, items in itertools.groupby(found, key=lambda i: i.town)]
    context = {"by_town": by_town, "towns": await ideas.towns_with_ideas(), "town": town or ""}
    return _page(request, "ideas/list.html", context)


async def _form_context(
    request: Request, values: dict[str, Any], errors: dict[str, str]
) -> dict[str, Any]:
    venues = await ideas.venue_choices()
    return {
        "values": values,
        "errors": errors,
        "towns": await ideas.idea_towns(),
        "venues_by_town": [
            (town, list(items)) for town, items in itertools.groupby(venues, key=lambda v: v.town)
        ],
        "months": [(m, month_label(m)) for m in ideas.months_from(_today(request))],
    }


async def idea_new(request: Request) -> Response:
    if request.method == "GET":
        values = {
            "town": request.query_params.get("town", ""),
            "timing": "any",
            "audience": "young",
        }
        return _page(request, "ideas/new.html", await _form_context(request, values, {}))
    form = await request.form()
    values = {k: str(v) for k, v in form.items() if k != "csrf_token"}
    try:
        checked = await ideas.propose_idea(
            values,
            client=client_key(request),
            locale=i18n.current_locale(),
            settings=request.app.state.settings,
        )
    except FormError as exc:
        context = await _form_context(request, values, _field_errors(exc.errors))
        return _page(request, "ideas/new.html", context, status=422)
    except ideas.Throttled as exc:
        context = await _form_context(request, values, {"form": _text(exc.code)})
        return _throttled(_page(request, "ideas/new.html", context, status=429), exc)
    request.session[PROPOSED_KEY] = {"email": mask_email(checked.email), "title": checked.title}
    return redirect(request, "idea_proposed")


async def idea_proposed(request: Request) -> Response:
    done = request.session.get(PROPOSED_KEY)
    if not done:
        return redirect(request, "ideas_list")
    return _page(request, "ideas/proposed.html", {"done": done})


async def idea_confirm(request: Request) -> Response:
    """The link from the proposer's mail: a page with a button, so a mail scanner that
    opens links confirms nothing."""
    token = request.path_params["token"]
    idea = await ideas.idea_by_token(token)
    if request.method == "POST":
        try:
            await ideas.confirm_idea(token)
        except EventsError as exc:
            context = {"title": idea.title, "done": False, "error": _text(exc.code)}
            return _page(request, "ideas/confirm.html", context, status=409)
        return redirect(request, "idea_confirm", token=token)
    context = {"title": idea.title, "done": idea.confirmed_at is not None, "error": None}
    return _page(request, "ideas/confirm.html", context)


async def _detail(
    request: Request,
    idea: ideas.PublicIdea,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    context = {"idea": idea, "values": values or {"bring": "nobody"}, "errors": errors or {}}
    return _page(request, "ideas/detail.html", context, status=status)


async def _public_idea(request: Request) -> ideas.PublicIdea | Response:
    """The approved idea of the path, or a redirect from a merged duplicate to it."""
    idea_id = parse_id(request.path_params["idea_id"])
    try:
        return await ideas.public_idea(idea_id)
    except NotFound:
        kept = await ideas.merged_into(idea_id)
        if kept is None or kept == idea_id:
            raise
        return redirect(request, "idea_detail", idea_id=kept)


async def idea_detail(request: Request) -> Response:
    found = await _public_idea(request)
    if isinstance(found, Response):
        return found
    return await _detail(request, found)


async def idea_support(request: Request) -> Response:
    idea = await ideas.public_idea(parse_id(request.path_params["idea_id"]))
    form = await request.form()
    values = {k: str(v) for k, v in form.items() if k != "csrf_token"}
    try:
        checked = await ideas.support_idea(
            idea.id,
            values,
            client=client_key(request),
            locale=i18n.current_locale(),
            settings=request.app.state.settings,
        )
    except FormError as exc:
        return await _detail(
            request, idea, values=values, errors=_field_errors(exc.errors), status=422
        )
    except ideas.Throttled as exc:
        response = await _detail(
            request, idea, values=values, errors={"form": _text(exc.code)}, status=429
        )
        return _throttled(response, exc)
    request.session[SUPPORTED_KEY] = {"idea": idea.id, "email": mask_email(checked.email)}
    return redirect(request, "idea_supported", idea_id=idea.id)


async def idea_supported(request: Request) -> Response:
    idea = await ideas.public_idea(parse_id(request.path_params["idea_id"]))
    done = request.session.get(SUPPORTED_KEY)
    if not done or done.get("idea") != idea.id:
        return redirect(request, "idea_detail", idea_id=idea.id)
    return _page(request, "ideas/supported.html", {"idea": idea, "done": done})


async def idea_support_confirm(request: Request) -> Response:
    """The link from a supporter's mail: a page with a button, like the proposer's."""
    token = request.path_params["token"]
    support, idea = await ideas.support_by_token(token)
    if request.method == "POST":
        try:
            await ideas.confirm_support(token)
        except EventsError as exc:
            context = {
                "title": idea.title,
                "idea_id": idea.id,
                "done": False,
                "error": _text(exc.code),
            }
            return _page(request, "ideas/support_confirm.html", context, status=409)
        return redirect(request, "idea_support_confirm", token=token)
    context = {
        "title": idea.title,
        "idea_id": idea.id,
        "done": support.confirmed_at is not None,
        "error": None,
    }
    return _page(request, "ideas/support_confirm.html", context)


async def idea_report(request: Request) -> Response:
    idea = await ideas.public_idea(parse_id(request.path_params["idea_id"]))
    context: dict[str, Any] = {"idea": idea, "values": {}, "errors": {}, "sent": False}
    if request.method == "GET":
        return _page(request, "ideas/report.html", context)
    form = await request.form()
    context["values"] = {"reason": str(form.get("reason", ""))}
    try:
        await ideas.report_idea(idea.id, context["values"], client=client_key(request))
    except FormError as exc:
        context["errors"] = _field_errors(exc.errors)
        return _page(request, "ideas/report.html", context, status=422)
    except ideas.Throttled as exc:
        context["errors"] = {"form": _text(exc.code)}
        return _throttled(_page(request, "ideas/report.html", context, status=429), exc)
    context["sent"] = True
    return _page(request, "ideas/report.html", context)


# --- organisers ---------------------------------------------------------------------------


async def _organise_page(
    request: Request, *, error: str | None = None, status: int = 200
) -> Response:
    actor = require_actor(request, organise=True)
    town = request.query_params.get("town", "").strip() or None
    context = {
        "groups": await ideas.organiser_ideas(actor, town=town),
        "towns": await ideas.moderated_towns(actor),
        "town": town or "",
        "error": error,
        "done": request.query_params.get("done", ""),
    }
    return _page(request, "ideas/organise.html", context, status=status)


async def organise_ideas(request: Request) -> Response:
    return await _organise_page(request)


async def organise_idea_action(request: Request) -> Response:
    """Approve, reject, keep (reports dealt with) or merge into another idea (POST only)."""
    actor = require_actor(request, organise=True)
    idea_id = parse_id(request.path_params["idea_id"])
    action = request.path_params["action"]
    form = await request.form()
    try:
        if action == "approve":
            await ideas.approve_idea(actor, idea_id)
        elif action == "reject":
            await ideas.reject_idea(actor, idea_id)
        elif action == "keep":
            await ideas.keep_idea(actor, idea_id)
        elif action == "merge":
            await ideas.merge_ideas(actor, idea_id, parse_id(form.get("into", "")))
        else:
            raise NotFound()
    except NotFound:
        raise
    except EventsError as exc:
        return await _organise_page(request, error=_text(exc.code), status=409)
    return redirect(request, "organise_ideas", query=f"done={action}")


async def organise_idea_activity(request: Request) -> Response:
    """Turn an approved idea into a draft activity: venue, day and times, the rest filled."""
    actor = require_actor(request, organise=True)
    idea_id = parse_id(request.path_params["idea_id"])
    draft = await ideas.draft_form(actor, idea_id, today=_today(request))
    values, errors, status = draft.values, {}, 200
    if request.method == "POST":
        form = await request.form()
        values = {k: str(v) for k, v in form.items() if k != "csrf_token"}
        tz = ZoneInfo(request.app.state.settings.timezone)
        try:
            event = await ideas.draft_from_idea(actor, idea_id, values, tz=tz)
        except FormError as exc:
            errors, status = _field_errors(exc.errors), 422
        except EventsError as exc:
            errors, status = {"form": _text(exc.code)}, 409
        else:
            return redirect(request, "organise_event_detail", event_id=event.id)
    context = {"draft": draft, "values": values, "errors": errors}
    return _page(request, "ideas/activity_form.html", context, status=status)


routes = [
    Route("/ideas", ideas_list, name="ideas_list"),
    Route("/ideas/new", idea_new, methods=["GET", "POST"], name="idea_new"),
    Route("/ideas/new/thanks", idea_proposed, name="idea_proposed"),
    Route("/ideas/confirm/{token}", idea_confirm, methods=["GET", "POST"], name="idea_confirm"),
    Route(
        "/ideas/support/{token}",
        idea_support_confirm,
        methods=["GET", "POST"],
        name="idea_support_confirm",
    ),
    Route("/ideas/{idea_id}", idea_detail, name="idea_detail"),
    Route("/ideas/{idea_id}/support", idea_support, methods=["POST"], name="idea_support"),
    Route("/ideas/{idea_id}/supported", idea_supported, name="idea_supported"),
    Route("/ideas/{idea_id}/report", idea_report, methods=["GET", "POST"], name="idea_report"),
    Route("/organise/ideas", organise_ideas, name="organise_ideas"),
    Route(
        "/organise/ideas/{idea_id}/activity",
        organise_idea_activity,
        methods=["GET", "POST"],
        name="organise_idea_activity",
    ),
    Route(
        "/organise/ideas/{idea_id}/{action:str}",
        organise_idea_action,
        methods=["POST"],
        name="organise_idea_action",
    ),
]
