"""The report's figures about referrals: how many people were referred in a period, the
share that came and the share that came again. Counts only, never names; erased referrals
keep their stage, so the figures survive erasure.

Imports models, the staff ``Actor`` and the referral modules ``access`` and ``stages``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from events.models import Referral, ReferralStage
from events.services.referrals.access import ensure_organiser
from events.services.referrals.stages import refresh_stages
from events.services.staff import Actor


@dataclass(frozen=True)
class ReferralFigures:
    """People referred in a period; of them, how many came and how many came again."""

    referred: int = 0
    came: int = 0
    came_again: int = 0

    @property
    def share_came(self) -> float | None:
        return self.came / self.referred if self.referred else None

    @property
    def share_came_again(self) -> float | None:
        return self.came_again / self.referred if self.referred else None


async def referral_figures(actor: Actor, *, start: datetime, end: datetime) -> ReferralFigures:
    """Referrals of the organiser's organisation (admins: all) made from ``start`` until
    ``end``, counted by the stage they reached."""
    ensure_organiser(actor)
    query = Referral.filter(created_at__gte=start, created_at__lt=end)
    if not actor.is_admin:
        query = query.filter(organisation_id=actor.organisation_id)
    await refresh_stages(await query.exclude(first_name=""))
    stages = [ReferralStage(str(s)) for s in await query.values_list("stage", flat=True)]
    came_again = sum(1 for s in stages if s == ReferralStage.CAME_AGAIN)
    return ReferralFigures(
        referred=len(stages),
        came=came_again + sum(1 for s in stages if s == ReferralStage.CAME),
        came_again=came_again,
    )
