"""A buddy for a referred person's first activity: a volunteer gets a place of their own,
both get each other's first name and the meeting point by mail, the stored table plan
seats the two at one table in round 1, and afterwards the buddy answers yes, not yet or no."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

import pytest

from events.models import (
    BuddyPairing,
    ContactRoute,
    Event,
    Group,
    OutboxMessage,
    Referral,
    Registration,
    RegistrationStatus,
    Volunteer,
)
from events.services import referrals, tables
from events.services.errors import Conflict, FormError
from events.services.staff import Actor
from events.settings import Settings
from events.tickets import new_code
from tests import factories


async def _registration(event: Event, name: str, group: Group, **fields: object) -> Registration:
    return await Registration.create(
        event=event,
        code=new_code(),
        first_name=name,
        email=f"{name.lower()}@example.org",
        group=group,
        status=RegistrationStatus.CONFIRMED,
        **fields,
    )


async def _world(*, rounds: int = 2, people: int = 10) -> dict[str, object]:
    org = await factories.organisation()
    venue = await factories.venue(org, step_free_entrance=True)
    event = await factories.event(
        venue, has_tables=True, table_size=4, table_rounds=rounds, places_young=20
    )
    actor = await factories.organiser_actor(org)
    gerrit = await _registration(event, "Gerrit", Group.OLDER)
    for n in range(people):
        group = Group.YOUNG if n % 2 else Group.OLDER
        await _registration(event, f"Deelnemer{n}", group, interests=["games"] if n < 3 else [])
    referral = await Referral.create(
        organisation=org,
        first_name="Gerrit",
        contact_route=ContactRoute.VIA_REFERRER,
        group=Group.OLDER,
        wants_buddy=True,
        consent_text="Ja.",
        consented_at=datetime.now(UTC),
        registration=gerrit,
    )
    volunteer = await Volunteer.create(
        organisation=org,
        first_name="Sanne",
        email="sanne@example.org",
        buddy=True,
        token=secrets.token_urlsafe(16),
    )
    return {
        "event": event,
        "actor": actor,
        "gerrit": gerrit,
        "referral": referral,
        "volunteer": volunteer,
    }


async def test_a_volunteer_buddy_gets_a_place_mail_and_a_seat_beside_them_in_round_1(
    db: Settings,
) -> None:
    world = await _world()
    actor, referral, event = world["actor"], world["referral"], world["event"]
    assert isinstance(actor, Actor) and isinstance(referral, Referral)
    assert isinstance(event, Event)
    volunteer, gerrit = world["volunteer"], world["gerrit"]
    assert isinstance(volunteer, Volunteer) and isinstance(gerrit, Registration)
    now = datetime.now(UTC)
    options = await referrals.buddy_options(actor, referral.id, now=now)
    assert [v.first_name for v in options.volunteers] == ["Sanne"]
    pairing = await referrals.pair_buddy(
        actor,
        referral.id,
        {"buddy": f"volunteer:{volunteer.id}", "meeting_point": "Bij de bar", "group": "young"},
        settings=db,
        now=now,
    )
    sanne = await Registration.get(event_id=event.id, email="sanne@example.org")
    assert sanne.status == RegistrationStatus.CONFIRMED and sanne.group == Group.YOUNG
    assert pairing.buddy_registration_id == sanne.id and pairing.buddy_name == "Sanne"
    to_buddy = await OutboxMessage.get(kind="referral_buddy")
    assert to_buddy.to_email == "sanne@example.org"
    assert "Gerrit" in to_buddy.text_body and "Bij de bar" in to_buddy.text_body
    assert f"/buddy/{pairing.report_token}" in to_buddy.text_body
    # Gerrit came through the referrer without an address of his own: his registration has
    # one here, so he hears the buddy's first name too.
    to_person = await OutboxMessage.get(kind="referral_buddy_person")
    assert to_person.to_email == "gerrit@example.org" and "Sanne" in to_person.text_body

    for seed in range(1, 6):
        plan = await tables.plan_event_tables(actor, event.id, seed=seed, replace=True)
        first_round = plan.rounds[0]
        together = [t for t in first_round if gerrit.id in t and sanne.id in t]
        assert together, (seed, first_round)
        assert plan.scorecard["buddies_seated"]["value"] == 1  # type: ignore[index]


async def test_a_participant_buddy_must_have_agreed_and_the_quiet_need_is_kept(
    db: Settings,
) -> None:
    world = await _world(rounds=1)
    actor, referral, event = world["actor"], world["referral"], world["event"]
    gerrit = world["gerrit"]
    assert isinstance(actor, Actor) and isinstance(referral, Referral)
    assert isinstance(event, Event) and isinstance(gerrit, Registration)
    gerrit.needs = ["quiet"]
    await gerrit.save()
    anna = await _registration(event, "Anna", Group.YOUNG)
    data = {"buddy": f"participant:{anna.id}", "meeting_point": "Voordeur"}
    now = datetime.now(UTC)
    with pytest.raises(FormError) as refused:
        await referrals.pair_buddy(actor, referral.id, data, settings=db, now=now)
    assert refused.value.errors == {"agreed": "buddy_must_agree"}
    assert not await BuddyPairing.exists()
    await referrals.pair_buddy(actor, referral.id, {**data, "agreed": "1"}, settings=db, now=now)
    assert await Registration.filter(event_id=event.id).count() == 12  # no new place
    plan = await tables.plan_event_tables(actor, event.id)
    last = len(plan.rounds[0])
    table = next(n for n, t in enumerate(plan.rounds[0], 1) if gerrit.id in t)
    assert anna.id in plan.rounds[0][table - 1] and table == last  # the quiet table


async def test_no_place_for_a_volunteer_buddy_changes_nothing(db: Settings) -> None:
    world = await _world(people=0)
    actor, referral, event = world["actor"], world["referral"], world["event"]
    volunteer = world["volunteer"]
    assert isinstance(actor, Actor) and isinstance(referral, Referral)
    assert isinstance(event, Event) and isinstance(volunteer, Volunteer)
    await Event.filter(id=event.id).update(places_young=0)
    data = {"buddy": f"volunteer:{volunteer.id}", "meeting_point": "Bar", "group": "young"}
    with pytest.raises(Conflict) as full:
        await referrals.pair_buddy(actor, referral.id, data, settings=db, now=datetime.now(UTC))
    assert full.value.code == "buddy_no_place"
    assert not await Registration.filter(email="sanne@example.org").exists()
    assert not await BuddyPairing.exists()
    assert not await OutboxMessage.filter(kind__startswith="referral_buddy").exists()


async def test_the_buddy_answers_afterwards_and_only_with_the_three_choices(
    db: Settings,
) -> None:
    world = await _world(people=2)
    actor, referral, event = world["actor"], world["referral"], world["event"]
    volunteer = world["volunteer"]
    assert isinstance(actor, Actor) and isinstance(referral, Referral)
    assert isinstance(event, Event) and isinstance(volunteer, Volunteer)
    data = {"buddy": f"volunteer:{volunteer.id}", "meeting_point": "Bar", "group": "young"}
    pairing = await referrals.pair_buddy(
        actor, referral.id, data, settings=db, now=datetime.now(UTC)
    )
    token = pairing.report_token
    before = await referrals.buddy_report(token, now=datetime.now(UTC))
    assert not before.is_open and before.other_name == "Gerrit"
    with pytest.raises(Conflict):
        await referrals.report_buddy(token, "yes", now=datetime.now(UTC))
    after = event.starts_at + timedelta(hours=3)
    with pytest.raises(FormError):
        await referrals.report_buddy(token, "it was lovely, she has dementia", now=after)
    for answer in ("not_yet", "yes"):
        await referrals.report_buddy(token, answer, now=after)
    await pairing.refresh_from_db()
    assert pairing.outcome == "yes" and pairing.reported_at == after
    assert (await referrals.buddy_report(token, now=after)).is_open
