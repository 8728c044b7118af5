"""Accompaniment over HTTP: the organiser's task page makes the task and pairs; the
volunteer's page shows the address only after that, the public pages never."""

from __future__ import annotations

import httpx

from events.models import Group, Registration, RegistrationStatus, VolunteerShift, VolunteerTask
from events.tickets import new_code
from tests import factories
from tests.web.helpers import post_form, sign_in

ADDRESS = "Lindelaan 12, 7201 AB Zutphen"


async def test_pairing_shows_the_address_to_the_volunteer_only(client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    await factories.organiser(org, email="org@example.org")
    event = await factories.event(await factories.venue(org), slug="verhalen")
    await Registration.create(
        event=event, code=new_code(), first_name="Joke", email="joke@example.org",
        group=Group.OLDER, status=RegistrationStatus.CONFIRMED, accompany=True,
        pickup_address=ADDRESS,
    )  # fmt: skip
    await sign_in(client, "org@example.org")
    tasks_path = f"/organise/events/{event.id}/tasks"
    page = await client.get(tasks_path)
    assert "Ophalen of meelopen: Joke" in page.text and ADDRESS in page.text
    task = await VolunteerTask.get(registration__first_name="Joke")

    volunteer = httpx.AsyncClient(transport=client._transport, base_url="http://testserver")
    public = await volunteer.get("/events/verhalen/help")
    assert "Ophalen of meelopen" in public.text and ADDRESS not in public.text
    form = f"/events/verhalen/help/{task.id}"
    signed = await post_form(
        volunteer, form, {"first_name": "Daan", "email": "daan@example.org"}, form_page=form
    )
    shift_page = signed.headers["location"].split("?")[0]
    assert ADDRESS not in (await volunteer.get(shift_page)).text

    shift = await VolunteerShift.get()
    paired = await post_form(client, f"/organise/shifts/{shift.id}/pair", {}, form_page=tasks_path)
    assert paired.status_code == 303
    shown = await volunteer.get(shift_page)
    assert ADDRESS in shown.text and "Joke" in shown.text
    assert ADDRESS not in (await volunteer.get("/events/verhalen/help")).text
    await volunteer.aclose()
