"""The door's name search tells namesakes apart and puts exact names first; the offline
list carries a version, and a device that has the current one is not sent it again."""

from __future__ import annotations

from datetime import UTC, datetime

from events.models import Event, Registration
from events.services import door
from events.services import registrations as reg
from events.services.staff import Actor, load_actor
from events.settings import Settings
from tests import factories


async def _setup(db: Settings) -> tuple[Event, Actor]:
    org = await factories.organisation()
    venue = await factories.venue(org)
    event = await factories.event(venue, places_young=10, places_older=10)
    actor = await load_actor((await factories.host(org, [venue])).id)
    assert actor is not None
    return event, actor


async def _sign_up(
    event: Event, db: Settings, name: str, age: int, *companions: tuple[str, int]
) -> Registration:
    request = reg.SignupRequest(
        first_name=name,
        email=f"{name.lower()}.{age}@example.org",
        birth_year=event.starts_at.year - age,
        companions=tuple(reg.Companion(n, event.starts_at.year - a) for n, a in companions),
    )
    lead = (await reg.sign_up(event.id, request, settings=db)).lead
    assert lead is not None
    return lead


async def test_three_namesakes_are_told_apart_and_exact_names_come_first(db: Settings) -> None:
    event, host = await _setup(db)
    await _sign_up(event, db, "Noortje", 20)
    alone = await _sign_up(event, db, "Noor", 19)
    with_gran = await _sign_up(event, db, "Noor", 17, ("Riet", 81))
    older = await _sign_up(event, db, "Noor", 70)
    hits = await door.search_attendees(host, event.id, "noor")
    assert [a.first_name for a in hits] == ["Noor", "Noor", "Noor", "Noortje"]
    by_id = {a.registration_id: a for a in hits}
    assert by_id[with_gran.id].came_with == ("Riet",)
    assert by_id[alone.id].came_with == () and by_id[older.id].group == "older"
    tails = {by_id[r.id].code_tail for r in (alone, with_gran, older)}
    assert tails == {alone.code[-4:], with_gran.code[-4:], older.code[-4:]}
    riet = (await door.search_attendees(host, event.id, "riet"))[0]
    assert riet.came_with == ("Noor",) and riet.party_lead == "Noor"
    described = [
        (a.group, a.came_with, a.code_tail) for a in hits if a.first_name == "Noor"
    ]  # what the door shows beside each name differs for all three
    assert len(set(described)) == 3


async def test_the_offline_list_is_sent_again_only_when_it_changed(db: Settings) -> None:
    event, host = await _setup(db)
    ana = await _sign_up(event, db, "Ana", 20)
    first = await door.attendee_list(host, event.id)
    assert first is not None and first.attendees[0]["code_tail"] == ana.code[-4:]
    assert await door.attendee_list(host, event.id, known=first.version) is None
    now = datetime.now(UTC)
    scan = door.check_scan(nonce="n1", device_id="d", scanned_at=now, now=now, code=ana.code)
    await door.check_in(host, event.id, scan)
    after = await door.attendee_list(host, event.id, known=first.version)
    assert after is not None and after.version != first.version
    assert after.attendees[0]["checked_in"] is True
    await _sign_up(event, db, "Bo", 22)
    assert await door.attendee_list(host, event.id, known=after.version) is not None
