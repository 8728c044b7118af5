"""Door passes for volunteer door hosts: the organiser's page to hand out and withdraw
passes for one activity, the page where a volunteer types the six characters, and the
pass's own page (what it opens and when) with the way to the scanner. A redeemed pass is
remembered in the session; ``web/middleware.py`` turns it into a door actor for that one
activity's scanner.

Thin handlers over ``events.services.volunteers`` (door passes).
"""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from events.services import volunteers
from events.services.errors import EventsError, FormError, NotFound
from events.web.auth import require_actor
from events.web.templating import redirect, render
from events.web.volunteer import NOINDEX, form_errors, id_param, message, tz_of


async def organise_door_passes(request: Request) -> Response:
    """The door passes of one activity: a code and a link per volunteer door host."""
    actor = require_actor(request, organise=True)
    event_id = id_param(request, "event_id")
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        form = {k: str(v) for k, v in (await request.form()).items()}
        try:
            await volunteers.create_door_pass(actor, event_id, form)
        except FormError as exc:
            errors, status = form_errors(exc.errors), 422
        else:
            return redirect(request, "organise_door_passes", event_id=event_id)
    event, passes = await volunteers.door_passes(actor, event_id)
    opens, closes = volunteers.pass_window(event, tz_of(request))
    context = {
        "event": event,
        "passes": passes,
        "opens": opens,
        "closes": closes,
        "errors": errors,
        "base_url": request.app.state.settings.base_url,
    }
    return render(request, "volunteer/door_passes.html", context, status=status)


async def organise_door_pass_revoke(request: Request) -> Response:
    actor = require_actor(request, organise=True)
    door_pass = await volunteers.revoke_door_pass(
        actor, id_param(request, "pass_id"), now=datetime.now(UTC)
    )
    return redirect(request, "organise_door_passes", event_id=door_pass.event_id)


PASS_KEY = "door_pass"  # the session remembers a redeemed pass: {"id": …, "event": …}


async def door_pass_code(request: Request) -> Response:
    """A door host types the six characters; a valid pass is remembered in the session."""
    error = None
    status = 200
    if request.method == "POST":
        form = await request.form()
        try:
            grant = await volunteers.redeem(
                code=str(form.get("code", "")), now=datetime.now(UTC), tz=tz_of(request)
            )
        except EventsError as exc:
            code = "door_pass_unknown" if isinstance(exc, NotFound) else exc.code
            error, status = message(code), 404 if isinstance(exc, NotFound) else 409
        else:
            request.session[PASS_KEY] = {"id": grant.pass_id, "event": grant.event_id}
            return redirect(request, "door_pass", token=grant.token)
    return render(request, "volunteer/door_pass_code.html", {"error": error}, status=status)


async def door_pass_page(request: Request) -> Response:
    """What a pass opens and when; a valid one is remembered in the session, for the door."""
    token = request.path_params["token"]
    door_pass, event, opens, closes = await volunteers.pass_for_token(token, tz=tz_of(request))
    state = "open"
    try:
        grant = await volunteers.redeem(token=token, now=datetime.now(UTC), tz=tz_of(request))
    except EventsError as exc:
        state = exc.code
    else:
        request.session[PASS_KEY] = {"id": grant.pass_id, "event": grant.event_id}
    context = {
        "door_pass": door_pass,
        "event": event,
        "opens": opens,
        "closes": closes,
        "state": state,
        "state_text": None if state == "open" else message(state),
    }
    response = render(request, "volunteer/door_pass.html", context)
    response.headers.update(NOINDEX)
    return response


routes = [
    Route(
        "/organise/events/{event_id}/door-passes",
        organise_door_passes,
        name="organise_door_passes",
    ),
    Route(
        "/organise/events/{event_id}/door-passes/new",
        organise_door_passes,
        methods=["POST"],
        name="organise_door_pass_add",
    ),
    Route(
        "/organise/door-passes/{pass_id}/revoke",
        organise_door_pass_revoke,
        methods=["POST"],
        name="organise_door_pass_revoke",
    ),
    Route("/door-pass", door_pass_code, methods=["GET", "POST"], name="door_pass_code"),
    Route("/door-pass/{token}", door_pass_page, name="door_pass"),
]
