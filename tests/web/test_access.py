"""Who may see and change what: a second organisation and a host get 404s, never data."""

from __future__ import annotations

import httpx
import pytest

from events.models import Event, EventStatus, Venue
from tests import factories
from tests.web.helpers import csrf_token, post_form, sign_in


@pytest.fixture
async def two_orgs(client: httpx.AsyncClient) -> dict[str, object]:
    first = await factories.organisation(slug="first")
    second = await factories.organisation(slug="second")
    venue = await factories.venue(first, slug="first-cafe")
    other_venue = await factories.venue(second, slug="second-cafe")
    draft = await factories.event(
        venue, slug="first-draft", title="Secret draft", status=EventStatus.DRAFT
    )
    await factories.organiser(first, email="one@example.org")
    await factories.organiser(second, email="two@example.org")
    await factories.host(second, [other_venue], email="host@example.org")
    return {"venue": venue, "draft": draft, "other_venue": other_venue}


async def test_staff_pages_need_sign_in(client: httpx.AsyncClient) -> None:
    for path in ("/organise/", "/organise/events/new", "/organise/venues/new", "/host/"):
        response = await client.get(path)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login?next=")


async def test_other_organisation_cannot_read_drafts_by_guessing_urls(
    client: httpx.AsyncClient, two_orgs: dict[str, object]
) -> None:
    draft, venue = two_orgs["draft"], two_orgs["venue"]
    assert isinstance(draft, Event) and isinstance(venue, Venue)
    await sign_in(client, "two@example.org")
    dashboard = await client.get("/organise/")
    assert dashboard.status_code == 200 and "Secret draft" not in dashboard.text
    for path in (
        f"/organise/events/{draft.id}",
        f"/organise/events/{draft.id}/edit",
        f"/organise/venues/{venue.id}/edit",
        "/events/first-draft",
        "/organise/events/999999",
        "/organise/events/abc/edit",
    ):
        response = await client.get(path)
        assert response.status_code == 404, path
        assert "Secret draft" not in response.text


async def test_other_organisation_cannot_change_publish_cancel_or_copy(
    client: httpx.AsyncClient, two_orgs: dict[str, object]
) -> None:
    draft, venue = two_orgs["draft"], two_orgs["venue"]
    assert isinstance(draft, Event) and isinstance(venue, Venue)
    await sign_in(client, "two@example.org")
    form = {
        "title": "Hijacked",
        "venue": str(venue.id),
        "date": "2030-01-01",
        "start_time": "19:00",
        "end_time": "21:00",
        "places_young": "5",
    }
    for path, data in (
        (f"/organise/events/{draft.id}/edit", form),
        (f"/organise/events/{draft.id}/publish", {}),
        (f"/organise/events/{draft.id}/cancel", {}),
        (f"/organise/events/{draft.id}/copy", {"date": "2030-01-01"}),
        (f"/organise/venues/{venue.id}/edit", {"name": "Mine now"}),
    ):
        response = await post_form(client, path, data)
        assert response.status_code == 404, path
    await draft.refresh_from_db()
    assert (draft.title, draft.status) == ("Secret draft", EventStatus.DRAFT)
    assert await Event.filter(title="Hijacked").count() == 0
    assert await Event.all().count() == 1
    # Creating an event at another organisation's venue is refused at the field.
    response = await post_form(client, "/organise/events/new", form)
    assert response.status_code == 422
    assert await Event.filter(title="Hijacked").count() == 0


async def test_host_sees_only_own_venues_and_cannot_organise(
    client: httpx.AsyncClient, two_orgs: dict[str, object]
) -> None:
    other_venue = two_orgs["other_venue"]
    assert isinstance(other_venue, Venue)
    await factories.event(other_venue, title="Host own evening")
    await factories.event(two_orgs["venue"], title="Someone else evening")  # type: ignore[arg-type]
    await sign_in(client, "host@example.org")
    home = await client.get("/host/")
    assert "Host own evening" in home.text
    assert "Someone else evening" not in home.text
    assert (await client.get("/organise/")).status_code == 404
    response = await post_form(client, "/organise/venues/new", {"name": "x"})
    assert response.status_code == 404
    assert await Venue.filter(name="x").count() == 0


async def test_forms_without_csrf_token_are_refused(
    client: httpx.AsyncClient, two_orgs: dict[str, object]
) -> None:
    await sign_in(client, "one@example.org")
    response = await client.post("/organise/venues/new", data={"name": "No token"})
    assert response.status_code == 403
    response = await client.post(
        "/organise/venues/new", data={"name": "Wrong", "csrf_token": "forged"}
    )
    assert response.status_code == 403
    assert await Venue.filter(name__in=["No token", "Wrong"]).count() == 0


async def test_login_failure_and_logout(client: httpx.AsyncClient, two_orgs: object) -> None:
    response = await post_form(client, "/login", {"email": "one@example.org", "password": "no"})
    assert response.status_code == 400
    await sign_in(client, "one@example.org")
    assert (await client.get("/organise/")).status_code == 200
    cookie = client.cookies.get("session")
    assert cookie
    response = await post_form(client, "/logout", {}, form_page="/organise/")
    assert response.status_code == 303
    assert (await client.get("/organise/")).status_code == 303


async def test_session_cookie_flags(client: httpx.AsyncClient, two_orgs: object) -> None:
    page = await client.get("/login")
    header = page.headers["set-cookie"].lower()
    assert "httponly" in header and "samesite=lax" in header and "secure" not in header


async def test_the_csrf_token_changes_at_sign_in(
    client: httpx.AsyncClient, two_orgs: object
) -> None:
    before = await csrf_token(client)
    await sign_in(client, "one@example.org")
    assert await csrf_token(client, "/organise/") != before


async def test_huge_form_bodies_are_refused_before_reading_them_all(
    client: httpx.AsyncClient, two_orgs: object
) -> None:
    token = await csrf_token(client)
    response = await client.post(
        "/login", content=b"csrf_token=" + token.encode() + b"&x=" + b"a" * 2_000_000,
        headers={"content-type": "application/x-www-form-urlencoded"},
    )  # fmt: skip
    assert response.status_code == 413
