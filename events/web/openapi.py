"""The OpenAPI 3.1 document of the JSON API, written by hand as plain data.

``tests/web/test_openapi.py`` keeps it honest: every route of ``events.web.api`` is described
here and nothing else is, and real answers validate against the schemas below. Pure: imports
nothing of the package.
"""

from __future__ import annotations

from copy import deepcopy
from typing import Any

ERROR_CODES = {
    "invalid_input": "422: one or more fields break a rule; see `fields`.",
    "invalid_json": "400: the body is not a JSON object.",
    "unsupported_media_type": "415: the body must be sent as `application/json`.",
    "too_large": "413: the body is larger than 64 kB.",
    "not_found": "404: no public event with this slug, or no such path under /api/.",
    "method_not_allowed": "405: the path exists, the method does not (the `Allow` header "
    "lists the methods it takes).",
    "event_not_open": "409: sign-up is closed (the event is cancelled or not open).",
    "event_over": "409: the event has already ended.",
    "rate_limited": "429: too many accepted sign-ups from this address in the last hour (the "
    "limit is shared by all workers; failed attempts have a ceiling three times higher); wait "
    "`Retry-After` seconds.",
    "server_error": "500: something went wrong on our side; nothing was saved.",
}

FIELD_CODES = {
    "required": "the field is missing or empty",
    "too_long": "the text is too long",
    "wrong_type": "the value has the wrong JSON type",
    "email_invalid": "not an email address",
    "invalid_birth_year": "not a plausible year of birth",
    "guardian_same_email": "the guardian's address is the participant's own",
    "companion_needs_adult": "a companion under 16 needs an adult lead",
    "too_many_companions": "more than three companions",
    "too_young": "younger than this event's youngest group",
    "no_places_for_age": "the event has no places for this age group",
    "invalid_date": "`from` is not a date like 2026-03-14",
    "email_suggestion": (
        "the address looks mistyped; the answer suggests one (send it, or set "
        "`keep_email` / `keep_guardian_email` to true to keep it as typed)"
    ),
}

DESCRIPTION = """\
Public activities of Samen Offline (phone-free gatherings of young and older people) and
sign-up for them.

**Language.** Messages follow `Accept-Language` (`nl` or `en`; Dutch by default).

**Errors.** Every error under `/api/` is JSON: `{"error": {"code", "message", "fields"}}`.
`code` is stable and meant for programs; `message` is a sentence for people, in the
request's language. `fields` appears with `invalid_input` and maps each field to its own
code and message. A method a path does not take answers `405` with an `Allow` header, and a
path that does not exist `404`; both with this error body, though OpenAPI cannot list them
per operation. Codes: {error_codes}

Field codes: {field_codes}

**Sign-up and privacy.** A sign-up answers `202` with the same body whether the email
address was new or had already signed up for this event. Signing up twice with one address
creates no second place: the person is mailed their existing ticket. The answer never
contains the ticket code, the registration status (confirmed, waiting list, awaiting a
guardian) or a waiting-list position: those go to the email address only, so the API
reveals nothing about who signed up.

**Rate limit.** Sign-ups are limited per client address (a setting,
`EVENTS_SIGNUP_RATE_LIMIT` per hour per server process). Past the limit the answer is `429`
with `Retry-After` in seconds and code `rate_limited`.

Sending JSON needs no CSRF token as long as the request carries no session cookie.
"""


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _error(description: str, **headers: dict[str, Any]) -> dict[str, Any]:
    response = _json(_ref("Error"), description)
    if headers:
        response["headers"] = headers
    return response


NULLABLE_TEXT = {"type": ["string", "null"]}
YEAR = {"type": ["integer", "string", "null"], "examples": [2004]}

SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "additionalProperties": False,
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "additionalProperties": False,
                "properties": {
                    "code": {"type": "string", "examples": list(ERROR_CODES)},
                    "message": {"type": "string"},
                    "fields": {
                        "type": "object",
                        "description": "Per field (companions as `companions[0].first_name`).",
                        "additionalProperties": _ref("FieldError"),
                    },
                },
            }
        },
    },
    "FieldError": {
        "type": "object",
        "required": ["code", "message"],
        "additionalProperties": False,
        "properties": {
            "code": {"type": "string", "examples": list(FIELD_CODES)},
            "message": {"type": "string"},
        },
    },
    "PlacesPerGroup": {
        "type": "object",
        "required": ["young", "older", "open"],
        "additionalProperties": False,
        "properties": {
            "young": {"type": "integer", "minimum": 0},
            "older": {"type": "integer", "minimum": 0},
            "open": {"type": "integer", "minimum": 0},
        },
    },
    "Venue": {
        "type": "object",
        "required": [
            "slug",
            "name",
            "kind",
            "address",
            "postcode",
            "town",
            "step_free_entrance",
            "accessible_toilet",
            "hearing_loop",
            "quiet_room",
            "phone_storage",
        ],
        "additionalProperties": False,
        "properties": {
            "slug": {"type": "string"},
            "name": {"type": "string"},
            "kind": {
                "type": "string",
                "enum": ["cafe", "theatre", "library", "village_hall", "community_centre", "other"],
            },
            "address": {"type": "string"},
            "postcode": {"type": "string"},
            "town": {"type": "string"},
            "step_free_entrance": {"type": "boolean"},
            "accessible_toilet": {"type": "boolean"},
            "hearing_loop": {"type": "boolean"},
            "quiet_room": {"type": "boolean"},
            "phone_storage": {"type": "string", "enum": ["pouches", "lockers", "basket", "none"]},
        },
    },
    "Organisation": {
        "type": "object",
        "required": ["slug", "name"],
        "additionalProperties": False,
        "properties": {"slug": {"type": "string"}, "name": {"type": "string"}},
    },
    "Event": {
        "type": "object",
        "required": [
            "slug",
            "title",
            "summary",
            "description",
            "phone_rules",
            "starts_at",
            "ends_at",
            "status",
            "open_for_signup",
            "venue",
            "organisation",
            "places",
            "places_left",
            "url",
            "ics_url",
            "registrations_url",
            "schema_org",
        ],
        "additionalProperties": False,
        "properties": {
            "slug": {"type": "string"},
            "title": {"type": "string"},
            "summary": {"type": "string"},
            "description": {"type": "string"},
            "phone_rules": {"type": "string", "description": "How phones are put away."},
            "starts_at": {
                "type": "string",
                "format": "date-time",
                "description": "ISO 8601 with offset, in Europe/Amsterdam.",
            },
            "ends_at": {"type": "string", "format": "date-time"},
            "status": {"type": "string", "enum": ["published", "cancelled"]},
            "open_for_signup": {"type": "boolean"},
            "venue": _ref("Venue"),
            "organisation": _ref("Organisation"),
            "places": {**_ref("PlacesPerGroup"), "description": "Places per group in total."},
            "places_left": {**_ref("PlacesPerGroup"), "description": "Places still free."},
            "url": {"type": "string", "format": "uri"},
            "ics_url": {"type": "string", "format": "uri"},
            "registrations_url": {"type": "string", "format": "uri"},
            "schema_org": {
                "type": "object",
                "description": "A schema.org Event (JSON-LD, `@context` included).",
                "required": ["@context", "@type", "name", "startDate", "endDate", "location"],
            },
        },
    },
    "EventList": {
        "type": "object",
        "required": ["events"],
        "additionalProperties": False,
        "properties": {"events": {"type": "array", "items": _ref("Event")}},
    },
    "Companion": {
        "type": "object",
        "required": ["first_name", "birth_year"],
        "properties": {"first_name": {"type": "string", "maxLength": 60}, "birth_year": YEAR},
    },
    "SignupRequest": {
        "type": "object",
        "description": (
            "Unknown properties are ignored. Someone who turns 16 or younger in the event's "
            "year needs `guardian_email` (the guardian is asked for consent by email)."
        ),
        "required": ["first_name", "email", "birth_year"],
        "properties": {
            "first_name": {"type": "string", "maxLength": 60},
            "email": {"type": "string", "format": "email", "maxLength": 254},
            "birth_year": YEAR,
            "guardian_email": {**NULLABLE_TEXT, "format": "email"},
            "languages": {"type": "array", "items": {"type": "string"}},
            "interests": {"type": "array", "items": {"type": "string"}},
            "needs": {
                "type": "array",
                "items": {"type": "string"},
                "examples": [["step_free", "quiet", "hearing", "sight", "seat"]],
            },
            "companions": {"type": "array", "maxItems": 3, "items": _ref("Companion")},
            "keep_email": {
                "type": "boolean",
                "description": "Keep `email` as typed after an `email_suggestion` answer.",
            },
            "keep_guardian_email": {
                "type": "boolean",
                "description": "Keep `guardian_email` as typed after an `email_suggestion`.",
            },
        },
    },
    "SignupReceived": {
        "type": "object",
        "required": ["status", "message"],
        "additionalProperties": False,
        "properties": {
            "status": {"const": "received"},
            "message": {"type": "string"},
        },
    },
    "OpenAPIDocument": {"type": "object", "required": ["openapi", "paths"]},
}

