"""An older participant can ask to be fetched or walked with, online or at a desk: the
registration keeps the address and an "ophalen of meelopen" task appears for volunteers,
without the address."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx

from events.models import Registration, TaskKind, VolunteerTask
from tests import factories
from tests.web.helpers import post_form, sign_in, soup


async def _event(app: object) -> object:
    org = await factories.organisation()
    await factories.organiser(org, email="inge@example.org")
    return await factories.event(await factories.venue(org), places_older=4)


async def test_signing_up_with_a_wish_to_be_fetched_makes_a_task(
    client: httpx.AsyncClient, app: object
) -> None:
    event = await _event(app)
    page = f"/events/{event.slug}"  # type: ignore[attr-defined]
    form = {
        "first_name": "Riet", "email": "riet@example.org",
        "birth_year": str(datetime.now(UTC).year - 81), "accompany": "on",
    }  # fmt: skip
    missing = await post_form(client, f"{page}/signup", form, form_page=page)
    assert missing.status_code == 422
    assert soup(missing).select_one("#f-pickup_address[aria-invalid=true]") is not None
    form["pickup_address"] = "Lindelaan 4, Zutphen"
    done = await post_form(client, f"{page}/signup", form, form_page=page)
    assert done.status_code == 303
    riet = await Registration.get(first_name="Riet")
    assert riet.accompany and riet.pickup_address == "Lindelaan 4, Zutphen"
    task = await VolunteerTask.get(registration_id=riet.id)
    assert task.kind == TaskKind.ACCOMPANY
    public = await client.get(page)
    assert "Lindelaan" not in public.text  # the address is never public


async def test_staff_can_ask_for_it_at_the_desk(client: httpx.AsyncClient, app: object) -> None:
    event = await _event(app)
    await sign_in(client, "inge@example.org")
    path = f"/organise/events/{event.id}/register"  # type: ignore[attr-defined]
    data = {"first_name": "Kees", "group": "older", "accompany": "on",
            "pickup_address": "Markt 1, Zutphen"}  # fmt: skip
    assert (await post_form(client, path, data, form_page=path)).status_code == 303
    kees = await Registration.get(first_name="Kees")
    assert kees.pickup_address == "Markt 1, Zutphen"
    assert await VolunteerTask.filter(registration_id=kees.id).exists()
