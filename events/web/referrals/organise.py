"""Organisers' referral pages: the list with fitting activities, one referral (invite by
mail, letter, assisted sign-up, a buddy), erasure and the access log.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from events import i18n
from events.services import referrals
from events.services.errors import EventsError, FormError
from events.services.forms import parse_id
from events.web.auth import require_actor
from events.web.labels import GROUP_LABELS
from events.web.referrals.common import (
    ACTION_LABELS,
    NEED_LABELS,
    erase_page,
    form_errors,
    labels,
    message,
    now,
    referral_id_of,
)
from events.web.templating import redirect, render

# --- organisers: referrals ------------------------------------------------------------------


async def organise_referrals(request: Request) -> Response:
    """The organisation's referrals with the upcoming activities that fit each one."""
    actor = require_actor(request, organise=True)
    rows = await referrals.referral_list(actor, now=now())
    erased = request.query_params.get("erased") == "1"
    return render(request, "referrals/list.html", {"rows": rows, "erased": erased, **labels()})


async def organise_erase(request: Request) -> Response:
    """An organiser erases a referral at once, on request."""
    actor = require_actor(request, organise=True)
    return await erase_page(request, actor_home="organise_referrals", actor=actor)


async def organise_log(request: Request) -> Response:
    """Who looked at the organisation's referrals, and when (by number, never by name)."""
    actor = require_actor(request, organise=True)
    rows = await referrals.view_log(actor)
    return render(request, "referrals/log.html", {"rows": rows, "actions": ACTION_LABELS})


async def organise_referral(request: Request, *, error: str | None = None) -> Response:
    """One referral: contact, what fits, invitation, sign-ups, buddy."""
    actor = require_actor(request, organise=True)
    detail = await referrals.referral_detail(actor, referral_id_of(request), now=now())
    done = request.query_params.get("done")
    context = {
        "detail": detail,
        "referral": detail.referral,
        "done": done if done in ("mailed", "paired", "signed_up") else None,
        "error": message(error) if error else None,
        **labels(),
    }
    return render(request, "referrals/detail.html", context, status=409 if error else 200)


async def organise_invite(request: Request) -> Response:
    """Invite the person to an activity by mail, or make the letter to print."""
    actor = require_actor(request, organise=True)
    form = await request.form()
    way = str(form.get("way") or "")
    referral_id = referral_id_of(request)
    try:
        await referrals.invite(
            actor,
            referral_id,
            parse_id(form.get("event_id") or ""),
            way=way,
            settings=request.app.state.settings,
            now=now(),
        )
    except EventsError as exc:
        if exc.category == "not_found":
            raise
        return await organise_referral(request, error=exc.code)
    if way == "letter":
        return redirect(request, "organise_referral_letter", referral_id=referral_id)
    return redirect(request, "organise_referral", query="done=mailed", referral_id=referral_id)


async def organise_letter(request: Request) -> Response:
    """The printable invitation: the activity, a QR code and who to call."""
    actor = require_actor(request, organise=True)
    try:
        letter = await referrals.letter(
            actor, referral_id_of(request), settings=request.app.state.settings
        )
    except EventsError as exc:
        if exc.category == "not_found":
            raise
        return await organise_referral(request, error=exc.code)
    return render(request, "referrals/letter.html", {"letter": letter})


async def organise_signup(request: Request) -> Response:
    """Sign the referred person up for an activity (after a call, say); ends on the
    paper ticket."""
    actor = require_actor(request, organise=True)
    referral_id = referral_id_of(request)
    event_id = parse_id(request.path_params["event_id"])
    detail = await referrals.referral_detail(actor, referral_id, now=now())
    referral = detail.referral
    event = next(
        (s.event for s in [*detail.fitting, *detail.others] if s.event.id == event_id), None
    )
    if event is None:
        return await organise_referral(request, error="event_not_open")
    values: dict[str, object] = {
        "first_name": referral.first_name,
        "group": referral.group.value,
        "email": referral.email or "",
        "needs": list(referral.needs),
    }
    errors: dict[str, str] = {}
    if request.method == "POST":
        form = await request.form()
        values = {k: str(v) for k, v in form.items() if k not in ("csrf_token", "needs")}
        values["needs"] = [str(v) for v in form.getlist("needs")]
        try:
            outcome = await referrals.sign_up_assisted(
                actor,
                referral_id,
                event_id,
                values,
                locale=i18n.current_locale(),
                settings=request.app.state.settings,
                now=now(),
            )
        except FormError as exc:
            errors = form_errors(exc.errors)
        except EventsError as exc:
            errors = {"form": message(exc.code)}
        else:
            assert outcome.lead is not None
            if outcome.duplicate:
                errors = {"form": message("already_registered")}
            else:
                return redirect(request, "ticket_print", code=outcome.lead.code)
    context = {
        "referral": referral,
        "event": event,
        "values": values,
        "errors": errors,
        "group_options": i18n.choices({g: GROUP_LABELS[g] for g in referrals.GROUPS}),
        "need_options": i18n.choices(NEED_LABELS),
    }
    return render(request, "referrals/assisted.html", context, status=422 if errors else 200)


async def organise_buddy(request: Request) -> Response:
    """Pair a buddy (a volunteer or a participant who agreed) for the first activity."""
    actor = require_actor(request, organise=True)
    referral_id = referral_id_of(request)
    try:
        options = await referrals.buddy_options(actor, referral_id, now=now())
    except EventsError as exc:
        if exc.category == "not_found":
            raise
        return await organise_referral(request, error=exc.code)
    values: dict[str, object] = {"meeting_point": options.meeting_point}
    errors: dict[str, str] = {}
    if request.method == "POST":
        form = await request.form()
        values = {k: str(v) for k, v in form.items() if k != "csrf_token"}
        try:
            await referrals.pair_buddy(
                actor, referral_id, values, settings=request.app.state.settings, now=now()
            )
        except FormError as exc:
            errors = form_errors(exc.errors)
        except EventsError as exc:
            errors = {"form": message(exc.code)}
        else:
            return redirect(
                request, "organise_referral", query="done=paired", referral_id=referral_id
            )
    rooms = referrals.groups_with_room(options.event)
    context = {
        "options": options,
        "referral": options.referral,
        "values": {"group": rooms[0] if rooms else "open", **values},
        "errors": errors,
        "group_options": [(g, i18n.gettext(GROUP_LABELS[g])) for g in rooms],
    }
    return render(request, "referrals/buddy.html", context, status=422 if errors else 200)
