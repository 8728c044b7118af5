"""Sign-in cannot be used to lock staff out: only failures count, per account and per
address, the limit is checked once the password is known to be wrong, and a correct
sign-in is never counted (and never refused by those limits)."""

from __future__ import annotations

import httpx
from starlette.applications import Starlette

from events.models import RateHit
from tests import factories
from tests.factories import PASSWORD
from tests.web.helpers import post_form


async def _fail(client: httpx.AsyncClient, email: str) -> int:
    response = await post_form(client, "/login", {"email": email, "password": "wrong guess"})
    return response.status_code


async def _sign_in(client: httpx.AsyncClient, email: str) -> int:
    response = await post_form(client, "/login", {"email": email, "password": PASSWORD})
    return response.status_code


async def _account() -> str:
    return (await factories.organiser(await factories.organisation())).email


async def test_failures_past_the_limit_do_not_lock_out_the_right_password(
    client: httpx.AsyncClient,
) -> None:
    email = await _account()
    codes = [await _fail(client, email) for _ in range(11)]
    assert codes == [400] * 10 + [429]
    # The owner, who knows the password, still gets in.
    assert await _sign_in(client, email) == 303


async def test_correct_sign_ins_are_never_counted(app: Starlette) -> None:
    email = await _account()
    for _ in range(15):
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://testserver"
        ) as browser:
            assert await _sign_in(browser, email) == 303
    assert await RateHit.all().count() == 0


async def test_failures_are_limited_per_address_across_accounts(
    client: httpx.AsyncClient,
) -> None:
    emails = [f"nobody{n}@example.org" for n in range(31)]
    codes = [await _fail(client, email) for email in emails]
    assert codes[:30] == [400] * 30
    assert codes[30] == 429
    # A colleague behind the same address still signs in with the right password.
    assert await _sign_in(client, await _account()) == 303


async def test_a_throttled_answer_says_when_to_try_again(client: httpx.AsyncClient) -> None:
    email = await _account()
    for _ in range(10):
        await _fail(client, email)
    response = await post_form(client, "/login", {"email": email, "password": "nope"})
    assert response.status_code == 429
    assert 0 < int(response.headers["retry-after"]) <= 15 * 60
