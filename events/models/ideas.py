"""Tables of ideas young people (and anyone) propose for activities, the support they
gather, and reports of ideas that do not belong here.

Model docstrings become table comments in the migrations: keep them free of semicolons.
Imports only Tortoise and ``events.models.core``.
"""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from events.models.core import Event, StaffUser, Venue


class IdeaStatus(StrEnum):
    UNCONFIRMED = "unconfirmed"  # the proposer has not confirmed their email yet
    PENDING = "pending"  # waiting for an organiser of the town
    APPROVED = "approved"  # public
    REJECTED = "rejected"
    MERGED = "merged"  # a duplicate of another idea


class IdeaAudience(StrEnum):
    YOUNG = "young"
    MIXED = "mixed"  # young and older together


class IdeaTiming(StrEnum):
    WEEKDAY_EVENINGS = "weekday_evenings"
    WEEKENDS = "weekends"
    ANY = "any"


class BringAlong(StrEnum):
    NOBODY = "nobody"
    OLDER = "older"
    YOUNGER = "younger"


class Idea(Model):
    """A proposed activity: what, where, roughly when and for whom. Public only after an
    organiser of the town approves it. Nothing about the proposer is ever shown."""

    id = fields.IntField(primary_key=True)
    title = fields.CharField(max_length=120)
    summary = fields.CharField(max_length=400)
    town = fields.CharField(max_length=100, db_index=True)
    venue: fields.ForeignKeyNullableRelation[Venue] = fields.ForeignKeyField(
        "models.Venue", related_name="ideas", null=True, on_delete=fields.SET_NULL
    )
    venue_id: int | None
    month = fields.CharField(max_length=7, default="")  # "2027-03", or empty
    timing = fields.CharEnumField(IdeaTiming, max_length=16, default=IdeaTiming.ANY)
    audience = fields.CharEnumField(IdeaAudience, max_length=6, default=IdeaAudience.YOUNG)
    proposer_first_name = fields.CharField(max_length=60)
    proposer_email = fields.CharField(max_length=254, null=True)
    proposer_under_16 = fields.BooleanField(default=False)
    confirm_token = fields.CharField(max_length=64, unique=True)
    confirmed_at = fields.DatetimeField(null=True)
    status = fields.CharEnumField(IdeaStatus, max_length=12, default=IdeaStatus.UNCONFIRMED)
    moderated_by: fields.ForeignKeyNullableRelation[StaffUser] = fields.ForeignKeyField(
        "models.StaffUser", related_name="moderated_ideas", null=True, on_delete=fields.SET_NULL
    )
    moderated_by_id: int | None
    moderated_at = fields.DatetimeField(null=True)
    merged_into: fields.ForeignKeyNullableRelation[Idea] = fields.ForeignKeyField(
        "models.Idea", related_name="duplicates", null=True, on_delete=fields.SET_NULL
    )
    merged_into_id: int | None
    event: fields.ForeignKeyNullableRelation[Event] = fields.ForeignKeyField(
        "models.Event", related_name="ideas", null=True, on_delete=fields.SET_NULL
    )
    event_id: int | None
    supporters_notified_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "idea"
        ordering = ["-created_at", "-id"]


class IdeaSupport(Model):
    """One "I would come" for an idea, counted once its email is confirmed. Never shown."""

    id = fields.IntField(primary_key=True)
    idea: fields.ForeignKeyRelation[Idea] = fields.ForeignKeyField(
        "models.Idea", related_name="supports", on_delete=fields.CASCADE
    )
    idea_id: int
    email = fields.CharField(max_length=254)
    bring = fields.CharEnumField(BringAlong, max_length=8, default=BringAlong.NOBODY)
    confirm_token = fields.CharField(max_length=64, unique=True)
    confirmed_at = fields.DatetimeField(null=True)
    notified_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "idea_support"
        unique_together = (("idea", "email"),)


class IdeaReport(Model):
    """Someone reported an idea as not belonging here."""

    id = fields.IntField(primary_key=True)
    idea: fields.ForeignKeyRelation[Idea] = fields.ForeignKeyField(
        "models.Idea", related_name="reports", on_delete=fields.CASCADE
    )
    idea_id: int
    reason = fields.CharField(max_length=300, default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    handled_at = fields.DatetimeField(null=True)

    class Meta:
        table = "idea_report"
