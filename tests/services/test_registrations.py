"""Sign-up rules: groups from birth years, capacity, waitlists, guardians, companions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from events.models import Event, Group, OutboxMessage, Registration
from events.models import RegistrationStatus as S
from events.services import registrations as reg
from events.services.errors import EventsError, FormError
from events.settings import Settings
from tests import factories

THIS_YEAR = datetime.now(UTC).year


@pytest.fixture
async def event(db: Settings) -> Event:
    org = await factories.organisation()
    venue = await factories.venue(org)
    return await factories.event(venue, places_young=2, places_older=2, places_open=0)


def request(name: str, year: int | None, **fields: object) -> reg.SignupRequest:
    email = fields.pop("email", f"{name.lower()}@example.org")
    return reg.SignupRequest(
        first_name=name,
        email=email,
        birth_year=year,  # type: ignore[arg-type]
        **fields,
    )  # type: ignore[arg-type]


async def statuses(event: Event) -> list[tuple[str, str, int | None]]:
    rows = await Registration.filter(event_id=event.id).order_by("id")
    return [(r.first_name, r.status.value, await reg.waitlist_position(r)) for r in rows]


async def test_group_follows_birth_year_and_bounds(event: Event) -> None:
    day = event.starts_at.date()
    assert reg.group_for(event, day.year - 20, day) == Group.YOUNG
    assert reg.group_for(event, day.year - 80, day) == Group.OLDER
    with pytest.raises(FormError) as middle:  # 45: open group, but it has no places
        reg.group_for(event, day.year - 45, day)
    assert middle.value.errors == {"birth_year": "no_places_for_age"}
    with pytest.raises(FormError) as child:
        reg.group_for(event, day.year - 8, day)
    assert child.value.errors == {"birth_year": "too_young"}
    event.places_open = 5
    assert reg.group_for(event, day.year - 45, day) == Group.OPEN


async def test_full_group_waitlists_in_order_and_cancellation_promotes_first(
    event: Event, db: Settings
) -> None:
    for name in ("Ana", "Bo", "Cas", "Dee", "Eli"):
        await reg.sign_up(event.id, request(name, THIS_YEAR - 20), settings=db)
    assert await statuses(event) == [
        ("Ana", "confirmed", None),
        ("Bo", "confirmed", None),
        ("Cas", "waitlisted", 1),
        ("Dee", "waitlisted", 2),
        ("Eli", "waitlisted", 3),
    ]
    bo = await Registration.get(first_name="Bo")
    await reg.cancel_registration(bo.id, settings=db)
    assert await statuses(event) == [
        ("Ana", "confirmed", None),
        ("Bo", "cancelled", None),
        ("Cas", "confirmed", None),
        ("Dee", "waitlisted", 1),
        ("Eli", "waitlisted", 2),
    ]
    await event.refresh_from_db()
    assert event.taken_young == 2
    promoted = await OutboxMessage.filter(kind="promoted").values_list("to_email", flat=True)
    assert promoted == ["cas@example.org"]
    # Cancelling twice changes nothing.
    await reg.cancel_registration(bo.id, settings=db)
    await event.refresh_from_db()
    assert event.taken_young == 2


async def test_groups_fill_independently(event: Event, db: Settings) -> None:
    for n in range(3):
        await reg.sign_up(event.id, request(f"Y{n}", THIS_YEAR - 20), settings=db)
    outcome = await reg.sign_up(event.id, request("Oma", THIS_YEAR - 78), settings=db)
    assert outcome.lead is not None and outcome.lead.status == S.CONFIRMED
    assert outcome.lead.group == Group.OLDER


async def test_same_email_twice_makes_no_second_place(event: Event, db: Settings) -> None:
    first = await reg.sign_up(event.id, request("Ana", THIS_YEAR - 20), settings=db)
    again = await reg.sign_up(
        event.id, request("Anna", THIS_YEAR - 21, email="ana@example.org"), settings=db
    )
    assert again.duplicate and again.lead is not None and first.lead is not None
    assert again.lead.id == first.lead.id
    assert await Registration.filter(event_id=event.id).count() == 1
    kinds = await OutboxMessage.all().order_by("id").values_list("kind", flat=True)
    assert kinds == ["confirmation", "existing_ticket"]
    # Trying again within the hour mails nothing more.
    await reg.sign_up(event.id, request("Ana", THIS_YEAR - 20), settings=db)
    assert await OutboxMessage.filter(kind="existing_ticket").count() == 1
    # After cancelling, the same address may sign up again.
    await reg.cancel_registration(first.lead.id, settings=db)
    third = await reg.sign_up(event.id, request("Ana", THIS_YEAR - 20), settings=db)
    assert not third.duplicate


async def test_under_16_needs_guardian_and_place_is_held(event: Event, db: Settings) -> None:
    young = event.starts_at.year - 14
    form = {"first_name": "Sam", "email": "sam@example.org", "birth_year": str(young)}
    with pytest.raises(FormError) as missing:
        reg.check_signup(form, event=event, today=datetime.now(UTC).date(), locale="nl")
    assert missing.value.errors == {"guardian_email": "required"}
    form["guardian_email"] = "sam@example.org"
    with pytest.raises(FormError) as same:
        reg.check_signup(form, event=event, today=datetime.now(UTC).date(), locale="nl")
    assert same.value.errors == {"guardian_email": "guardian_same_email"}
    form["guardian_email"] = "Mama@Example.org"
    checked = reg.check_signup(form, event=event, today=datetime.now(UTC).date(), locale="nl")
    assert checked.guardian_email == "mama@example.org"
    outcome = await reg.sign_up(event.id, checked, settings=db)
    sam = outcome.lead
    assert sam is not None and sam.status == S.AWAITING_GUARDIAN and sam.guardian_token
    assert sam.hold_expires_at is not None
    mails = await OutboxMessage.all().values_list("kind", "to_email")
    assert ("guardian_request", "mama@example.org") in mails
    await event.refresh_from_db()
    assert event.taken_young == 1  # the place is held
    consented = await reg.give_consent(sam.guardian_token, settings=db)
    assert consented.status == S.CONFIRMED
    assert consented.guardian_consent_by == "mama@example.org"
    assert consented.guardian_consent_at is not None
    withdrawn = await reg.withdraw_consent(sam.guardian_token, settings=db)
    assert withdrawn.status == S.CANCELLED and withdrawn.guardian_withdrawn_at is not None


async def test_hold_expires_and_the_place_goes_to_the_waitlist(event: Event, db: Settings) -> None:
    now = datetime.now(UTC)
    kid = request("Kid", event.starts_at.year - 13, guardian_email="dad@example.org")
    await reg.sign_up(event.id, kid, settings=db, now=now)
    await reg.sign_up(event.id, request("Ana", THIS_YEAR - 20), settings=db, now=now)
    await reg.sign_up(event.id, request("Bo", THIS_YEAR - 20), settings=db, now=now)
    assert await reg.release_expired_holds(settings=db, now=now + timedelta(hours=47)) == 0
    released = await reg.release_expired_holds(settings=db, now=now + timedelta(hours=49))
    assert released == 1
    assert await statuses(event) == [
        ("Kid", "cancelled", None),
        ("Ana", "confirmed", None),
        ("Bo", "confirmed", None),
    ]
    with pytest.raises(EventsError):
        kid_row = await Registration.get(first_name="Kid")
        assert kid_row.guardian_token
        await reg.give_consent(kid_row.guardian_token, settings=db)


async def test_companions_get_own_tickets_in_one_party(event: Event, db: Settings) -> None:
    event.places_open = 0
    grandma = request(
        "Riet",
        THIS_YEAR - 75,
        companions=(
            reg.Companion("Noor", event.starts_at.year - 15),
            reg.Companion("Jim", THIS_YEAR - 19),
        ),
    )
    outcome = await reg.sign_up(event.id, grandma, settings=db)
    riet, noor, jim = outcome.registrations
    assert (riet.group, noor.group, jim.group) == (Group.OLDER, Group.YOUNG, Group.YOUNG)
    assert noor.lead_id == riet.id and jim.lead_id == riet.id  # type: ignore[attr-defined]
    assert len({riet.code, noor.code, jim.code}) == 3
    assert noor.email is None and noor.status == S.CONFIRMED
    # Only the lead gets mail: the companions have no address.
    assert await OutboxMessage.all().values_list("to_email", flat=True) == ["riet@example.org"]


async def test_a_child_cannot_bring_another_child(event: Event) -> None:
    young = event.starts_at.year - 14
    form = {
        "first_name": "Sam",
        "email": "s@example.org",
        "birth_year": str(young),
        "guardian_email": "m@example.org",
        "companion_1_name": "Kim",
        "companion_1_birth_year": str(young),
    }
    with pytest.raises(FormError) as error:
        reg.check_signup(form, event=event, today=datetime.now(UTC).date(), locale="nl")
    assert error.value.errors == {"companion_1_birth_year": "companion_needs_adult"}


async def test_promote_by_hand_and_move_group(event: Event, db: Settings) -> None:
    for name in ("Ana", "Bo", "Cas"):
        await reg.sign_up(event.id, request(name, THIS_YEAR - 20), settings=db)
    cas = await Registration.get(first_name="Cas")
    staff = await factories.organiser_actor(await event.organisation)
    with pytest.raises(EventsError) as full:
        await reg.promote_by_hand(staff, cas.id, settings=db)
    assert full.value.code == "group_full"
    await reg.promote_by_hand(staff, cas.id, settings=db, over_capacity=True)
    await event.refresh_from_db()
    assert event.taken_young == 3
    ana = await Registration.get(first_name="Ana")
    moved = await reg.move_group(staff, ana.id, Group.OLDER, settings=db)
    assert moved.group == Group.OLDER and moved.status == S.CONFIRMED
    await event.refresh_from_db()
    assert (event.taken_young, event.taken_older) == (2, 1)


async def test_drafts_and_past_events_refuse_sign_ups(event: Event, db: Settings) -> None:
    event.status = "draft"  # type: ignore[assignment]
    await event.save()
    with pytest.raises(EventsError) as closed:
        await reg.sign_up(event.id, request("Ana", THIS_YEAR - 20), settings=db)
    assert closed.value.code == "event_not_open"
    assert await Registration.all().count() == 0
