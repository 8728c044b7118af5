"""Statements of hours over HTTP: the organiser signs one, the volunteer downloads the PDF
from their own link, the school checks it; nobody else gets at it."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import httpx
from pypdf import PdfReader

from events.models import HoursStatement, TaskKind, Volunteer, VolunteerShift, VolunteerTask
from tests import factories
from tests.web.helpers import post_form, sign_in, soup


async def test_sign_download_and_verify(client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    await factories.organiser(org, email="org@example.org")
    past = datetime.now(UTC) - timedelta(days=7)
    event = await factories.event(await factories.venue(org), title="Spellenavond", starts_at=past)
    volunteer = await Volunteer.create(
        organisation=org, first_name="Noor", email="noor@example.org", token="noor-token",
        school_placement=True,
    )  # fmt: skip
    task = await VolunteerTask.create(
        event=event, kind=TaskKind.COFFEE, starts_at=past, ends_at=past + timedelta(hours=2)
    )
    shift = await VolunteerShift.create(task=task, volunteer=volunteer, token="shift-token")

    await sign_in(client, "org@example.org")
    listing = await client.get("/organise/volunteers")
    assert "Noor" in listing.text and "Maatschappelijke stage" in listing.text
    path = f"/organise/volunteers/{volunteer.id}"
    signed = await post_form(client, path, {"shift": str(shift.id)}, form_page=path)
    assert signed.status_code == 303
    statement = await HoursStatement.get()
    assert statement.minutes == 120

    public = httpx.AsyncClient(transport=client._transport, base_url="http://testserver")
    home = await public.get("/volunteer/noor-token")
    link = soup(home).find("a", href=f"/volunteer/noor-token/hours/{statement.id}.pdf")
    assert link is not None
    pdf = await public.get(str(link["href"]))
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "Noor" in text and "2 uur" in text
    verify = await public.get(f"/verify/hours/{statement.token}")
    assert verify.status_code == 200 and "Deze verklaring is echt" in verify.text
    assert "Noor" in verify.text and "2 uur" in verify.text
    assert (await public.get(f"/volunteer/other/hours/{statement.id}.pdf")).status_code == 404
    assert (await public.get("/verify/hours/not-a-token")).status_code == 404
    await public.aclose()

    other = await factories.organisation()
    await factories.organiser(other, email="other@example.org")
    await sign_in(client, "other@example.org")
    assert (await client.get(path)).status_code == 404
    assert "Noor" not in (await client.get("/organise/volunteers")).text
    refused = await post_form(client, path, {"shift": str(shift.id)})
    assert refused.status_code == 404
    assert await HoursStatement.all().count() == 1
