"""The invited person's and the buddy's pages: the invitation with its filled-in sign-up
form, and the buddy's report afterwards.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from events import i18n
from events.services import places, referrals
from events.services.errors import Conflict, EventsError, FormError
from events.web.public import signup_choices
from events.web.ratelimit import signup_wait
from events.web.referrals.common import (
    OUTCOME_LABELS,
    form_errors,
    message,
    now,
    signup_values,
)
from events.web.templating import redirect, render

# --- the invited person and the buddy ---------------------------------------------------


async def invitation(request: Request) -> Response:
    """The activity and a sign-up form filled in from the referral; posting signs up."""
    token = request.path_params["token"]
    found = await referrals.invitation(token)
    values: dict[str, object] = dict(found.values)
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        values = signup_values(await request.form())
        try:
            if await signup_wait(request) is not None:
                raise Conflict("rate_limited")
            await referrals.accept_invitation(
                token,
                values,
                locale=i18n.current_locale(),
                settings=request.app.state.settings,
                now=now(),
            )
        except FormError as exc:
            errors, status = form_errors(exc.errors), 422
        except EventsError as exc:
            errors, status = {"form": message(exc.code)}, 409
        else:
            return redirect(request, "referral_invitation", query="done=1", token=token)
    context = {
        "invitation": found,
        "event": found.event,
        "values": values,
        "errors": errors,
        "done": request.query_params.get("done") == "1" or found.signed_up,
        "places": places.places_by_group(found.event),
        "left": places.places_left(found.event),
        "choices": signup_choices(found.event),
    }
    return render(request, "referrals/invitation.html", context, status=status)


async def buddy_report(request: Request) -> Response:
    """The buddy says how it went: yes, not yet or no (no free text)."""
    token = request.path_params["token"]
    error = None
    if request.method == "POST":
        form = await request.form()
        try:
            await referrals.report_buddy(token, str(form.get("outcome") or ""), now=now())
        except FormError:
            error = message("invalid_choice")
        except EventsError as exc:
            if exc.category == "not_found":
                raise
            error = message(exc.code)
        else:
            return redirect(request, "buddy_report", query="done=1", token=token)
    report = await referrals.buddy_report(token, now=now())
    context = {
        "report": report,
        "error": error,
        "done": request.query_params.get("done") == "1",
        "outcomes": i18n.choices(OUTCOME_LABELS),
    }
    return render(request, "referrals/buddy_report.html", context, status=409 if error else 200)
