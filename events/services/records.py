"""The records and words services hand to the web layer: the model classes (to read and to
name in type hints, never to query) and the enums of the domain.

The web layer imports these from here, never from ``events.models``, so that every query
stays behind a service. Imports ``events.models`` only.
"""

from __future__ import annotations

from events.models import (
    BringAlong,
    BuddyOutcome,
    ContactRoute,
    Event,
    EventStatus,
    Frequency,
    Group,
    Idea,
    IdeaAudience,
    IdeaStatus,
    IdeaTiming,
    Organisation,
    PhoneStorage,
    Referral,
    ReferralStage,
    Registration,
    RegistrationSource,
    RegistrationStatus,
    Role,
    ShiftStatus,
    TaskKind,
    Venue,
    VenueCheck,
    VenueKind,
    VolunteerTask,
)

__all__ = [
    "BringAlong",
    "BuddyOutcome",
    "ContactRoute",
    "Event",
    "EventStatus",
    "Frequency",
    "Group",
    "Idea",
    "IdeaAudience",
    "IdeaStatus",
    "IdeaTiming",
    "Organisation",
    "PhoneStorage",
    "Referral",
    "ReferralStage",
    "Registration",
    "RegistrationSource",
    "RegistrationStatus",
    "Role",
    "ShiftStatus",
    "TaskKind",
    "Venue",
    "VenueCheck",
    "VenueKind",
    "VolunteerTask",
]
