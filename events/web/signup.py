"""Sign-up and tickets for participants: the form's POST, the thank-you page, the ticket
page (QR code, cancel, print, calendar) and the guardian's consent pages."""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from events import i18n
from events.services import emails, listing, organisations, places, privacy, registrations
from events.services.errors import EventsError, FormError, NotFound
from events.services.records import Registration
from events.tickets import build_qr_svg, group_code
from events.urls import Urls
from events.web.calendar import private_feed_path
from events.web.confirm import confirmed
from events.web.messages import companion_names, error_text, field_errors, wait_text
from events.web.public import render_event_page
from events.web.ratelimit import count_signup, signup_wait
from events.web.templating import path_for, redirect, render

THANKS_KEY = "signed_up"


def mask_email(email: str) -> str:
    """``anna@example.org`` -> ``a***@example.org``: enough to recognise, not to harvest."""
    name, _, domain = email.partition("@")
    return f"{name[:1]}***@{domain}"


EMAIL_FIELDS = ("email", "guardian_email")


def _form_values(form: FormData) -> dict[str, object]:
    """Single values as strings, checkbox groups as lists (for re-showing the form). A tap on
    "use <suggested address>" puts that address in its field."""
    values: dict[str, object] = {}
    for key, value in form.multi_items():
        if key in ("languages", "interests", "needs"):
            values[key] = [str(v) for v in form.getlist(key)]
        elif key != "csrf_token":
            values[key] = str(value)
    for name in EMAIL_FIELDS:
        chosen = str(values.pop(f"use_{name}", "") or "").strip()
        if chosen:
            values[name] = chosen
    return values


def email_suggestions(
    errors: dict[str, str], values: dict[str, object]
) -> dict[str, dict[str, str]]:
    """For each address refused as a likely typo, the address probably meant."""
    found = {}
    for name in EMAIL_FIELDS:
        if errors.get(name) == "email_suggestion":
            suggestion = emails.suggest(str(values.get(name) or ""))
            if suggestion:
                found[name] = {"suggestion": suggestion}
    return found


async def signup(request: Request) -> Response:
    event = await listing.public_event(request.path_params["slug"])
    values = _form_values(await request.form())
    settings = request.app.state.settings
    wait = await signup_wait(request)
    if wait is not None:
        response = await render_event_page(
            request, event, values=values, errors={"form": wait_text(wait)}, status=429
        )
        response.headers["Retry-After"] = str(wait)
        return response
    try:
        outcome = await registrations.sign_up_from_form(
            values, event=event, locale=i18n.current_locale(), settings=settings
        )
    except FormError as exc:
        await count_signup(request, accepted=False)
        suggested = email_suggestions(exc.errors, values)
        errors = field_errors(exc.errors, {**companion_names(values), **suggested})
        return await render_event_page(
            request,
            event,
            values=values,
            errors=errors,
            suggestions={name: found["suggestion"] for name, found in suggested.items()},
            status=422,
        )
    except EventsError as exc:
        await count_signup(request, accepted=False)
        return await render_event_page(
            request, event, values=values, errors={"form": error_text(exc.code)}, status=409
        )
    await count_signup(request, accepted=True)
    checked = outcome.request
    assert checked is not None
    request.session[THANKS_KEY] = {
        "event": event.slug,
        "email": mask_email(checked.email or ""),
        "name": checked.first_name,
        "companions": len(checked.companions),
    }
    return redirect(request, "signup_thanks", slug=event.slug)


async def thanks(request: Request) -> Response:
    """The same page whether the address was new or already signed up (nothing revealed)."""
    event = await listing.public_event(request.path_params["slug"])
    done = request.session.get(THANKS_KEY)
    if not done or done.get("event") != event.slug:
        return redirect(request, "event_detail", slug=event.slug)
    return render(request, "public/thanks.html", {"event": event, "done": done})


async def ticket(request: Request) -> Response:
    registration = await registrations.registration_by_code(request.path_params["code"])
    return render(request, "public/ticket.html", await _ticket_context(request, registration))


async def ticket_print(request: Request) -> Response:
    registration = await registrations.registration_by_code(request.path_params["code"])
    context = await _ticket_context(request, registration)
    actor = request.scope.get("actor")
    if actor is not None:  # staff printing at a desk or the door: the way back to work
        route = "assisted_signup" if actor.can_organise else "host_assisted_signup"
        context["register_more"] = path_for(request, route, event_id=registration.event.id)
    return render(request, "public/ticket_print.html", context)


async def _ticket_context(request: Request, registration: Registration) -> dict[str, object]:
    settings = request.app.state.settings
    url = Urls(settings.base_url).absolute("ticket", code=registration.code)
    party = await registrations.party_of(registration)
    person = registration.person
    event = registration.event
    hold = registration.hold_expires_at
    fmt = i18n.Formatter(settings.timezone)
    state = registrations.state_now(registration, datetime.now(UTC))
    return {
        "registration": registration,
        "event": event,
        "state": state,
        "ask_guardian_again": registrations.can_ask_guardian_again(registration, state.phase),
        "guardian_values": {"guardian_email": registration.guardian_email or ""},
        "guardian_errors": {},
        "guardian_sent": request.query_params.get("sent") == "1",
        "guardian_left": registrations.MAX_GUARDIAN_REQUESTS - registration.guardian_requests,
        "contact": organisations.contact_of(event.organisation),
        "qr_svg": build_qr_svg(url),
        "ticket_url": url,
        "code_letters": group_code(registration.code),
        "position": await places.waitlist_position(registration),
        "party": party,
        "feed_path": private_feed_path(person.feed_token) if person else None,
        "guardian_address": mask_email(registration.guardian_email or ""),
        "hold_until": fmt.full(hold) if hold else "",
        "erase_error": None,
        "cancel_error": None,
        "register_more": None,
    }


