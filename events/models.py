"""Tortoise models and nothing else: the tables of Samen Offline.

Imports only Tortoise. Rules about these rows live in ``events.services``.
Times are stored timezone-aware in UTC.
"""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class VenueKind(StrEnum):
    CAFE = "cafe"
    THEATRE = "theatre"
    LIBRARY = "library"
    VILLAGE_HALL = "village_hall"
    COMMUNITY_CENTRE = "community_centre"
    OTHER = "other"


class PhoneStorage(StrEnum):
    POUCHES = "pouches"
    LOCKERS = "lockers"
    BASKET = "basket"
    NONE = "none"


class EventStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"


class Group(StrEnum):
    """Generation group: an event has places per group so tables can be mixed."""

    YOUNG = "young"
    OLDER = "older"
    OPEN = "open"


class Role(StrEnum):
    ORGANISER = "organiser"
    HOST = "host"
    ADMIN = "admin"


class Organisation(Model):
    id = fields.IntField(primary_key=True)
    slug = fields.CharField(max_length=80, unique=True)
    name = fields.CharField(max_length=200)
    description = fields.TextField(default="")
    website = fields.CharField(max_length=300, default="")
    email = fields.CharField(max_length=254, default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    venues: fields.ReverseRelation[Venue]
    events: fields.ReverseRelation[Event]

    class Meta:
        table = "organisation"
        ordering = ["name"]


class Venue(Model):
    id = fields.IntField(primary_key=True)
    organisation: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "models.Organisation", related_name="venues", on_delete=fields.RESTRICT
    )
    slug = fields.CharField(max_length=80, unique=True)
    name = fields.CharField(max_length=200)
    kind = fields.CharEnumField(VenueKind, max_length=20, default=VenueKind.OTHER)
    description = fields.TextField(default="")
    address = fields.CharField(max_length=200)
    postcode = fields.CharField(max_length=10)
    town = fields.CharField(max_length=100, db_index=True)
    step_free_entrance = fields.BooleanField(default=False)
    accessible_toilet = fields.BooleanField(default=False)
    hearing_loop = fields.BooleanField(default=False)
    quiet_room = fields.BooleanField(default=False)
    phone_storage = fields.CharEnumField(PhoneStorage, max_length=10, default=PhoneStorage.NONE)
    capacity = fields.IntField(default=30)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    events: fields.ReverseRelation[Event]

    class Meta:
        table = "venue"
        ordering = ["town", "name"]


class Event(Model):
    id = fields.IntField(primary_key=True)
    slug = fields.CharField(max_length=120, unique=True)
    title = fields.CharField(max_length=200)
    summary = fields.CharField(max_length=300, default="")
    description = fields.TextField(default="")
    venue: fields.ForeignKeyRelation[Venue] = fields.ForeignKeyField(
        "models.Venue", related_name="events", on_delete=fields.RESTRICT
    )
    organisation: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "models.Organisation", related_name="events", on_delete=fields.RESTRICT
    )
    starts_at = fields.DatetimeField(db_index=True)
    ends_at = fields.DatetimeField()
    status = fields.CharEnumField(EventStatus, max_length=10, default=EventStatus.DRAFT)
    places_young = fields.IntField(default=0)
    places_older = fields.IntField(default=0)
    places_open = fields.IntField(default=0)
    young_min_age = fields.IntField(default=12)
    young_max_age = fields.IntField(default=30)
    older_min_age = fields.IntField(default=65)
    phone_rules = fields.TextField(default="")
    has_tables = fields.BooleanField(default=False)
    table_size = fields.IntField(default=4)
    table_rounds = fields.IntField(default=1)
    sequence = fields.IntField(default=0)
    published_at = fields.DatetimeField(null=True)
    cancelled_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "event"
        ordering = ["starts_at", "id"]


class StaffUser(Model):
    id = fields.IntField(primary_key=True)
    email = fields.CharField(max_length=254, unique=True)
    name = fields.CharField(max_length=100, default="")
    password_hash = fields.CharField(max_length=200)
    role = fields.CharEnumField(Role, max_length=10)
    organisation: fields.ForeignKeyNullableRelation[Organisation] = fields.ForeignKeyField(
        "models.Organisation", related_name="staff", null=True, on_delete=fields.CASCADE
    )
    venues: fields.ManyToManyRelation[Venue] = fields.ManyToManyField(
        "models.Venue", related_name="hosts", through="staff_venue"
    )
    is_active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    last_login_at = fields.DatetimeField(null=True)

    class Meta:
        table = "staff_user"
