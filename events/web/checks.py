"""Venue checks by people with lived experience: the checker's pages (their checks, the
phone-friendly checklist, photos, the welcome link to choose a password) and the
organiser's page per venue (checks done, invite a checker).

A checker has no other rights: :func:`require_checker` lets only ``Role.CHECKER`` in here,
and every other staff page refuses a checker because the services find nothing of theirs.
Thin handlers: parse, call ``events.services.volunteers``, render.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from events import i18n
from events.i18n import mark as N_
from events.services import volunteers
from events.services.errors import EventsError, FormError, NotFound
from events.services.forms import parse_id
from events.services.records import Role
from events.services.staff import Actor
from events.web.auth import LoginRequired, require_actor
from events.web.templating import redirect, render
from events.web.volunteer import NOINDEX, form_errors, message

MESSAGES = {
    "photo_too_large": N_("This photo is too large: at most 900 kB. Take a smaller one."),
    "photo_not_an_image": N_("This file is not a photo. Choose a JPEG or PNG picture."),
    "too_many_photos": N_("A check can have at most six photos."),
    "no_photo": N_("Choose a photo first."),
    "link_expired": N_(
        "This link no longer works: it was used already or is too old. "
        "Ask the organiser for a new one."
    ),
    "passwords_differ": N_("The two passwords are not the same."),
}
ITEM_LABELS = {
    "entrance_step_free": N_("Entrance without steps"),
    "step_free_route": N_("Step-free route to the room and the toilet"),
    "door_width_cm": N_("Narrowest door on the way (cm)"),
    "accessible_toilet": N_("Accessible toilet"),
    "hearing_loop": N_("Hearing loop that works"),
    "quiet_room": N_("Quiet room to step away"),
    "lighting": N_("Lighting"),
    "armrest_chairs": N_("Chairs with armrests"),
    "parking": N_("Parking close to the entrance"),
    "transit_distance_m": N_("Walk to the nearest bus stop or station (metres)"),
}
ANSWER_LABELS = {
    "yes": N_("Yes"),
    "no": N_("No"),
    "unsure": N_("Not sure"),
    "some": N_("Some"),
    "good": N_("Good"),
    "dim": N_("Dim"),
    "harsh": N_("Too bright or glaring"),
}
assert set(ITEM_LABELS) == set(volunteers.ITEMS)


def _message(code: str) -> str:
    return i18n.gettext(MESSAGES[code]) if code in MESSAGES else message(code)


def require_checker(request: Request) -> Actor:
    """The signed-in checker; any other staff member finds nothing here (404)."""
    actor: Actor | None = request.scope.get("actor")
    if actor is None:
        raise LoginRequired()
    if actor.role != Role.CHECKER:
        raise NotFound()
    return actor


def words() -> dict[str, object]:
    """Labels for the checklist and the findings, in the current language."""
    return {
        "item_labels": {k: i18n.gettext(v) for k, v in ITEM_LABELS.items()},
        "answer_labels": {k: i18n.gettext(v) for k, v in ANSWER_LABELS.items()},
        "choices": volunteers.CHOICES,
        "numbers": volunteers.NUMBERS,
        "items": volunteers.ITEMS,
    }


async def venue_check_context(venue_id: int, *, now: datetime, timezone: str) -> dict[str, object]:
    """What ``checks/_venue_checked.html`` needs on a venue page: the latest completed check
    (or None), its day as "12 maart 2027", and the labels."""
    summary = await volunteers.venue_check_summary(venue_id, now=now)
    day = ""
    if summary is not None:
        local = summary.completed_at.astimezone(ZoneInfo(timezone)).date()
        day = format_date(local, "d MMMM y", locale=i18n.current_locale())
    return {"venue_check": summary, "venue_check_day": day, "check_words": words()}


async def home(request: Request) -> Response:
    actor = require_checker(request)
    checks = await volunteers.checker_checks(actor)
    return render(request, "checks/home.html", {"checks": checks})


async def checklist(request: Request) -> Response:
    """The checklist of one venue: save as you go, complete at the end."""
    actor = require_checker(request)
    check_id = parse_id(request.path_params["check_id"])
    check = await volunteers.check_for_checker(actor, check_id)
    values: dict[str, object] = {**check.answers}
    values.update({f"note_{k}": v for k, v in check.notes.items()})
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        form = await request.form()
        values = {k: str(v) for k, v in form.items() if k != "csrf_token"}
        complete = form.get("complete") == "1"
        try:
            await volunteers.save_check(
                actor, check_id, values, complete=complete, now=datetime.now(UTC)
            )
        except FormError as exc:
            errors, status = form_errors(exc.errors), 422
        else:
            query = "completed=1" if complete else "saved=1"
            return redirect(request, "checks_form", query=query, check_id=check_id)
        check = await volunteers.check_for_checker(actor, check_id)
    context = {
        "check": check,
        "values": values,
        "errors": errors,
        "saved": request.query_params.get("saved") == "1",
        "completed": request.query_params.get("completed") == "1",
        "photo_error": _message(request.query_params["photo"])
        if request.query_params.get("photo") in MESSAGES
        else None,
        **words(),
    }
    return render(request, "checks/form.html", context, status=status)


async def photo_upload(request: Request) -> Response:
    actor = require_checker(request)
    check_id = parse_id(request.path_params["check_id"])
    form = await request.form(max_files=1)
    upload = form.get("photo")
    try:
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise FormError({"photo": "no_photo"})
        content = await upload.read(volunteers.MAX_PHOTO_BYTES + 1)
        await volunteers.add_photo(
            actor, check_id, content, data_dir=request.app.state.settings.data_dir
        )
    except NotFound:
        raise
    except EventsError as exc:
        code = next(iter(exc.errors.values())) if isinstance(exc, FormError) else exc.code
        return redirect(request, "checks_form", query=f"photo={code}", check_id=check_id)
    return redirect(request, "checks_form", query="saved=1", check_id=check_id)


async def photo(request: Request) -> Response:
    """A photo of a check, for its checker or the venue's organisers."""
    actor = require_actor(request)
    path = await volunteers.photo_file(
        actor,
        parse_id(request.path_params["check_id"]),
        request.path_params["name"],
        data_dir=request.app.state.settings.data_dir,
    )
    return FileResponse(path, media_type="image/jpeg", headers={"Cache-Control": "private"})


