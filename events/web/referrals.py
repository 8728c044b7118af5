"""Referral pages (welzijn op recept), by audience:

- referrers: ``/referrals`` (their own referrals and the stage they may see) and
  ``/referrals/new`` (the form, made for a phone); ``/referrers/welcome/{token}`` to choose
  a password from the invitation mail
- organisers: ``/organise/referrers`` (invite referrers, take access away),
  ``/organise/referrals`` (the list with fitting activities) and one referral's pages:
  invite by mail, print a letter with a QR code, sign up assisted
  and pair a buddy (``/organise/referrals/{id}/buddy``)
- the invited person: ``/invitations/{token}`` (the activity and a filled-in sign-up form)
- the buddy: ``/buddy/{token}`` (afterwards: did it go well? yes, not yet, no)
- erasure on request (organisers and the referrer who made it) and the access log
  (``/organise/referrals/log``: who looked at which referral, by number)

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
from events.services import places, referrals
from events.services.errors import Conflict, EventsError, FormError
from events.services.forms import parse_id
from events.services.staff import Actor
from events.web.auth import require_actor
from events.web.confirm import ask, confirmed
from events.web.labels import GROUP_LABELS, INTEREST_LABELS
from events.web.messages import error_text, field_errors
from events.web.public import signup_choices
from events.web.ratelimit import client_key
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
ACTION_LABELS = {
    "list": N_("Seen in a list"),
    "view": N_("Opened"),
    "invite": N_("Invited by email"),
    "letter": N_("Letter printed"),
    "sign_up": N_("Signed up"),
    "buddy": N_("Buddy pairing opened"),
    "erase": N_("Erased"),
}
OUTCOME_LABELS = {
    "yes": N_("Yes, it went well"),
    "not_yet": N_("Not yet"),
    "no": N_("No"),
}
_MESSAGES = {
    "consent_required": N_("Only send a referral when the person agreed to the statement."),
    "invalid_phone": N_("Please enter a phone number like 06 12345678."),
    "passwords_differ": N_("The two passwords are not the same."),
    "no_email": N_("There is no email address for this person: print a letter instead."),
    "not_invited": N_("Invite this person to an activity first."),
    "not_signed_up": N_("Sign this person up for an activity first."),
    "not_confirmed": N_("This person has no certain place yet: pair a buddy once they have."),
    "buddy_no_place": N_("There is no place left for the buddy in this group. Choose another."),
    "buddy_must_agree": N_("Only pair a participant who agreed to be a buddy."),
    "too_early": N_("You can tell us how it went once the activity has started."),
    "link_expired": N_(
        "This link no longer works: it was used already or is too old. Ask the organiser "
        "for a new one."
    ),
}
assert set(STAGE_LABELS) == set(referrals.ORDER)
assert set(ROUTE_LABELS) == set(referrals.CONTACT_ROUTES)
assert set(NEED_LABELS) == set(referrals.NEEDS)
assert set(OUTCOME_LABELS) == set(referrals.OUTCOMES)
assert set(ACTION_LABELS) == set(referrals.ACTIONS)


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
        "outcomes": OUTCOME_LABELS,
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
    return await _erase(request, actor_home="referrer_home", actor=actor)


async def _erase(request: Request, *, actor_home: str, actor: Actor) -> Response:
    referral_id = _referral_id(request)
    if not confirmed(await request.form()):
        return ask(
            request,
            question=i18n.gettext("Erase this referral now?"),
            detail=i18n.gettext(
                "The name, contact details, the statement and the sign-ups that came from it "
                "are erased everywhere. Only the count stays. This cannot be undone."
            ),
            yes=i18n.gettext("Yes, erase it"),
            back=path_for(request, actor_home),
        )
    await referrals.erase_referral(actor, referral_id, now=_now())
    return redirect(request, actor_home, query="erased=1")


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


# --- organisers: referrals ------------------------------------------------------------------


def _referral_id(request: Request) -> int:
    return parse_id(request.path_params["referral_id"])


async def organise_referrals(request: Request) -> Response:
    """The organisation's referrals with the upcoming activities that fit each one."""
    actor = require_actor(request, organise=True)
    rows = await referrals.referral_list(actor, now=_now())
    erased = request.query_params.get("erased") == "1"
    return render(request, "referrals/list.html", {"rows": rows, "erased": erased, **labels()})


