"""The sign-up's statements (issue 14, point 2): the event is not read again inside the
transaction, the place is taken by the statement that locks the row, the person is made
before. Counted on the JSON API (BEGIN and COMMIT not counted)."""

from __future__ import annotations

import httpx

from events.models import Event, Registration, RegistrationStatus
from tests import factories
from tests.web.test_door_statements import statements, table


async def _api_signup(client: httpx.AsyncClient, event: Event, email: str) -> list[str]:
    body = {"first_name": "Sam", "email": email, "birth_year": event.starts_at.year - 20}
    with statements() as seen:
        answer = await client.post(f"/api/events/{event.slug}/registrations", json=body)
    assert answer.status_code in (201, 202), answer.text
    return [table(sql) for sql in seen]


async def test_signup_statements(client: httpx.AsyncClient) -> None:
    event = await factories.event(
        await factories.venue(await factories.organisation()), places_young=1
    )
    await _api_signup(client, event, "warm@example.org")  # warm up; takes the only place
    waiting = await _api_signup(client, event, "second@example.org")
    # Before: 15 (event, venue and organisation twice, the person twice, the lock, ...).
    inside = waiting[waiting.index("event", 1) :]
    assert "venue" not in inside and "organisation" not in inside, waiting
    own = [t for t in waiting if t != "rate_hit"]  # the rate limit's are not the sign-up's
    # Now: event; person x3 (new); event x2 (place refused, waiting number, each one
    # UPDATE ... RETURNING); registration (duplicate?), insert registration, the mail's two
    # reads (position, companions), insert outbox_message.
    assert len(own) <= 11, waiting
    found = await Registration.get(email="second@example.org")
    assert found.status == RegistrationStatus.WAITLISTED and found.waitlist_number == 1
