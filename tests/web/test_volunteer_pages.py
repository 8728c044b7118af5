"""The volunteer pages over HTTP: open tasks of an activity, "Ik help mee" without an
account, the volunteer's own link and cancelling from it; the organiser's task page; and
the partial the public activity page includes."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from starlette.applications import Starlette

from events.models import (
    Event,
    EventStatus,
    OutboxMessage,
    ShiftStatus,
    TaskKind,
    Volunteer,
    VolunteerShift,
    VolunteerTask,
)
from events.services import volunteers
from tests import factories
from tests.web.helpers import csrf_token, post_form, sign_in, soup


@pytest.fixture
async def event(client: httpx.AsyncClient) -> Event:
    org = await factories.organisation()
    await factories.organiser(org, email="org@example.org")
    venue = await factories.venue(org, name="Dorpshuis De Linde")
    return await factories.event(venue, slug="spellenavond", title="Spellenavond")


async def _task(event: Event, kind: TaskKind = TaskKind.COFFEE, needed: int = 2) -> VolunteerTask:
    return await VolunteerTask.create(
        event_id=event.id,
        kind=kind,
        starts_at=event.starts_at - timedelta(minutes=30),
        ends_at=event.ends_at,
        needed=needed,
    )


async def test_volunteer_signs_up_sees_the_task_and_cancels(
    client: httpx.AsyncClient, event: Event
) -> None:
    task = await _task(event)
    listing = await client.get("/events/spellenavond/help")
    assert listing.status_code == 200
    link = soup(listing).find("a", string="Ik help mee")
    assert link is not None and link["href"] == f"/events/spellenavond/help/{task.id}"
    form_page = await client.get(str(link["href"]))
    assert form_page.status_code == 200 and "Koffie en thee" in form_page.text
    token = await csrf_token(client, str(link["href"]))
    bad = await client.post(str(link["href"]), data={"csrf_token": token, "email": "x"})
    assert bad.status_code == 422
    assert soup(bad).find(id="f-first_name-error") is not None
    done = await client.post(
        str(link["href"]),
        data={"csrf_token": token, "first_name": "Sanne", "email": "sanne@example.org"},
    )
    assert done.status_code == 303
    shift = await VolunteerShift.get()
    assert done.headers["location"] == f"/help/{shift.token}?new=1"
    page = await client.get(done.headers["location"])
    assert "Dank je wel, Sanne!" in page.text
    assert page.headers["x-robots-tag"] == "noindex"
    assert await OutboxMessage.filter(kind="volunteer_confirmation").count() == 1
    ask = await client.post(
        f"/help/{shift.token}/cancel", data={"csrf_token": token}
    )  # first the question
    assert ask.status_code == 200 and "confirm" in ask.text
    gone = await client.post(
        f"/help/{shift.token}/cancel", data={"csrf_token": token, "confirm": "yes"}
    )
    assert gone.status_code == 303
    await shift.refresh_from_db()
    assert shift.status == ShiftStatus.CANCELLED
    assert await OutboxMessage.filter(kind="volunteer_cancelled").count() == 1


async def test_full_task_says_so_and_unknown_ones_are_404(
    client: httpx.AsyncClient, event: Event
) -> None:
    task = await _task(event, needed=1)
    await VolunteerShift.create(
        task=task,
        volunteer=await Volunteer.create(
            organisation_id=event.organisation_id, first_name="A", email="a@x.org", token="v1"
        ),
        token="s1",
    )
    page = await client.get(f"/events/spellenavond/help/{task.id}")
    assert page.status_code == 200 and soup(page).find("form", class_="stack") is None
    for path in (
        "/events/spellenavond/help/999999",
        "/events/spellenavond/help/abc",
        "/events/nope/help",
        "/help/not-a-token",
        "/volunteer/not-a-token",
        "/verify/hours/not-a-token",
    ):
        assert (await client.get(path)).status_code == 404, path
    event.status = EventStatus.DRAFT
    await event.save()
    assert (await client.get(f"/events/spellenavond/help/{task.id}")).status_code == 404


async def test_organiser_adds_tasks_sees_what_is_open_and_asks_again(
    client: httpx.AsyncClient, event: Event
) -> None:
    await sign_in(client, "org@example.org")
    path = f"/organise/events/{event.id}/tasks"
    page = await client.get(path)
    assert page.status_code == 200
    added = await post_form(
        client,
        f"{path}/new",
        {"kind": "table_host", "start_time": "19:00", "end_time": "21:30", "needed": "3"},
        form_page=path,
    )
    assert added.status_code == 303
    page = await client.get(added.headers["location"])
    assert "Tafelgastheer" in page.text and "0 van 3 aangemeld" in page.text
    bad = await post_form(client, f"{path}/new", {"kind": "x", "start_time": ""}, form_page=path)
    assert bad.status_code == 422
    await Volunteer.create(
        organisation_id=event.organisation_id,
        first_name="Eerder",
        email="eerder@example.org",
        ask_again=True,
        token="eerder",
    )
    asked = await post_form(client, f"{path}/ask", {}, form_page=path)
    assert asked.status_code == 303 and "asked=1" in asked.headers["location"]
    assert await OutboxMessage.filter(kind="volunteer_ask").count() == 1


async def test_other_organiser_gets_404_on_task_pages(
    client: httpx.AsyncClient, event: Event
) -> None:
    task = await _task(event)
    other = await factories.organisation()
    await factories.organiser(other, email="other@example.org")
    await sign_in(client, "other@example.org")
    path = f"/organise/events/{event.id}/tasks"
    assert (await client.get(path)).status_code == 404
    for target in (f"{path}/new", f"{path}/ask", f"/organise/tasks/{task.id}/remove"):
        response = await post_form(client, target, {"kind": "setup"})
        assert response.status_code == 404, target
    assert await VolunteerTask.all().count() == 1


async def test_the_partial_lists_open_tasks_for_the_event_page(
    app: Starlette, event: Event
) -> None:
    from datetime import UTC, datetime

    await _task(event, TaskKind.SETUP, needed=2)
    env = app.state.templates
    template = env.from_string('{% include "volunteer/_event_tasks.html" %}')
    tasks = await volunteers.open_tasks(event, now=datetime.now(UTC))
    html = template.render(
        event=event,
        volunteer_tasks=tasks,
        url_for=lambda name, **params: app.url_path_for(name, **params),
    )
    assert "Klaarzetten en opruimen" in html and "Nog 2 mensen nodig" in html
    assert f'href="/events/spellenavond/help/{tasks[0].task.id}"' in html
    # Without tasks (or before the page passes them) it shows nothing.
    assert template.render(event=event, url_for=lambda *a, **k: "").strip() == ""
