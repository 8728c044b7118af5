"""The core tables of Samen Offline: organisations, venues, events, people, registrations,
mail, the door and the tables.

Model docstrings become table comments in the migrations: keep them free of semicolons.

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


class RegistrationStatus(StrEnum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    AWAITING_GUARDIAN = "awaiting_guardian"
    CANCELLED = "cancelled"


class RegistrationSource(StrEnum):
    ONLINE = "online"
    API = "api"
    ASSISTED = "assisted"
    WALK_IN = "walk_in"


class MailStatus(StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"


class Frequency(StrEnum):
    WEEKLY = "weekly"
    FORTNIGHTLY = "fortnightly"


class Role(StrEnum):
    ORGANISER = "organiser"
    HOST = "host"
    ADMIN = "admin"
    CHECKER = "checker"  # checks venues' accessibility, no other rights
    REFERRER = "referrer"  # refers people (welzijn op recept), no other rights


class Organisation(Model):
    id = fields.IntField(primary_key=True)
    slug = fields.CharField(max_length=80, unique=True)
    name = fields.CharField(max_length=200)
    description = fields.TextField(default="")
    website = fields.CharField(max_length=300, default="")
    # Interests this organisation adds to the standard short list (labels as typed).
    extra_interests: fields.JSONField[list[str]] = fields.JSONField(default=list)
    email = fields.CharField(max_length=254, default="")
    # Who participants can reach: shown on pages, tickets and paper, and mail's Reply-To.
    contact_name = fields.CharField(max_length=100, default="")
    contact_phone = fields.CharField(max_length=30, default="")
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
    organisation_id: int
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
    venue_id: int
    organisation: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "models.Organisation", related_name="events", on_delete=fields.RESTRICT
    )
    organisation_id: int
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
    # Pairs the organiser set for the tables, by registration id:
    # {"apart": [[a, b], ...], "together": [[a, b], ...]}.
    table_pairs: fields.JSONField[dict[str, list[list[int]]]] = fields.JSONField(default=dict)
    sequence = fields.IntField(default=0)
    series: fields.ForeignKeyNullableRelation[Series] = fields.ForeignKeyField(
        "models.Series", related_name="events", null=True, on_delete=fields.SET_NULL
    )
    series_id: int | None
    # Places taken per group and the waitlist counter: changed only by single atomic UPDATEs
    # whose WHERE clause holds the capacity rule (see services/registrations.py).
    taken_young = fields.IntField(default=0)
    taken_older = fields.IntField(default=0)
    taken_open = fields.IntField(default=0)
    waitlist_counter = fields.IntField(default=0)
    published_at = fields.DatetimeField(null=True)
    cancelled_at = fields.DatetimeField(null=True)
    cancel_reason = fields.TextField(default="")
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
    organisation_id: int | None
    venues: fields.ManyToManyRelation[Venue] = fields.ManyToManyField(
        "models.Venue", related_name="hosts", through="staff_venue"
    )
    is_active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    last_login_at = fields.DatetimeField(null=True)

    class Meta:
        table = "staff_user"


class Series(Model):
    """A weekly or fortnightly run of events. Each occurrence is an event of its own."""

    id = fields.IntField(primary_key=True)
    organisation: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "models.Organisation", related_name="series", on_delete=fields.CASCADE
    )
    organisation_id: int
    title = fields.CharField(max_length=200)
    frequency = fields.CharEnumField(Frequency, max_length=12)
    created_at = fields.DatetimeField(auto_now_add=True)

    events: fields.ReverseRelation[Event]

    class Meta:
        table = "series"


class Person(Model):
    """Someone who signed up, keyed by email when they gave one. Holds the private feed."""

    id = fields.IntField(primary_key=True)
    email = fields.CharField(max_length=254, null=True, unique=True)
    feed_token = fields.CharField(max_length=64, unique=True)
    locale = fields.CharField(max_length=5, default="nl")
    created_at = fields.DatetimeField(auto_now_add=True)

    registrations: fields.ReverseRelation[Registration]

    class Meta:
        table = "person"


class Registration(Model):
    """The place of one person at one event, with its ticket code."""

    id = fields.IntField(primary_key=True)
    event: fields.ForeignKeyRelation[Event] = fields.ForeignKeyField(
        "models.Event", related_name="registrations", on_delete=fields.CASCADE
    )
    event_id: int
    person: fields.ForeignKeyNullableRelation[Person] = fields.ForeignKeyField(
        "models.Person", related_name="registrations", null=True, on_delete=fields.SET_NULL
    )
    person_id: int | None
    # The sign-up that brought this companion; a lead's party is its own id.
    lead: fields.ForeignKeyNullableRelation[Registration] = fields.ForeignKeyField(
        "models.Registration", related_name="companions", null=True, on_delete=fields.SET_NULL
    )
    lead_id: int | None
    code = fields.CharField(max_length=32, unique=True)
    first_name = fields.CharField(max_length=60)
    email = fields.CharField(max_length=254, null=True, db_index=True)
    birth_year = fields.IntField(null=True)
    group = fields.CharEnumField(Group, max_length=6)
    status = fields.CharEnumField(RegistrationStatus, max_length=20, db_index=True)
    waitlist_number = fields.IntField(null=True)
    languages: fields.JSONField[list[str]] = fields.JSONField(default=list)
    interests: fields.JSONField[list[str]] = fields.JSONField(default=list)
    needs: fields.JSONField[list[str]] = fields.JSONField(default=list)
    locale = fields.CharField(max_length=5, default="nl")
    source = fields.CharEnumField(RegistrationSource, max_length=10, default="online")
    guardian_email = fields.CharField(max_length=254, null=True)
    guardian_token = fields.CharField(max_length=64, null=True, unique=True)
    guardian_consent_at = fields.DatetimeField(null=True)
    guardian_consent_by = fields.CharField(max_length=254, null=True)
    guardian_withdrawn_at = fields.DatetimeField(null=True)
    guardian_declined_at = fields.DatetimeField(null=True)
    guardian_requests = fields.IntField(default=1)
    hold_expires_at = fields.DatetimeField(null=True)
    # Assisted sign-up only: a phone number for people without email, erased with the rest.
    phone = fields.CharField(max_length=30, null=True)
    # Promoted from the waiting list without email: on the organiser's to-call list until
    # someone ticks it off.
    call_needed_at = fields.DatetimeField(null=True)
    called_at = fields.DatetimeField(null=True)
    over_capacity = fields.BooleanField(default=False)
    # Asked to be fetched or walked with; the address is shown to a volunteer only after
    # the organiser pairs them, and erased with the rest of the registration.
    accompany = fields.BooleanField(default=False)
    pickup_address = fields.CharField(max_length=300, null=True)
    reminder_sent_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    confirmed_at = fields.DatetimeField(null=True)
    cancelled_at = fields.DatetimeField(null=True)

    companions: fields.ReverseRelation[Registration]

    class Meta:
        table = "registration"
        ordering = ["id"]


class OutboxMessage(Model):
    """A mail written in the same transaction as the change that caused it, sent later by the
    worker with retries. ``claimed_until`` lets several workers share the table without
    sending a message twice."""

    id = fields.IntField(primary_key=True)
    kind = fields.CharField(max_length=30)
    to_email = fields.CharField(max_length=254)
    subject = fields.CharField(max_length=300)
    text_body = fields.TextField()
    html_body = fields.TextField(default="")
    attachments: fields.JSONField[list[dict[str, str]]] = fields.JSONField(default=list)
    locale = fields.CharField(max_length=5, default="nl")
    event: fields.ForeignKeyNullableRelation[Event] = fields.ForeignKeyField(
        "models.Event", related_name="mails", null=True, on_delete=fields.SET_NULL
    )
    event_id: int | None
    registration: fields.ForeignKeyNullableRelation[Registration] = fields.ForeignKeyField(
        "models.Registration", related_name="mails", null=True, on_delete=fields.SET_NULL
    )
    registration_id: int | None
    reply_to = fields.CharField(max_length=254, default="")
    status = fields.CharEnumField(MailStatus, max_length=8, default=MailStatus.QUEUED)
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField(db_index=True)
    claimed_until = fields.DatetimeField(null=True)
    last_error = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    sent_at = fields.DatetimeField(null=True)

    class Meta:
        table = "outbox_message"
        ordering = ["id"]


class CheckIn(Model):
    """A registration marked present at the door: one row per registration. The earliest
    scan wins when devices sync late. Undo (within 15 minutes) and check-out are stamps."""

    id = fields.IntField(primary_key=True)
    event: fields.ForeignKeyRelation[Event] = fields.ForeignKeyField(
        "models.Event", related_name="checkins", on_delete=fields.CASCADE
    )
    event_id: int
    registration: fields.OneToOneRelation[Registration] = fields.OneToOneField(
        "models.Registration", related_name="checkin", on_delete=fields.CASCADE
    )
    registration_id: int
    scanned_at = fields.DatetimeField()
    device_id = fields.CharField(max_length=64)
    nonce = fields.CharField(max_length=64)
    pouch = fields.CharField(max_length=20, default="")
    # Who checked them in: a staff member, or a volunteer door host with a door pass.
    staff_user_id = fields.IntField(null=True)
    door_pass_id = fields.IntField(null=True)
    undone_at = fields.DatetimeField(null=True)
    checked_out_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "checkin"


class ScanAttempt(Model):
    """Every check-in attempt from any device, failed ones included. The nonce makes a
    repeated request from the same scan do nothing new."""

    id = fields.IntField(primary_key=True)
    event: fields.ForeignKeyRelation[Event] = fields.ForeignKeyField(
        "models.Event", related_name="scan_attempts", on_delete=fields.CASCADE
    )
    event_id: int
    registration: fields.ForeignKeyNullableRelation[Registration] = fields.ForeignKeyField(
        "models.Registration",
        related_name="scan_attempts",
        null=True,
        on_delete=fields.SET_NULL,
    )
    registration_id: int | None
    nonce = fields.CharField(max_length=64, unique=True)
    device_id = fields.CharField(max_length=64)
    code = fields.CharField(max_length=64, default="")
    scanned_at = fields.DatetimeField()
    received_at = fields.DatetimeField(auto_now_add=True)
    outcome = fields.CharField(max_length=30)
    detail: fields.JSONField[dict[str, object]] = fields.JSONField(default=dict)
    staff_user_id = fields.IntField(null=True)
    door_pass_id = fields.IntField(null=True)

    class Meta:
        table = "scan_attempt"
        ordering = ["id"]


class TablePlan(Model):
    """The stored seating of an event: rounds of tables of registration ids, and the
    scorecard the planner gave it. A locked plan is no longer re-planned."""

    id = fields.IntField(primary_key=True)
    event: fields.OneToOneRelation[Event] = fields.OneToOneField(
        "models.Event", related_name="table_plan", on_delete=fields.CASCADE
    )
    event_id: int
    source = fields.CharField(max_length=12, default="registered")
    seed = fields.IntField(default=1)
    rounds: fields.JSONField[list[list[list[int]]]] = fields.JSONField(default=list)
    scorecard: fields.JSONField[dict[str, object]] = fields.JSONField(default=dict)
    locked = fields.BooleanField(default=False)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "table_plan"


class ConversationStarter(Model):
    """A question for a conversation table. Built-in ones live in code, these are the
    ones an organisation adds."""

    id = fields.IntField(primary_key=True)
    organisation: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "models.Organisation", related_name="starters", on_delete=fields.CASCADE
    )
    organisation_id: int
    text = fields.CharField(max_length=300)
    locale = fields.CharField(max_length=5, default="nl")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "conversation_starter"


class RateHit(Model):
    """One counted attempt for a rate limit (sign-ups, failed sign-ins), kept in the
    database so that every worker shares the limit. Old rows are deleted as they expire."""

    id = fields.IntField(primary_key=True)
    kind = fields.CharField(max_length=20)
    key = fields.CharField(max_length=128)
    at = fields.DatetimeField()

    class Meta:
        table = "rate_hit"
        indexes = (("kind", "key", "at"),)


class StaffSession(Model):
    """A signed-in staff member's session, kept on the server: the cookie holds only a
    random token whose hash is stored here, so signing out ends it everywhere it was
    copied to."""

    id = fields.IntField(primary_key=True)
    token_hash = fields.CharField(max_length=64, unique=True)
    user: fields.ForeignKeyRelation[StaffUser] = fields.ForeignKeyField(
        "models.StaffUser", related_name="sessions", on_delete=fields.CASCADE
    )
    user_id: int
    created_at = fields.DatetimeField(auto_now_add=True)
    last_seen_at = fields.DatetimeField()
    ended_at = fields.DatetimeField(null=True)

    class Meta:
        table = "staff_session"
