"""The organiser's outbox page, ``/organise/outbox``: mail that waits or failed.

Organisers see the mail of their own organisation's events, admins all of it. Mail that
failed can be queued again. Thin: the rules live in ``events.services.outbox``.
"""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from events.i18n import mark as N_
from events.services import outbox as outbox_service
from events.services.forms import parse_id
from events.web.auth import require_actor
from events.web.templating import redirect, render

KIND_LABELS = {
    "confirmation": N_("Ticket"),
    "waitlisted": N_("Waiting list"),
    "awaiting_guardian": N_("Waiting for a guardian"),
    "guardian_request": N_("Question to a guardian"),
    "promoted": N_("Place came free"),
    "cancelled": N_("Cancelled place"),
    "hold_expired": N_("No permission in time"),
    "existing_ticket": N_("Signed up twice"),
    "reminder": N_("Reminder"),
    "event_cancelled": N_("Activity cancelled"),
}


async def outbox_page(request: Request) -> Response:
    actor = require_actor(request, organise=True)
    now = datetime.now(UTC)
    view = await outbox_service.outbox_for(actor, now=now)
    context = {
        "view": view,
        "mail_stuck": await outbox_service.stuck_mail(actor, now=now),
        "kinds": KIND_LABELS,
        "smtp_configured": bool(request.app.state.settings.smtp_host),
        "done": request.session.pop("outbox_done", None) is not None,
    }
    return render(request, "organise/outbox.html", context)


async def message_page(request: Request) -> Response:
    """One message as it will be (or was) sent: recipient, subject and text, with its links."""
    actor = require_actor(request, organise=True)
    message_id = parse_id(request.path_params["message_id"])
    message = await outbox_service.message_for(actor, message_id)
    context = {"message": message, "kinds": KIND_LABELS}
    response = render(request, "organise/outbox_message.html", context)
    response.headers["Cache-Control"] = "no-store"
    return response


async def resend(request: Request) -> Response:
    actor = require_actor(request, organise=True)
    message_id = parse_id(request.path_params["message_id"])
    sent = await outbox_service.resend(actor, message_id, now=datetime.now(UTC))
    request.session["outbox_done"] = sent.id
    return redirect(request, "organise_outbox")


async def retry(request: Request) -> Response:
    actor = require_actor(request, organise=True)
    message_id = parse_id(request.path_params["message_id"])
    await outbox_service.retry_failed(actor, message_id, now=datetime.now(UTC))
    return redirect(request, "organise_outbox")


routes = [
    Route("/organise/outbox", outbox_page, name="organise_outbox"),
    Route("/organise/outbox/{message_id}/retry", retry, methods=["POST"], name="outbox_retry"),
    Route("/organise/outbox/{message_id}", message_page, name="outbox_message"),
    Route("/organise/outbox/{message_id}/resend", resend, methods=["POST"], name="outbox_resend"),
]
