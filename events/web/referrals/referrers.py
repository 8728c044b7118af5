"""Referrers' pages: their own referrals and the form, the welcome link, and the organiser's
page to invite referrers and take access away.
"""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from events import i18n
from events.services import referrals
from events.services.errors import EventsError, FormError
from events.services.forms import parse_id
from events.web.auth import require_actor
from events.web.referrals.common import (
    MULTI,
    erase_page,
    form_choices,
    form_errors,
    form_values,
    labels,
    message,
    now,
)
from events.web.templating import path_for, redirect, render

# --- referrers ------------------------------------------------------------------------------


async def referrer_home(request: Request) -> Response:
    """The referrer's own referrals with the stage they may see."""
    actor = require_actor(request)
    rows = await referrals.my_referrals(actor)
    context = {
        "rows": rows,
        "sent": request.query_params.get("sent") == "1",
        "erased": request.query_params.get("erased") == "1",
        **labels(),
    }
    return render(request, "referrals/mine.html", context)


async def referrer_erase(request: Request) -> Response:
    """The referrer erases one of their referrals at once (the person asked them to)."""
    actor = require_actor(request)
    return await erase_page(request, actor_home="referrer_home", actor=actor)


async def referral_new(request: Request) -> Response:
    actor = require_actor(request)
    info = await referrals.form_info(actor)
    values: dict[str, object] = {k: [] for k in MULTI}
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = form_values(await request.form())
        try:
            await referrals.refer(actor, values, now=now())
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
        user = await referrals.user_for_token(token, secret=secret, now=now())
    except EventsError as exc:
        context = {"title": message(exc.code), "status": 404}
        return render(request, "errors/error.html", context, status=404)
    errors: dict[str, str] = {}
    if request.method == "POST":
        form = await request.form()
        try:
            await referrals.set_password(token, form, secret=secret, now=now())
        except FormError as exc:
            errors = form_errors(exc.errors)
        else:
            query = urlencode({"next": path_for(request, "referrer_home")})
            return redirect(request, "login", query=query)
    lead = i18n.gettext(
        "Choose a password. Then sign in with %(email)s to refer people.", email=user.email
    )
    context = {"user": user, "errors": errors, "lead": lead}
    return render(request, "auth/welcome.html", context, status=422 if errors else 200)


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
                now=now(),
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
