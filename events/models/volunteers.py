"""Tables of people who help: volunteer tasks of an activity, who signed up for them, door
passes for volunteer door hosts, statements of hours, and venue accessibility checks.

Model docstrings become table comments in the migrations: keep them free of semicolons.
Imports only Tortoise and ``events.models.core``.
"""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from events.models.core import Event, Organisation, Registration, StaffUser, Venue


class TaskKind(StrEnum):
    DOOR_HOST = "door_host"
    TABLE_HOST = "table_host"
    SETUP = "setup"  # setting up and tidying
    COFFEE = "coffee"  # coffee and tea
    ACCOMPANY = "accompany"  # fetching or walking with an older participant


class ShiftStatus(StrEnum):
    SIGNED_UP = "signed_up"
    CANCELLED = "cancelled"


class VolunteerTask(Model):
    """A short task at one activity: when, what it involves, how many people are needed."""

    id = fields.IntField(primary_key=True)
    event: fields.ForeignKeyRelation[Event] = fields.ForeignKeyField(
        "models.Event", related_name="tasks", on_delete=fields.CASCADE
    )
    event_id: int
    kind = fields.CharEnumField(TaskKind, max_length=12)
    starts_at = fields.DatetimeField()
    ends_at = fields.DatetimeField()
    description = fields.CharField(max_length=400, default="")
    needed = fields.IntField(default=1)
    # For an accompaniment: the participant who asked to be fetched or walked with.
    registration: fields.ForeignKeyNullableRelation[Registration] = fields.ForeignKeyField(
        "models.Registration", related_name="accompaniments", null=True, on_delete=fields.CASCADE
    )
    registration_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "volunteer_task"
        ordering = ["starts_at", "id"]


class Volunteer(Model):
    """Someone who helps an organisation, without an account: known by email."""

    id = fields.IntField(primary_key=True)
    organisation: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "models.Organisation", related_name="volunteers", on_delete=fields.CASCADE
    )
    organisation_id: int
    first_name = fields.CharField(max_length=60)
    email = fields.CharField(max_length=254)
    phone = fields.CharField(max_length=30, null=True)
    ask_again = fields.BooleanField(default=False)
    # Young volunteers on a community placement (maatschappelijke stage) need a statement.
    school_placement = fields.BooleanField(default=False)
    buddy = fields.BooleanField(default=False)  # agreed to come along with someone referred
    token = fields.CharField(max_length=64, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    details: fields.JSONField[dict[str, object]] = fields.JSONField(default=dict)

    class Meta:
        table = "volunteer"
        unique_together = (("organisation", "email"),)


class VolunteerShift(Model):
    """One volunteer signed up for one task, with the link to cancel it."""

    id = fields.IntField(primary_key=True)
    task: fields.ForeignKeyRelation[VolunteerTask] = fields.ForeignKeyField(
        "models.VolunteerTask", related_name="shifts", on_delete=fields.CASCADE
    )
    task_id: int
    volunteer: fields.ForeignKeyRelation[Volunteer] = fields.ForeignKeyField(
        "models.Volunteer", related_name="shifts", on_delete=fields.CASCADE
    )
    volunteer_id: int
    status = fields.CharEnumField(ShiftStatus, max_length=10, default=ShiftStatus.SIGNED_UP)
    token = fields.CharField(max_length=64, unique=True)
    paired_at = fields.DatetimeField(null=True)  # an accompaniment the organiser confirmed
    reminded_at = fields.DatetimeField(null=True)
    cancelled_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "volunteer_shift"
        unique_together = (("task", "volunteer"),)


class DoorPass(Model):
    """A link or six-character code that opens the scanner of one activity for a volunteer
    door host, from an hour before the start until the end of that day, until revoked."""

    id = fields.IntField(primary_key=True)
    event: fields.ForeignKeyRelation[Event] = fields.ForeignKeyField(
        "models.Event", related_name="door_passes", on_delete=fields.CASCADE
    )
    event_id: int
    code = fields.CharField(max_length=8, unique=True)
    token = fields.CharField(max_length=64, unique=True)
    holder_name = fields.CharField(max_length=60, default="")
    created_by: fields.ForeignKeyNullableRelation[StaffUser] = fields.ForeignKeyField(
        "models.StaffUser", related_name="door_passes", null=True, on_delete=fields.SET_NULL
    )
    created_by_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)
    revoked_at = fields.DatetimeField(null=True)

    class Meta:
        table = "door_pass"


class HoursStatement(Model):
    """A statement of the hours a volunteer helped, for school, with a verification link."""

    id = fields.IntField(primary_key=True)
    volunteer: fields.ForeignKeyRelation[Volunteer] = fields.ForeignKeyField(
        "models.Volunteer", related_name="statements", on_delete=fields.CASCADE
    )
    volunteer_id: int
    token = fields.CharField(max_length=64, unique=True)
    minutes = fields.IntField()
    shifts: fields.JSONField[list[int]] = fields.JSONField(default=list)
    issued_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "hours_statement"


class VenueCheck(Model):
    """An accessibility check of a venue by someone with lived experience: the checklist's
    answers and notes, and when it was completed."""

    id = fields.IntField(primary_key=True)
    venue: fields.ForeignKeyRelation[Venue] = fields.ForeignKeyField(
        "models.Venue", related_name="checks", on_delete=fields.CASCADE
    )
    venue_id: int
    checker: fields.ForeignKeyNullableRelation[StaffUser] = fields.ForeignKeyField(
        "models.StaffUser", related_name="venue_checks", null=True, on_delete=fields.SET_NULL
    )
    checker_id: int | None
    answers: fields.JSONField[dict[str, object]] = fields.JSONField(default=dict)
    notes: fields.JSONField[dict[str, str]] = fields.JSONField(default=dict)
    photos: fields.JSONField[list[str]] = fields.JSONField(default=list)
    started_at = fields.DatetimeField(auto_now_add=True)
    completed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "venue_check"
        ordering = ["-completed_at", "-id"]
