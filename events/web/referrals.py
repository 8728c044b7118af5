"""Referral pages (welzijn op recept), by audience:

- referrers: ``/referrals`` (their own referrals and the stage they may see) and
  ``/referrals/new`` (the form, made for a phone); ``/referrers/welcome/{token}`` to choose
  a password from the invitation mail
- organisers: ``/organise/referrers`` (invite referrers, take access away)

Thin handlers: parse, call ``events.services.referrals``, render. The services check who
may see what (a referrer sees only their own referrals; for everyone else a referral does
not exist) and log every look at a referral.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from urllib.parse import urlencode

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from events import i18n
from events.i18n import mark as N_
from events.services import referrals
from events.services.errors import EventsError, FormError
from events.services.forms import parse_id
from events.web.auth import require_actor
from events.web.labels import GROUP_LABELS, INTEREST_LABELS
from events.web.messages import error_text, field_errors
from events.web.templating import path_for, redirect, render

MULTI = ("towns", "kinds", "needs")
STAGE_LABELS = {
    "referred": N_("Referred"),
    "invited": N_("Invited"),
    "signed_up": N_("Signed up"),
    "came": N_("Came"),
    "came_again": N_("Came again"),
}
ROUTE_LABELS = {
    "email": N_("By email"),
    "phone": N_("By phone"),
    "via_referrer": N_("Through me, the referrer"),
}
NEED_LABELS = {
    "step_free": N_("No steps (wheelchair, walker)"),
    "quiet": N_("A quiet place to step away"),
    "hearing": N_("A hearing loop"),
}
_MESSAGES = {
    "consent_required": N_("Only send a referral when the person agreed to the statement."),
    "invalid_phone": N_("Please enter a phone number like 06 12345678."),
    "passwords_differ": N_("The two passwords are not the same."),
    "link_expired": N_(
        "This link no longer works: it was used already or is too old. Ask the organiser "
        "for a new one."
    ),
}
assert set(STAGE_LABELS) == set(referrals.ORDER)
assert set(ROUTE_LABELS) == set(referrals.CONTACT_ROUTES)
assert set(NEED_LABELS) == set(referrals.NEEDS)


def message(code: str) -> str:
    """The sentence for an error code: the referral pages' own, else the shared table."""
    return i18n.gettext(_MESSAGES[code]) if code in _MESSAGES else error_text(code)


def form_errors(errors: Mapping[str, str]) -> dict[str, str]:
    shared = field_errors({k: v for k, v in errors.items() if v not in _MESSAGES})
    return {**shared, **{k: message(v) for k, v in errors.items() if v in _MESSAGES}}


def form_values(form: FormData) -> dict[str, object]:
    """Single values as strings, checkbox groups as lists (to check and to show again)."""
    values: dict[str, object] = {
        k: str(v) for k, v in form.items() if k not in (*MULTI, "csrf_token")
    }
    for name in MULTI:
        values[name] = [str(v) for v in form.getlist(name)]
    return values


def labels() -> dict[str, object]:
    """Labels of stored values, translated in the template."""
    return {
        "stages": STAGE_LABELS,
        "routes": ROUTE_LABELS,
        "needs": NEED_LABELS,
        "kinds": {k: INTEREST_LABELS[k] for k in referrals.KINDS},
        "groups": GROUP_LABELS,
    }


def form_choices(towns: list[str]) -> dict[str, list[tuple[str, str]]]:
    """The referral form's options as (value, translated label)."""
    return {
        "routes": i18n.choices(ROUTE_LABELS),
        "groups": i18n.choices({g: GROUP_LABELS[g] for g in referrals.GROUPS}),
        "towns": [(town, town) for town in towns],
        "kinds": i18n.choices({k: INTEREST_LABELS[k] for k in referrals.KINDS}),
        "needs": i18n.choices(NEED_LABELS),
    }


def _now() -> datetime:
    return datetime.now(UTC)


# --- referrers ------------------------------------------------------------------------------


async def referrer_home(request: Request) -> Response:
    """The referrer's own referrals with the stage they may see."""
    actor = require_actor(request)
    rows = await referrals.my_referrals(actor)
    context = {"rows": rows, "sent": request.query_params.get("sent") == "1", **labels()}
    return render(request, "referrals/mine.html", context)


async def referral_new(request: Request) -> Response:
    actor = require_actor(request)
    info = await referrals.form_info(actor)
    values: dict[str, object] = {k: [] for k in MULTI}
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = form_values(await request.form())
        try:
            await referrals.refer(actor, values, now=_now())
        except FormError as exc:
            errors = form_errors(exc.errors)
        else:
            return redirect(request, "referrer_home", query="sent=1")
    context = {
        "info": info,
        "values": values,
        "errors": errors,
        "choices": form_choices(info.towns),
    }
    return render(request, "referrals/form.html", context, status=422 if errors else 200)


async def referrer_welcome(request: Request) -> Response:
    """Choose a password through the link in the invitation mail, then sign in."""
    token = request.path_params["token"]
    secret = request.app.state.settings.secret_key
    try:
        user = await referrals.user_for_token(token, secret=secret, now=_now())
    except EventsError as exc:
        context = {"title": message(exc.code), "status": 404}
        return render(request, "errors/error.html", context, status=404)
    errors: dict[str, str] = {}
    if request.method == "POST":
        form = await request.form()
        try:
            await referrals.set_password(token, form, secret=secret, now=_now())
        except FormError as exc:
            errors = form_errors(exc.errors)
        else:
            query = urlencode({"next": path_for(request, "referrer_home")})
            return redirect(request, "login", query=query)
    context = {"user": user, "errors": errors}
    return render(request, "referrals/welcome.html", context, status=422 if errors else 200)


# --- organisers: referrers ------------------------------------------------------------------


async def referrers_page(request: Request) -> Response:
    """The organisation's referrers, and the form to invite one."""
    actor = require_actor(request, organise=True)
    values: dict[str, object] = {}
    errors: dict[str, str] = {}
    if request.method == "POST":
        form = await request.form()
        values = {k: str(v) for k, v in form.items() if k != "csrf_token"}
        try:
            await referrals.invite_referrer(
                actor,
                values,
                settings=request.app.state.settings,
                now=_now(),
                locale=i18n.current_locale(),
            )
        except FormError as exc:
            errors = form_errors(exc.errors)
        else:
            return redirect(request, "organise_referrers", query="invited=1")
    context = {
        "referrers": await referrals.list_referrers(actor),
        "values": values,
        "errors": errors,
        "invited": request.query_params.get("invited") == "1",
        "days": referrals.LINK_DAYS,
    }
    return render(request, "referrals/referrers.html", context, status=422 if errors else 200)


async def referrer_access(request: Request) -> Response:
    """Take a referrer's access away, or give it back."""
    actor = require_actor(request, organise=True)
    form = await request.form()
    user_id = parse_id(request.path_params["user_id"])
    await referrals.set_active(actor, user_id, active=form.get("active") == "1")
    return redirect(request, "organise_referrers")


routes = [
    Route("/referrals", referrer_home, name="referrer_home"),
    Route("/referrals/new", referral_new, methods=["GET", "POST"], name="referral_new"),
    Route(
        "/referrers/welcome/{token}",
        referrer_welcome,
        methods=["GET", "POST"],
        name="referrer_welcome",
    ),
    Route(
        "/organise/referrers",
        referrers_page,
        methods=["GET", "POST"],
        name="organise_referrers",
    ),
    Route(
        "/organise/referrers/{user_id}/access",
        referrer_access,
        methods=["POST"],
        name="organise_referrer_access",
    ),
]
