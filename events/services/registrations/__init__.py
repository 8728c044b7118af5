"""Registrations (aanmeldingen): the sign-up form, signing up, what happens after, and a
guardian's consent. Places themselves are counted and taken by ``services.places``.

The package keeps its parts private behind these names:

- ``form``: checking submitted fields, generation groups, when a guardian is needed
- ``signup``: the sign-up transaction and its mail
- ``changes``: cancelling, the waiting list moving up, staff promotions and moves, the door
- ``guardian``: consent given, declined and withdrawn; asking a guardian again
- ``lookups``: finding registrations, with the staff permission check built in
- ``state``: where an event stands and what a ticket shows and offers now
"""

from __future__ import annotations

from events.services.places import (
    ACTIVE,
    HOLDING,
    counts_by_event,
    open_for_signup,
    places_left,
    waitlist_position,
    waitlist_positions,
)
from events.services.registrations.changes import (
    admit_at_door,
    cancel_for_staff,
    cancel_own_place,
    cancel_registration,
    move_group,
    promote_by_hand,
    release_expired_holds,
)
from events.services.registrations.form import (
    ADULT_AGE,
    GUARDIAN_AGE,
    LANGUAGES,
    MAX_COMPANIONS,
    NEEDS,
    STANDARD_INTERESTS,
    Companion,
    SignupRequest,
    age_in_year,
    check_signup,
    group_for,
    needs_guardian,
)
from events.services.registrations.guardian import (
    MAX_GUARDIAN_REQUESTS,
    ask_guardian_again,
    can_ask_guardian_again,
    decline_consent,
    give_consent,
    withdraw_consent,
)
from events.services.registrations.lookups import (
    event_registrations,
    party_of,
    registration_by_code,
    registration_by_guardian_token,
    registration_for_staff,
)
from events.services.registrations.signup import (
    SignupOutcome,
    assisted_sign_up,
    sign_up,
    sign_up_from_form,
)
from events.services.registrations.state import TicketState, phase_of, state_now, ticket_state

__all__ = [
    "ACTIVE",
    "ADULT_AGE",
    "GUARDIAN_AGE",
    "HOLDING",
    "LANGUAGES",
    "MAX_COMPANIONS",
    "MAX_GUARDIAN_REQUESTS",
    "NEEDS",
    "STANDARD_INTERESTS",
    "Companion",
    "SignupOutcome",
    "SignupRequest",
    "TicketState",
    "admit_at_door",
    "age_in_year",
    "ask_guardian_again",
    "assisted_sign_up",
    "can_ask_guardian_again",
    "cancel_for_staff",
    "cancel_own_place",
    "cancel_registration",
    "check_signup",
    "counts_by_event",
    "decline_consent",
    "event_registrations",
    "give_consent",
    "group_for",
    "move_group",
    "needs_guardian",
    "open_for_signup",
    "party_of",
    "phase_of",
    "places_left",
    "promote_by_hand",
    "registration_by_code",
    "registration_by_guardian_token",
    "registration_for_staff",
    "release_expired_holds",
    "sign_up",
    "sign_up_from_form",
    "state_now",
    "ticket_state",
    "waitlist_position",
    "waitlist_positions",
    "withdraw_consent",
]
