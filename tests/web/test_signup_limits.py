"""The sign-up limit fits real life (issue 10, point 4): only accepted sign-ups count, so a
school class on one network gets through; failed attempts have their own, higher ceiling;
a refusal says honestly when to try again; and every worker shares the limit because it
lives in the database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

import httpx
from starlette.applications import Starlette

from events.app import create_app
from events.models import Registration
from events.services import limits
from events.settings import Settings
from events.web.ratelimit import FAILED_FACTOR, SignupLimits
from tests import factories
from tests.web.helpers import post_form, soup

DEFAULT_LIMIT = Settings.__dataclass_fields__["signup_rate_limit"].default
CLASS = 30
CLIENT = "127.0.0.1"  # the address httpx's ASGI transport reports


@asynccontextmanager
async def running(settings: Settings) -> AsyncIterator[tuple[Starlette, httpx.AsyncClient]]:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://school") as http:
            yield app, http


async def pupil(http: httpx.AsyncClient, slug: str, n: int, **changes: object) -> httpx.Response:
    body: dict[str, object] = {
        "first_name": f"Leerling {n}",
        "email": f"leerling{n}@school.example",
        "birth_year": datetime.now(UTC).year - 17,
        "guardian_email": f"ouder{n}@school.example",
    }
    body.update(changes)
    return await http.post(
        f"/api/events/{slug}/registrations", json=body, headers={"Accept-Language": "nl"}
    )


async def a_class_signs_up(settings: Settings) -> None:
    org = await factories.organisation()
    event = await factories.event(await factories.venue(org), places_young=40)
    async with running(settings) as (_app, http):
        for n in range(CLASS):
            answer = await pupil(http, event.slug, n)
            assert answer.status_code == 202, (n, answer.text)
            if n % 5 == 0:  # typos on the way fail, and are not held against the class
                typo = await pupil(http, event.slug, 100 + n, email="leerling-at-school")
                assert typo.status_code == 422
        assert await Registration.filter(event_id=event.id).count() == CLASS


async def test_a_class_of_thirty_gets_through_with_the_defaults(
    settings: Settings, db: Settings
) -> None:
    assert DEFAULT_LIMIT > CLASS
    await a_class_signs_up(settings)


async def test_a_class_of_thirty_gets_through_with_a_limit_of_sixty(
    settings: Settings, db: Settings
) -> None:
    await a_class_signs_up(settings.but(signup_rate_limit=60))


async def test_many_failures_are_refused_with_an_honest_wait(
    settings: Settings, db: Settings
) -> None:
    limited = settings.but(signup_rate_limit=60)
    org = await factories.organisation()
    event = await factories.event(await factories.venue(org), places_young=40)
    both = SignupLimits.from_settings(limited)
    ten_minutes_ago = datetime.now(UTC) - timedelta(minutes=10)
    for _ in range(CLASS):  # the class signed up ten minutes ago
        await limits.record(both.accepted, CLIENT, now=ten_minutes_ago)
    for _ in range(60 * FAILED_FACTOR - 1):  # then someone kept trying bad input
        await limits.record(both.failed, CLIENT, now=ten_minutes_ago)
    async with running(limited) as (_app, http):
        last_failure = await pupil(http, event.slug, 31, email="nope")
        assert last_failure.status_code == 422
        refused = await pupil(http, event.slug, 32)
        assert refused.status_code == 429
        assert 49 * 60 <= int(refused.headers["retry-after"]) <= 50 * 60 + 1
        message = refused.json()["error"]["message"]
        assert "over ongeveer 50 minuten" in message
        page = await post_form(
            http,
            f"/events/{event.slug}/signup",
            {"first_name": "Ana", "email": "ana@example.org", "birth_year": "1990"},
            form_page=f"/events/{event.slug}",
        )
        assert page.status_code == 429 and "over ongeveer 50 minuten" in soup(page).text
        assert await Registration.filter(event_id=event.id).count() == 0


async def test_two_workers_share_the_limit(settings: Settings, db: Settings) -> None:
    limited = settings.but(signup_rate_limit=4)
    org = await factories.organisation()
    event = await factories.event(await factories.venue(org), places_young=40)
    async with running(limited) as (_one, first), running(limited) as (_two, second):
        answers = [
            (await pupil(worker, event.slug, n)).status_code
            for n, worker in enumerate([first, second, first, second, first, second])
        ]
        assert answers == [202, 202, 202, 202, 429, 429]
        assert await Registration.filter(event_id=event.id).count() == 4


async def test_the_limit_switches_off_with_zero(settings: Settings, db: Settings) -> None:
    org = await factories.organisation()
    event = await factories.event(await factories.venue(org), places_young=40)
    async with running(settings.but(signup_rate_limit=0)) as (_app, http):
        for n in range(5):
            assert (await pupil(http, event.slug, n)).status_code == 202
