"""Statements of hours for school: only ended, not cancelled tasks at the organisation's own
activities count; the PDF opens in a real PDF reader and says who, how long, signed by
whom, and where to check it; only the organisation's organisers can sign one."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from pypdf import PdfReader

from events.models import (
    Event,
    HoursStatement,
    OutboxMessage,
    ShiftStatus,
    TaskKind,
    Volunteer,
    VolunteerShift,
    VolunteerTask,
)
from events.services import volunteers
from events.services.errors import FormError, NotFound
from events.services.volunteers.pdf import Line, build_pdf, wrap
from events.settings import Settings
from tests import factories

NOW = datetime(2027, 3, 20, 12, 0, tzinfo=UTC)


async def _shift(
    event: Event, volunteer: Volunteer, start: datetime, hours: float, **fields: object
) -> VolunteerShift:
    task = await VolunteerTask.create(
        event=event,
        kind=TaskKind.TABLE_HOST,
        starts_at=start,
        ends_at=start + timedelta(hours=hours),
    )
    return await VolunteerShift.create(
        task=task, volunteer=volunteer, token=f"s{task.id}", **fields
    )


@pytest.fixture
async def volunteer(db: Settings) -> Volunteer:
    org = await factories.organisation(name="Stichting Samen")
    venue = await factories.venue(org)
    first = await factories.event(venue, title="Spellenavond", starts_at=NOW - timedelta(days=10))
    later = await factories.event(venue, title="Verhalentafel", starts_at=NOW + timedelta(days=3))
    person = await Volunteer.create(
        organisation=org, first_name="Noor", email="noor@example.org", token="noor",
        school_placement=True,
    )  # fmt: skip
    await _shift(first, person, NOW - timedelta(days=10), 2.5)
    await _shift(first, person, NOW - timedelta(days=9), 1)
    await _shift(first, person, NOW - timedelta(days=8), 4, status=ShiftStatus.CANCELLED)
    await _shift(later, person, NOW + timedelta(days=3), 3)  # not done yet
    return person


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    return " ".join(reader.pages[0].extract_text().split())


async def test_a_signed_statement_counts_only_tasks_done(
    volunteer: Volunteer, db: Settings
) -> None:
    org = await volunteer.organisation
    actor = await factories.actor_of(await factories.organiser(org, email="anna@example.org"))
    record = await volunteers.volunteer_record(actor, volunteer.id, now=NOW)
    assert [r.minutes for r in record.done] == [150, 60]
    statement = await volunteers.issue_statement(actor, volunteer.id, [], settings=db, now=NOW)
    assert statement.minutes == 210 and len(statement.shifts) == 2
    mail = await OutboxMessage.get(kind="volunteer_hours")
    assert mail.to_email == "noor@example.org"
    assert f"/volunteer/noor/hours/{statement.id}.pdf" in mail.text_body
    assert f"/verify/hours/{statement.token}" in mail.text_body
    assert "3 uur en 30 minuten" in mail.text_body

    found = await volunteers.volunteer_statement("noor", statement.id)
    text = _text(volunteers.build_statement_pdf(found, settings=db))
    assert "Verklaring vrijwilligersuren" in text
    assert "Maatschappelijke stage" in text
    assert "Noor" in text and org.name in text
    assert "Tafelgastheer" in text and "Spellenavond" in text
    assert "Totaal: 3 uur en 30 minuten" in text
    assert "Ondertekend namens" in text and "anna@example.org" in text
    assert f"/verify/hours/{statement.token}" in text.replace(" ", "")
    checked = await volunteers.statement_by_token(statement.token)
    assert (checked.first_name, checked.minutes, checked.signed_by) == (
        "Noor",
        210,
        "anna@example.org",
    )


async def test_choosing_tasks_and_refusing_an_empty_statement(
    volunteer: Volunteer, db: Settings
) -> None:
    actor = await factories.organiser_actor(await volunteer.organisation)
    record = await volunteers.volunteer_record(actor, volunteer.id, now=NOW)
    one = await volunteers.issue_statement(
        actor, volunteer.id, [record.done[1].shift_id], settings=db, now=NOW
    )
    assert one.minutes == 60
    with pytest.raises(FormError) as empty:
        await volunteers.issue_statement(actor, volunteer.id, [999999], settings=db, now=NOW)
    assert empty.value.errors == {"shifts": "no_hours"}


async def test_only_the_organisations_organisers_sign_or_see(
    volunteer: Volunteer, db: Settings
) -> None:
    stranger = await factories.organiser_actor(await factories.organisation())
    venue = await factories.venue(await volunteer.organisation)
    host = await factories.actor_of(await factories.host(await volunteer.organisation, [venue]))
    for actor in (stranger, host):
        with pytest.raises(NotFound):
            await volunteers.issue_statement(actor, volunteer.id, [], settings=db, now=NOW)
        with pytest.raises(NotFound):
            await volunteers.volunteer_record(actor, volunteer.id, now=NOW)
    assert await HoursStatement.all().count() == 0
    with pytest.raises(NotFound):
        await volunteers.statement_by_token("nope")
    with pytest.raises(NotFound):
        await volunteers.volunteer_statement("someone-else", 1)


def test_the_pdf_writer_wraps_escapes_and_keeps_accents() -> None:
    long = "Café (’t Hoekje) \\ " + "woord " * 60
    pdf = build_pdf([Line("Überschrift", size=20, bold=True), Line(long)], title="Tëst")
    reader = PdfReader(io.BytesIO(pdf))
    text = reader.pages[0].extract_text()
    assert "Überschrift" in text and "Café (’t Hoekje) \\" in text
    assert reader.metadata is not None and reader.metadata.title == "Tëst"
    assert len(wrap(long, 11)) > 1
    assert all(len(line) < 120 for line in wrap("x" * 500, 11))
