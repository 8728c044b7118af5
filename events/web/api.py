"""The public JSON API under ``/api/``: upcoming events, one event with places left per
group, sign-up, and the OpenAPI document that describes them (``events.web.openapi``).

Thin handlers: parse the request, call ``events.services``, answer JSON. Every answer under
``/api/`` is JSON, errors included: ``{"error": {"code", "message", "fields"?}}`` with the
message in the request's language. A sign-up answers the same 202 whether the address was
new or already signed up (the ticket goes by email), so the API reveals no one's sign-up.

Imports services, ``events.calendars`` (schema.org), messages and the rate limiter.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Match, Route

from events import i18n
from events.calendars import event_url, schema_org_event
from events.i18n import gettext as _
from events.services import listing, places, registrations
from events.services.calendars import to_calendar_event
from events.services.errors import EventsError, FormError
from events.services.forms import parse_day
from events.services.records import Event, RegistrationSource
from events.settings import Settings
from events.urls import Urls
from events.web.jsonapi import BadBody, error_response, is_json, read_json_object
from events.web.messages import companion_names, error_text, field_errors, wait_text
from events.web.openapi import openapi_document
from events.web.ratelimit import count_signup, signup_wait
from events.web.signup import EMAIL_FIELDS, email_suggestions

log = logging.getLogger("events.api")

ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
MAX_BODY_BYTES = 64_000
TEXT_FIELDS = ("first_name", "email", "guardian_email")
LIST_FIELDS = ("languages", "interests", "needs")

Handler = Callable[[Request], Awaitable[Response]]


# --- events -------------------------------------------------------------------------------


def _local(moment: datetime, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).isoformat()


def event_json(event: Event, settings: Settings) -> dict[str, Any]:
    """One public event as the API shows it (``venue`` and ``organisation`` fetched)."""
    tz = ZoneInfo(settings.timezone)
    venue, organisation = event.venue, event.organisation
    url = event_url(event.slug, settings.base_url)
    now = datetime.now(UTC)
    capacity = places.places_by_group(event)
    left = places.places_left(event)
    if not places.open_for_signup(event, now):  # cancelled or over: no place to take
        left = dict.fromkeys(left, 0)
    return {
        "slug": event.slug,
        "title": event.title,
        "summary": event.summary,
        "description": event.description,
        "phone_rules": event.phone_rules,
        "starts_at": _local(event.starts_at, tz),
        "ends_at": _local(event.ends_at, tz),
        "status": event.status.value,
        "open_for_signup": places.open_for_signup(event, now),
        "venue": {
            "slug": venue.slug,
            "name": venue.name,
            "kind": venue.kind.value,
            "address": venue.address,
            "postcode": venue.postcode,
            "town": venue.town,
            "step_free_entrance": venue.step_free_entrance,
            "accessible_toilet": venue.accessible_toilet,
            "hearing_loop": venue.hearing_loop,
            "quiet_room": venue.quiet_room,
            "phone_storage": venue.phone_storage.value,
        },
        "organisation": {"slug": organisation.slug, "name": organisation.name},
        "places": {group.value: count for group, count in capacity.items()},
        "places_left": {group.value: count for group, count in left.items()},
        "url": url,
        "ics_url": f"{url}/event.ics",
        "registrations_url": Urls(settings.base_url).absolute("api_registrations", slug=event.slug),
        "schema_org": schema_org_event(
            to_calendar_event(event), base_url=settings.base_url, timezone=settings.timezone
        ),
    }


async def list_events(request: Request) -> Response:
    """Upcoming published (and cancelled) events, soonest first, filtered like the home page."""
    settings: Settings = request.app.state.settings
    params = request.query_params
    raw_from = params.get("from", "").strip()
    from_day = parse_day(raw_from)
    if raw_from and from_day is None:
        raise FormError({"from": "invalid_date"})
    tz = ZoneInfo(settings.timezone)
    events = await listing.upcoming_events(
        now=datetime.now(UTC),
        town=params.get("town", "").strip() or None,
        venue_slug=params.get("venue", "").strip() or None,
        organisation_slug=params.get("organisation", "").strip() or None,
        from_day=listing.start_of_day(from_day, tz) if from_day else None,
    )
    return JSONResponse({"events": [event_json(event, settings) for event in events]})


async def event_detail(request: Request) -> Response:
    """One public event with its places left per group; 404 for drafts and unknown slugs."""
    event = await listing.public_event(request.path_params["slug"])
    return JSONResponse(event_json(event, request.app.state.settings))


# --- sign-up ------------------------------------------------------------------------------


def _is_year(value: object) -> bool:
    return isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))


def _is_text_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def signup_fields(data: Mapping[str, Any]) -> dict[str, object]:
    """The JSON body as the flat mapping ``check_signup`` reads (the form's field names).

    Raises FormError for values of the wrong JSON type, named as the API names them."""
    flat: dict[str, object] = {}
    errors: dict[str, str] = {}
    for name in TEXT_FIELDS:
        value = data.get(name)
        if value is not None and not isinstance(value, str):
            errors[name] = "wrong_type"
        flat[name] = value
    for name in ("keep_email", "keep_guardian_email"):
        keep = data.get(name)
        if keep is not None and not isinstance(keep, bool):
            errors[name] = "wrong_type"
        flat[name] = "1" if keep is True else ""
    year = data.get("birth_year")
    if year is not None and not _is_year(year):
        errors["birth_year"] = "wrong_type"
    flat["birth_year"] = year
    for name in LIST_FIELDS:
        value = data.get(name)
        if value is not None and not _is_text_list(value):
            errors[name] = "wrong_type"
        flat[name] = value or []
    _companion_fields(data.get("companions") or [], flat, errors)
    if errors:
        raise FormError(errors)
    return flat


def _companion_fields(companions: object, flat: dict[str, object], errors: dict[str, str]) -> None:
    """``companions: [{first_name, birth_year}]`` as ``companion_1_name``… (at most three)."""
    if not isinstance(companions, list):
        errors["companions"] = "wrong_type"
        return
    if len(companions) > registrations.MAX_COMPANIONS:
        errors["companions"] = "too_many_companions"
        return
    for index, companion in enumerate(companions):
        where = f"companions[{index}]"
        if not isinstance(companion, dict):
            errors[where] = "wrong_type"
            continue
        first_name, year = companion.get("first_name"), companion.get("birth_year")
        if first_name is not None and not isinstance(first_name, str):
            errors[f"{where}.first_name"] = "wrong_type"
        if year is not None and not _is_year(year):
            errors[f"{where}.birth_year"] = "wrong_type"
        flat[f"companion_{index + 1}_name"] = first_name
        flat[f"companion_{index + 1}_birth_year"] = year


def _api_field_names(errors: Mapping[str, str]) -> dict[str, str]:
    """``companion_2_name`` (the form's name) -> ``companions[1].first_name`` (the API's)."""
    named: dict[str, str] = {}
    for name, code in errors.items():
        if name.startswith("companion_"):
            n, _, rest = name.removeprefix("companion_").partition("_")
            if n.isdigit():
                part = "first_name" if rest == "name" else rest
                name = f"companions[{int(n) - 1}].{part}"
        named[name] = code
    return named


def data_names(data: Mapping[str, Any]) -> dict[str, object]:
    """The companions' first names as the form names them, for sentences that name them."""
    companions = data.get("companions")
    names: dict[str, object] = {}
    if isinstance(companions, list):
        for index, companion in enumerate(companions[: registrations.MAX_COMPANIONS]):
            if isinstance(companion, dict) and isinstance(companion.get("first_name"), str):
                names[f"companion_{index + 1}_name"] = companion["first_name"]
    return names


def _field_errors(
    errors: Mapping[str, str], params: Mapping[str, Mapping[str, object]]
) -> JSONResponse:
    """The API's 422 (the shape of ``jsonapi.error_response``), each field's sentence filled
    in: a companion's error names the companion."""
    sentences = field_errors(errors, params)
    for name in ("email", "guardian_email"):  # the API's way to keep an address as typed
        if name in sentences and params.get(name):
            sentences[name] = error_text(
                "email_suggestion_api", keep=f"keep_{name}", **params[name]
            )
    fields = {
        api_name: {"code": code, "message": sentences[name]}
        for (name, code), api_name in zip(errors.items(), _api_field_names(errors), strict=True)
    }
    body = {"code": "invalid_input", "message": error_text("invalid_input"), "fields": fields}
    return JSONResponse({"error": body}, status_code=422)


async def create_registration(request: Request) -> Response:
    """Sign up for an event. New and repeated sign-ups get the same answer; the rest goes
    by email."""
    if not is_json(request):
        raise BadBody("unsupported_media_type", 415)
    settings: Settings = request.app.state.settings
    event = await listing.public_event(request.path_params["slug"])
    wait = await signup_wait(request)
    if wait is not None:
        body = {"error": {"code": "rate_limited", "message": wait_text(wait)}}
        return JSONResponse(body, status_code=429, headers={"Retry-After": str(wait)})
    try:
        data = await read_json_object(request, max_bytes=MAX_BODY_BYTES)
        await registrations.sign_up_from_form(
            signup_fields(data),
            event=event,
            locale=i18n.current_locale(),
            settings=settings,
            source=RegistrationSource.API,
        )
    except FormError as exc:
        await count_signup(request, accepted=False)
        suggested = email_suggestions(exc.errors, {k: data.get(k) for k in EMAIL_FIELDS})
        return _field_errors(exc.errors, {**companion_names(data_names(data)), **suggested})
    except (BadBody, EventsError):
        await count_signup(request, accepted=False)
        raise
    await count_signup(request, accepted=True)
    message = _("Thank you. Please check your email: we will send you a message about your place.")
    return JSONResponse({"status": "received", "message": message}, 202)


# --- the document and everything else -----------------------------------------------------


async def openapi(request: Request) -> Response:
    """The OpenAPI 3.1 document describing this API."""
    return JSONResponse(openapi_document(request.app.state.settings.base_url))


async def fallback(request: Request) -> Response:
    """Any other request under ``/api/``: JSON 405 when the path exists, else JSON 404."""
    allowed: set[str] = set()
    for route in request.app.state.api_routes:
        if isinstance(route, Route) and route.endpoint is not fallback:
            match, _ = route.matches(request.scope)
            if match == Match.PARTIAL and route.methods:
                allowed |= route.methods
    if allowed:
        return error_response(
            "method_not_allowed", 405, headers={"Allow": ", ".join(sorted(allowed))}
        )
    return error_response("not_found", 404)


routes = [
    Route("/openapi.json", openapi, methods=["GET"], name="api_openapi"),
    Route("/events", list_events, methods=["GET"], name="api_events"),
    Route("/events/{slug}", event_detail, methods=["GET"], name="api_event"),
    Route(
        "/events/{slug}/registrations",
        create_registration,
        methods=["POST"],
        name="api_registrations",
    ),
]
"""The public API, relative to the ``/api`` mount."""

fallback_routes = [Route("/{rest:path}", fallback, methods=ALL_METHODS, name="api_fallback")]
