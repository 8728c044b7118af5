"""The organiser's side of referrals: the list with the activities that fit (town, needs,
places left), invitations by mail and by letter that open a filled-in sign-up, and signing
the person up assisted. Every look at a referral is logged."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import httpx

from events.models import (
    ContactRoute,
    Event,
    Group,
    OutboxMessage,
    Referral,
    ReferralStage,
    ReferralView,
    Registration,
    RegistrationSource,
    Role,
)
from events.services.staff import create_user
from tests import factories
from tests.web.helpers import csrf_token, post_form, sign_in, soup


async def _setup() -> dict[str, object]:
    org = await factories.organisation()
    org.contact_name, org.contact_phone = "Inge", "0575 123 456"
    await org.save()
    good = await factories.venue(org, town="Zutphen", step_free_entrance=True, hearing_loop=True)
    other_town = await factories.venue(org, town="Warnsveld", step_free_entrance=True)
    steps = await factories.venue(org, town="Zutphen", step_free_entrance=False)
    fits = await factories.event(good, title="Spelletjesavond De Zaak")
    elsewhere = await factories.event(other_town, title="Koffie in Warnsveld")
    stairs = await factories.event(steps, title="Zolderconcert")
    full = await factories.event(good, title="Vol diner", places_older=0, places_open=0)
    await factories.organiser(org, email="inge@example.org")
    referrer = await create_user(
        "linde@example.org", factories.PASSWORD, role=Role.REFERRER, organisation=org, name="Linde"
    )
    referral = await Referral.create(
        organisation=org,
        referrer=referrer,
        first_name="Gerrit",
        contact_route=ContactRoute.EMAIL,
        email="gerrit@example.org",
        group=Group.OLDER,
        towns=["Zutphen"],
        kinds=["games"],
        needs=["step_free", "hearing"],
        wants_buddy=True,
        consent_text="Ik vind het goed.",
        consented_at=datetime.now(UTC),
        feedback_consent=True,
    )
    return {
        "org": org,
        "fits": fits,
        "elsewhere": elsewhere,
        "stairs": stairs,
        "full": full,
        "referral": referral,
    }


async def test_list_suggests_fitting_activities_and_logs_each_view(
    client: httpx.AsyncClient,
) -> None:
    data = await _setup()
    referral = data["referral"]
    assert isinstance(referral, Referral)
    await sign_in(client, "inge@example.org")
    page = await client.get("/organise/referrals")
    assert page.status_code == 200
    assert "Gerrit" in page.text and "Spelletjesavond De Zaak" in page.text
    for title in ("Koffie in Warnsveld", "Zolderconcert", "Vol diner"):
        assert title not in page.text
    views = await ReferralView.filter(referral_id=referral.id).values_list("action", flat=True)
    assert list(views) == ["list"]
    detail = await client.get(f"/organise/referrals/{referral.id}")
    assert detail.status_code == 200
    html = soup(detail)
    fits = html.find(id="fits-title")
    assert fits is not None
    assert "Ik vind het goed." in detail.text  # the statement, word for word
    assert await ReferralView.filter(referral_id=referral.id, action="view").count() == 1
    assert (await client.get("/organise/referrals/999999")).status_code == 404


async def test_invitation_by_mail_opens_a_filled_in_sign_up(client: httpx.AsyncClient) -> None:
    data = await _setup()
    referral, event = data["referral"], data["fits"]
    assert isinstance(referral, Referral) and isinstance(event, Event)
    await sign_in(client, "inge@example.org")
    path = f"/organise/referrals/{referral.id}"
    sent = await post_form(
        client, f"{path}/invite", {"event_id": str(event.id), "way": "mail"}, form_page=path
    )
    assert sent.status_code == 303
    await referral.refresh_from_db()
    assert referral.stage == ReferralStage.INVITED and referral.invited_event_id == event.id
    mail = await OutboxMessage.get(kind="referral_invitation")
    assert mail.to_email == "gerrit@example.org" and "Gerrit" in mail.text_body
    assert "Gerrit" not in mail.subject and "0575 123 456" in mail.text_body
    match = re.search(r"http://\S+(/invitations/\S+)", mail.text_body)
    assert match, mail.text_body
    link = match.group(1)
    await client.post("/logout", data={"csrf_token": await csrf_token(client, "/organise/")})

    landing = await client.get(link)
    assert landing.status_code == 200
    html = soup(landing)
    first = html.find("input", attrs={"name": "first_name"})
    assert first is not None and first["value"] == "Gerrit"
    email = html.find("input", attrs={"name": "email"})
    assert email is not None and email["value"] == "gerrit@example.org"
    checked = {i["value"] for i in html.find_all("input", attrs={"name": "needs", "checked": True})}
    assert checked == {"step_free", "hearing"}
    token = await csrf_token(client, link)
    form = {
        "first_name": "Gerrit",
        "email": "gerrit@example.org",
        "needs": ["step_free", "hearing"],
        "interests": "games",
        "csrf_token": token,
    }
    missing = await client.post(link, data=form)
    assert missing.status_code == 422
    done = await client.post(link, data={**form, "birth_year": "1948"})
    assert done.status_code == 303
    registration = await Registration.get(event_id=event.id, email="gerrit@example.org")
    assert registration.needs == ["step_free", "hearing"] and registration.group == Group.OLDER
    await referral.refresh_from_db()
    assert referral.registration_id == registration.id
    assert referral.stage == ReferralStage.SIGNED_UP
    assert await OutboxMessage.filter(registration_id=registration.id, kind="confirmation").exists()
    again = await client.get(link)
    assert again.status_code == 200 and soup(again).find("form", attrs={"action": link}) is None
    assert (await client.get("/invitations/not-a-token")).status_code == 404


async def test_letter_with_qr_code_and_phone_and_assisted_sign_up(
    client: httpx.AsyncClient,
) -> None:
    data = await _setup()
    referral, event = data["referral"], data["fits"]
    assert isinstance(referral, Referral) and isinstance(event, Event)
    referral.contact_route, referral.email, referral.phone = ContactRoute.PHONE, None, "06 1"
    await referral.save()
    await sign_in(client, "inge@example.org")
    path = f"/organise/referrals/{referral.id}"
    by_mail = await post_form(
        client, f"{path}/invite", {"event_id": str(event.id), "way": "mail"}, form_page=path
    )
    assert by_mail.status_code == 409  # no address: print a letter instead
    assert (await client.get(f"{path}/letter")).status_code == 409  # nothing to print yet
    made = await post_form(
        client, f"{path}/invite", {"event_id": str(event.id), "way": "letter"}, form_page=path
    )
    assert made.status_code == 303 and made.headers["location"] == f"{path}/letter"
    letter = await client.get(f"{path}/letter")
    assert letter.status_code == 200
    assert "<svg" in letter.text and "0575 123 456" in letter.text and "Gerrit" in letter.text
    await referral.refresh_from_db()
    assert referral.stage == ReferralStage.INVITED and referral.invitation_token
    assert await ReferralView.filter(referral_id=referral.id, action="letter").exists()

    signup_path = f"{path}/signup/{event.id}"
    form_page = await client.get(signup_path)
    assert form_page.status_code == 200
    signed = await post_form(
        client,
        signup_path,
        {"first_name": "Gerrit", "group": "older", "needs": "step_free"},
        form_page=signup_path,
    )
    assert signed.status_code == 303 and "/print" in signed.headers["location"]
    registration = await Registration.get(event_id=event.id, first_name="Gerrit")
    assert registration.source == RegistrationSource.ASSISTED
    await referral.refresh_from_db()
    assert referral.registration_id == registration.id
    assert referral.stage == ReferralStage.SIGNED_UP
    stairs = data["stairs"]
    assert isinstance(stairs, Event)
    draft = await factories.event(stairs.venue, status="draft")  # type: ignore[arg-type]
    closed = await post_form(
        client, f"{path}/invite", {"event_id": str(draft.id), "way": "letter"}, form_page=path
    )
    assert closed.status_code == 409


async def test_erase_on_request_asks_first_then_erases(client: httpx.AsyncClient) -> None:
    data = await _setup()
    referral = data["referral"]
    assert isinstance(referral, Referral)
    second = await Referral.create(
        organisation_id=referral.organisation_id,
        referrer_id=referral.referrer_id,
        first_name="Truus",
        contact_route=ContactRoute.VIA_REFERRER,
        group=Group.YOUNG,
        consent_text="Ja.",
        consented_at=datetime.now(UTC),
    )
    await sign_in(client, "inge@example.org")
    path = f"/organise/referrals/{referral.id}"
    asked = await post_form(client, f"{path}/erase", {}, form_page=path)
    assert asked.status_code == 200 and soup(asked).find("input", attrs={"name": "confirm"})
    await referral.refresh_from_db()
    assert referral.first_name == "Gerrit"
    done = await post_form(client, f"{path}/erase", {"confirm": "yes"}, form_page=path)
    assert done.status_code == 303
    await referral.refresh_from_db()
    assert referral.first_name == "" and referral.email is None
    assert (await client.get(path)).status_code == 404
    assert "Gerrit" not in (await client.get("/organise/referrals")).text

    await sign_in(client, "linde@example.org")
    erased = await post_form(
        client, f"/referrals/{second.id}/erase", {"confirm": "yes"}, form_page="/referrals"
    )
    assert erased.status_code == 303
    assert not await Referral.exclude(first_name="").exists()