async def welcome(request: Request) -> Response:
    """Choose a password from the invitation's link, then sign in."""
    token = request.path_params["token"]
    settings = request.app.state.settings
    user = await volunteers.welcome_user(token, settings=settings)
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        form = {k: str(v) for k, v in (await request.form()).items()}
        try:
            await volunteers.set_checker_password(token, form, settings=settings)
        except FormError as exc:
            errors = {name: _message(code) for name, code in exc.errors.items()}
            status = 422
        else:
            return redirect(request, "login", query="next=/checks/")
    lead = i18n.gettext(
        "Choose a password. You sign in with %(email)s and this password.", email=user.email
    )
    context = {"user": user, "errors": errors, "lead": lead}
    response = render(request, "auth/welcome.html", context, status=status)
    response.headers.update(NOINDEX)
    return response


async def organise_checks(request: Request) -> Response:
    """The checks of one venue and the invitation form."""
    actor = require_actor(request, organise=True)
    venue_id = parse_id(request.path_params["venue_id"])
    values: dict[str, object] = {}
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        values = {k: str(v) for k, v in (await request.form()).items() if k != "csrf_token"}
        try:
            await volunteers.invite_checker(
                actor, venue_id, values, settings=request.app.state.settings
            )
        except FormError as exc:
            errors, status = form_errors(exc.errors), 422
        else:
            return redirect(request, "organise_venue_checks", query="invited=1", venue_id=venue_id)
    venue, checks = await volunteers.venue_checks(actor, venue_id)
    context = {
        "venue": venue,
        "checks": checks,
        "values": values,
        "errors": errors,
        "invited": request.query_params.get("invited") == "1",
        **words(),
    }
    return render(request, "checks/organise.html", context, status=status)


routes = [
    Route("/checks/", home, name="checks_home"),
    Route("/checks/welcome/{token}", welcome, methods=["GET", "POST"], name="checks_welcome"),
    Route("/checks/{check_id}", checklist, methods=["GET", "POST"], name="checks_form"),
    Route("/checks/{check_id}/photos", photo_upload, methods=["POST"], name="checks_photo_add"),
    Route("/checks/{check_id}/photos/{name}", photo, name="checks_photo"),
    Route(
        "/organise/venues/{venue_id}/checks",
        organise_checks,
        methods=["GET", "POST"],
        name="organise_venue_checks",
    ),
]
