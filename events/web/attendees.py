"""Staff pages about who signed up: the organiser's list per event (by group and status,
waitlist order, CSV export, promote/move/cancel by hand) and assisted sign-up at a desk or
the door (organisers and hosts), which ends on the printable ticket."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from events import i18n
from events.services import places, registrations, scope
from events.services.errors import EventsError, FormError, NotFound
from events.services.forms import parse_id
from events.services.records import Group, RegistrationStatus
from events.web.auth import require_actor
from events.web.confirm import ask, confirmed
from events.web.labels import GROUP_LABELS, NEED_LABELS, STATUS_LABELS
from events.web.messages import error_text, field_errors
from events.web.spreadsheet import csv_response
from events.web.templating import path_for, redirect, render

ACTIONS = ("cancel", "promote", "promote_over", "move")


def _id(request: Request, name: str) -> int:
    return parse_id(request.path_params[name])


async def registrations_page(request: Request) -> Response:
    actor = require_actor(request, organise=True)
    event = await scope.get_event_for(actor, _id(request, "event_id"))
    rows = await registrations.event_registrations(actor, event.id)
    error = request.query_params.get("error")
    context = {
        "event": event,
        "rows": rows,
        "positions": places.waitlist_positions(rows),
        "left": places.places_left(event),
        "places": places.places_by_group(event),
        "groups": list(Group),
        "error": error_text(error) if error else None,
    }
    return render(request, "organise/registrations.html", context)


async def registrations_csv(request: Request) -> Response:
    actor = require_actor(request, organise=True)
    event = await scope.get_event_for(actor, _id(request, "event_id"))
    rows = await registrations.event_registrations(actor, event.id)
    positions = places.waitlist_positions(rows)
    tz = ZoneInfo(request.app.state.settings.timezone)
    header = [
        i18n.gettext(h)
        for h in (
            "First name",
            "Email",
            "Year of birth",
            "Group",
            "Status",
            "Waiting list place",
            "Comes with",
            "Languages",
            "Interests",
            "Needs",
            "Signed up via",
            "Signed up at",
            "Guardian consent",
        )
    ]

    def when(moment: datetime | None) -> str:
        return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M") if moment else ""

    lines = [
        [
            row.first_name,
            row.email or "",
            row.birth_year or "",
            i18n.gettext(GROUP_LABELS[row.group]),
            i18n.gettext(STATUS_LABELS[row.status]),
            positions.get(row.id, ""),
            row.lead.first_name if row.lead else "",
            ", ".join(row.languages),
            ", ".join(row.interests),
            ", ".join(row.needs),
            row.source,
            when(row.created_at),
            when(row.guardian_consent_at),
        ]
        for row in rows
    ]
    return csv_response([header, *lines], filename=f"aanmeldingen-{event.slug}.csv")


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
    """Register someone by first name at a desk or the door; ends on their paper ticket."""
    actor = require_actor(request, organise=request.url.path.startswith("/organise/"))
    event = await scope.get_event_for(actor, _id(request, "event_id"))
    values: dict[str, object] = {"group": "older"}
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        form = await request.form()
        values = {k: str(v) for k, v in form.items() if k not in ("csrf_token", "needs")}
        values["needs"] = [str(v) for v in form.getlist("needs")]
        try:
            outcome = await registrations.assisted_sign_up(
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
            errors, status = {"form": error_text(exc.code)}, 409
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
        "left": places.places_left(event),
        "group_options": [(g.value, i18n.gettext(GROUP_LABELS[g])) for g in Group],
        "need_options": i18n.choices(NEED_LABELS),
        "confirmed": RegistrationStatus.CONFIRMED,
    }
    return render(request, "organise/assisted_signup.html", context, status=status)


routes = [
    Route(
        "/organise/events/{event_id}/registrations",
        registrations_page,
        name="organise_registrations",
    ),
    Route(
        "/organise/events/{event_id}/registrations.csv",
        registrations_csv,
        name="organise_registrations_csv",
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
    Route(
        "/host/events/{event_id}/register",
        assisted_signup,
        methods=["GET", "POST"],
        name="host_assisted_signup",
    ),
]
