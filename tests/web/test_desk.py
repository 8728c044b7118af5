"""The organiser's desk: reprint from the sign-ups list, a choice before placing someone in
a full group, phone numbers and the to-call list, and exports people can use (CSV and xlsx,
translated, with arrival, check-out, pouch and tables)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import httpx
import openpyxl
import pytest

from events.models import CheckIn, Event, Registration, RegistrationStatus, TablePlan
from events.services import registrations
from events.settings import Settings
from tests import factories
from tests.web.helpers import post_form, sign_in, soup


@pytest.fixture
async def event(app: object) -> Event:
    org = await factories.organisation()
    venue = await factories.venue(org)
    await factories.organiser(org, email="inge@example.org")
    return await factories.event(
        venue, places_young=2, places_older=1, places_open=0, status="published"
    )


def register_path(event: Event) -> str:
    return f"/organise/events/{event.id}/register"


async def register(client: httpx.AsyncClient, event: Event, **fields: str) -> httpx.Response:
    data = {"first_name": "Riet", "group": "older", **fields}
    return await post_form(client, register_path(event), data, form_page=register_path(event))


async def test_each_sign_up_links_to_its_ticket_and_paper_ticket(
    client: httpx.AsyncClient, event: Event
) -> None:
    await sign_in(client, "inge@example.org")
    assert (await register(client, event, first_name="Gerrit")).status_code == 303
    gerrit = await Registration.get(first_name="Gerrit")
    page = soup(await client.get(f"/organise/events/{event.id}/registrations"))
    links = {a["href"] for a in page.select("a[href]")}
    assert f"/tickets/{gerrit.code}" in links and f"/tickets/{gerrit.code}/print" in links
    reprint = await client.get(f"/tickets/{gerrit.code}/print")
    assert reprint.status_code == 200 and "Gerrit" in reprint.text


async def test_a_full_group_asks_before_placing_and_counts_an_override(
    client: httpx.AsyncClient, event: Event
) -> None:
    await sign_in(client, "inge@example.org")
    assert (await register(client, event, first_name="Els")).status_code == 303  # 1 of 1
    asked = await register(client, event, first_name="Kees")
    assert asked.status_code == 409
    page = soup(asked)
    assert page.select_one("input[name=when_full][value=waitlist]") is not None
    assert page.select_one("input[name=when_full][value=override]") is not None
    assert not await Registration.filter(first_name="Kees").exists()  # nothing made yet

    placed = await register(client, event, first_name="Kees", when_full="override")
    assert placed.status_code == 303
    kees = await Registration.get(first_name="Kees")
    assert kees.status == RegistrationStatus.CONFIRMED and kees.over_capacity
    await event.refresh_from_db()
    assert event.taken_older == 2  # past capacity, on purpose

    waiting = await register(client, event, first_name="Joop", when_full="waitlist")
    assert waiting.status_code == 303
    joop = await Registration.get(first_name="Joop")
    assert joop.status == RegistrationStatus.WAITLISTED and not joop.over_capacity


async def test_phone_numbers_and_the_to_call_list_after_a_promotion(
    client: httpx.AsyncClient, event: Event, settings: Settings
) -> None:
    await sign_in(client, "inge@example.org")
    await register(client, event, first_name="Els", email="els@example.org")
    bad = await register(client, event, first_name="Kees", phone="bel me", when_full="waitlist")
    assert bad.status_code == 422
    await register(client, event, first_name="Kees", phone="06 1234 5678", when_full="waitlist")
    kees = await Registration.get(first_name="Kees")
    assert kees.status == RegistrationStatus.WAITLISTED and kees.phone == "06 1234 5678"
    assert "Kees" not in (await client.get("/organise/to-call")).text

    els = await Registration.get(first_name="Els")
    await registrations.cancel_registration(els.id, settings=settings)  # Kees moves up
    listed = soup(await client.get("/organise/to-call"))
    assert "Kees" in listed.text and "06 1234 5678" in listed.text
    ticked = await post_form(
        client, "/organise/to-call", {"registration_id": str(kees.id)}, form_page="/organise/"
    )
    assert ticked.status_code == 303
    assert "Kees" not in (await client.get("/organise/to-call")).text
    await kees.refresh_from_db()
    assert kees.called_at is not None


async def test_another_organisation_sees_nobody_to_call(
    client: httpx.AsyncClient, event: Event
) -> None:
    await factories.organiser(await factories.organisation(), email="piet@example.org")
    riet = await Registration.create(
        event=event, code="ABCDEFGHJKLMN", first_name="Riet", group="older",
        status="confirmed", waitlist_number=1, phone="0612345678",
    )  # fmt: skip
    await sign_in(client, "piet@example.org")
    assert "Riet" not in (await client.get("/organise/to-call")).text
    refused = await post_form(
        client, "/organise/to-call", {"registration_id": str(riet.id)}, form_page="/organise/"
    )
    assert refused.status_code == 404
    await riet.refresh_from_db()
    assert riet.called_at is None


async def _a_checked_in_table_event(event: Event) -> Registration:
    riet = await Registration.create(
        event=event, code="QRSTUVWXYZABC", first_name="Riet", group="older",
        status="confirmed", needs=["hearing"], languages=["nl"], interests=["music"],
        source="assisted", email="riet@example.org",
    )  # fmt: skip
    arrived = datetime(2030, 5, 1, 17, 31, tzinfo=UTC)
    await CheckIn.create(
        event=event, registration=riet, scanned_at=arrived, device_id="d", nonce="n1",
        pouch="12", checked_out_at=arrived + timedelta(hours=2),
    )  # fmt: skip
    await TablePlan.create(event=event, rounds=[[[riet.id]], [[], [riet.id]]], scorecard={})
    return riet


async def test_csv_export_is_dutch_through_and_through(
    client: httpx.AsyncClient, event: Event
) -> None:
    await _a_checked_in_table_event(event)
    await sign_in(client, "inge@example.org")
    export = await client.get(f"/organise/events/{event.id}/registrations.csv")
    assert export.headers["content-type"].startswith("text/csv")
    header, riet = list(csv.reader(io.StringIO(export.text.lstrip("\ufeff")), delimiter=";"))
    row = dict(zip(header, riet, strict=True))
    assert row["Voornaam"] == "Riet"
    assert "Slechthorend" in riet and "Nederlands" in riet and "Muziek" in riet
    assert "hearing" not in riet and "assisted" not in riet
    assert row["Aangekomen om"] == "2030-05-01 19:31"  # shown in Amsterdam time
    assert row["Vertrokken om"] == "2030-05-01 21:31"
    assert row["Telefoonzakje"] == "12"
    assert (row["Tafel in ronde 1"], row["Tafel in ronde 2"]) == ("1", "2")


async def test_xlsx_export_opens_in_openpyxl_with_arrival_columns(
    client: httpx.AsyncClient, event: Event
) -> None:
    await _a_checked_in_table_event(event)
    await sign_in(client, "inge@example.org")
    export = await client.get(f"/organise/events/{event.id}/registrations.xlsx")
    assert export.status_code == 200
    assert export.headers["content-type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(export.content))
    sheet = book.active
    assert sheet is not None
    header, riet = ([c.value for c in row] for row in sheet.iter_rows(max_row=2))
    row = dict(zip(header, riet, strict=True))
    assert row["Voornaam"] == "Riet" and row["Aangekomen om"] == "2030-05-01 19:31"
    assert row["Tafel in ronde 2"] == 2 and "Slechthorend" in riet
    assert sheet.freeze_panes == "A2"
    assert (await client.get(f"/organise/events/{event.id}/registrations.pdf")).status_code == 404


async def test_a_formula_in_a_name_stays_text_in_the_xlsx(
    client: httpx.AsyncClient, event: Event
) -> None:
    await Registration.create(
        event=event, code="FORMULAXYZABC", first_name="=1+1", group="older", status="confirmed"
    )
    await sign_in(client, "inge@example.org")
    export = await client.get(f"/organise/events/{event.id}/registrations.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    assert sheet is not None
    assert sheet["A2"].value == "'=1+1" and sheet["A2"].data_type == "s"


async def test_a_full_group_offers_only_the_override_and_says_why(
    client: httpx.AsyncClient, event: Event
) -> None:
    await sign_in(client, "inge@example.org")
    await register(client, event, first_name="Els")
    await register(client, event, first_name="Kees", when_full="waitlist")
    page = soup(await client.get(f"/organise/events/{event.id}/registrations"))
    kees = await Registration.get(first_name="Kees")
    actions = {form["action"] for form in page.select("form[action]")}
    assert f"/organise/registrations/{kees.id}/promote" not in actions
    assert f"/organise/registrations/{kees.id}/promote_over" in actions
    assert "De groep is vol." in page.text


async def test_a_second_place_with_the_same_name_asks_first(
    client: httpx.AsyncClient, event: Event
) -> None:
    await sign_in(client, "inge@example.org")
    venue = await event.venue
    form = {
        "name": venue.name.upper(), "kind": "cafe", "address": "Dorpsstraat 2",
        "postcode": "1234 AB", "town": "Ergens", "capacity": "20", "phone_storage": "none",
    }  # fmt: skip
    asked = await post_form(client, "/organise/venues/new", form, form_page="/organise/")
    assert asked.status_code == 422
    assert soup(asked).select_one("input[name=same_name_ok]") is not None
    saved = await post_form(
        client, "/organise/venues/new", {**form, "same_name_ok": "on"}, form_page="/organise/"
    )
    assert saved.status_code == 303
