"""Staff sessions live on the server: signing out ends them, so a copied cookie is worth
nothing afterwards; "sign out on every device" ends them all; an unused session expires.
The CSRF token keeps working throughout."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
from starlette.applications import Starlette

from events.models import StaffSession, StaffUser
from tests import factories
from tests.web.helpers import csrf_token, post_form, sign_in


def _second_client(app: Starlette, cookie: str) -> httpx.AsyncClient:
    """Another browser holding a copy of the first one's cookie."""
    copy = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://testserver",
        follow_redirects=False,
    )
    copy.cookies.set("session", cookie)
    return copy


async def _organiser() -> str:
    org = await factories.organisation()
    user = await factories.organiser(org)
    return user.email


async def test_a_copied_cookie_is_worthless_after_sign_out(
    app: Starlette, client: httpx.AsyncClient
) -> None:
    await sign_in(client, await _organiser())
    cookie = client.cookies.get("session")
    assert cookie
    async with _second_client(app, cookie) as thief:
        assert (await thief.get("/organise/")).status_code == 200
        response = await post_form(client, "/logout", {}, form_page="/organise/")
        assert response.status_code == 303
        # The old cookie, replayed exactly as it was, no longer signs anybody in.
        assert (await thief.get("/organise/")).status_code == 303
    assert (await client.get("/organise/")).status_code == 303


async def test_the_cookie_holds_no_user_id_and_the_database_no_token(
    client: httpx.AsyncClient,
) -> None:
    email = await _organiser()
    await sign_in(client, email)
    user = await StaffUser.get(email=email)
    session = await StaffSession.get(user_id=user.id)
    assert session.ended_at is None
    assert len(session.token_hash) == 64
    assert session.token_hash not in str(client.cookies.get("session"))


async def test_sign_out_everywhere_ends_every_session(
    app: Starlette, client: httpx.AsyncClient
) -> None:
    email = await _organiser()
    await sign_in(client, email)
    async with _second_client(app, "") as laptop:
        await sign_in(laptop, email)
        assert (await laptop.get("/organise/")).status_code == 200
        page = await client.get("/logout/everywhere")
        assert page.status_code == 200
        assert "2" in page.text
        response = await post_form(client, "/logout/everywhere", {}, form_page="/organise/")
        assert response.status_code == 303
        assert (await laptop.get("/organise/")).status_code == 303
    assert (await client.get("/organise/")).status_code == 303
    assert not await StaffSession.filter(ended_at__isnull=True).exists()


async def test_an_idle_session_expires_and_a_used_one_does_not(
    app: Starlette, client: httpx.AsyncClient
) -> None:
    await sign_in(client, await _organiser())
    idle = app.state.settings.session_idle
    # Used a moment ago: still signed in, and CSRF-protected forms still work.
    await StaffSession.all().update(last_seen_at=datetime.now(UTC) - idle + timedelta(minutes=1))
    assert (await client.get("/organise/")).status_code == 200
    token = await csrf_token(client, "/organise/")
    response = await client.post("/organise/venues/new", data={"csrf_token": token})
    assert response.status_code in (200, 422)
    # The visit moved last_seen_at forward, so the session lives on.
    seen = (await StaffSession.get()).last_seen_at
    assert seen > datetime.now(UTC) - timedelta(minutes=1)
    # Unused for longer than the idle time: signed out.
    await StaffSession.all().update(last_seen_at=datetime.now(UTC) - idle - timedelta(minutes=1))
    assert (await client.get("/organise/")).status_code == 303


async def test_a_disabled_account_is_signed_out_at_once(client: httpx.AsyncClient) -> None:
    email = await _organiser()
    await sign_in(client, email)
    await StaffUser.filter(email=email).update(is_active=False)
    assert (await client.get("/organise/")).status_code == 303


async def test_hosts_keep_their_venues_through_the_session(client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    place = await factories.venue(org)
    event = await factories.event(place)
    host = await factories.host(org, [place])
    await sign_in(client, host.email)
    assert (await client.get(f"/host/events/{event.id}/scan")).status_code == 200
