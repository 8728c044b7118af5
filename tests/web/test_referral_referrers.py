"""Referrers: an organiser invites one, they choose a password through the mailed link, sign
in and refer someone on the form, which records the statement the person agreed to and has
no place for medical data."""

from __future__ import annotations

import re

import httpx

from events.models import OutboxMessage, Referral, Role, StaffUser
from events.services.referrals import consent_statement, feedback_statement
from events.services.staff import create_user
from tests import factories
from tests.web.helpers import csrf_token, post_form, sign_in, soup

PASSWORD = "a long enough password"


async def test_organiser_invites_a_referrer_who_chooses_a_password_and_refers(
    client: httpx.AsyncClient,
) -> None:
    org = await factories.organisation()
    await factories.venue(org, town="Zutphen")
    await factories.venue(org, town="Warnsveld")
    await factories.organiser(org, email="inge@example.org")
    await sign_in(client, "inge@example.org")
    page = await client.get("/organise/referrers")
    assert page.status_code == 200
    bad = await post_form(client, "/organise/referrers", {"name": "", "email": "nope"})
    assert bad.status_code == 422
    sent = await post_form(
        client, "/organise/referrers", {"name": "Praktijk De Linde", "email": "linde@example.org"}
    )
    assert sent.status_code == 303
    user = await StaffUser.get(email="linde@example.org")
    assert user.role == Role.REFERRER and user.organisation_id == org.id
    mail = await OutboxMessage.get(kind="referral_referrer_invitation")
    assert mail.to_email == "linde@example.org"
    match = re.search(r"http://\S+/referrers/welcome/(\S+)", mail.text_body)
    assert match, mail.text_body
    link = "/referrers/welcome/" + match.group(1)
    await client.post("/logout", data={"csrf_token": await csrf_token(client, "/organise/")})

    welcome = await client.get(link)
    assert welcome.status_code == 200 and "linde@example.org" in welcome.text
    token = await csrf_token(client, link)
    differ = await client.post(
        link, data={"password": PASSWORD, "password_again": "other", "csrf_token": token}
    )
    assert differ.status_code == 422
    done = await client.post(
        link, data={"password": PASSWORD, "password_again": PASSWORD, "csrf_token": token}
    )
    assert done.status_code == 303 and done.headers["location"].startswith("/login?next=")
    assert (await client.get(link)).status_code == 404  # the link works once

    await sign_in(client, "linde@example.org", PASSWORD)
    form_page = await client.get("/referrals/new")
    assert form_page.status_code == 200
    html = soup(form_page)
    assert html.find("textarea") is None  # no free text at all, so no medical data
    assert "No medical information" in form_page.text or "Geen medische" in form_page.text
    statement = html.find(id="statement")
    assert statement is not None and org.name in statement.text
    towns = [i["value"] for i in html.find_all("input", attrs={"name": "towns"})]
    assert towns == ["Warnsveld", "Zutphen"]

    form = {
        "first_name": "Gerrit",
        "contact_route": "phone",
        "phone": "06 12345678",
        "email": "not-kept@example.org",
        "group": "older",
        "towns": "Zutphen",
        "kinds": ["games", "music"],
        "needs": ["step_free", "hearing"],
        "wants_buddy": "1",
    }
    token = await csrf_token(client, "/referrals/new")
    refused = await client.post("/referrals/new", data={**form, "csrf_token": token})
    assert refused.status_code == 422 and await Referral.all().count() == 0
    sent_referral = await client.post(
        "/referrals/new", data={**form, "agreed": "1", "csrf_token": token}
    )
    assert sent_referral.status_code == 303
    referral = await Referral.get(first_name="Gerrit")
    assert referral.referrer_id == user.id and referral.organisation_id == org.id
    assert (referral.phone, referral.email) == ("06 12345678", None)
    assert referral.towns == ["Zutphen"] and referral.kinds == ["games", "music"]
    assert referral.needs == ["step_free", "hearing"] and referral.wants_buddy
    # The exact statement the person agreed to, in the referrer's language (Dutch).
    from events import i18n

    with i18n.use_locale("nl"):
        assert referral.consent_text == consent_statement(org.name)
        assert feedback_statement(org.name) not in referral.consent_text
    assert not referral.feedback_consent
    mine = await client.get("/referrals")
    assert mine.status_code == 200 and "Gerrit" in mine.text


async def test_the_referral_form_is_only_for_referrers(client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    venue = await factories.venue(org)
    await factories.organiser(org, email="org@example.org")
    await factories.host(org, [venue], email="host@example.org")
    for email in ("org@example.org", "host@example.org"):
        await sign_in(client, email)
        assert (await client.get("/referrals/new")).status_code == 404
        assert (await client.get("/referrals")).status_code == 404
    other = await factories.organisation()
    await create_user("ref@example.org", factories.PASSWORD, role=Role.REFERRER, organisation=other)
    await sign_in(client, "ref@example.org")
    assert (await client.get("/organise/referrers")).status_code == 404
    response = await post_form(
        client, "/organise/referrers", {"name": "X", "email": "x@example.org"}
    )
    assert response.status_code == 404
    assert not await StaffUser.filter(email="x@example.org").exists()
