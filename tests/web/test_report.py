"""The municipal report counts sign-ups, arrivals, walk-ins, no-shows and mixed pairs."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import httpx

from events.models import CheckIn, Registration, RegistrationSource, TablePlan
from events.services import registrations as reg
from events.settings import Settings
from tests import factories
from tests.web.helpers import sign_in, soup


async def test_report_counts_and_csv(client: httpx.AsyncClient, settings: Settings) -> None:
    org = await factories.organisation()
    venue = await factories.venue(org)
    await factories.organiser(org, email="inge@example.org")
    past = datetime.now(UTC).replace(microsecond=0) - timedelta(days=2)
    event = await factories.event(
        venue, title="Dorpsdiner", starts_at=past, ends_at=past + timedelta(hours=2)
    )
    year = past.year
    people = []
    for name, born in (("Ana", year - 20), ("Bo", year - 19), ("Riet", year - 80)):
        request = reg.SignupRequest(first_name=name, email=f"{name}@example.org", birth_year=born)
        # Signing up for an activity in the past is refused, so open it for a moment.
        event.ends_at = datetime.now(UTC) + timedelta(hours=1)
        await event.save()
        outcome = await reg.sign_up(event.id, request, settings=settings)
        assert outcome.lead is not None
        people.append(outcome.lead)
    event.ends_at = past + timedelta(hours=2)
    await event.save()
    ana, bo, riet = people
    await Registration.filter(id=bo.id).update(source=RegistrationSource.WALK_IN)
    for person in (ana, riet):
        await CheckIn.create(
            event=event, registration=person, scanned_at=past, device_id="d", nonce=f"n{person.id}"
        )
    await TablePlan.create(event=event, rounds=[[[ana.id, riet.id], [bo.id]]])
    await factories.event(
        await factories.venue(await factories.organisation()),
        title="Not ours",
        starts_at=past,
        ends_at=past + timedelta(hours=1),
    )
    await sign_in(client, "inge@example.org")
    page = await client.get(
        "/organise/report", params={"from": (past - timedelta(days=1)).date().isoformat()}
    )
    assert page.status_code == 200
    html = soup(page)
    assert "Dorpsdiner" in page.text and "Not ours" not in page.text
    export = await client.get(
        "/organise/report.csv", params={"from": (past - timedelta(days=1)).date().isoformat()}
    )
    rows = list(csv.reader(io.StringIO(export.text.lstrip("\ufeff")), delimiter=";"))
    header, line, total = rows[0], rows[1], rows[-1]
    values = dict(zip(header, line, strict=True))
    assert line[1] == "Dorpsdiner"
    numbers = [int(v) for v in line[3:]]
    # signed up young/older/open, came young/older/open, waitlist, cancelled, walk-ins,
    # no-shows, mixed pairs
    assert numbers == [2, 1, 0, 1, 1, 0, 0, 0, 1, 1, 1], values
    assert total[1] and [int(v) for v in total[3:]] == numbers
    assert html.find("input", attrs={"name": "from"})
    bad = await client.get("/organise/report", params={"from": "yesterday"})
    assert bad.status_code == 400
