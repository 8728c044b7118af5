"""Staff pages about who signed up: the organiser's list per event (by group and status,
waitlist order, CSV export, promote/move/cancel by hand) and assisted sign-up at a desk or
the door (organisers and hosts), which ends on the printable ticket."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from events import i18n
from events.i18n import mark as N_
from events.services import desk, places, registrations, scope
from events.services.errors import EventsError, FormError, NotFound
from events.services.forms import parse_id
from events.services.records import Group, RegistrationStatus
from events.web.auth import require_actor
from events.web.confirm import ask, confirmed
from events.web.errors import status_for
from events.web.labels import (
    GROUP_LABELS,
    INTEREST_LABELS,
    LANGUAGE_LABELS,
    NEED_LABELS,
    STATUS_LABELS,
)
from events.web.messages import error_text, field_errors
from events.web.spreadsheet import csv_response, xlsx_response
from events.web.templating import path_for, redirect, render

ACTIONS = ("cancel", "promote", "promote_over", "move")
EXPORTS = ("csv", "xlsx")
# Needs as staff name them (the sign-up form asks them in the first person).
NEED_WORDS = {
    "step_free": N_("Step-free access"),
    "quiet": N_("Quiet table"),
    "hearing": N_("Hard of hearing"),
    "sight": N_("Visually impaired"),
    "seat": N_("Chair with arms"),
}
SOURCE_LABELS = {
    "online": N_("Online"),
    "api": N_("Another website (API)"),
    "assisted": N_("By staff"),
    "walk_in": N_("Walk-in at the door"),
}


def _id(request: Request, name: str) -> int:
    return parse_id(request.path_params[name])


async def registrations_page(request: Request) -> Response:
    actor = require_actor(request, organise=True)
    listing = await desk.signup_list(actor, _id(request, "event_id"))
    event = listing.event
    error = request.query_params.get("error")
    context = {
        "event": event,
        "rows": [row.registration for row in listing.rows],
        "positions": {r.registration.id: r.waiting_place for r in listing.rows},
        "left": places.places_left(event),
        "places": places.places_by_group(event),
        "groups": list(Group),
        "error": error_text(error) if error else None,
    }
    return render(request, "organise/registrations.html", context)


def _export_table(listing: desk.SignupList, tz: ZoneInfo) -> list[list[object]]:
    """The sign-ups as a table in the page's language: headers and values translated."""
    header = [
        i18n.gettext(h)
        for h in (
            N_("First name"),
            N_("Email"),
            N_("Phone"),
            N_("Year of birth"),
            N_("Group"),
            N_("Status"),
            N_("Waiting list place"),
            N_("Comes with"),
            N_("Languages"),
            N_("Interests"),
            N_("Needs"),
            N_("Signed up via"),
            N_("Signed up at"),
            N_("Guardian consent"),
            N_("Arrived at"),
            N_("Left at"),
            N_("Phone pouch"),
        )
    ]
    header += [i18n.gettext("Table in round %(n)s", n=n) for n in range(1, listing.rounds + 1)]

    def when(moment: datetime | None) -> str:
        return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M") if moment else ""

    def words(values: list[str], labels: Mapping[str, str]) -> str:
        return ", ".join(i18n.gettext(labels[v]) if v in labels else v for v in values)

    lines: list[list[object]] = [list(header)]
    for row in listing.rows:
        r = row.registration
        lines.append(
            [
                r.first_name,
                r.email or "",
                r.phone or "",
                r.birth_year or "",
                i18n.gettext(GROUP_LABELS[r.group]),
                i18n.gettext(STATUS_LABELS[r.status]),
                row.waiting_place or "",
                r.lead.first_name if r.lead else "",
                words(r.languages, LANGUAGE_LABELS),
                words(r.interests, INTEREST_LABELS),
                words(r.needs, NEED_WORDS),
                i18n.gettext(SOURCE_LABELS[r.source]),
                when(r.created_at),
                when(r.guardian_consent_at),
                when(row.arrived_at),
                when(row.left_at),
                row.pouch,
                *[table or "" for table in row.tables],
            ]
        )
    return lines


async def registrations_export(request: Request) -> Response:
    """The sign-ups as CSV (semicolons, for Dutch Excel) or as an .xlsx workbook."""
    actor = require_actor(request, organise=True)
    if request.path_params["format"] not in EXPORTS:
        raise NotFound()
    listing = await desk.signup_list(actor, _id(request, "event_id"))
    table = _export_table(listing, ZoneInfo(request.app.state.settings.timezone))
    prefix = i18n.gettext("sign-ups")
    name = f"{prefix}-{listing.event.slug}"
    if request.path_params["format"] == "xlsx":
        return xlsx_response(table, filename=f"{name}.xlsx", sheet=i18n.gettext("Sign-ups"))
    return csv_response(table, filename=f"{name}.csv")


