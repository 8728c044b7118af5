"""The door: the scanner page for one event, its service worker, and the JSON API the
scanner talks to (``/api/host/events/{id}/…``).

Thin handlers: parse, call ``events.services.checkin``, answer. Only hosts of the event's
venue and its organisers get anything; for everyone else an event is a JSON 404 (or, not
signed in, a 401). API answers are never cached (``no-store``): they hold first names.

Imports services, i18n, labels, templating and the API's error shape.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from events import i18n
from events.i18n import gettext as _
from events.services import checkin as door
from events.services.errors import EventsError, FormError
from events.services.staff import Actor
from events.web.auth import require_actor
from events.web.csrf import csrf_token
from events.web.jsonapi import NO_STORE, error_response, read_json, read_json_object
from events.web.labels import GROUP_LABELS, STATUS_LABELS
from events.web.templating import render

STATIC_DIR = Path(__file__).resolve().parent.parent.parent / "static"
MAX_BATCH = 500
DUPLICATE_POLL_SECONDS = 5

Handler = Callable[[Request, Actor], Awaitable[Response]]


# --- plumbing -----------------------------------------------------------------------------


def _api(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    """Sign-in check; the ``/api`` mount turns the services' errors into JSON answers."""

    async def wrapped(request: Request) -> Response:
        actor: Actor | None = request.scope.get("actor")
        if actor is None:
            return error_response("login_required", 401)
        response = await handler(request, actor)
        response.headers.update(NO_STORE)
        return response

    wrapped.__name__ = handler.__name__
    wrapped.__doc__ = handler.__doc__
    return wrapped


def _event_id(request: Request) -> int:
    return int(request.path_params["event_id"])


def _registration_id(request: Request) -> int:
    return int(request.path_params["registration_id"])


