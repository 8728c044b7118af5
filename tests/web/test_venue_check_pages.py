"""Venue checks over HTTP: an organiser invites a checker, the checker chooses a password,
walks the checklist with a photo and completes it; the venue's facts follow and the
summary for the venue page says when it was checked."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
from babel.dates import format_date
from PIL import Image
from starlette.applications import Starlette

from events.models import OutboxMessage, Role, StaffUser, Venue, VenueCheck
from events.services import volunteers
from events.web.checks import venue_check_context
from tests import factories
from tests.web.helpers import csrf_token, post_form, sign_in, soup

PASSWORD = "lange wandeling 42"


def _jpeg(size: tuple[int, int] = (800, 600)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(out, "JPEG", exif=b"Exif\x00\x00GPS-secret")
    return out.getvalue()


async def test_invite_check_and_the_venue_facts_follow(
    client: httpx.AsyncClient, app: Starlette
) -> None:
    org = await factories.organisation()
    await factories.organiser(org, email="org@example.org")
    venue = await factories.venue(org, name="Bibliotheek Zutphen", step_free_entrance=False)
    await sign_in(client, "org@example.org")
    path = f"/organise/venues/{venue.id}/checks"
    invited = await post_form(
        client, path, {"name": "Ria", "email": "ria@example.org"}, form_page=path
    )
    assert invited.status_code == 303
    user = await StaffUser.get(email="ria@example.org")
    assert user.role == Role.CHECKER and user.organisation_id == org.id
    mail = await OutboxMessage.get(kind="volunteer_checker_invite")
    welcome = re.search(r"http://\S+/checks/welcome/(\S+)", mail.text_body)
    assert welcome is not None

    checker = httpx.AsyncClient(transport=client._transport, base_url="http://testserver")
    link = f"/checks/welcome/{welcome.group(1)}"
    token = await csrf_token(checker, link)
    short = await checker.post(link, data={"csrf_token": token, "password": "kort"})
    assert short.status_code == 422
    chosen = await checker.post(
        link, data={"csrf_token": token, "password": PASSWORD, "password_again": PASSWORD}
    )
    assert chosen.status_code == 303
    assert (await checker.get(link)).status_code == 409  # used once
    await sign_in(checker, "ria@example.org", PASSWORD)
    home = await checker.get("/checks/")
    assert "Bibliotheek Zutphen" in home.text
    check = await VenueCheck.get()
    form_path = f"/checks/{check.id}"
    page = await checker.get(form_path)
    assert page.status_code == 200 and soup(page).find("input", attrs={"name": "hearing_loop"})

    token = await csrf_token(checker, form_path)
    photo = await checker.post(
        f"{form_path}/photos",
        data={"csrf_token": token},
        files={"photo": ("deur.jpg", _jpeg(), "image/jpeg")},
    )
    assert photo.status_code == 303 and "saved=1" in photo.headers["location"]
    not_image = await checker.post(
        f"{form_path}/photos",
        data={"csrf_token": token},
        files={"photo": ("x.jpg", b"not a picture", "image/jpeg")},
    )
    assert "photo=photo_not_an_image" in not_image.headers["location"]
    await check.refresh_from_db()
    [name] = check.photos
    stored = app.state.settings.data_dir / "venue_checks" / str(check.id) / name
    assert stored.exists() and b"GPS-secret" not in stored.read_bytes()
    assert (await checker.get(f"{form_path}/photos/{name}")).status_code == 200
    assert (await client.get(f"{form_path}/photos/{name}")).status_code == 200  # organiser

    answers = {
        "csrf_token": token,
        "entrance_step_free": "yes",
        "accessible_toilet": "no",
        "hearing_loop": "unsure",
        "quiet_room": "yes",
        "door_width_cm": "85",
        "lighting": "good",
        "note_entrance_step_free": "Ingang aan de zijkant, met bel.",
    }
    bad = await checker.post(form_path, data={**answers, "door_width_cm": "5", "complete": "1"})
    assert bad.status_code == 422
    done = await checker.post(form_path, data={**answers, "complete": "1"})
    assert done.status_code == 303 and "completed=1" in done.headers["location"]
    venue = await Venue.get(id=venue.id)
    assert (venue.step_free_entrance, venue.accessible_toilet, venue.quiet_room) == (
        True,
        False,
        True,
    )
    assert not venue.hearing_loop  # "not sure" leaves the fact as it was

    summary = await volunteers.venue_check_summary(venue.id, now=datetime.now(UTC))
    assert summary is not None and summary.recent
    assert ("door_width_cm", 85) in summary.findings
    partial = app.state.templates.from_string('{% include "checks/_venue_checked.html" %}')
    now = datetime.now(UTC)
    context = await venue_check_context(venue.id, now=now, timezone="Europe/Amsterdam")
    html = partial.render(context)
    day = format_date(now.astimezone(ZoneInfo("Europe/Amsterdam")).date(), "d MMMM y", locale="nl")
    assert f"Gecontroleerd door ervaringsdeskundigen op {day}" in html
    assert "Ingang aan de zijkant, met bel." in html and "Niet recent" not in html
    later = now + timedelta(days=400)
    html = partial.render(
        await venue_check_context(venue.id, now=later, timezone="Europe/Amsterdam")
    )
    assert "Niet recent gecontroleerd" in html
    assert partial.render().strip() == ""
    await checker.aclose()
