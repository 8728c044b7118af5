"""The door: the host's home (the events at their places, with the door counts), the scanner
page of one event, its service worker, and the JSON API the scanner talks to
(``/api/host/events/{id}/…``).

Thin handlers: parse, call ``events.services.door``, answer. The services check who may work
the door (hosts of the event's venue, its organisers); for everyone else an event is a 404
(a JSON 404 under ``/api``, or, not signed in, a 401). API answers are never cached
(``no-store``): they hold first names.

Imports services, i18n, labels, templating and the API's body reader and error shape.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from events import i18n
from events.i18n import gettext as _
from events.i18n import ngettext
from events.services import door
from events.services import events as event_service
from events.services import venues as venue_service
from events.services.errors import EventsError, FormError, NotFound
from events.services.staff import Actor
from events.web.auth import require_actor
from events.web.csrf import csrf_token
from events.web.jsonapi import NO_STORE, error_response, read_json, read_json_object
from events.web.labels import GROUP_LABELS, STATUS_LABELS
from events.web.templating import path_for, render

log = logging.getLogger("events.api")

STATIC_DIR = Path(__file__).resolve().parent.parent.parent / "static"
MAX_ID = 2**31 - 1  # ids are 32-bit columns: a larger number names nothing
MAX_BATCH = 500
DUPLICATE_POLL_SECONDS = 5
OFFLINE_FILES = (
    "js/scanner.js",
    "css/site.css",
    "css/door.css",
    "vendor/jsQR.js",
    "img/icon.svg",
    "img/icons.svg",
)
_ANY_ID = 987654321  # stands in for a registration id in the URL templates the scanner fills

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


def _path_id(request: Request, name: str) -> int:
    value = int(request.path_params[name])
    if not 0 < value <= MAX_ID:
        raise NotFound()
    return value


def _event_id(request: Request) -> int:
    return _path_id(request, "event_id")


def _registration_id(request: Request) -> int:
    return _path_id(request, "registration_id")


def _text(data: Mapping[str, Any], name: str, errors: dict[str, str]) -> str:
    value = data.get(name, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        errors[name] = "wrong_type"
        return ""
    return value


def _when(data: Mapping[str, Any], errors: dict[str, str], now: datetime) -> datetime:
    raw = data.get("scanned_at")
    if raw is None:
        return now
    try:
        when = datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
    except ValueError:
        errors["scanned_at"] = "invalid_date"
        return now
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _registration_ref(data: Mapping[str, Any], errors: dict[str, str]) -> int | None:
    value = data.get("registration_id")
    if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
        errors["registration_id"] = "wrong_type"
        return None
    if value is not None and not 0 < value <= MAX_ID:
        errors["registration_id"] = "out_of_range"
        return None
    return value


def _read_scan(data: Mapping[str, Any], now: datetime) -> tuple[door.Scan, int | None, bool]:
    """One scan from JSON: code (or registration_id), nonce, device_id, scanned_at (ISO 8601),
    pouch, admit. Returns the checked scan, the registration id and whether to admit."""
    errors: dict[str, str] = {}
    registration_id = _registration_ref(data, errors)
    admit = data.get("admit", False)
    if not isinstance(admit, bool):
        errors["admit"] = "wrong_type"
    code, nonce = _text(data, "code", errors), _text(data, "nonce", errors)
    device_id, pouch = _text(data, "device_id", errors), _text(data, "pouch", errors)
    scanned_at = _when(data, errors, now)
    if errors:
        raise FormError(errors)
    scan = door.check_scan(
        nonce=nonce, device_id=device_id, scanned_at=scanned_at, now=now, code=code, pouch=pouch
    )
    return scan, registration_id, admit is True


# --- the pages ----------------------------------------------------------------------------


async def host_home(request: Request) -> Response:
    """The events at the host's own places, today and coming, with the door counts."""
    actor = require_actor(request)
    events = await event_service.events_at_the_door(actor, now=datetime.now(UTC))
    venues = await venue_service.list_venues(actor)
    counts = await door.door_counts(actor, [event.id for event in events])
    today = datetime.now(ZoneInfo(request.app.state.settings.timezone)).date()
    context = {"events": events, "venues": venues, "counts": counts, "today": today}
    return render(request, "door/home.html", context)


def _waiting() -> list[str]:
    """Both forms for the script, which picks one with ``Intl.PluralRules`` (nl and en: one,
    other); ``%(num)s`` is kept for the script to fill."""
    return [
        ngettext(
            "%(num)s check-in is waiting for a connection",
            "%(num)s check-ins are waiting for a connection",
            n,
            num="%(num)s",
        )
        for n in (1, 2)
    ]


