"""Organiser pages under ``/organise/``: venues and events of one's own organisation.

Anything outside the organiser's organisation answers 404, whether it exists or not.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from events import i18n
from events.i18n import mark as N_
from events.services import desk, ideas, places, scope
from events.services import events as event_service
from events.services import organisations as organisation_service
from events.services import outbox as outbox_service
from events.services import venues as venue_service
from events.services.errors import EventsError, FormError, NotFound
from events.services.forms import parse_day, parse_id
from events.services.records import Event, PhoneStorage, Venue, VenueKind
from events.web.auth import require_actor
from events.web.confirm import confirmed
from events.web.messages import error_text, field_errors
from events.web.templating import redirect, render

VENUE_KINDS = {
    "cafe": N_("Café"),
    "theatre": N_("Theatre"),
    "library": N_("Library"),
    "village_hall": N_("Village hall"),
    "community_centre": N_("Community centre"),
    "other": N_("Other"),
}
PHONE_STORAGE = {
    "pouches": N_("Phone pouches"),
    "lockers": N_("Lockers"),
    "basket": N_("A basket at the door"),
    "none": N_("Phones stay with people, switched off"),
}
assert set(VENUE_KINDS) == set(VenueKind) and set(PHONE_STORAGE) == set(PhoneStorage)


def _tz(request: Request) -> ZoneInfo:
    return ZoneInfo(request.app.state.settings.timezone)


def _int_param(request: Request, name: str) -> int:
    return parse_id(request.path_params[name])


async def dashboard(request: Request) -> Response:
    actor = require_actor(request, organise=True)
    now = datetime.now(UTC)
    overview = await event_service.dashboard(actor, now=now)
    context = {
        "upcoming": overview.upcoming,
        "counts": overview.counts,
        "past": overview.past,
        "venues": overview.venues,
        "mail_stuck": await outbox_service.stuck_mail(actor, now=now),
        "to_call": len(await desk.to_call(actor, now=now)),
    }
    return render(request, "organise/dashboard.html", context)


# --- the organisation's contact ------------------------------------------------------------


async def organisation_contact(request: Request) -> Response:
    """The contact participants see and reply to (email, phone, a name)."""
    actor = require_actor(request, organise=True)
    organisation = await organisation_service.own_organisation(actor)
    values: dict[str, Any] = organisation_service.contact_values(organisation)
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        form = dict(await request.form())
        try:
            await organisation_service.save_contact(actor, form)
        except FormError as exc:
            values, errors, status = form, field_errors(exc.errors), 422
        else:
            return redirect(request, "organise_organisation", query="saved=1")
    context = {
        "organisation": organisation,
        "values": values,
        "errors": errors,
        "saved": request.query_params.get("saved") == "1",
    }
    return render(request, "organise/organisation.html", context, status=status)


# --- venues -------------------------------------------------------------------------------


def _venue_values(venue: Venue | None) -> dict[str, Any]:
    if venue is None:
        return {"kind": "cafe", "phone_storage": "pouches", "capacity": 30}
    return {
        name: getattr(venue, name)
        for name in (
            "name",
            "slug",
            "kind",
            "description",
            "address",
            "postcode",
            "town",
            "phone_storage",
            "capacity",
            *venue_service.ACCESS_FACTS,
        )
    }


async def venue_form(request: Request) -> Response:
    actor = require_actor(request, organise=True)
    venue = None
    if "venue_id" in request.path_params:
        venue = await venue_service.get_venue_for(
            actor, _int_param(request, "venue_id"), to_change=True
        )
    values, errors, status = _venue_values(venue), {}, 200
    if request.method == "POST":
        form = dict(await request.form())
        try:
            saved = await venue_service.save_venue(actor, form, venue)
        except FormError as exc:
            values, errors, status = form, field_errors(exc.errors), 422
        else:
            return redirect(request, "organise_dashboard", query=f"saved=venue-{saved.id}")
    context = {
        "venue": venue,
        "values": values,
        "errors": errors,
        "kinds": VENUE_KINDS,
        "storage": PHONE_STORAGE,
    }
    return render(request, "organise/venue_form.html", context, status=status)


# --- events -------------------------------------------------------------------------------


def _event_values(event: Event | None, tz: ZoneInfo) -> dict[str, Any]:
    if event is None:
        return event_service.new_event_values(today=datetime.now(tz).date())
    start, end = event.starts_at.astimezone(tz), event.ends_at.astimezone(tz)
    values = {name: getattr(event, name) for name in ("slug", *event_service.COPIED_FIELDS)}
    values.update(
        date=start.date().isoformat(),
        start_time=f"{start:%H:%M}",
        end_time=f"{end:%H:%M}",
        venue=event.venue_id,
    )
    return values


async def event_form(request: Request) -> Response:
    actor = require_actor(request, organise=True)
    tz = _tz(request)
    event = None
    if "event_id" in request.path_params:
        event = await scope.get_event_for(actor, _int_param(request, "event_id"), to_change=True)
    values, errors, status = _event_values(event, tz), {}, 200
    ambiguous: list[str] = []
    if request.method == "POST":
        form = dict(await request.form())
        try:
            if event is None:
                saved = await event_service.create_event(actor, form, tz=tz)
            else:
                saved = await event_service.update_event(
                    actor, event, form, tz=tz, settings=request.app.state.settings
                )
        except FormError as exc:
            values, errors, status = form, field_errors(exc.errors, _taken(event)), 422
            ambiguous = [name for name, code in exc.errors.items() if code == "ambiguous_time"]
        else:
            return redirect(request, "organise_event_detail", query="done=saved", event_id=saved.id)
    venues = await venue_service.list_venues(actor)
    context = {
        "event": event,
        "values": values,
        "errors": errors,
        "venues": venues,
        "ambiguous": ambiguous,
        "done": done_notice(request),
    }
    return render(request, "organise/event_form.html", context, status=status)


def _taken(event: Event | None) -> dict[str, dict[str, object]]:
    """The places taken per group, for "3 people already have a place" next to a field."""
    if event is None:
        return {}
    return {
        f"places_{group.value}": {"taken": places.taken(event, group)}
        for group in places.places_by_group(event)
    }


async def event_detail(request: Request) -> Response:
    actor = require_actor(request, organise=True)
    event = await scope.get_event_for(actor, _int_param(request, "event_id"))
    return await _event_page(request, event)


async def _event_page(
    request: Request, event: Event, *, status: int = 200, **extra: object
) -> Response:
    """The organiser's page of one event, with an error or the cancel question."""
    await event.fetch_related("organisation", "venue")
    context = {
        "event": event,
        "places": places.places_by_group(event),
        "error": None,
        "confirm_cancel": False,
        "cancel_reason": "",
        "contact": organisation_service.contact_of(event.organisation),
        "copy_date": event.starts_at.astimezone(_tz(request)).date() + timedelta(days=7),
        "done": done_notice(request),
        **extra,
    }
    return render(request, "organise/event_detail.html", context, status=status)


