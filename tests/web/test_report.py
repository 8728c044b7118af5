"""The municipal report counts sign-ups, arrivals, walk-ins, no-shows and mixed pairs, and
the people referred in the period with the shares that came and came again (no names)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import httpx

from events.models import (
    CheckIn,
    ContactRoute,
    Group,
    Person,
    Referral,
    ReferralStage,
    Registration,
    RegistrationSource,
    StaffUser,
    TablePlan,
)
from events.services import referrals
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
    header, line = rows[0], rows[1]
    total = next(row for row in rows if row[1] in ("Total", "Totaal"))
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


async def test_report_counts_referrals_and_shares_without_names(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    org = await factories.organisation()
    await factories.organiser(org, email="inge@example.org")
    event = await factories.event(await factories.venue(org))
    now = datetime.now(UTC)
    stages = {
        "Anna": ReferralStage.INVITED,
        "Bert": ReferralStage.CAME,
        "Cor": ReferralStage.CAME_AGAIN,
        "Dirk": ReferralStage.SIGNED_UP,
    }
    made = {}
    for name, stage in stages.items():
        made[name] = await Referral.create(
            organisation=org,
            first_name=name,
            contact_route=ContactRoute.VIA_REFERRER,
            group=Group.OLDER,
            consent_text="Ja.",
            consented_at=now,
            stage=stage,
            invited_at=now,
        )
    # Stages come from the door: Bert and Cor came, Cor (by his person record) twice.
    person = await Person.create(email="cor@example.org", feed_token="tok-cor")
    for name in ("Bert", "Cor"):
        registration = await Registration.create(
            event=event,
            code=f"CODE{name}",
            first_name=name,
            group=Group.OLDER,
            status="confirmed",
            person=person if name == "Cor" else None,
        )
        await CheckIn.create(
            event=event, registration=registration, scanned_at=now, device_id="d", nonce=f"n-{name}"
        )
        await Referral.filter(id=made[name].id).update(registration_id=registration.id)
    later = await factories.event(
        event.venue,
        starts_at=event.starts_at + timedelta(days=7),
        ends_at=event.ends_at + timedelta(days=7),
    )
    again = await Registration.create(
        event=later,
        code="CODECOR2",
        first_name="Cor",
        group=Group.OLDER,
        status="confirmed",
        person=person,
    )
    await CheckIn.create(
        event=later, registration=again, scanned_at=now, device_id="d", nonce="n-cor-2"
    )
    dirk = await Registration.create(
        event=event, code="CODEDIRK", first_name="Dirk", group=Group.OLDER, status="confirmed"
    )
    await Referral.filter(id=made["Dirk"].id).update(registration_id=dirk.id)
    organiser = await factories.actor_of(await StaffUser.get(email="inge@example.org"))
    await referrals.erase_referral(organiser, made["Bert"].id, now=now)  # still counted
    elsewhere = await factories.organisation()
    await Referral.create(
        organisation=elsewhere,
        first_name="Els",
        group=Group.YOUNG,
        contact_route=ContactRoute.PHONE,
        consent_text="Ja.",
        consented_at=now,
    )
    await sign_in(client, "inge@example.org")
    client.cookies.set("lang", "en")
    page = await client.get("/organise/report")
    section = soup(page).find(id="referrals-title")
    assert section is not None and section.parent is not None
    facts = [dd.text for dd in section.parent.find_all("dd")]
    assert facts == ["4", "2 of them (50%)", "1 of them (25%)"]
    for name in ("Anna", "Bert", "Cor", "Dirk", "Els"):
        assert name not in page.text
    export = await client.get("/organise/report.csv")
    rows = list(csv.reader(io.StringIO(export.text.lstrip("\ufeff")), delimiter=";"))
    start = rows.index(["", "People referred", "", "4"])
    assert rows[start : start + 3] == [
        ["", "People referred", "", "4"],
        ["", "Referred and came", "", "2", "50%"],
        ["", "Referred and came again", "", "1", "25%"],
    ]
    last_year = await client.get(
        "/organise/report", params={"from": "2000-01-01", "to": "2000-12-31"}
    )
    section = soup(last_year).find(id="referrals-title")
    assert section is not None and section.parent is not None
    assert next(dd.text for dd in section.parent.find_all("dd")) == "0"


async def test_the_default_period_includes_the_coming_month_and_ideas_are_counted(
    client: httpx.AsyncClient,
) -> None:
    org = await factories.organisation()
    await factories.organiser(org, email="rapport@example.org")
    venue = await factories.venue(org)
    soon = datetime.now(UTC) + timedelta(days=20)
    await factories.event(
        venue, title="Over drie weken", starts_at=soon, ends_at=soon + timedelta(hours=2)
    )
    await sign_in(client, "rapport@example.org")
    page = soup(await client.get("/organise/report"))
    assert "Over drie weken" in page.text
    assert page.find(id="ideas-title") is not None
    export = await client.get("/organise/report.csv")
    assert "Ideeën voorgesteld" in export.text


async def test_far_dates_in_the_report_are_a_clear_400(client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    await factories.organiser(org, email="ver@example.org")
    await sign_in(client, "ver@example.org")
    for query in ("to=9999-12-31", "from=0001-01-01", "from=gisteren"):
        answer = await client.get(f"/organise/report?{query}")
        assert answer.status_code == 400, query