async def registration_action(request: Request) -> Response:
    actor = require_actor(request, organise=True)
    action = request.path_params["action"]
    if action not in ACTIONS:
        raise NotFound()
    row = await registrations.registration_for_staff(actor, _id(request, "registration_id"))
    settings = request.app.state.settings
    back = path_for(request, "organise_registrations", event_id=row.event_id)
    if action == "cancel" and not confirmed(await request.form()):
        return ask(
            request,
            question=i18n.gettext("Cancel the place of %(name)s?", name=row.first_name),
            detail=i18n.gettext("They get an email, and the next person waiting gets the place."),
            yes=i18n.gettext("Yes, cancel this place"),
            back=back,
        )
    try:
        if action == "cancel":
            await registrations.cancel_for_staff(actor, row.id, settings=settings)
        elif action in ("promote", "promote_over"):
            await registrations.promote_by_hand(
                actor, row.id, settings=settings, over_capacity=action == "promote_over"
            )
        else:
            group = str((await request.form()).get("group", ""))
            await registrations.move_group(actor, row.id, group, settings=settings)
    except EventsError as exc:
        return RedirectResponse(f"{back}?error={exc.code}", status_code=303)
    return RedirectResponse(back, status_code=303)


async def assisted_signup(request: Request) -> Response:
    """Register someone by first name at a desk or the door; ends on their paper ticket.
    Before placing someone in a full group the form asks: waiting list, or a place anyway."""
    actor = require_actor(request, organise=request.url.path.startswith("/organise/"))
    event = await scope.get_event_for(actor, _id(request, "event_id"))
    values: dict[str, object] = {"group": "older"}
    errors: dict[str, str] = {}
    status, choose = 200, False
    if request.method == "POST":
        form = await request.form()
        values = {k: str(v) for k, v in form.items() if k not in ("csrf_token", "needs")}
        values["needs"] = [str(v) for v in form.getlist("needs")]
        try:
            outcome = await desk.assisted_sign_up(
                actor,
                event.id,
                values,
                walk_in=bool(values.get("walk_in")),
                locale=i18n.current_locale(),
                settings=request.app.state.settings,
            )
        except FormError as exc:
            errors, status = field_errors(exc.errors), 422
        except EventsError as exc:
            errors, status = {"form": error_text(exc.code)}, status_for(exc)
            choose = exc.code == "group_full_choose"
        else:
            lead = outcome.lead
            assert lead is not None
            if not outcome.duplicate:  # straight to the paper ticket
                return redirect(request, "ticket_print", code=lead.code)
            # Never hand staff someone else's ticket (it opens their data and other places).
            errors, status = {"form": error_text("already_registered")}, 409
    context = {
        "event": event,
        "values": values,
        "errors": errors,
        "choose": choose,
        "left": places.places_left(event),
        "group_options": [(g.value, i18n.gettext(GROUP_LABELS[g])) for g in Group],
        "need_options": i18n.choices(NEED_LABELS),
        "confirmed": RegistrationStatus.CONFIRMED,
    }
    return render(request, "organise/assisted_signup.html", context, status=status)


async def to_call_page(request: Request) -> Response:
    """People without email who got a place from the waiting list: phone them, tick off."""
    actor = require_actor(request, organise=True)
    if request.method == "POST":
        form = await request.form()
        await desk.mark_called(actor, parse_id(str(form.get("registration_id", ""))))
        return redirect(request, "organise_to_call", query="done=1")
    context = {
        "people": await desk.to_call(actor),
        "done": request.query_params.get("done") == "1",
    }
    return render(request, "organise/to_call.html", context)


routes = [
    Route(
        "/organise/events/{event_id}/registrations",
        registrations_page,
        name="organise_registrations",
    ),
    Route(
        "/organise/events/{event_id}/registrations.{format:str}",
        registrations_export,
        name="organise_registrations_export",
    ),
    Route(
        "/organise/registrations/{registration_id}/{action}",
        registration_action,
        methods=["POST"],
        name="registration_action",
    ),
    Route(
        "/organise/events/{event_id}/register",
        assisted_signup,
        methods=["GET", "POST"],
        name="assisted_signup",
    ),
    Route("/organise/to-call", to_call_page, methods=["GET", "POST"], name="organise_to_call"),
    Route(
        "/host/events/{event_id}/register",
        assisted_signup,
        methods=["GET", "POST"],
        name="host_assisted_signup",
    ),
]
