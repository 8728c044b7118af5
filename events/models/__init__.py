"""Tortoise models and nothing else: the tables of Samen Offline, one module per part.

- ``core``: organisations, venues, events, people, registrations, mail, the door, tables
- ``volunteers``: volunteer tasks and shifts, door passes, hours statements, venue checks
- ``referrals``: social referrals, buddies and the log of who viewed a referral
- ``ideas``: ideas for activities, their support and reports

Imports only Tortoise. Rules about these rows live in ``events.services``.
"""

from __future__ import annotations

from events.models.core import (
    CheckIn,
    ConversationStarter,
    Event,
    EventStatus,
    Frequency,
    Group,
    MailStatus,
    Organisation,
    OutboxMessage,
    Person,
    PhoneStorage,
    RateHit,
    Registration,
    RegistrationSource,
    RegistrationStatus,
    Role,
    ScanAttempt,
    Series,
    StaffSession,
    StaffUser,
    TablePlan,
    Venue,
    VenueKind,
)
from events.models.ideas import (
    BringAlong,
    Idea,
    IdeaAudience,
    IdeaReport,
    IdeaStatus,
    IdeaSupport,
    IdeaTiming,
)
from events.models.referrals import (
    BuddyOutcome,
    BuddyPairing,
    ContactRoute,
    Referral,
    ReferralStage,
    ReferralView,
)
from events.models.volunteers import (
    DoorPass,
    HoursStatement,
    ShiftStatus,
    TaskKind,
    VenueCheck,
    Volunteer,
    VolunteerShift,
    VolunteerTask,
)

__all__ = [
    "BringAlong",
    "BuddyOutcome",
    "BuddyPairing",
    "CheckIn",
    "ContactRoute",
    "ConversationStarter",
    "DoorPass",
    "Event",
    "EventStatus",
    "Frequency",
    "Group",
    "HoursStatement",
    "Idea",
    "IdeaAudience",
    "IdeaReport",
    "IdeaStatus",
    "IdeaSupport",
    "IdeaTiming",
    "MailStatus",
    "Organisation",
    "OutboxMessage",
    "Person",
    "PhoneStorage",
    "RateHit",
    "Referral",
    "ReferralStage",
    "ReferralView",
    "Registration",
    "RegistrationSource",
    "RegistrationStatus",
    "Role",
    "ScanAttempt",
    "Series",
    "ShiftStatus",
    "StaffSession",
    "StaffUser",
    "TablePlan",
    "TaskKind",
    "Venue",
    "VenueCheck",
    "VenueKind",
    "Volunteer",
    "VolunteerShift",
    "VolunteerTask",
]
