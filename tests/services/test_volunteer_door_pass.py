"""Door passes: one activity only, from an hour before the start until the end of that day,
until revoked; codes typed loosely still match; only the activity's organisers manage them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from events.models import Event
from events.services import volunteers
from events.services.errors import Conflict, FormError, NotFound
from events.settings import Settings
from tests import factories

TZ = ZoneInfo("Europe/Amsterdam")
START = datetime(2030, 3, 16, 18, 30, tzinfo=UTC)  # 19:30 in Amsterdam


@pytest.fixture
async def event(db: Settings) -> Event:
    org = await factories.organisation()
    return await factories.event(
        await factories.venue(org), starts_at=START, ends_at=START + timedelta(hours=2)
    )


async def test_a_pass_opens_one_activity_in_its_window(event: Event) -> None:
    actor = await factories.organiser_actor(await event.organisation)
    door_pass = await volunteers.create_door_pass(actor, event.id, {"holder_name": "Sem"})
    assert len(door_pass.code) == 6 and not set(door_pass.code) & set("01OIL")
    other = await factories.event(await event.venue, starts_at=START)
    typed = " " + door_pass.code[:3].lower() + " " + door_pass.code[3:].lower()

    with pytest.raises(Conflict) as early:
        await volunteers.redeem(code=typed, now=START - timedelta(hours=2), tz=TZ)
    assert early.value.code == "door_pass_not_yet"
    grant = await volunteers.redeem(code=typed, now=START - timedelta(minutes=59), tz=TZ)
    assert (grant.event_id, grant.pass_id, grant.holder_name) == (event.id, door_pass.id, "Sem")
    assert grant.closes == datetime(2030, 3, 16, 23, 0, tzinfo=UTC)  # midnight in Amsterdam
    late = datetime(2030, 3, 16, 22, 59, tzinfo=UTC)
    assert (await volunteers.redeem(token=door_pass.token, now=late, tz=TZ)).event_id == event.id
    with pytest.raises(Conflict) as expired:
        await volunteers.redeem(token=door_pass.token, now=late + timedelta(minutes=1), tz=TZ)
    assert expired.value.code == "door_pass_expired"
    with pytest.raises(NotFound):  # the same code at another activity
        await volunteers.redeem(code=door_pass.code, now=START, tz=TZ, event_id=other.id)
    with pytest.raises(NotFound):
        await volunteers.redeem(code="ZZZZZZ", now=START, tz=TZ)

    await volunteers.revoke_door_pass(actor, door_pass.id, now=START)
    with pytest.raises(Conflict) as revoked:
        await volunteers.redeem(code=door_pass.code, now=START, tz=TZ)
    assert revoked.value.code == "door_pass_revoked"


async def test_only_the_organisers_make_list_and_revoke(event: Event) -> None:
    actor = await factories.organiser_actor(await event.organisation)
    door_pass = await volunteers.create_door_pass(actor, event.id, {"holder_name": "Sem"})
    with pytest.raises(FormError):
        await volunteers.create_door_pass(actor, event.id, {"holder_name": ""})
    stranger = await factories.organiser_actor(await factories.organisation())
    host = await factories.actor_of(
        await factories.host(await event.organisation, [await event.venue])
    )
    for someone in (stranger, host):
        with pytest.raises(NotFound):
            await volunteers.create_door_pass(someone, event.id, {"holder_name": "X"})
        with pytest.raises(NotFound):
            await volunteers.door_passes(someone, event.id)
        with pytest.raises(NotFound):
            await volunteers.revoke_door_pass(someone, door_pass.id, now=START)
    _event, passes = await volunteers.door_passes(actor, event.id)
    assert [p.id for p in passes] == [door_pass.id] and passes[0].revoked_at is None