async def organise_erase(request: Request) -> Response:
    """An organiser erases a referral at once, on request."""
    actor = require_actor(request, organise=True)
    return await _erase(request, actor_home="organise_referrals", actor=actor)


async def organise_log(request: Request) -> Response:
    """Who looked at the organisation's referrals, and when (by number, never by name)."""
    actor = require_actor(request, organise=True)
    rows = await referrals.view_log(actor)
    return render(request, "referrals/log.html", {"rows": rows, "actions": ACTION_LABELS})


async def organise_referral(request: Request, *, error: str | None = None) -> Response:
    """One referral: contact, what fits, invitation, sign-ups, buddy."""
    actor = require_actor(request, organise=True)
    detail = await referrals.referral_detail(actor, _referral_id(request), now=_now())
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
    referral_id = _referral_id(request)
    try:
        await referrals.invite(
            actor,
            referral_id,
            parse_id(form.get("event_id") or ""),
            way=way,
            settings=request.app.state.settings,
            now=_now(),
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
            actor, _referral_id(request), settings=request.app.state.settings
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
    referral_id = _referral_id(request)
    event_id = parse_id(request.path_params["event_id"])
    detail = await referrals.referral_detail(actor, referral_id, now=_now())
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
                now=_now(),
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
    referral_id = _referral_id(request)
    try:
        options = await referrals.buddy_options(actor, referral_id, now=_now())
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
                actor, referral_id, values, settings=request.app.state.settings, now=_now()
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
        limiter = request.app.state.signup_limiter
        try:
            if not limiter.hit(client_key(request)):
                raise Conflict("rate_limited")
            await referrals.accept_invitation(
                token,
                values,
                locale=i18n.current_locale(),
                settings=request.app.state.settings,
                now=_now(),
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
            await referrals.report_buddy(token, str(form.get("outcome") or ""), now=_now())
        except FormError:
            error = message("invalid_choice")
        except EventsError as exc:
            if exc.category == "not_found":
                raise
            error = message(exc.code)
        else:
            return redirect(request, "buddy_report", query="done=1", token=token)
    report = await referrals.buddy_report(token, now=_now())
    context = {
        "report": report,
        "error": error,
        "done": request.query_params.get("done") == "1",
        "outcomes": i18n.choices(OUTCOME_LABELS),
    }
    return render(request, "referrals/buddy_report.html", context, status=409 if error else 200)


def signup_values(form: FormData) -> dict[str, object]:
    values: dict[str, object] = {}
    for key, value in form.multi_items():
        if key in ("languages", "interests", "needs"):
            values[key] = [str(v) for v in form.getlist(key)]
        elif key != "csrf_token":
            values[key] = str(value)
    return values


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
    Route(
        "/referrals/{referral_id}/erase",
        referrer_erase,
        methods=["POST"],
        name="referrer_erase",
    ),
    Route("/organise/referrals", organise_referrals, name="organise_referrals"),
    Route("/organise/referrals/log", organise_log, name="organise_referral_log"),
    Route("/organise/referrals/{referral_id}", organise_referral, name="organise_referral"),
    Route(
        "/organise/referrals/{referral_id}/invite",
        organise_invite,
        methods=["POST"],
        name="organise_referral_invite",
    ),
    Route(
        "/organise/referrals/{referral_id}/letter",
        organise_letter,
        name="organise_referral_letter",
    ),
    Route(
        "/organise/referrals/{referral_id}/signup/{event_id}",
        organise_signup,
        methods=["GET", "POST"],
        name="organise_referral_signup",
    ),
    Route(
        "/organise/referrals/{referral_id}/erase",
        organise_erase,
        methods=["POST"],
        name="organise_referral_erase",
    ),
    Route(
        "/organise/referrals/{referral_id}/buddy",
        organise_buddy,
        methods=["GET", "POST"],
        name="organise_referral_buddy",
    ),
    Route("/buddy/{token}", buddy_report, methods=["GET", "POST"], name="buddy_report"),
    Route(
        "/invitations/{token}",
        invitation,
        methods=["GET", "POST"],
        name="referral_invitation",
    ),
]