NO_NUL = "^[^\\u0000]*$"
"""Text anywhere in a request holds no NUL byte (refused with 400)."""
NO_CONTROL = "^[^\\u0000-\\u001f\\u007f]*$"
"""A path segment holds no control character (refused with 400)."""


SLUG = {
    "name": "slug",
    "in": "path",
    "required": True,
    "description": "The activity's web address: lower-case letters, digits and hyphens.",
    "schema": {"type": "string", "minLength": 1, "maxLength": 120, "pattern": NO_CONTROL},
}
DAY_PATTERN = r"^(19|2[0-9])[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])$"
"""Days 1900-01-01 to 2999-12-28 (days 29 to 31 are accepted too, where the month has them)."""
RETRY_AFTER = {"description": "Seconds to wait.", "schema": {"type": "integer"}}


def _query(name: str, description: str, **schema: Any) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": {"type": "string", "pattern": NO_NUL, **schema},
    }


PATHS: dict[str, Any] = {
    "/api/openapi.json": {
        "get": {
            "operationId": "getOpenAPI",
            "summary": "This document",
            "responses": {"200": _json(_ref("OpenAPIDocument"), "The OpenAPI document.")},
        }
    },
    "/api/events": {
        "get": {
            "operationId": "listEvents",
            "summary": "Upcoming activities",
            "description": "Published and cancelled activities that have not ended, soonest "
            "first (at most 200). Cancelled ones have `status: cancelled`.",
            "parameters": [
                _query("town", "Only activities in this town (case-insensitive)."),
                _query("venue", "Only activities at the venue with this slug."),
                _query("organisation", "Only activities of the organisation with this slug."),
                {
                    "name": "from",
                    "in": "query",
                    "required": False,
                    "description": "Only activities starting on or after this day (1900 to "
                    "2999); empty means no filter.",
                    "schema": {
                        "anyOf": [
                            {"type": "string", "maxLength": 0},
                            {"type": "string", "format": "date", "pattern": DAY_PATTERN},
                        ]
                    },
                },
            ],
            "responses": {
                "200": _json(_ref("EventList"), "The activities."),
                "400": _error("A value holds a NUL byte (`invalid_input`)."),
                "422": _error(
                    "`from` is not a day from 1900 to 2999 (`invalid_input`, field code "
                    "`invalid_date`)."
                ),
            },
        }
    },
    "/api/events/{slug}": {
        "get": {
            "operationId": "getEvent",
            "summary": "One activity, with places left per group",
            "parameters": [SLUG],
            "responses": {
                "200": _json(_ref("Event"), "The activity."),
                "400": _error("The slug is longer than any slug or holds a control character."),
                "404": _error("No public activity with this slug (`not_found`)."),
            },
        }
    },
    "/api/events/{slug}/registrations": {
        "post": {
            "operationId": "signUp",
            "summary": "Sign up (with up to three companions)",
            "description": (
                "Takes a place in the participant's generation group, or a place on its "
                "waiting list when the group is full. The answer is the same `202` for a new "
                "and for a repeated sign-up with the same email address; the ticket (or the "
                "waiting-list place, or the request to a guardian) goes by email."
            ),
            "parameters": [SLUG],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": _ref("SignupRequest")}},
            },
            "responses": {
                "202": _json(_ref("SignupReceived"), "Received: the rest goes by email."),
                "400": _error(
                    "The body is not a JSON object (`invalid_json`), or the slug is longer than "
                    "any slug (`invalid_input`)."
                ),
                "404": _error("No public activity with this slug (`not_found`)."),
                "409": _error("Sign-up is closed (`event_not_open`, `event_over`)."),
                "413": _error("The body is too large (`too_large`)."),
                "415": _error("Not sent as `application/json` (`unsupported_media_type`)."),
                "422": _error("Fields break a rule (`invalid_input`, see `fields`)."),
                "429": _error(
                    "Too many sign-ups (`rate_limited`).", **{"Retry-After": RETRY_AFTER}
                ),
            },
        }
    },
}


def _code_list(codes: dict[str, str]) -> str:
    return "".join(f"\n- `{code}`: {meaning}" for code, meaning in codes.items())


def openapi_document(base_url: str) -> dict[str, Any]:
    """The whole document, with this deployment as its server (a fresh copy each call)."""
    description = DESCRIPTION.replace("{error_codes}", _code_list(ERROR_CODES)).replace(
        "{field_codes}", _code_list(FIELD_CODES)
    )
    return {
        "openapi": "3.1.0",
        "info": {"title": "Samen Offline API", "version": "1", "description": description},
        "servers": [{"url": base_url}],
        "paths": deepcopy(PATHS),
        "components": {"schemas": deepcopy(SCHEMAS)},
    }
