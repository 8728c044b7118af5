"""Erasing a referral removes the person's name from the whole database, the files of SQLite
included, while the stage stays for the figures and the access log stays for the admins;
the retention purge erases referrals a set number of days after their last activity."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tortoise import connections

from events.models import (
    BuddyPairing,
    CheckIn,
    ContactRoute,
    Group,
    OutboxMessage,
    Person,
    Referral,
    ReferralStage,
    ReferralView,
    Registration,
    Role,
    Volunteer,
)
from events.services import referrals, tables
from events.services.staff import create_user
from events.settings import Settings
from tests import factories

NAME = "Wilhelmina"
EMAIL = "wilhelmina.devries@example.org"


async def _columns() -> list[tuple[str, str]]:
    """Every (table, column) that can hold text, on SQLite or PostgreSQL."""
    db = connections.get("default")
    if db.capabilities.dialect == "sqlite":
        _n, tables_ = await db.execute_query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
        found = []
        for row in tables_:
            _n, columns = await db.execute_query(f'PRAGMA table_info("{row["name"]}")')
            found += [(row["name"], c["name"]) for c in columns]
        return found
    _n, rows = await db.execute_query(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND data_type IN "
        "('text', 'character varying', 'json', 'jsonb', 'character')"
    )
    return [(r["table_name"], r["column_name"]) for r in rows]


async def _places_holding(text: str) -> list[str]:
    """``table.column`` of every value in the database that contains ``text``."""
    db = connections.get("default")
    like = "LIKE" if db.capabilities.dialect == "sqlite" else "ILIKE"
    cast = "" if db.capabilities.dialect == "sqlite" else "::text"
    mark = "?" if db.capabilities.dialect == "sqlite" else "$1"
    found = []
    for table, column in await _columns():
        _n, rows = await db.execute_query(
            f'SELECT COUNT(*) AS n FROM "{table}" WHERE "{column}"{cast} {like} {mark}',
            [f"%{text}%"],
        )
        if rows[0]["n"]:
            found.append(f"{table}.{column}")
    return found


def _sqlite_files(settings: Settings) -> list[Path]:
    if not settings.database_url.startswith("sqlite://"):
        return []
    path = Path(settings.database_url.removeprefix("sqlite://"))
    return [p for p in (path, Path(f"{path}-wal")) if p.exists()]


def _in_files(settings: Settings, text: str) -> list[str]:
    needles = (text.encode(), text.lower().encode())
    return [p.name for p in _sqlite_files(settings) if any(n in p.read_bytes() for n in needles)]


async def test_erasure_removes_the_name_everywhere_and_keeps_the_count(db: Settings) -> None:
    org = await factories.organisation()
    venue = await factories.venue(org)
    event = await factories.event(venue, has_tables=True, table_rounds=1)
    organiser = await factories.organiser_actor(org)
    referrer = await create_user(
        "linde@example.org", factories.PASSWORD, role=Role.REFERRER, organisation=org
    )
    referral = await Referral.create(
        organisation=org,
        referrer=referrer,
        first_name=NAME,
        contact_route=ContactRoute.EMAIL,
        email=EMAIL,
        group=Group.OLDER,
        needs=["quiet"],
        wants_buddy=True,
        consent_text=f"Ik, {NAME}, vind het goed.",
        consented_at=datetime.now(UTC),
        feedback_consent=True,
    )
    now = datetime.now(UTC)
    await referrals.invite(organiser, referral.id, event.id, way="mail", settings=db, now=now)
    await referral.refresh_from_db()
    assert referral.invitation_token is not None
    form = {"first_name": NAME, "email": EMAIL, "birth_year": "1947", "needs": ["quiet"]}
    outcome = await referrals.accept_invitation(
        referral.invitation_token, form, locale="nl", settings=db, now=now
    )
    assert outcome.lead is not None
    for n in range(3):
        await Registration.create(
            event=event,
            code=f"CODE{n}XYZ",
            first_name=f"Gast{n}",
            group=Group.YOUNG,
            status="confirmed",
        )
    volunteer = await Volunteer.create(
        organisation=org,
        first_name="Sanne",
        buddy=True,
        email="sanne@example.org",
        token=secrets.token_hex(8),
    )
    data = {"buddy": f"volunteer:{volunteer.id}", "meeting_point": "Bar", "group": "young"}
    await referrals.pair_buddy(organiser, referral.id, data, settings=db, now=now)
    await tables.plan_event_tables(organiser, event.id)
    await CheckIn.create(
        event=event,
        registration=outcome.lead,
        scanned_at=event.starts_at,
        device_id="d",
        nonce="n1",
    )
    await referrals.referral_detail(organiser, referral.id, now=now)
    assert await _places_holding(NAME)  # the search finds the name before erasure

    await referrals.erase_referral(organiser, referral.id, now=now)

    assert await _places_holding(NAME) == []
    assert await _places_holding(EMAIL) == []
    assert _in_files(db, NAME) == [] and _in_files(db, EMAIL) == []
    erased = await Referral.get(id=referral.id)
    assert erased.stage == ReferralStage.CAME and erased.first_name == ""
    assert erased.organisation_id == org.id  # counted in the report, without a name
    actions = await ReferralView.filter(referral_id=referral.id).values_list("action", flat=True)
    assert "erase" in actions and "view" in actions  # the access log stays
    assert not await BuddyPairing.exists()
    assert not await Person.filter(email=EMAIL).exists()
    sanne = await Registration.get(email="sanne@example.org")
    assert sanne.first_name == "Sanne"  # the buddy keeps their own place
    assert await CheckIn.filter(registration_id=outcome.lead.id).exists()  # counts survive
    assert not await OutboxMessage.filter(to_email=EMAIL).exists()
    organiser_list = await referrals.referral_list(organiser, now=now)
    assert organiser_list == []


async def test_the_purge_erases_a_set_number_of_days_after_the_last_activity(
    db: Settings,
) -> None:
    org = await factories.organisation()
    venue = await factories.venue(org)
    now = datetime.now(UTC)
    old = await factories.event(
        venue,
        starts_at=now - timedelta(days=100),
        ends_at=now - timedelta(days=100) + timedelta(hours=2),
    )
    recent = await factories.event(
        venue,
        starts_at=now - timedelta(days=10),
        ends_at=now - timedelta(days=10) + timedelta(hours=2),
    )
    made = {}
    for name, event in (("Oud", old), ("Recent", recent), ("Nooit", None)):
        made[name] = await Referral.create(
            organisation=org,
            first_name=name,
            contact_route=ContactRoute.PHONE,
            phone="06 12345678",
            group=Group.OLDER,
            consent_text="Ja.",
            consented_at=now,
            invited_event=event,
            invited_at=now - timedelta(days=120) if event else None,
        )
    await Referral.filter(id=made["Nooit"].id).update(created_at=now - timedelta(days=120))
    # Oud signed up again for a coming activity: the retention starts after that one.
    person = await Person.create(email="oud@example.org", feed_token=secrets.token_hex(8))
    first = await Registration.create(
        event=old,
        person=person,
        code="OUD1CODE",
        first_name="Oud",
        group=Group.OLDER,
        status="confirmed",
    )
    again = await factories.event(venue)
    await Registration.create(
        event=again,
        person=person,
        code="OUD2CODE",
        first_name="Oud",
        group=Group.OLDER,
        status="confirmed",
    )
    await Referral.filter(id=made["Oud"].id).update(registration_id=first.id)

    assert await referrals.purge_referrals(now=now, retention_days=60) == 1
    names = set(await Referral.exclude(first_name="").values_list("first_name", flat=True))
    assert names == {"Oud", "Recent"}
    await Registration.filter(event_id=again.id).delete()
    assert await referrals.purge_referrals(now=now, retention_days=60) == 1
    assert await referrals.purge_referrals(now=now, retention_days=5) == 1
    assert not await Referral.exclude(first_name="").exists()
    assert await Referral.all().count() == 3