def _strings() -> dict[str, str | list[str]]:
    """Every sentence the scanner script shows, translated here (``%(num)s`` etc. kept)."""
    labels: dict[str, str | list[str]] = {
        f"group_{key}": i18n.gettext(text) for key, text in GROUP_LABELS.items()
    }
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
        "unknown_offline": _(
            "Not on this device's list. Search by name, or add them under "
            "“Someone without a sign-up”."
        ),
        "needs_network": _("This needs a network connection."),
        "table": _("Table %(num)s"),
        "party": _("With %(name)s, %(num)s people"),
        "online": _("Online"),
        "offline": _("Offline"),
        "waiting": _waiting(),
        "pouches_waiting": _("Pouch numbers are waiting for a connection"),
        "all_synced": _("Everything has been sent"),
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
        "camera_start": _("Start the camera"),
        "camera_stop": _("Stop the camera"),
        "came_with": _("with %(names)s"),
        "code_tail": _("ticket …%(tail)s"),
        "name_and_tail": _("%(name)s, ticket …%(tail)s"),
        "walk_in_queued": _("Added, waiting for a connection"),
        "walk_in_synced": _("%(name)s (without a sign-up) is checked in."),
        "walk_in_full": _(
            "%(name)s is not checked in: the group is full. %(name)s is on the waiting list."
        ),
        "walk_in_refused": _("%(name)s was not added: %(reason)s"),
        "scans_refused": _("Scans made without a connection were refused: %(reason)s"),
        "dismiss": _("Got it"),
        "ready": _("Ready to scan"),
        "present_count": _("%(present)s of %(expected)s present"),
        "already_in": _("Already in"),
        "no_table": _("No table yet: ask the organiser, or seat them where a chair is free"),
    }


def _api_urls(request: Request, event_id: int) -> dict[str, str]:
    """The scanner's API addresses from the route names; ``{id}`` marks a registration."""
    plain = ("attendees", "checkin", "batch", "pouches", "duplicates", "search", "walkins")
    urls = {name: path_for(request, f"door_{name}", event_id=event_id) for name in plain}
    for name in ("undo", "checkout", "pouch", "admit_walkin"):
        path = path_for(request, f"door_{name}", event_id=event_id, registration_id=_ANY_ID)
        urls[name] = path.replace(str(_ANY_ID), "{id}")
    return urls


async def scanner_page(request: Request) -> Response:
    actor = require_actor(request)
    event = await door.door_event(actor, _event_id(request))
    data = {
        "event_id": event.id,
        "api": _api_urls(request, event.id),
        "csrf": csrf_token(request),
        "locale": i18n.current_locale(),
        "timezone": request.app.state.settings.timezone,
        "undo_seconds": int(door.UNDO_WINDOW.total_seconds()),
        "poll_seconds": DUPLICATE_POLL_SECONDS,
        "expires_at": door.list_expiry(event).isoformat(),
        "sw": path_for(request, "door_sw"),
        "sw_scope": path_for(request, "host_home"),
        "jsqr": path_for(request, "static", path="vendor/jsQR.js"),
        "assets": [path_for(request, "static", path=name) for name in OFFLINE_FILES],
        "strings": _strings(),
    }
    counts = (await door.door_counts(actor, [event.id]))[event.id]
    context = {"event": event, "data": data, "counts": counts}
    response = render(request, "door/scan.html", context)
    response.headers["Cache-Control"] = "no-cache"
    return response


async def service_worker(request: Request) -> Response:
    """Served under /host/ so its scope can cover the scanner pages."""
    return FileResponse(
        STATIC_DIR / "sw.js",
        media_type="text/javascript",
        headers={
            "Service-Worker-Allowed": path_for(request, "host_home"),
            "Cache-Control": "no-cache",
        },
    )


# --- the API ------------------------------------------------------------------------------


@_api
async def attendees(request: Request, actor: Actor) -> Response:
    """The offline list: hashed codes, first names, groups, party, table, status. Its
    version is the ETag; a device that sends it back (If-None-Match) gets a 304."""
    known = request.headers.get("if-none-match", "").removeprefix("W/").strip('" ') or None
    listing = await door.attendee_list(actor, _event_id(request), known=known)
    if listing is None:
        return Response(status_code=304, headers={"ETag": f'"{known}"'})
    body = {
        "event_id": listing.event_id,
        "expires_at": listing.expires_at.isoformat(),
        "version": listing.version,
        "attendees": listing.attendees,
    }
    return JSONResponse(body, headers={"ETag": f'"{listing.version}"'})


@_api
async def create_checkin(request: Request, actor: Actor) -> Response:
    now = datetime.now(UTC)
    scan, registration_id, admit = _read_scan(await read_json_object(request), now)
    result = await door.check_in(
        actor, _event_id(request), scan, registration_id=registration_id, admit=admit, now=now
    )
    return JSONResponse(result.as_json())


@_api
async def batch_checkins(request: Request, actor: Actor) -> Response:
    """Sync: a list of scans made offline, answered one by one in the same order. Each scan
    stands alone: a refused one (``invalid_input``, an error code) or one that failed
    unexpectedly (``server_error``, logged; worth sending again) never stops the others."""
    data = await read_json(request)
    items = data.get("scans") if isinstance(data, dict) else data
    if not isinstance(items, list) or len(items) > MAX_BATCH:
        raise FormError({"scans": "wrong_type" if not isinstance(items, list) else "too_long"})
    event_id = (await door.door_event(actor, _event_id(request))).id
    results = [await _batch_item(actor, event_id, item) for item in items]
    return JSONResponse({"results": results})


