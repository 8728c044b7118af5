"""How far a referred person got, derived from invitations, sign-ups and check-ins at the
door; and what the referrer sees of it: everything with the person's consent, nothing
after "invited" without it."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from events.models import (
    CheckIn,
    ContactRoute,
    Event,
    Group,
    Organisation,
    Person,
    Referral,
    ReferralStage,
    Registration,
    RegistrationStatus,
    Role,
    StaffUser,
)
from events.services import door, referrals
from events.services.staff import create_user
from events.settings import Settings
from events.tickets import new_code
from tests import factories


async def _referral(org: Organisation, referrer: StaffUser, *, feedback: bool) -> Referral:
    return await Referral.create(
        organisation=org,
        referrer=referrer,
        first_name="Gerrit" if feedback else "Truus",
        contact_route=ContactRoute.VIA_REFERRER,
        group=Group.OLDER,
        consent_text="Ja.",
        consented_at=datetime.now(UTC),
        feedback_consent=feedback,
    )


async def _place(event: Event, person: Person) -> Registration:
    return await Registration.create(
        event=event,
        person=person,
        code=new_code(),
        first_name="Gerrit",
        email=person.email,
        group=Group.OLDER,
        status=RegistrationStatus.CONFIRMED,
    )


async def _stages(referrer: StaffUser) -> dict[str, ReferralStage]:
    actor = await factories.actor_of(referrer)
    return {row.first_name: row.stage for row in await referrals.my_referrals(actor)}


async def test_stages_follow_the_door_and_the_referrer_sees_them_only_with_consent(
    db: Settings,
) -> None:
    org = await factories.organisation()
    venue = await factories.venue(org)
    first = await factories.event(venue)
    later = await factories.event(
        venue,
        starts_at=first.starts_at + timedelta(days=7),
        ends_at=first.ends_at + timedelta(days=7),
    )
    organiser = await factories.organiser_actor(org)
    referrer = await create_user(
        "linde@example.org", factories.PASSWORD, role=Role.REFERRER, organisation=org
    )
    agreed = await _referral(org, referrer, feedback=True)
    silent = await _referral(org, referrer, feedback=False)
    assert await _stages(referrer) == {"Gerrit": "referred", "Truus": "referred"}

    # Invited (a letter), then signed up: the invitation's sign-up links the registration.
    for referral in (agreed, silent):
        await referrals.invite(
            organiser, referral.id, first.id, way="letter", settings=db, now=datetime.now(UTC)
        )
    assert await _stages(referrer) == {"Gerrit": "invited", "Truus": "invited"}
    people = {}
    for referral, name in ((agreed, "gerrit"), (silent, "truus")):
        person = await Person.create(email=f"{name}@example.org", feed_token=secrets.token_hex(8))
        people[name] = person
        registration = await _place(first, person)
        referral.registration_id = registration.id
        await referral.save()
    assert await _stages(referrer) == {"Gerrit": "signed_up", "Truus": "invited"}

    # Came: checked in at the door through the door's own service.
    now = first.starts_at + timedelta(minutes=5)
    for referral in (agreed, silent):
        assert referral.registration_id is not None
        scan = door.check_scan(
            nonce=secrets.token_hex(8), device_id="tablet", scanned_at=now, now=now
        )
        result = await door.check_in(
            organiser, first.id, scan, registration_id=referral.registration_id, now=now
        )
        assert result.outcome == door.Outcome.OK
    assert await _stages(referrer) == {"Gerrit": "came", "Truus": "invited"}

    # Came again: the same person (by their person record) checked in at a later activity.
    for name in ("gerrit", "truus"):
        again = await _place(later, people[name])
        await CheckIn.create(
            event=later,
            registration=again,
            scanned_at=later.starts_at,
            device_id="d",
            nonce=secrets.token_hex(8),
        )
    assert await _stages(referrer) == {"Gerrit": "came_again", "Truus": "invited"}
    await silent.refresh_from_db()
    assert silent.stage == ReferralStage.CAME_AGAIN  # the organiser and the report know
    assert silent.last_activity_at == later.ends_at


async def test_an_undone_check_in_is_not_came_and_a_cancelled_place_not_signed_up(
    db: Settings,
) -> None:
    org = await factories.organisation()
    event = await factories.event(await factories.venue(org))
    referrer = await create_user(
        "ref@example.org", factories.PASSWORD, role=Role.REFERRER, organisation=org
    )
    referral = await _referral(org, referrer, feedback=True)
    person = await Person.create(email="g@example.org", feed_token=secrets.token_hex(8))
    registration = await _place(event, person)
    referral.registration_id = registration.id
    await referral.save()
    checkin = await CheckIn.create(
        event=event, registration=registration, scanned_at=event.starts_at, device_id="d", nonce="n"
    )
    assert await _stages(referrer) == {"Gerrit": "came"}
    checkin.undone_at = datetime.now(UTC)
    await checkin.save()
    assert await _stages(referrer) == {"Gerrit": "signed_up"}
    await Registration.filter(id=registration.id).update(status=RegistrationStatus.CANCELLED)
    assert await _stages(referrer) == {"Gerrit": "referred"}
