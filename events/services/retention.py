"""Retention in one place: everything personal that has outlived its purpose goes in one
call, for ``python -m events purge`` (sign-ups and their mail, volunteers' pick-up
addresses, ideas' proposers and supporters, referrals). Counts survive everywhere.

Imports the privacy, volunteers, ideas and referrals services.
"""

from __future__ import annotations

from datetime import datetime

from events.services import ideas, privacy, referrals, volunteers


async def purge_all(*, now: datetime, retention_days: int) -> dict[str, int]:
    """Erase personal data older than ``retention_days`` after its activity; how many of
    each kind were erased."""
    counts = dict(await privacy.purge_expired(now=now, retention_days=retention_days))
    counts["addresses"] = await volunteers.forget_addresses(now=now, retention_days=retention_days)
    for kind, number in (await ideas.purge_ideas(now=now, retention_days=retention_days)).items():
        counts[f"ideas_{kind}"] = number
    counts["referrals"] = await referrals.purge_referrals(now=now, retention_days=retention_days)
    return counts