def _text(data: Mapping[str, Any], name: str, errors: dict[str, str]) -> str:
    value = data.get(name, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        errors[name] = "wrong_type"
        return ""
    return value


def _when(data: Mapping[str, Any], errors: dict[str, str]) -> datetime:
    raw = data.get("scanned_at")
    if raw is None:
        return datetime.now(UTC)
    try:
        when = datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
    except ValueError:
        errors["scanned_at"] = "invalid_date"
        return datetime.now(UTC)
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _scan_args(data: Mapping[str, Any]) -> dict[str, Any]:
    """One scan's fields from JSON: code (or registration_id), nonce, device_id, scanned_at
    (ISO 8601), pouch, admit."""
    errors: dict[str, str] = {}
    registration_id = data.get("registration_id")
    if registration_id is not None and (
        not isinstance(registration_id, int) or isinstance(registration_id, bool)
    ):
        errors["registration_id"] = "wrong_type"
        registration_id = None
    admit = data.get("admit", False)
    if not isinstance(admit, bool):
        errors["admit"] = "wrong_type"
    args = {
        "code": _text(data, "code", errors),
        "registration_id": registration_id,
        "nonce": _text(data, "nonce", errors),
        "device_id": _text(data, "device_id", errors),
        "pouch": _text(data, "pouch", errors),
        "scanned_at": _when(data, errors),
        "admit": admit is True,
    }
    if errors:
        raise FormError(errors)
    return args


# --- the page and its service worker ------------------------------------------------------


def _strings() -> dict[str, str]:
    """Every sentence the scanner script shows, translated here (``%(num)s`` etc. kept)."""
    labels = {f"group_{key}": i18n.gettext(text) for key, text in GROUP_LABELS.items()}
    labels.update({f"status_{key}": i18n.gettext(text) for key, text in STATUS_LABELS.items()})
    return labels | {
        "ok": _("Welcome"),
        "already_checked_in": _("Already checked in"),
        "unknown_ticket": _("Unknown ticket"),
        "wrong_event": _("Ticket for another activity"),
        "cancelled": _("Sign-up cancelled"),
        "waitlisted": _("On the waiting list"),
        "awaiting_guardian": _("Waiting for a parent's or guardian's consent"),
        "group_full": _("The group is full"),
        "admit_hint": _("You may let this person in if there is room."),
        "admit": _("Let in"),
        "admit_anyway": _("Let in anyway"),
        "at_time_this_device": _("Checked in at %(time)s on this device."),
        "at_time_other_device": _("Checked in at %(time)s on another device."),
        "for_event": _("This ticket is for: %(title)s, %(day)s."),
        "unknown_offline": _("Not on this device's list. It will be checked when online."),
        "needs_network": _("This needs a network connection."),
        "table": _("Table %(num)s"),
        "party": _("With %(name)s, %(num)s people"),
        "online": _("Online"),
        "offline": _("Offline"),
        "waiting": _("%(num)s waiting to sync"),
        "all_synced": _("Everything is synced"),
        "undo": _("Undo"),
        "undone": _("Check-in undone."),
        "save_pouch": _("Save"),
        "pouch_saved": _("Pouch number saved."),
        "phone_returned": _("Phone returned"),
        "no_pouches": _("No phones in pouches or lockers."),
        "check_in": _("Check in"),
        "checked_in": _("checked in"),
        "no_match": _("Nobody found with that name."),
        "duplicate": _(
            "%(name)s was scanned on two devices. Counted once: first scan at %(time)s."
        ),
        "camera_off": _("The camera is not available. Type the code or search by name."),
        "present_count": _("%(present)s of %(expected)s present"),
    }


async def scanner_page(request: Request) -> Response:
    actor = require_actor(request)
    event = await door.door_event(actor, _event_id(request))
    base = f"/api/host/events/{event.id}"
    data = {
        "event_id": event.id,
        "api": base,
        "csrf": csrf_token(request),
        "locale": i18n.current_locale(),
        "timezone": request.app.state.settings.timezone,
        "undo_seconds": int(door.UNDO_WINDOW.total_seconds()),
        "poll_seconds": DUPLICATE_POLL_SECONDS,
        "expires_at": door.list_expiry(event).isoformat(),
        "sw": "/host/sw.js",
        "jsqr": "/static/vendor/jsQR.js",
        "strings": _strings(),
    }
    counts = (await door.door_counts([event.id]))[event.id]
    context = {"event": event, "data": data, "counts": counts}
    response = render(request, "host/scan.html", context)
    response.headers["Cache-Control"] = "no-cache"
    return response


async def service_worker(request: Request) -> Response:
    """Served under /host/ so its scope can cover the scanner pages."""
    return FileResponse(
        STATIC_DIR / "sw.js",
        media_type="text/javascript",
        headers={"Service-Worker-Allowed": "/host/", "Cache-Control": "no-cache"},
    )


# --- the API ------------------------------------------------------------------------------


@_api
async def attendees(request: Request, actor: Actor) -> Response:
    """The offline list: hashed codes, first names, groups, party, table, status."""
    event = await door.door_event(actor, _event_id(request))
    listing = await door.attendee_list(event.id)
    return JSONResponse(
        {
            "event_id": listing.event_id,
            "expires_at": listing.expires_at.isoformat(),
            "attendees": listing.attendees,
        }
    )


@_api
async def create_checkin(request: Request, actor: Actor) -> Response:
    args = _scan_args(await read_json_object(request))
    result = await door.check_in(event_id=_event_id(request), actor=actor, **args)
    return JSONResponse(result.as_json())


@_api
async def batch_checkins(request: Request, actor: Actor) -> Response:
    """Sync: a list of scans made offline, answered one by one in the same order."""
    data = await read_json(request)
    items = data.get("scans") if isinstance(data, dict) else data
    if not isinstance(items, list) or len(items) > MAX_BATCH:
        raise FormError({"scans": "wrong_type" if not isinstance(items, list) else "too_long"})
    event = await door.door_event(actor, _event_id(request))
    results: list[dict[str, Any]] = []
    for item in items:
        nonce = item.get("nonce") if isinstance(item, dict) else None
        try:
            if not isinstance(item, dict):
                raise FormError({"scan": "wrong_type"})
            result = await door.check_in(event_id=event.id, actor=actor, **_scan_args(item))
            results.append({"nonce": nonce, **result.as_json()})
        except FormError as exc:
            results.append({"nonce": nonce, "outcome": "invalid_input", "fields": exc.errors})
        except EventsError as exc:
            results.append({"nonce": nonce, "outcome": exc.code})
    return JSONResponse({"results": results})


@_api
async def undo(request: Request, actor: Actor) -> Response:
    await door.undo_check_in(
        event_id=_event_id(request), registration_id=_registration_id(request), actor=actor
    )
    return JSONResponse({"outcome": "undone"})


@_api
async def checkout(request: Request, actor: Actor) -> Response:
    row = await door.check_out(
        event_id=_event_id(request), registration_id=_registration_id(request), actor=actor
    )
    assert row.checked_out_at is not None
    return JSONResponse({"outcome": "checked_out", "at": row.checked_out_at.isoformat()})


@_api
async def pouch(request: Request, actor: Actor) -> Response:
    data = await read_json_object(request)
    errors: dict[str, str] = {}
    value = _text(data, "pouch", errors)
    if errors:
        raise FormError(errors)
    row = await door.set_pouch(
        event_id=_event_id(request),
        registration_id=_registration_id(request),
        pouch=value,
        actor=actor,
    )
    return JSONResponse({"outcome": "pouch_saved", "pouch": row.pouch})


@_api
async def pouches(request: Request, actor: Actor) -> Response:
    event = await door.door_event(actor, _event_id(request))
    return JSONResponse({"pouches": [p.as_json() for p in await door.pouches_out(event.id)]})


@_api
async def duplicates(request: Request, actor: Actor) -> Response:
    event = await door.door_event(actor, _event_id(request))
    device = request.query_params.get("device_id") or None
    found = await door.duplicate_scans(event.id, device_id=device)
    return JSONResponse({"duplicates": [d.as_json() for d in found]})


@_api
async def search(request: Request, actor: Actor) -> Response:
    event = await door.door_event(actor, _event_id(request))
    found = await door.search_attendees(event.id, request.query_params.get("q", "")[:60])
    return JSONResponse({"attendees": [a.as_json() for a in found]})


@_api
async def walkins(request: Request, actor: Actor) -> Response:
    """A person at the door without a ticket: first name and group, email optional."""
    data = await read_json_object(request)
    errors: dict[str, str] = {}
    walk = door.WalkIn(
        first_name=_text(data, "first_name", errors),
        group=_text(data, "group", errors) or "open",
        email=_text(data, "email", errors),
        override=data.get("override") is True,
        locale=i18n.current_locale(),
    )
    nonce, device_id = _text(data, "nonce", errors), _text(data, "device_id", errors)
    if errors:
        raise FormError(errors)
    result = await door.walk_in(
        walk,
        event_id=_event_id(request),
        nonce=nonce,
        device_id=device_id,
        actor=actor,
        settings=request.app.state.settings,
    )
    return JSONResponse(result.as_json())


@_api
async def admit_walkin(request: Request, actor: Actor) -> Response:
    """The host lets a walk-in who landed on the waiting list in anyway."""
    data = await read_json_object(request)
    errors: dict[str, str] = {}
    nonce, device_id = _text(data, "nonce", errors), _text(data, "device_id", errors)
    if errors:
        raise FormError(errors)
    result = await door.admit_walk_in(
        event_id=_event_id(request),
        registration_id=_registration_id(request),
        nonce=nonce,
        device_id=device_id,
        override=True,
        actor=actor,
    )
    return JSONResponse(result.as_json())


routes = [
    Route("/host/sw.js", service_worker, methods=["GET"], name="host_sw"),
    Route("/host/events/{event_id:int}/scan", scanner_page, methods=["GET"], name="host_scan"),
]

API = "/host/events/{event_id:int}"
api_routes = [
    Route(f"{API}/attendees", attendees, methods=["GET"], name="door_attendees"),
    Route(f"{API}/checkins", create_checkin, methods=["POST"], name="door_checkin"),
    Route(f"{API}/checkins/batch", batch_checkins, methods=["POST"], name="door_batch"),
    Route(f"{API}/checkins/{{registration_id:int}}/undo", undo, methods=["POST"], name="door_undo"),
    Route(
        f"{API}/checkins/{{registration_id:int}}/checkout",
        checkout,
        methods=["POST"],
        name="door_checkout",
    ),
    Route(
        f"{API}/checkins/{{registration_id:int}}/pouch", pouch, methods=["POST"], name="door_pouch"
    ),
    Route(f"{API}/pouches", pouches, methods=["GET"], name="door_pouches"),
    Route(f"{API}/duplicates", duplicates, methods=["GET"], name="door_duplicates"),
    Route(f"{API}/search", search, methods=["GET"], name="door_search"),
    Route(f"{API}/walkins", walkins, methods=["POST"], name="door_walkins"),
    Route(
        f"{API}/walkins/{{registration_id:int}}/admit",
        admit_walkin,
        methods=["POST"],
        name="door_admit_walkin",
    ),
]
"""The door's JSON API, relative to the ``/api`` mount."""
