"""Tables of social referrals (welzijn op recept): a GP practice, social team or mentor
refers someone to activities, the organiser invites them, a buddy may come along the first
time, and every view of a referral by staff is logged.

Model docstrings become table comments in the migrations: keep them free of semicolons.
Imports only Tortoise and ``events.models.core``.
"""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from events.models.core import Event, Group, Organisation, Registration, StaffUser


class ReferralStage(StrEnum):
    REFERRED = "referred"
    INVITED = "invited"
    SIGNED_UP = "signed_up"
    CAME = "came"
    CAME_AGAIN = "came_again"


class ContactRoute(StrEnum):
    EMAIL = "email"
    PHONE = "phone"
    VIA_REFERRER = "via_referrer"


class BuddyOutcome(StrEnum):
    YES = "yes"
    NOT_YET = "not_yet"
    NO = "no"


class Referral(Model):
    """One person referred by a referrer: how to reach them, what might suit, whether a
    buddy should come along, and the statement they agreed to. No medical data."""

    id = fields.IntField(primary_key=True)
    organisation: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "models.Organisation", related_name="referrals", on_delete=fields.CASCADE
    )
    organisation_id: int
    referrer: fields.ForeignKeyNullableRelation[StaffUser] = fields.ForeignKeyField(
        "models.StaffUser", related_name="referrals", null=True, on_delete=fields.SET_NULL
    )
    referrer_id: int | None
    first_name = fields.CharField(max_length=60)
    contact_route = fields.CharEnumField(ContactRoute, max_length=14)
    email = fields.CharField(max_length=254, null=True)
    phone = fields.CharField(max_length=30, null=True)
    group = fields.CharEnumField(Group, max_length=6)
    towns: fields.JSONField[list[str]] = fields.JSONField(default=list)
    kinds: fields.JSONField[list[str]] = fields.JSONField(default=list)
    needs: fields.JSONField[list[str]] = fields.JSONField(default=list)
    wants_buddy = fields.BooleanField(default=False)
    consent_text = fields.TextField()
    consented_at = fields.DatetimeField()
    feedback_consent = fields.BooleanField(default=False)
    stage = fields.CharEnumField(ReferralStage, max_length=12, default=ReferralStage.REFERRED)
    invitation_token = fields.CharField(max_length=64, null=True, unique=True)
    invited_event: fields.ForeignKeyNullableRelation[Event] = fields.ForeignKeyField(
        "models.Event", related_name="invitations", null=True, on_delete=fields.SET_NULL
    )
    invited_event_id: int | None
    invited_at = fields.DatetimeField(null=True)
    registration: fields.ForeignKeyNullableRelation[Registration] = fields.ForeignKeyField(
        "models.Registration", related_name="referrals", null=True, on_delete=fields.SET_NULL
    )
    registration_id: int | None
    last_activity_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    details: fields.JSONField[dict[str, object]] = fields.JSONField(default=dict)

    class Meta:
        table = "referral"
        ordering = ["-created_at", "-id"]


class BuddyPairing(Model):
    """A buddy who comes along to a referred person's first activity: they learn each
    other's first name and a meeting point, and the buddy says afterwards how it went."""

    id = fields.IntField(primary_key=True)
    referral: fields.ForeignKeyRelation[Referral] = fields.ForeignKeyField(
        "models.Referral", related_name="buddies", on_delete=fields.CASCADE
    )
    referral_id: int
    event: fields.ForeignKeyRelation[Event] = fields.ForeignKeyField(
        "models.Event", related_name="buddy_pairings", on_delete=fields.CASCADE
    )
    event_id: int
    buddy_name = fields.CharField(max_length=60)
    buddy_email = fields.CharField(max_length=254, null=True)
    buddy_registration: fields.ForeignKeyNullableRelation[Registration] = fields.ForeignKeyField(
        "models.Registration", related_name="buddy_of", null=True, on_delete=fields.SET_NULL
    )
    buddy_registration_id: int | None
    meeting_point = fields.CharField(max_length=200, default="")
    report_token = fields.CharField(max_length=64, unique=True)
    outcome = fields.CharEnumField(BuddyOutcome, max_length=8, null=True)
    reported_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "buddy_pairing"


class ReferralView(Model):
    """Who of the staff looked at a referral, and when: shown to the organisation's admins."""

    id = fields.IntField(primary_key=True)
    referral: fields.ForeignKeyRelation[Referral] = fields.ForeignKeyField(
        "models.Referral", related_name="views", on_delete=fields.CASCADE
    )
    referral_id: int
    staff_user: fields.ForeignKeyNullableRelation[StaffUser] = fields.ForeignKeyField(
        "models.StaffUser", related_name="referral_views", null=True, on_delete=fields.SET_NULL
    )
    staff_user_id: int | None
    action = fields.CharField(max_length=20, default="view")
    viewed_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "referral_view"
        ordering = ["-viewed_at", "-id"]
