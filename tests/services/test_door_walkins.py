"""Walk-ins made offline arrive later with their nonce and the time they were added: the
same walk-in sent twice is one sign-up and one check-in, and a full group is the same rule
on arrival as online."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from events.models import CheckIn, Registration, ScanAttempt
from events.services import door
from events.services.errors import Conflict
from events.services.staff import load_actor
from events.settings import Settings
from tests import factories


async def test_an_offline_walk_in_synced_twice_is_one_sign_up(db: Settings) -> None:
    org = await factories.organisation()
    venue = await factories.venue(org)
    event = await factories.event(venue, places_older=1)
    host = await load_actor((await factories.host(org, [venue])).id)
    assert host is not None
    now = datetime.now(UTC)
    added = now - timedelta(minutes=20)
    scan = door.check_scan(nonce="walk-1", device_id="tablet", scanned_at=added, now=now)
    walk = door.WalkIn(first_name="Noor", group="older")
    first = await door.walk_in(host, event.id, walk, scan, settings=db, now=now)
    again = await door.walk_in(host, event.id, walk, scan, settings=db, now=now)
    assert (first.outcome, again.outcome, again.replayed) == ("ok", "ok", True)
    assert first.checked_in_at == added  # the time it was added on the device
    assert await Registration.filter(event_id=event.id).count() == 1
    assert await CheckIn.filter(event_id=event.id).count() == 1
    assert await ScanAttempt.filter(nonce="walk-1").count() == 1
    # The group is now full: a second walk-in waits, by the same rule as online.
    later = door.check_scan(nonce="walk-2", device_id="tablet", scanned_at=added, now=now)
    full = await door.walk_in(
        host, event.id, door.WalkIn(first_name="Piet", group="older"), later, settings=db
    )
    assert full.outcome == "waitlisted"
    iemand = door.WalkIn(first_name="Iemand", group="older", email="x@example.org")
    known = door.check_scan(nonce="walk-3", device_id="tablet", scanned_at=added, now=now)
    assert (await door.walk_in(host, event.id, iemand, known, settings=db)).outcome == "waitlisted"
    twice = door.check_scan(nonce="walk-4", device_id="t", scanned_at=now, now=now)
    with pytest.raises(Conflict) as refused:  # another walk-in with an address that has a place
        await door.walk_in(host, event.id, iemand, twice, settings=db)
    assert refused.value.code == "already_registered"


async def test_racing_scans_of_one_nonce_end_as_one_attempt(db: Settings) -> None:
    org = await factories.organisation()
    venue = await factories.venue(org)
    event = await factories.event(venue)
    host = await load_actor((await factories.host(org, [venue])).id)
    assert host is not None
    now = datetime.now(UTC)
    scan = door.check_scan(nonce="same", device_id="d", scanned_at=now, now=now, code="NOPE")
    results = await asyncio.gather(*(door.check_in(host, event.id, scan) for _ in range(3)))
    assert {r.outcome for r in results} == {"unknown_ticket"}
    assert sum(r.replayed for r in results) == 2
    assert await ScanAttempt.filter(nonce="same").count() == 1
