"""How far a referred person got: referred, invited, signed up, came, came again.

The stage is derived, never typed in: invited once an invitation went out (mail, letter or
an assisted sign-up); signed up while a registration that came from the referral holds a
place or a waiting place; came when one of those registrations was checked in at the door
(a check-in that was undone does not count); came again when the same person was checked
in at a second activity of the organisation (recognised by their registrations, or by the
person record of their email address). The derived stage is stored in ``referral.stage``
with the end of the last activity it led to, the person's later sign-ups included
(``last_activity_at``, where the retention period starts), so the figures survive erasure.

A referrer sees the stage only when the person agreed to that feedback
(:func:`stage_for_referrer`); otherwise never more than "invited".

Imports models and ``services.places``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from events.models import CheckIn, Event, Referral, ReferralStage, Registration
from events.services.places import ACTIVE

ORDER = (
    ReferralStage.REFERRED,
    ReferralStage.INVITED,
    ReferralStage.SIGNED_UP,
    ReferralStage.CAME,
    ReferralStage.CAME_AGAIN,
)


def rank(stage: ReferralStage | str) -> int:
    return ORDER.index(ReferralStage(stage))


def stage_for_referrer(referral: Referral) -> ReferralStage:
    """What the referrer may see: the stage with the person's consent, else at most
    "invited"."""
    stage = ReferralStage(referral.stage)
    if referral.feedback_consent or rank(stage) <= rank(ReferralStage.INVITED):
        return stage
    return ReferralStage.INVITED


def registration_ids(referral: Referral) -> list[int]:
    """The registrations that came from this referral: the first and any later ones."""
    later = int_list(referral.details.get("registrations"))
    first = [referral.registration_id] if referral.registration_id else []
    return list(dict.fromkeys([*first, *later]))


def int_list(value: object) -> list[int]:
    """The whole numbers of a JSON list (ids kept in ``details``)."""
    return [int(v) for v in value if isinstance(v, int)] if isinstance(value, list) else []


def link_registration(referral: Referral, registration_id: int) -> None:
    """Remember a registration made from this referral (the first becomes the main one)."""
    if referral.registration_id is None:
        referral.registration_id = registration_id
    elif registration_id != referral.registration_id:
        later = int_list(referral.details.get("registrations"))
        if registration_id not in later:
            referral.details = {**referral.details, "registrations": [*later, registration_id]}


async def refresh_stages(referrals: Sequence[Referral]) -> None:
    """Derive and store the stage and last activity of these referrals (a few queries for
    all of them together); rows whose values did not change are not written."""
    fields = ("id", "status", "person_id", "event_id", "event__organisation_id")
    times = ("event__starts_at", "event__ends_at")
    linked = {r.id: registration_ids(r) for r in referrals}
    own_ids = {rid for ids in linked.values() for rid in ids}
    own = await Registration.filter(id__in=sorted(own_ids)).values(*fields, *times)
    by_id = {int(row["id"]): row for row in own}
    persons = {int(row["person_id"]) for row in own if row["person_id"] is not None}
    others = await Registration.filter(person_id__in=sorted(persons)).values(*fields, *times)
    every = own_ids | {int(row["id"]) for row in others}
    came = set(
        await CheckIn.filter(registration_id__in=sorted(every), undone_at__isnull=True)
        .values_list("registration_id", flat=True)
    )  # fmt: skip
    invited_ends = await _ends(r.invited_event_id for r in referrals)
    for referral in referrals:
        mine = [by_id[i] for i in linked[referral.id] if i in by_id]
        person_ids = {row["person_id"] for row in mine if row["person_id"] is not None}
        later = [
            row
            for row in others
            if row["person_id"] in person_ids
            and row["id"] not in linked[referral.id]
            and row["event__organisation_id"] == referral.organisation_id
            and row["event__starts_at"] >= referral.created_at
            and (row["id"] in came or row["status"] in ACTIVE)
        ]
        events_came = {row["event_id"] for row in [*mine, *later] if row["id"] in came}
        signed = any(row["status"] in ACTIVE for row in mine)
        stage = _stage(referral, signed=signed, events_came=len(events_came))
        ends = [row["event__ends_at"] for row in [*mine, *later]]
        if referral.invited_event_id in invited_ends:
            ends.append(invited_ends[referral.invited_event_id])
        last = max(ends, default=referral.last_activity_at)
        if (stage, last) != (referral.stage, referral.last_activity_at):
            referral.stage, referral.last_activity_at = stage, last
            await Referral.filter(id=referral.id).update(stage=stage, last_activity_at=last)


def _stage(referral: Referral, *, signed: bool, events_came: int) -> ReferralStage:
    if events_came >= 2:
        return ReferralStage.CAME_AGAIN
    if events_came == 1:
        return ReferralStage.CAME
    if signed:
        return ReferralStage.SIGNED_UP
    if referral.invited_at is not None:
        return ReferralStage.INVITED
    return ReferralStage.REFERRED


async def _ends(event_ids: Iterable[int | None]) -> dict[int, datetime]:
    wanted = sorted({int(i) for i in event_ids if i is not None})
    rows = await Event.filter(id__in=wanted).values_list("id", "ends_at")
    return {int(i): end for i, end in rows}
