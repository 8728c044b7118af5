"""Feedback and guard rails in the office: a notice after every save, publish, cancel and
plan; the activity links to its scanner, its volunteer tasks and its door passes."""

from __future__ import annotations

import httpx

from events.models import Event, Registration
from tests import factories
from tests.web.helpers import post_form, soup
from tests.web.test_organise import _event_form, organiser  # noqa: F401 (a fixture)


def _notice(response: httpx.Response) -> str:
    found = soup(response).select_one("[role=status]")
    return found.text.strip() if found else ""


async def test_every_step_says_it_went_through(
    client: httpx.AsyncClient,
    organiser: object,  # noqa: F811
) -> None:
    made = await post_form(
        client, "/organise/events/new", _event_form(organiser), form_page="/organise/"
    )  # type: ignore[arg-type]
    assert made.status_code == 303 and "done=saved" in made.headers["location"]
    assert _notice(await client.get(made.headers["location"])) == "Opgeslagen."
    event = await Event.get(title="Verhalentafel")
    base = f"/organise/events/{event.id}"
    published = await post_form(client, f"{base}/publish", {}, form_page=base)
    page = await client.get(published.headers["location"])
    assert _notice(page).startswith("Gepubliceerd")
    links = {a["href"] for a in soup(page).select("a[href]")}
    assert {f"/host/events/{event.id}/scan", f"{base}/tasks", f"{base}/door-passes"} <= links
    cancelled = await post_form(client, f"{base}/cancel", {"confirm": "yes"}, form_page=base)
    assert _notice(await client.get(cancelled.headers["location"])).startswith("Afgelast")
    assert (await client.get(f"{base}?done=nonsense")).status_code == 200


async def test_planning_tables_says_so(
    client: httpx.AsyncClient,
    organiser: object,  # noqa: F811
) -> None:
    event = await factories.event(organiser, has_tables=True, table_size=2, table_rounds=1)  # type: ignore[arg-type]
    for n, group in enumerate(("young", "older")):
        await Registration.create(
            event=event, code=f"PLANNOTICE{n}XYZ", first_name=f"P{n}", group=group,
            status="confirmed",
        )  # fmt: skip
    tables = f"/organise/events/{event.id}/tables"
    planned = await post_form(client, f"{tables}/plan", {"source": "registered"}, form_page=tables)
    assert _notice(await client.get(planned.headers["location"])) == "De tafels zijn ingedeeld."
