"""One new person signing up for two activities at the same moment: both sign-ups succeed
and share one Person row, on SQLite and on PostgreSQL (where two transactions used to
insert the same new email and one failed with an integrity error)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from events.models import Person, Registration, RegistrationStatus
from events.services import registrations as reg
from events.settings import Settings
from tests import factories

PAIRS = 25


async def test_one_new_person_signs_up_for_two_activities_at_once(db: Settings) -> None:
    org = await factories.organisation()
    venue = await factories.venue(org)
    first = await factories.event(venue, places_young=PAIRS)
    second = await factories.event(venue, places_young=PAIRS)
    year = datetime.now(UTC).year - 20

    async def both(n: int) -> None:
        request = reg.SignupRequest(first_name=f"P{n}", email=f"p{n}@example.org", birth_year=year)
        await asyncio.gather(
            reg.sign_up(first.id, request, settings=db),
            reg.sign_up(second.id, request, settings=db),
        )

    for n in range(PAIRS):
        await both(n)
    assert await Person.all().count() == PAIRS
    for event in (first, second):
        rows = await Registration.filter(event_id=event.id, status=RegistrationStatus.CONFIRMED)
        assert len(rows) == PAIRS
        assert len({row.person_id for row in rows}) == PAIRS  # type: ignore[attr-defined]
