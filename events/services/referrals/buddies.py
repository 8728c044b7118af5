"""A buddy who comes along to a referred person's first activity.

The buddy is a volunteer of the organisation who agreed to be one (``Volunteer.buddy``) or
a participant of that activity who agreed (the organiser confirms it). A volunteer gets a
place of their own (signed up as staff would, in the group the organiser chooses); a
participant already has one. Both then get a mail with the other's first name and the
meeting point, and the planner seats them at one table in the first round
(``services.tables.instance`` reads the pairing). Afterwards the buddy says through the
link in their mail whether it went well: yes, not yet or no, nothing else.

Imports models, errors, settings, ``events.i18n``, ``services.registrations`` and the
referral modules ``access``, ``invitations``, ``links`` and ``mails``.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.transactions import in_transaction

from events import i18n
from events.i18n import gettext as _
from events.models import (
    BuddyOutcome,
    BuddyPairing,
    Event,
    Group,
    Referral,
    Registration,
    RegistrationSource,
    RegistrationStatus,
    Volunteer,
)
from events.services import registrations
from events.services.errors import Conflict, FormError, NotFound
from events.services.forms import Fields
from events.services.places import ACTIVE, places_left
from events.services.referrals.access import referral_for_staff
from events.services.referrals.invitations import locale_of, remember_mail
from events.services.referrals.links import absolute as link_to
from events.services.referrals.mails import event_context, queue_mail
from events.services.staff import Actor
from events.settings import Settings

OUTCOMES = tuple(o.value for o in BuddyOutcome)
MEET_BEFORE = timedelta(minutes=15)


@dataclass(frozen=True)
class BuddyOptions:
    """Who could come along with a referred person to their first activity."""

    referral: Referral
    event: Event
    person: Registration
    volunteers: list[Volunteer]
    participants: list[Registration]
    pairings: list[BuddyPairing]
    meeting_point: str


async def _first_activity(referral: Referral, *, now: datetime) -> tuple[Registration, Event]:
    """The referred person's confirmed place at an activity that has not ended."""
    person = await Registration.get_or_none(id=referral.registration_id or -1)
    if person is None or person.status not in ACTIVE:
        raise Conflict("not_signed_up")
    if person.status != RegistrationStatus.CONFIRMED:
        raise Conflict("not_confirmed")
    event = await Event.get(id=person.event_id).prefetch_related("venue", "organisation")
    if event.ends_at < now:
        raise Conflict("event_over")
    return person, event


async def buddy_options(actor: Actor, referral_id: int, *, now: datetime) -> BuddyOptions:
    """The volunteers who agreed to be a buddy and the activity's participants (with an
    address), for the organiser to choose from (logged as a look at the referral)."""
    referral = await referral_for_staff(actor, referral_id, action="buddy", organiser_only=True)
    person, event = await _first_activity(referral, now=now)
    volunteers = await Volunteer.filter(
        organisation_id=referral.organisation_id, buddy=True
    ).order_by("first_name", "id")
    participants = (
        await Registration.filter(
            event_id=event.id,
            status=RegistrationStatus.CONFIRMED,
            lead_id=None,
            email__isnull=False,
        )
        .exclude(id=person.id)
        .order_by("first_name", "id")
    )
    pairings = await BuddyPairing.filter(referral_id=referral.id, event_id=event.id)
    return BuddyOptions(
        referral=referral,
        event=event,
        person=person,
        volunteers=list(volunteers),
        participants=list(participants),
        pairings=list(pairings),
        meeting_point=_("At the entrance of %(venue)s", venue=event.venue.name),
    )


async def pair_buddy(
    actor: Actor,
    referral_id: int,
    data: Mapping[str, object],
    *,
    settings: Settings,
    now: datetime,
) -> BuddyPairing:
    """Pair a buddy (``buddy``: ``volunteer:<id>`` or ``participant:<registration id>``)
    with the referred person for their first activity, at ``meeting_point``. A volunteer is
    signed up in ``group`` (``buddy_no_place`` when it is full); a participant must have
    agreed (``agreed``). Both get their mail in the same transaction."""
    options = await buddy_options(actor, referral_id, now=now)
    f = Fields(data)
    choice = f.text("buddy", required=True, max_length=40)
    meeting_point = f.text("meeting_point", required=True, max_length=200)
    volunteer = next((v for v in options.volunteers if f"volunteer:{v.id}" == choice), None)
    participant = next((r for r in options.participants if f"participant:{r.id}" == choice), None)
    if choice and volunteer is None and participant is None:
        f.fail("buddy", "invalid_choice")
    if participant is not None and not f.boolean("agreed"):
        f.fail("agreed", "buddy_must_agree")
    group = f.choice("group", tuple(g.value for g in Group), default=Group.OPEN.value)
    if f.errors:
        raise FormError(f.errors)
    async with in_transaction():
        if volunteer is not None:
            buddy = await _volunteer_place(volunteer, options.event, Group(group), settings)
        else:
            assert participant is not None
            buddy = participant
        pairing = await BuddyPairing.create(
            referral_id=options.referral.id,
            event_id=options.event.id,
            buddy_name=buddy.first_name,
            buddy_email=buddy.email,
            buddy_registration_id=buddy.id,
            meeting_point=meeting_point,
            report_token=secrets.token_urlsafe(24),
        )
        await _mail_both(options, pairing, buddy, settings)
    return pairing


