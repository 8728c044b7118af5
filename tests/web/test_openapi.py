"""The OpenAPI document matches the API: every route is described and nothing else is, every
``$ref`` resolves, and real answers (each documented status at least once) validate against
the documented JSON schemas, checked with the small validator below (no jsonschema here)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from starlette.routing import Route

from events.app import create_app
from events.models import Event, EventStatus
from events.settings import Settings
from events.web import api
from events.web.openapi import openapi_document
from tests import factories

HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
JSON_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "null": (type(None),),
}


# --- a small JSON Schema validator (the keywords this document uses) ----------------------


class SchemaError(AssertionError):
    pass


def _resolve(ref: str, document: dict[str, Any]) -> dict[str, Any]:
    assert ref.startswith("#/"), ref
    node: Any = document
    for part in ref[2:].split("/"):
        node = node[part]
    assert isinstance(node, dict)
    return node


def _is_type(value: object, name: str) -> bool:
    if isinstance(value, bool) and name in ("integer", "number"):
        return False
    return isinstance(value, JSON_TYPES[name])


def validate(
    value: object, schema: dict[str, Any], document: dict[str, Any], at: str = "$"
) -> None:
    """Raise SchemaError at the first place ``value`` breaks ``schema``."""
    if "$ref" in schema:
        validate(value, _resolve(schema["$ref"], document), document, at)
    types = schema.get("type")
    if types is not None:
        names = [types] if isinstance(types, str) else types
        if not any(_is_type(value, name) for name in names):
            raise SchemaError(f"{at}: {value!r} is not of type {types}")
    if "const" in schema and value != schema["const"]:
        raise SchemaError(f"{at}: {value!r} is not {schema['const']!r}")
    if "enum" in schema and value not in schema["enum"]:
        raise SchemaError(f"{at}: {value!r} not in {schema['enum']}")
    if isinstance(value, int) and "minimum" in schema and value < schema["minimum"]:
        raise SchemaError(f"{at}: {value} is below {schema['minimum']}")
    if isinstance(value, str) and "maxLength" in schema and len(value) > schema["maxLength"]:
        raise SchemaError(f"{at}: longer than {schema['maxLength']}")
    if isinstance(value, list):
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            raise SchemaError(f"{at}: more than {schema['maxItems']} items")
        for index, item in enumerate(value):
            validate(item, schema.get("items", {}), document, f"{at}[{index}]")
    if isinstance(value, dict):
        _validate_object(value, schema, document, at)


def _validate_object(
    value: dict[str, Any], schema: dict[str, Any], document: dict[str, Any], at: str
) -> None:
    for name in schema.get("required", []):
        if name not in value:
            raise SchemaError(f"{at}: missing {name!r}")
    properties = schema.get("properties", {})
    extra = schema.get("additionalProperties", True)
    for name, item in value.items():
        if name in properties:
            validate(item, properties[name], document, f"{at}.{name}")
        elif extra is False:
            raise SchemaError(f"{at}: unexpected property {name!r}")
        elif isinstance(extra, dict):
            validate(item, extra, document, f"{at}.{name}")


def test_the_validator_catches_mistakes() -> None:
    document = {"components": {"schemas": {"N": {"type": "integer", "minimum": 0}}}}
    schema = {
        "type": "object",
        "required": ["n"],
        "additionalProperties": False,
        "properties": {"n": {"$ref": "#/components/schemas/N"}, "s": {"enum": ["a"]}},
    }
    validate({"n": 1, "s": "a"}, schema, document)
    for wrong in ({}, {"n": -1}, {"n": True}, {"n": 1, "x": 2}, {"n": 1, "s": "b"}, []):
        with pytest.raises(SchemaError):
            validate(wrong, schema, document)


# --- the document describes the routes ----------------------------------------------------


def _documented() -> dict[str, set[str]]:
    paths = openapi_document("http://testserver")["paths"]
    return {path: {m.upper() for m in item if m in HTTP_METHODS} for path, item in paths.items()}


def _routed() -> dict[str, set[str]]:
    routed: dict[str, set[str]] = {}
    for route in api.routes:  # mounted under /api
        assert isinstance(route, Route)
        routed["/api" + route.path] = set(route.methods or ()) - {"HEAD"}
    return routed


def test_every_route_is_documented_and_every_documented_path_exists() -> None:
    assert _documented() == _routed()
    assert api.fallback_routes[-1].path == "/{rest:path}"  # the JSON 404/405 catch-all


def test_document_is_well_formed() -> None:
    document = openapi_document("http://testserver")
    assert document["openapi"] == "3.1.0"
    assert document["info"]["title"] and document["info"]["version"]
    operation_ids = []
    text = repr(document)
    for ref in set(re.findall(r"'\$ref': '([^']+)'", text)):
        _resolve(ref, document)
    for path, item in document["paths"].items():
        params = set(re.findall(r"{(\w+)}", path))
        for method, operation in item.items():
            assert method in HTTP_METHODS
            operation_ids.append(operation["operationId"])
            in_path = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert in_path == params, (path, method)
            for status, response in operation["responses"].items():
                assert re.fullmatch(r"[1-5]\d\d", status)
                assert response["description"]
                if int(status) >= 400:
                    error = response["content"]["application/json"]["schema"]
                    assert error == {"$ref": "#/components/schemas/Error"}
    assert len(operation_ids) == len(set(operation_ids))


# --- real answers match the document ------------------------------------------------------


class Checker:
    """Validates answers against the document and remembers which responses were seen."""

    def __init__(self) -> None:
        self.document = openapi_document("http://testserver")
        self.seen: set[tuple[str, str, str]] = set()

    def check(self, path: str, method: str, response: httpx.Response) -> None:
        operation = self.document["paths"][path][method]
        status = str(response.status_code)
        assert status in operation["responses"], f"{method} {path}: {status} is undocumented"
        documented = operation["responses"][status]
        assert response.headers["content-type"].startswith("application/json")
        schema = documented["content"]["application/json"]["schema"]
        validate(response.json(), schema, self.document)
        for header in documented.get("headers", {}):
            assert header.lower() in response.headers, f"{status} lacks {header}"
        self.seen.add((path, method, status))

    def check_error(self, response: httpx.Response, status: int) -> None:
        """An answer outside the documented operations (unknown path, other method)."""
        assert response.status_code == status
        validate(response.json(), {"$ref": "#/components/schemas/Error"}, self.document)

    def unseen(self) -> set[tuple[str, str, str]]:
        every = {
            (path, method, status)
            for path, item in self.document["paths"].items()
            for method, operation in item.items()
            for status in operation["responses"]
            if status != "500"
        }
        return every - self.seen


@pytest.fixture
async def limited(settings: Settings, db: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings.but(signup_rate_limit=1))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            yield http


async def test_answers_validate_against_the_document(
    client: httpx.AsyncClient, limited: httpx.AsyncClient, db: Settings
) -> None:
    org = await factories.organisation()
    venue = await factories.venue(org)
    event = await factories.event(venue)
    await factories.event(venue, status=EventStatus.CANCELLED)
    draft = await factories.event(venue, status=EventStatus.DRAFT)
    over = await factories.event(venue, status=EventStatus.CANCELLED)
    checker = Checker()
    one, signup = "/api/events/{slug}", "/api/events/{slug}/registrations"
    born = event.starts_at.year - 20

    checker.check("/api/openapi.json", "get", await client.get("/api/openapi.json"))
    checker.check_error(await client.post("/api/openapi.json", json={}), 405)
    checker.check_error(await client.get("/api/unknown"), 404)
    checker.check("/api/events", "get", await client.get("/api/events"))
    checker.check("/api/events", "get", await client.get("/api/events?from=soon"))
    checker.check_error(await client.put("/api/events", json={}), 405)
    checker.check(one, "get", await client.get(f"/api/events/{event.slug}"))
    checker.check(one, "get", await client.get(f"/api/events/{draft.slug}"))
    checker.check("/api/events", "get", await client.get("/api/events?town=%00"))
    checker.check(one, "get", await client.get("/api/events/" + "x" * 300))
    checker.check_error(await client.patch(f"/api/events/{event.slug}", json={}), 405)

    async def post(slug: str, body: object = None, **kwargs: Any) -> httpx.Response:
        if body is not None:
            kwargs["json"] = body
        return await client.post(f"/api/events/{slug}/registrations", **kwargs)

    good = {"first_name": "Anna", "email": "anna@example.org", "birth_year": born}
    companions = [{"first_name": "Jet", "birth_year": born - 60}]
    checker.check(signup, "post", await post(event.slug, {**good, "companions": companions}))
    checker.check(signup, "post", await post(event.slug, {"email": "x"}))
    checker.check(signup, "post", await post(event.slug, content=b"{", headers=_json_type()))
    checker.check(signup, "post", await post(event.slug, content=b"hi"))
    checker.check(signup, "post", await post(event.slug, {"pad": "x" * 70_000}))
    checker.check(signup, "post", await post(draft.slug, good))
    checker.check(signup, "post", await post(over.slug, good))
    checker.check_error(await client.get(f"/api/events/{event.slug}/registrations"), 405)
    await limited.post(f"/api/events/{event.slug}/registrations", json=good)
    checker.check(
        signup, "post", await limited.post(f"/api/events/{event.slug}/registrations", json=good)
    )
    assert not checker.unseen(), checker.unseen()
    assert await Event.filter(id=event.id).values_list("taken_young", flat=True) == [1]


def _json_type() -> dict[str, str]:
    return {"Content-Type": "application/json"}
