"""Door passes over HTTP: the organiser makes and withdraws one; its link and its code say
whether it works now."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from events.models import DoorPass
from tests import factories
from tests.web.helpers import csrf_token, post_form, sign_in, soup


async def test_make_use_and_withdraw_a_door_pass(client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    await factories.organiser(org, email="org@example.org")
    start = datetime.now(UTC) + timedelta(minutes=30)
    event = await factories.event(await factories.venue(org), title="Spellenavond", starts_at=start)
    await sign_in(client, "org@example.org")
    path = f"/organise/events/{event.id}/door-passes"
    assert (await client.get(path)).status_code == 200
    made = await post_form(client, f"{path}/new", {"holder_name": "Sem"}, form_page=path)
    assert made.status_code == 303
    door_pass = await DoorPass.get()
    page = await client.get(path)
    assert door_pass.code in page.text and f"/door-pass/{door_pass.token}" in page.text

    host = httpx.AsyncClient(transport=client._transport, base_url="http://testserver")
    token = await csrf_token(host, "/door-pass")
    wrong = await host.post("/door-pass", data={"csrf_token": token, "code": "ZZZZZZ"})
    assert wrong.status_code == 404
    typed = door_pass.code.lower()
    right = await host.post("/door-pass", data={"csrf_token": token, "code": typed})
    assert right.headers["location"] == f"/door-pass/{door_pass.token}"
    assert "Deze pas werkt nu." in (await host.get(right.headers["location"])).text

    withdrawn = await post_form(
        client, f"/organise/door-passes/{door_pass.id}/revoke", {}, form_page=path
    )
    assert withdrawn.status_code == 303
    shown = await host.get(f"/door-pass/{door_pass.token}")
    assert "Deze deurpas is ingetrokken" in soup(shown).get_text()
    await host.aclose()