async def _volunteer_place(
    volunteer: Volunteer, event: Event, group: Group, settings: Settings
) -> Registration:
    """The volunteer's place at the activity: the one they have, or a new one."""
    existing = await Registration.filter(
        event_id=event.id, email=volunteer.email, status=RegistrationStatus.CONFIRMED
    ).first()
    if existing is not None:
        return existing
    request = registrations.SignupRequest(
        first_name=volunteer.first_name,
        email=volunteer.email,
        birth_year=None,
        source=RegistrationSource.ASSISTED,
        group=group,
    )
    outcome = await registrations.sign_up(event.id, request, settings=settings)
    lead = outcome.lead
    if lead is None or lead.status != RegistrationStatus.CONFIRMED:
        raise Conflict("buddy_no_place")
    return lead


def groups_with_room(event: Event) -> list[str]:
    """The age groups that still have a place, for the volunteer's sign-up."""
    return [g.value for g, n in places_left(event).items() if n > 0]


async def _mail_both(
    options: BuddyOptions, pairing: BuddyPairing, buddy: Registration, settings: Settings
) -> None:
    event, referral, person = options.event, options.referral, options.person
    fmt = i18n.Formatter(settings.timezone)
    common = {
        **event_context(event, settings),
        "meeting_point": pairing.meeting_point,
        "meet_at": fmt.time(event.starts_at - MEET_BEFORE),
    }
    if buddy.email:
        message = await queue_mail(
            "referral_buddy",
            to_email=buddy.email,
            locale=buddy.locale,
            context={
                **common,
                "first_name": buddy.first_name,
                "other_name": referral.first_name,
                "report_url": link_to(
                    settings.base_url, "buddy_report", token=pairing.report_token
                ),
            },
            settings=settings,
            event_id=event.id,
            reply_to=event.organisation.email,
        )
        remember_mail(referral, message.id)
    address = person.email or referral.email
    if address:
        message = await queue_mail(
            "referral_buddy_person",
            to_email=address,
            locale=person.locale or locale_of(referral),
            context={**common, "first_name": person.first_name, "other_name": buddy.first_name},
            settings=settings,
            event_id=event.id,
            reply_to=event.organisation.email,
        )
        remember_mail(referral, message.id)
    await referral.save(update_fields=["details"])


# --- the buddy's report -------------------------------------------------------------------


@dataclass(frozen=True)
class BuddyReport:
    """What the buddy's page shows: the activity, the other person's first name, whether
    reporting is open yet, and the answer given."""

    token: str
    event: Event
    other_name: str
    is_open: bool
    outcome: BuddyOutcome | None


async def _pairing(token: str) -> BuddyPairing:
    if not token or len(token) > 64:
        raise NotFound()
    pairing = await BuddyPairing.get_or_none(report_token=token).prefetch_related(
        "referral", "event"
    )
    if pairing is None or not pairing.referral.first_name:
        raise NotFound()
    return pairing


async def buddy_report(token: str, *, now: datetime) -> BuddyReport:
    """The buddy's page behind the link in their mail; open once the activity started."""
    pairing = await _pairing(token)
    return BuddyReport(
        token=token,
        event=pairing.event,
        other_name=pairing.referral.first_name,
        is_open=now >= pairing.event.starts_at,
        outcome=pairing.outcome,
    )


async def report_buddy(token: str, outcome: str, *, now: datetime) -> BuddyPairing:
    """Store how it went: ``yes``, ``not_yet`` or ``no`` (may be changed later)."""
    pairing = await _pairing(token)
    if now < pairing.event.starts_at:
        raise Conflict("too_early")
    if outcome not in OUTCOMES:
        raise FormError({"outcome": "invalid_choice"})
    pairing.outcome, pairing.reported_at = BuddyOutcome(outcome), now
    await pairing.save(update_fields=["outcome", "reported_at"])
    return pairing
