"""Erasing a referral: at once on request (by an organiser, or by the referrer who made it),
and by the retention purge a set number of days after the last activity it led to.

Erasure removes the referral's personal data everywhere it went: the referral keeps only
its organisation, stage and dates (so the report's counts survive); the registrations that
came from it lose their personal fields as in ``services.privacy`` (and so do companions
they brought); the mails that named the person are deleted, and with them the buddy
pairings (the buddy keeps their own place); a person record left without registrations
goes. The log of who viewed the referral stays: it holds no personal data of the person.

On SQLite the name is gone from the files too: the client zeroes freed space
(``secure_delete``, set in ``events.db``) and erasure ends by checkpointing the write-ahead
log (``privacy.forget_old_pages``).

Imports models, errors, ``services.privacy`` (its erased fields and the checkpoint), the
staff ``Actor`` and the referral modules ``access`` and ``stages``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from events.models import (
    BuddyPairing,
    OutboxMessage,
    Person,
    Referral,
    Registration,
)
from events.services.errors import NotFound
from events.services.privacy import ERASED_FIELDS, forget_old_pages
from events.services.referrals.access import log_views, visible_referrals
from events.services.referrals.stages import int_list, refresh_stages, registration_ids
from events.services.staff import Actor

ERASED_REFERRAL: dict[str, object] = {
    "first_name": "",
    "email": None,
    "phone": None,
    "towns": [],
    "kinds": [],
    "needs": [],
    "wants_buddy": False,
    "consent_text": "",
    "invitation_token": None,
    "registration_id": None,
}


async def erase_referral(actor: Actor, referral_id: int, *, now: datetime) -> None:
    """Erase one referral now: an organiser's, or the referrer's own (NotFound else)."""
    referral = await visible_referrals(actor).get_or_none(id=referral_id)
    if referral is None:
        raise NotFound()
    await log_views(actor, [referral.id], "erase")
    await _erase([referral.id], now=now)


async def purge_referrals(*, now: datetime, retention_days: int) -> int:
    """Erase the referrals whose last activity ended more than ``retention_days`` ago (or,
    never having led to one, that were made that long ago). Returns how many. For the
    ``purge`` command, beside ``privacy.purge_expired``."""
    cutoff = now - timedelta(days=retention_days)
    live = await Referral.exclude(first_name="")
    await refresh_stages(live)  # sign-ups and cancellations move the last activity
    expired = [r.id for r in live if (r.last_activity_at or r.created_at) < cutoff]
    await _erase(expired, now=now)
    return len(expired)


async def _erase(referral_ids: list[int], *, now: datetime) -> None:
    if not referral_ids:
        return
    async with in_transaction():
        referrals = await Referral.filter(id__in=referral_ids).select_for_update()
        await refresh_stages(referrals)  # the stage as it stands is what the figures keep
        for referral in referrals:
            await _erase_one(referral, now=now)
    await forget_old_pages()


async def _erase_one(referral: Referral, *, now: datetime) -> None:
    own = registration_ids(referral)
    companions = await Registration.filter(lead_id__in=own).values_list("id", flat=True)
    every = sorted({*own, *(int(c) for c in companions)})  # type: ignore[call-overload]
    persons = await Registration.filter(id__in=every, person_id__isnull=False).values_list(
        "person_id", flat=True
    )
    await Registration.filter(id__in=every).update(person_id=None, **ERASED_FIELDS)
    mails = Q(registration_id__in=every) | Q(id__in=int_list(referral.details.get("mails")))
    if referral.email:
        mails |= Q(to_email=referral.email)
    await OutboxMessage.filter(mails).delete()
    await BuddyPairing.filter(referral_id=referral.id).delete()
    await _forget_people({int(p) for p in persons})  # type: ignore[call-overload]
    await Referral.filter(id=referral.id).update(
        **ERASED_REFERRAL, details={"erased_at": now.isoformat()}
    )


async def _forget_people(person_ids: set[int]) -> None:
    """Delete person records with no registration left (and mail still to their address)."""
    for person in await Person.filter(id__in=sorted(person_ids)):
        if not await Registration.filter(person_id=person.id).exists():
            if person.email:
                await OutboxMessage.filter(to_email=person.email).delete()
            await person.delete()