async def _batch_item(actor: Actor, event_id: int, item: object) -> dict[str, Any]:
    nonce = item.get("nonce") if isinstance(item, dict) else None
    try:
        if not isinstance(item, dict):
            raise FormError({"scan": "wrong_type"})
        now = datetime.now(UTC)
        scan, registration_id, admit = _read_scan(item, now)
        result = await door.check_in(
            actor, event_id, scan, registration_id=registration_id, admit=admit, now=now
        )
        return {"nonce": nonce, **result.as_json()}
    except FormError as exc:
        return {"nonce": nonce, "outcome": "invalid_input", "fields": exc.errors}
    except EventsError as exc:
        return {"nonce": nonce, "outcome": exc.code}
    except Exception:  # one scan's fault must not lose the others' answers
        log.exception("batch check-in failed for one scan of event %s", event_id)
        return {"nonce": nonce, "outcome": "server_error"}


@_api
async def undo(request: Request, actor: Actor) -> Response:
    await door.undo_check_in(actor, _event_id(request), _registration_id(request))
    return JSONResponse({"outcome": "undone"})


@_api
async def checkout(request: Request, actor: Actor) -> Response:
    row = await door.check_out(actor, _event_id(request), _registration_id(request))
    assert row.checked_out_at is not None
    return JSONResponse({"outcome": "checked_out", "at": row.checked_out_at.isoformat()})


@_api
async def pouch(request: Request, actor: Actor) -> Response:
    data = await read_json_object(request)
    errors: dict[str, str] = {}
    value = _text(data, "pouch", errors)
    if errors:
        raise FormError(errors)
    row = await door.set_pouch(actor, _event_id(request), _registration_id(request), value)
    return JSONResponse({"outcome": "pouch_saved", "pouch": row.pouch})


@_api
async def pouches(request: Request, actor: Actor) -> Response:
    found = await door.pouches_out(actor, _event_id(request))
    return JSONResponse({"pouches": [p.as_json() for p in found]})


@_api
async def duplicates(request: Request, actor: Actor) -> Response:
    device = request.query_params.get("device_id") or None
    found = await door.duplicate_scans(actor, _event_id(request), device_id=device)
    return JSONResponse({"duplicates": [d.as_json() for d in found]})


@_api
async def search(request: Request, actor: Actor) -> Response:
    query = request.query_params.get("q", "")[:60]
    found = await door.search_attendees(actor, _event_id(request), query)
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
    now = datetime.now(UTC)
    scan = _walk_scan(data, errors, now)
    result = await door.walk_in(
        actor, _event_id(request), walk, scan, settings=request.app.state.settings, now=now
    )
    return JSONResponse(result.as_json())


def _walk_scan(data: Mapping[str, Any], errors: dict[str, str], now: datetime) -> door.Scan:
    """A walk-in's nonce, device and (added offline) time, as a checked scan."""
    nonce, device_id = _text(data, "nonce", errors), _text(data, "device_id", errors)
    scanned_at = _when(data, errors, now)
    if errors:
        raise FormError(errors)
    return door.check_scan(nonce=nonce, device_id=device_id, scanned_at=scanned_at, now=now)


@_api
async def admit_walkin(request: Request, actor: Actor) -> Response:
    """The host lets a walk-in who landed on the waiting list in anyway."""
    now = datetime.now(UTC)
    scan = _walk_scan(await read_json_object(request), {}, now)
    result = await door.admit_walk_in(
        actor, _event_id(request), _registration_id(request), scan, override=True, now=now
    )
    return JSONResponse(result.as_json())


routes = [
    Route("/host/", host_home, name="host_home"),
    Route("/host/sw.js", service_worker, methods=["GET"], name="door_sw"),
    Route("/host/events/{event_id:int}/scan", scanner_page, methods=["GET"], name="door_scan"),
]

API = "/host/events/{event_id:int}"
REGISTRATION = "{registration_id:int}"
api_routes = [
    Route(f"{API}/attendees", attendees, methods=["GET"], name="door_attendees"),
    Route(f"{API}/checkins", create_checkin, methods=["POST"], name="door_checkin"),
    Route(f"{API}/checkins/batch", batch_checkins, methods=["POST"], name="door_batch"),
    Route(f"{API}/checkins/{REGISTRATION}/undo", undo, methods=["POST"], name="door_undo"),
    Route(
        f"{API}/checkins/{REGISTRATION}/checkout", checkout, methods=["POST"], name="door_checkout"
    ),
    Route(f"{API}/checkins/{REGISTRATION}/pouch", pouch, methods=["POST"], name="door_pouch"),
    Route(f"{API}/pouches", pouches, methods=["GET"], name="door_pouches"),
    Route(f"{API}/duplicates", duplicates, methods=["GET"], name="door_duplicates"),
    Route(f"{API}/search", search, methods=["GET"], name="door_search"),
    Route(f"{API}/walkins", walkins, methods=["POST"], name="door_walkins"),
    Route(
        f"{API}/walkins/{REGISTRATION}/admit",
        admit_walkin,
        methods=["POST"],
        name="door_admit_walkin",
    ),
]
"""The door's JSON API, relative to the ``/api`` mount."""
