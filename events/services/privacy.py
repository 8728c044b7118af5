"""Personal data: export, erasure on request (AVG/GDPR articles 15 and 17) and the
retention purge.

Erasure keeps what the aggregated figures need: each registration keeps its event, group,
status, source, times, check-in and ticket code, and loses first name, email, birth year,
languages, interests, needs and everything about the guardian. A lead's companions are
erased with the lead (the lead gave their names). Rendered mails about them go too. The
:class:`~events.models.Person` row goes, and with it the private feed token, so the feed
URL stops working. Imports models and errors.

Erased also means gone from the database files: the SQLite client runs with
``PRAGMA secure_delete=ON`` (freed space is overwritten with zeros) and after an erasure
or a purge :func:`forget_old_pages` checkpoints the write-ahead log and truncates it, so
no old copy of a page with a name survives in ``-wal``. PostgreSQL keeps dead row versions
until ``VACUUM`` (see docs/deploy.md). Imports Tortoise's connections for that.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from tortoise import connections
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from events.models import Event, OutboxMessage, Person, Registration
from events.services.errors import NotFound

ERASED_FIELDS: dict[str, object] = {
    "first_name": "",
    "email": None,
    "birth_year": None,
    "languages": [],
    "interests": [],
    "needs": [],
    "guardian_email": None,
    "guardian_token": None,
    "guardian_consent_by": None,
    "phone": None,
    "pickup_address": None,
}


async def _erase_registrations(ids: list[int]) -> int:
    """Blank the personal fields of these registrations and of the companions they brought,
    and delete the mails rendered for them."""
    if not ids:
        return 0
    companions = await Registration.filter(lead_id__in=ids).values_list("id", flat=True)
    every = list({*ids, *(int(c) for c in companions)})  # type: ignore[call-overload]
    erased = await Registration.filter(id__in=every).update(person_id=None, **ERASED_FIELDS)
    await OutboxMessage.filter(registration_id__in=every).delete()
    return int(erased)


async def erase_person(person_id: int) -> int:
    """Erase one person; returns how many registrations were anonymised."""
    async with in_transaction():
        person = await Person.filter(id=person_id).select_for_update().first()
        if person is None:
            raise NotFound()
        ids = await Registration.filter(person_id=person_id).values_list("id", flat=True)
        erased = await _erase_registrations([int(i) for i in ids])  # type: ignore[call-overload]
        await OutboxMessage.filter(to_email=person.email).delete()
        await person.delete()
    await forget_old_pages()
    return erased


async def export_person(person_id: int) -> dict[str, object]:
    """Everything we hold about one person, as plain data (for a download)."""
    person = await Person.get_or_none(id=person_id)
    if person is None:
        raise NotFound()
    rows = (
        await Registration.filter(person_id=person_id)
        .order_by("id")
        .prefetch_related("event", "event__venue")
    )
    registrations = []
    for row in rows:
        companions = await Registration.filter(lead_id=row.id).order_by("id")
        registrations.append(
            {
                "activity": row.event.title,
                "starts_at": row.event.starts_at.isoformat(),
                "place": row.event.venue.name,
                "ticket_code": row.code,
                "first_name": row.first_name,
                "email": row.email,
                "birth_year": row.birth_year,
                "group": row.group.value,
                "status": row.status.value,
                "languages": row.languages,
                "interests": row.interests,
                "needs": row.needs,
                "guardian_email": row.guardian_email,
                "guardian_consent_at": row.guardian_consent_at.isoformat()
                if row.guardian_consent_at
                else None,
                "signed_up_at": row.created_at.isoformat(),
                "companions": [
                    {"first_name": c.first_name, "birth_year": c.birth_year, "group": c.group.value}
                    for c in companions
                ],
            }
        )
    return {
        "email": person.email,
        "language": person.locale,
        "created_at": person.created_at.isoformat(),
        "registrations": registrations,
    }


async def purge_expired(*, now: datetime, retention_days: int) -> dict[str, int]:
    """Erase personal data of activities that ended more than ``retention_days`` ago, mails
    older than that, and people with nothing left. Counts survive."""
    cutoff = now - timedelta(days=retention_days)
    async with in_transaction():
        old_events = await Event.filter(ends_at__lt=cutoff).values_list("id", flat=True)
        ids = await Registration.filter(
            Q(event_id__in=list(old_events)) & ~Q(first_name="", email=None)
        ).values_list("id", flat=True)
        erased = await _erase_registrations([int(i) for i in ids])  # type: ignore[call-overload]
        mails = await OutboxMessage.filter(created_at__lt=cutoff).delete()
        people = await Person.filter(registrations__id__isnull=True).values_list("id", flat=True)
        gone = await Person.filter(id__in=list(people), created_at__lt=cutoff).delete()
    await forget_old_pages()
    return {"registrations": erased, "mails": int(mails), "people": int(gone)}


async def forget_old_pages() -> None:
    """On SQLite, move the write-ahead log into the database file and truncate it: the log
    holds whole old pages, names included, until then. Nothing to do on PostgreSQL."""
    connection = connections.get("default")
    if connection.capabilities.dialect == "sqlite":
        await connection.execute_query("PRAGMA wal_checkpoint(TRUNCATE)")
