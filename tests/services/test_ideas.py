"""The ideas services without HTTP: who looks after which town, links that expire, merging,
telling supporters exactly once, the limits, and the figures for the report."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from events.models import (
    Event,
    EventStatus,
    Idea,
    IdeaStatus,
    IdeaSupport,
    OutboxMessage,
    Registration,
    Role,
    Venue,
)
from events.services import ideas, registrations
from events.services.errors import Conflict, FormError, NotFound
from events.services.ideas import throttle
from events.services.staff import Actor, create_user
from events.settings import Settings
from tests import factories

AMS = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
async def town(db: Settings) -> Venue:
    org = await factories.organisation()
    return await factories.venue(org, town="Zutphen")


def proposal(**changes: str) -> dict[str, str]:
    data = {
        "title": "Muziekquiz",
        "summary": "Een quiz met muziek van vroeger en nu. Jong tegen oud.",
        "town": "zutphen",
        "timing": "weekday_evenings",
        "audience": "mixed",
        "first_name": "Noor",
        "email": "noor@example.org",
    }
    data.update(changes)
    return data


async def confirmed_idea(db: Settings, **changes: str) -> Idea:
    await ideas.propose_idea(proposal(**changes), client="10.0.0.1", locale="nl", settings=db)
    idea = await Idea.all().order_by("-id").first()
    assert idea is not None
    return await ideas.confirm_idea(idea.confirm_token)


async def approved_idea(db: Settings, actor: Actor, **changes: str) -> Idea:
    idea = await confirmed_idea(db, **changes)
    return await ideas.approve_idea(actor, idea.id)


async def supporter(db: Settings, idea: Idea, email: str, bring: str = "nobody") -> IdeaSupport:
    await ideas.support_idea(
        idea.id, {"email": email, "bring": bring}, client=email, locale="nl", settings=db
    )
    row = await IdeaSupport.get(idea_id=idea.id, email=email)
    await ideas.confirm_support(row.confirm_token)
    return await IdeaSupport.get(id=row.id)


async def test_the_town_is_stored_as_the_venues_spell_it(db: Settings, town: Venue) -> None:
    idea = await confirmed_idea(db)
    assert idea.town == "Zutphen" and idea.status == IdeaStatus.PENDING


async def test_only_organisers_of_the_town_and_admins_moderate(db: Settings, town: Venue) -> None:
    idea = await confirmed_idea(db)
    elsewhere = await factories.organisation()
    await factories.venue(elsewhere, town="Deventer")
    stranger = await factories.organiser_actor(elsewhere)
    host = await factories.actor_of(await factories.host(await town.organisation, [town]))
    for actor in (stranger, host):
        with pytest.raises(NotFound):
            await ideas.approve_idea(actor, idea.id)
        assert await ideas.organiser_ideas(actor) == []
    admin = await factories.actor_of(
        await create_user("admin@example.org", factories.PASSWORD, role=Role.ADMIN)
    )
    approved = await ideas.approve_idea(admin, idea.id)
    assert approved.status == IdeaStatus.APPROVED and approved.moderated_by_id == admin.user_id


async def test_an_unconfirmed_idea_reaches_nobody_and_an_old_link_expires(
    db: Settings, town: Venue
) -> None:
    await ideas.propose_idea(proposal(), client="10.0.0.1", locale="nl", settings=db)
    idea = await Idea.get(title="Muziekquiz")
    organiser = await factories.organiser_actor(await town.organisation)
    assert await ideas.organiser_ideas(organiser) == []
    with pytest.raises(NotFound):
        await ideas.approve_idea(organiser, idea.id)
    later = datetime.now(UTC) + ideas.CONFIRM_WITHIN + timedelta(minutes=1)
    with pytest.raises(Conflict) as caught:
        await ideas.confirm_idea(idea.confirm_token, now=later)
    assert caught.value.code == "link_expired"


async def test_a_venue_must_lie_in_the_chosen_town(db: Settings, town: Venue) -> None:
    other = await factories.venue(await factories.organisation(), town="Lochem")
    with pytest.raises(FormError) as caught:
        await ideas.propose_idea(
            proposal(venue=str(other.id)), client="a", locale="nl", settings=db
        )
    assert caught.value.errors == {"venue": "venue_not_in_town"}
    with pytest.raises(FormError) as caught:
        await ideas.propose_idea(proposal(month="1999-01"), client="a", locale="nl", settings=db)
    assert caught.value.errors == {"month": "invalid_choice"}


async def test_merging_moves_support_once_per_address(db: Settings, town: Venue) -> None:
    actor = await factories.organiser_actor(await town.organisation)
    kept = await approved_idea(db, actor)
    duplicate = await approved_idea(db, actor, title="Muziekavond", email="b@example.org")
    await supporter(db, kept, "both@example.org")
    await supporter(db, duplicate, "both@example.org", bring="older")
    await supporter(db, duplicate, "only-dup@example.org", bring="younger")
    await ideas.support_idea(
        duplicate.id, {"email": "pending@example.org"}, client="x", locale="nl", settings=db
    )

    await ideas.merge_ideas(actor, duplicate.id, kept.id)

    rows = {s.email: s for s in await IdeaSupport.filter(idea_id=kept.id)}
    assert set(rows) == {"both@example.org", "only-dup@example.org", "pending@example.org"}
    assert rows["pending@example.org"].confirmed_at is None
    shown = await ideas.public_idea(kept.id)
    assert (shown.support.total, shown.support.older, shown.support.younger) == (2, 0, 1)
    assert await ideas.merged_into(duplicate.id) == kept.id
    with pytest.raises(Conflict):
        await ideas.merge_ideas(actor, duplicate.id, kept.id)
    with pytest.raises(Conflict):
        await ideas.merge_ideas(actor, kept.id, kept.id)


async def test_supporters_hear_exactly_once_however_often_it_runs(
    db: Settings, town: Venue
) -> None:
    actor = await factories.organiser_actor(await town.organisation)
    idea = await approved_idea(db, actor)
    for email in ("a@example.org", "b@example.org"):
        await supporter(db, idea, email)
    await ideas.support_idea(
        idea.id, {"email": "never@example.org"}, client="x", locale="nl", settings=db
    )
    day = (datetime.now(AMS) + timedelta(days=20)).date().isoformat()
    values = {"venue": str(town.id), "date": day, "start_time": "19:30", "end_time": "21:30"}
    event = await ideas.draft_from_idea(actor, idea.id, values, tz=AMS)
    assert await ideas.notify_supporters(event.id, settings=db) == 0  # still a draft
    await Event.filter(id=event.id).update(status=EventStatus.PUBLISHED)

    counts = [await ideas.notify_supporters(event.id, settings=db) for _ in range(3)]
    counts.append(await ideas.notify_published_ideas(settings=db))
    assert counts == [2, 0, 0, 0]
    # Someone who confirms later hears too, once.
    late = await IdeaSupport.get(email="never@example.org")
    await ideas.confirm_support(late.confirm_token)
    assert await ideas.notify_published_ideas(settings=db) == 1
    assert await ideas.notify_published_ideas(settings=db) == 0
    mails = await OutboxMessage.filter(kind="idea_published").values_list("to_email", flat=True)
    assert sorted(mails) == ["a@example.org", "b@example.org", "never@example.org"]
    await idea.refresh_from_db()
    assert idea.supporters_notified_at is not None


async def test_a_draft_is_made_once_and_again_after_a_cancelled_one(
    db: Settings, town: Venue
) -> None:
    actor = await factories.organiser_actor(await town.organisation)
    idea = await approved_idea(db, actor, audience="young")
    draft = await ideas.draft_form(actor, idea.id, today=date(2030, 1, 1))
    assert draft.values["date"] == "2030-01-17"  # two weeks ahead, then a Thursday
    assert draft.values["venue"] == town.id and draft.venues == [town]
    day = (datetime.now(AMS) + timedelta(days=20)).date().isoformat()
    values = {"venue": str(town.id), "date": day, "start_time": "19:30", "end_time": "21:30"}
    event = await ideas.draft_from_idea(actor, idea.id, values, tz=AMS)
    assert (event.places_young, event.places_older, event.title) == (16, 0, "Muziekquiz")
    with pytest.raises(Conflict):
        await ideas.draft_from_idea(actor, idea.id, values, tz=AMS)
    await Event.filter(id=event.id).update(status=EventStatus.CANCELLED)
    second = await ideas.draft_from_idea(actor, idea.id, values, tz=AMS)
    assert second.id != event.id
    await idea.refresh_from_db()
    assert idea.event_id == second.id


async def test_limits_per_address_and_per_email(db: Settings, town: Venue) -> None:
    for n in range(throttle.PROPOSALS_BY_EMAIL.limit):
        await ideas.propose_idea(
            proposal(title=f"Idee {n}"), client=f"c{n}", locale="nl", settings=db
        )
    with pytest.raises(ideas.Throttled) as caught:
        await ideas.propose_idea(proposal(), client="fresh", locale="nl", settings=db)
    assert caught.value.retry_after > 0 and caught.value.code == "idea_rate_limited"
    for n in range(throttle.PROPOSALS_BY_ADDRESS.limit):
        await ideas.propose_idea(
            proposal(email=f"p{n}@example.org"), client="one", locale="nl", settings=db
        )
    with pytest.raises(ideas.Throttled):
        await ideas.propose_idea(
            proposal(email="new@example.org"), client="one", locale="nl", settings=db
        )
    with pytest.raises(FormError):  # bad input is refused before it counts
        await ideas.propose_idea(proposal(email="bad"), client="other", locale="nl", settings=db)


async def test_the_figures_for_the_report(db: Settings, town: Venue) -> None:
    organisation = await town.organisation
    actor = await factories.organiser_actor(organisation)
    made = await approved_idea(db, actor)
    await approved_idea(db, actor, title="Tweede", email="t@example.org")
    await confirmed_idea(db, title="Wacht nog", email="w@example.org")
    await ideas.propose_idea(proposal(email="u@example.org"), client="z", locale="nl", settings=db)
    for email, bring in (
        ("a@example.org", "older"),
        ("b@example.org", "younger"),
        ("c@example.org", "nobody"),
    ):
        await supporter(db, made, email, bring)
    day = (datetime.now(AMS) + timedelta(days=20)).date()
    values = {
        "venue": str(town.id),
        "date": day.isoformat(),
        "start_time": "19:30",
        "end_time": "21:30",
    }
    event = await ideas.draft_from_idea(actor, made.id, values, tz=AMS)
    await Event.filter(id=event.id).update(status=EventStatus.PUBLISHED)
    today_year = datetime.now(AMS).year
    for email in ("a@example.org", "someone-else@example.org"):
        request = registrations.SignupRequest(
            first_name="X", email=email, birth_year=today_year - 20
        )
        await registrations.sign_up(event.id, request, settings=db)
    assert await Registration.all().count() == 2

    today = datetime.now(AMS).date()
    figures = await ideas.ideas_report(actor, today - timedelta(days=1), day)
    assert figures == ideas.IdeaFigures(
        proposed=3,
        approved=2,
        supported=1,
        supports=3,
        bring_older=1,
        bring_younger=1,
        activities=1,
        supporters_of_activities=3,
        supporters_signed_up=1,
    )
    earlier = await ideas.ideas_report(actor, today - timedelta(days=30), today - timedelta(days=2))
    assert earlier.proposed == 0 and earlier.activities == 0
    elsewhere = await factories.organiser_actor(await factories.organisation())
    assert (await ideas.ideas_report(elsewhere, today, day)).proposed == 0


async def test_retention_deletes_what_never_counted_and_erases_people_but_not_counts(
    db: Settings, town: Venue
) -> None:
    actor = await factories.organiser_actor(await town.organisation)
    idea = await approved_idea(db, actor)
    await supporter(db, idea, "a@example.org", bring="older")
    await ideas.support_idea(
        idea.id, {"email": "b@example.org"}, client="x", locale="nl", settings=db
    )
    await ideas.propose_idea(
        proposal(email="late@example.org"), client="y", locale="nl", settings=db
    )

    soon = datetime.now(UTC) + ideas.CONFIRM_WITHIN + timedelta(days=1)
    done = await ideas.purge_ideas(now=soon, retention_days=180)
    assert done == {
        "unconfirmed_ideas": 1,
        "unconfirmed_supports": 1,
        "proposers_erased": 0,
        "supporters_erased": 0,
    }
    later = datetime.now(UTC) + timedelta(days=181)
    done = await ideas.purge_ideas(now=later, retention_days=180)
    assert done["proposers_erased"] == 1 and done["supporters_erased"] == 1
    await idea.refresh_from_db()
    assert idea.proposer_email is None and idea.proposer_first_name == ""
    [row] = await IdeaSupport.filter(idea_id=idea.id)
    assert row.email.startswith("erased:") and row.notified_at is not None
    shown = await ideas.public_idea(idea.id)
    assert (shown.support.total, shown.support.older) == (1, 1)
    assert await ideas.purge_ideas(now=later, retention_days=180) == {
        "unconfirmed_ideas": 0,
        "unconfirmed_supports": 0,
        "proposers_erased": 0,
        "supporters_erased": 0,
    }