async def event_action(request: Request) -> Response:
    """Publish, cancel (with an optional reason, after a second step) or copy (POST only)."""
    actor = require_actor(request, organise=True)
    event = await scope.get_event_for(actor, _int_param(request, "event_id"), to_change=True)
    action = request.path_params["action"]
    if action not in ("publish", "cancel", "copy"):
        raise NotFound()
    tz = _tz(request)
    form = await request.form()
    reason = str(form.get("reason") or "").strip()
    if action == "cancel" and not confirmed(form):
        return await _event_page(request, event, confirm_cancel=True, cancel_reason=reason)
    try:
        if action == "publish":
            await event_service.publish_event(actor, event)
            await ideas.notify_supporters(event.id, settings=request.app.state.settings)
        elif action == "cancel":
            await event_service.cancel_event(
                actor, event, settings=request.app.state.settings, reason=reason
            )
        elif action == "copy":
            raw = str(form.get("date", ""))
            new_day = parse_day(raw)
            if raw and new_day is None:
                raise FormError({"date": "invalid_date"})
            copy = await event_service.copy_event(actor, event, new_day, tz=tz)
            return redirect(request, "event_edit", query="done=copied", event_id=copy.id)
    except EventsError as exc:
        code = next(iter(exc.errors.values())) if isinstance(exc, FormError) else exc.code
        return await _event_page(request, event, status=422, error=error_text(code))
    done = {"publish": "published", "cancel": "cancelled"}[action]
    return redirect(request, "organise_event_detail", query=f"done={done}", event_id=event.id)


DONE = {
    "saved": N_("Saved."),
    "published": N_("Published: the activity is on the site and in the calendars."),
    "cancelled": N_("Cancelled: everyone who signed up gets an email."),
    "copied": N_("Copied: this is the new activity, still a draft."),
}


def done_notice(request: Request) -> str | None:
    """The sentence that says the last save, publish, cancel or copy went through."""
    done = request.query_params.get("done", "")
    return i18n.gettext(DONE[done]) if done in DONE else None


routes = [
    Route("/organise/", dashboard, name="organise_dashboard"),
    Route(
        "/organise/organisation",
        organisation_contact,
        methods=["GET", "POST"],
        name="organise_organisation",
    ),
    Route("/organise/venues/new", venue_form, methods=["GET", "POST"], name="venue_new"),
    Route(
        "/organise/venues/{venue_id}/edit", venue_form, methods=["GET", "POST"], name="venue_edit"
    ),
    Route("/organise/events/new", event_form, methods=["GET", "POST"], name="event_new"),
    Route("/organise/events/{event_id}", event_detail, name="organise_event_detail"),
    Route(
        "/organise/events/{event_id}/edit", event_form, methods=["GET", "POST"], name="event_edit"
    ),
    Route(
        "/organise/events/{event_id}/{action:str}",
        event_action,
        methods=["POST"],
        name="event_action",
    ),
]