async def ticket_cancel(request: Request) -> Response:
    """Give up a place after a second step; a lead is asked whether the places of the
    people they signed up go too."""
    registration = await registrations.registration_by_code(request.path_params["code"])
    form = await request.form()
    companions = [
        c for c in await registrations.party_of(registration) if c.status in places.ACTIVE
    ]
    if not confirmed(form):
        day = registration.event.starts_at.date()
        context = {
            "registration": registration,
            "event": registration.event,
            "companions": companions,
            "must_go": [c for c in companions if registrations.needs_guardian(c.birth_year, day)],
        }
        return render(request, "public/cancel_place.html", context)
    try:
        await registrations.cancel_own_place(
            registration.id,
            settings=request.app.state.settings,
            with_companions=form.get("party") == "all",
        )
    except EventsError as exc:
        context = await _ticket_context(request, registration)
        context["cancel_error"] = error_text(exc.code)
        return render(request, "public/ticket.html", context, status=409)
    return redirect(request, "ticket", query="cancelled=1", code=registration.code)


async def ticket_guardian(request: Request) -> Response:
    """Correct the guardian's address and send the request for consent again."""
    registration = await registrations.registration_by_code(request.path_params["code"])
    form = dict(await request.form())
    try:
        await registrations.ask_guardian_again(
            registration.id, form, settings=request.app.state.settings
        )
    except FormError as exc:
        context = await _ticket_context(request, registration)
        context["guardian_values"] = form
        context["guardian_errors"] = field_errors(exc.errors)
        return render(request, "public/ticket.html", context, status=422)
    except EventsError as exc:
        await registration.refresh_from_db()
        context = await _ticket_context(request, registration)
        context["cancel_error"] = error_text(exc.code)
        return render(request, "public/ticket.html", context, status=409)
    return redirect(request, "ticket", query="sent=1", code=registration.code)


async def my_data(request: Request) -> Response:
    """Everything we hold about the ticket's owner, as a JSON download."""
    registration = await registrations.registration_by_code(request.path_params["code"])
    if registration.person is None:
        raise NotFound()
    data = await privacy.export_person(registration.person.id)
    return JSONResponse(
        data, headers={"Content-Disposition": 'attachment; filename="samen-offline-data.json"'}
    )


async def erase(request: Request) -> Response:
    """Erase the ticket owner's personal data after an explicit yes."""
    registration = await registrations.registration_by_code(request.path_params["code"])
    if registration.person is None:
        raise NotFound()
    form = await request.form()
    if form.get("confirm") != "yes":
        context = await _ticket_context(request, registration)
        context["erase_error"] = error_text("confirm_erase")
        return render(request, "public/ticket.html", context, status=422)
    await privacy.erase_person(registration.person.id)
    return render(request, "public/erased.html")


async def consent(request: Request) -> Response:
    token = request.path_params["token"]
    registration = await registrations.registration_by_guardian_token(token)
    error = None
    if request.method == "POST":
        try:
            registration = await registrations.give_consent(
                token, settings=request.app.state.settings
            )
        except EventsError as exc:
            error = error_text(exc.code)
        else:
            return redirect(request, "consent", token=token)
    context = {
        "registration": registration,
        "event": registration.event,
        "contact": organisations.contact_of(registration.event.organisation),
        "error": error,
    }
    return render(request, "public/consent.html", context, status=409 if error else 200)


async def consent_decline(request: Request) -> Response:
    """The guardian says no: as plain as saying yes, one button."""
    token = request.path_params["token"]
    await registrations.decline_consent(token, settings=request.app.state.settings)
    return redirect(request, "consent", token=token)


async def consent_withdraw(request: Request) -> Response:
    token = request.path_params["token"]
    await registrations.withdraw_consent(token, settings=request.app.state.settings)
    return redirect(request, "consent", token=token)


routes = [
    Route("/events/{slug}/signup", signup, methods=["POST"], name="signup"),
    Route("/events/{slug}/thanks", thanks, name="signup_thanks"),
    Route("/tickets/{code}", ticket, name="ticket"),
    Route("/tickets/{code}/print", ticket_print, name="ticket_print"),
    Route("/tickets/{code}/cancel", ticket_cancel, methods=["POST"], name="ticket_cancel"),
    Route("/tickets/{code}/guardian", ticket_guardian, methods=["POST"], name="ticket_guardian"),
    Route("/tickets/{code}/my-data", my_data, name="my_data"),
    Route("/tickets/{code}/erase", erase, methods=["POST"], name="erase"),
    Route("/consent/{token}", consent, methods=["GET", "POST"], name="consent"),
    Route("/consent/{token}/decline", consent_decline, methods=["POST"], name="consent_decline"),
    Route("/consent/{token}/withdraw", consent_withdraw, methods=["POST"], name="consent_withdraw"),
]
