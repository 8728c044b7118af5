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

import functools
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
from events.i18n import mark as N_
from events.i18n import ngettext
from events.services import door
from events.services import events as event_service
from events.services import venues as venue_service
from events.services.errors import EventsError, FormError, NotFound
from events.services.records import Role
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
OFFLINE_FILES = (  # what the scanner page needs offline, kept by the service worker
    "js/scanner.js", "css/site.css", "css/door.css", "vendor/jsQR.js", "img/icon.svg",
    "img/icons.svg",
)  # fmt: skip
_ANY_ID = 987654321  # stands in for a registration id in the URL templates the scanner fills

Handler = Callable[[Request, Actor], Awaitable[Response]]


# --- plumbing -----------------------------------------------------------------------------


def _api(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    """Sign-in check; the ``/api`` mount turns the services' errors into JSON answers."""

    @functools.wraps(handler)
    async def wrapped(request: Request) -> Response:
        actor: Actor | None = request.scope.get("actor")
        if actor is None:
            return error_response("login_required", 401)
        response = await handler(request, actor)
        response.headers.update(NO_STORE)
        return response

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
    whole = isinstance(value, int) and not isinstance(value, bool)
    if value is None or (whole and 0 < value <= MAX_ID):
        return value
    errors["registration_id"] = "out_of_range" if whole else "wrong_type"
    return None


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
    if not (actor.can_organise or actor.role == Role.HOST):
        raise NotFound()  # checkers and referrers have no door
    events = await event_service.events_at_the_door(actor, now=datetime.now(UTC))
    venues = await venue_service.list_venues(actor)
    counts = await door.door_counts(actor, [event.id for event in events])
    today = datetime.now(ZoneInfo(request.app.state.settings.timezone)).date()
    context = {"events": events, "venues": venues, "counts": counts, "today": today}
    return render(request, "door/home.html", context)


# Every sentence the scanner script shows, translated per request (placeholders such as
# ``%(num)s`` are kept for the script to fill).
SCANNER_SENTENCES = {
    "ok": N_("Welcome"),
    "already_checked_in": N_("Already checked in"),
    "unknown_ticket": N_("Unknown ticket"),
    "wrong_event": N_("Ticket for another activity"),
    "cancelled": N_("Sign-up cancelled"),
    "waitlisted": N_("On the waiting list"),
    "awaiting_guardian": N_("Waiting for a parent's or guardian's consent"),
    "group_full": N_("The group is full"),
    "admit_hint": N_("You may let this person in if there is room."),
    "admit": N_("Let in"),
    "admit_anyway": N_("Let in anyway"),
    "at_time_this_device": N_("Checked in at %(time)s on this device."),
    "at_time_other_device": N_("Checked in at %(time)s on another device."),
    "for_event": N_("This ticket is for: %(title)s, %(day)s."),
    "unknown_offline": N_(
        "Not on this device's list. Search by name, or add them under “Someone without a sign-up”."
    ),
    "needs_network": N_("This needs a network connection."),
    "table": N_("Table %(num)s"),
    "party": N_("With %(name)s, %(num)s people"),
    "online": N_("Online"),
    "offline": N_("Offline"),
    "pouches_waiting": N_("Pouch numbers are waiting for a connection"),
    "all_synced": N_("Everything has been sent"),
    "undo": N_("Undo"),
    "undone": N_("Check-in undone."),
    "save_pouch": N_("Save"),
    "pouch_saved": N_("Pouch number saved."),
    "phone_returned": N_("Phone returned"),
    "no_pouches": N_("No phones in pouches or lockers."),
    "check_in": N_("Check in"),
    "checked_in": N_("checked in"),
    "no_match": N_("Nobody found with that name."),
    "duplicate": N_("%(name)s was scanned on two devices. Counted once: first scan at %(time)s."),
    "camera_off": N_("The camera is not available. Type the code or search by name."),
    "camera_start": N_("Start the camera"),
    "camera_stop": N_("Stop the camera"),
    "came_with": N_("with %(names)s"),
    "code_tail": N_("ticket …%(tail)s"),
    "name_and_tail": N_("%(name)s, ticket …%(tail)s"),
    "walk_in_queued": N_("Added, waiting for a connection"),
    "walk_in_synced": N_("%(name)s (without a sign-up) is checked in."),
    "walk_in_full": N_(
        "%(name)s is not checked in: the group is full. %(name)s is on the waiting list."
    ),
    "walk_in_refused": N_("%(name)s was not added: %(reason)s"),
    "scans_refused": N_("Scans made without a connection were refused: %(reason)s"),
    "dismiss": N_("Got it"),
    "ready": N_("Ready to scan"),
    "present_count": N_("%(present)s of %(expected)s present"),
    "already_in": N_("Already in"),
    "no_table": N_("No table yet: ask the organiser, or seat them where a chair is free"),
}


def _strings() -> dict[str, str | list[str]]:
    """The scanner's sentences in the request's language, with the group and status labels
    and both forms of the waiting count (the script picks one with ``Intl.PluralRules``)."""
    found: dict[str, str | list[str]] = {
        f"group_{key}": _(text) for key, text in GROUP_LABELS.items()
    }
    found |= {f"status_{key}": _(text) for key, text in STATUS_LABELS.items()}
    found |= {key: _(text) for key, text in SCANNER_SENTENCES.items()}
    found["waiting"] = [
        ngettext(
            "%(num)s check-in is waiting for a connection",
            "%(num)s check-ins are waiting for a connection",
            n,
            num="%(num)s",
        )
        for n in (1, 2)
    ]
    return found


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
ONE = f"{API}/checkins/{{registration_id:int}}"  # one person's check-in
WALKIN = f"{API}/walkins/{{registration_id:int}}"
GET, POST = ["GET"], ["POST"]
api_routes = [
    Route(f"{API}/attendees", attendees, methods=GET, name="door_attendees"),
    Route(f"{API}/checkins", create_checkin, methods=POST, name="door_checkin"),
    Route(f"{API}/checkins/batch", batch_checkins, methods=POST, name="door_batch"),
    Route(f"{ONE}/undo", undo, methods=POST, name="door_undo"),
    Route(f"{ONE}/checkout", checkout, methods=POST, name="door_checkout"),
    Route(f"{ONE}/pouch", pouch, methods=POST, name="door_pouch"),
    Route(f"{API}/pouches", pouches, methods=GET, name="door_pouches"),
    Route(f"{API}/duplicates", duplicates, methods=GET, name="door_duplicates"),
    Route(f"{API}/search", search, methods=GET, name="door_search"),
    Route(f"{API}/walkins", walkins, methods=POST, name="door_walkins"),
    Route(f"{WALKIN}/admit", admit_walkin, methods=POST, name="door_admit_walkin"),
]
"""The door's JSON API, relative to the ``/api`` mount."""
