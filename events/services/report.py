"""Figures for the municipality: per activity and in total, who signed up, who came, and
how many young–older pairs shared a table; and of the people referred in the period (welzijn
op recept), the share that came and came again. Counts only, so they survive erasure of
the personal data behind them. Imports models and the services whose counts it gathers.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from events.models import Event, Group, Registration, RegistrationSource, RegistrationStatus
from events.services import door, ideas, tables
from events.services.listing import start_of_day
from events.services.referrals import ReferralFigures, referral_figures
from events.services.scope import events_for
from events.services.staff import Actor

GROUPS = tuple(g.value for g in Group)


@dataclass
class Figures:
    """Counts for one activity, or summed over several."""

    places: Counter[str] = field(default_factory=Counter)
    signed_up: Counter[str] = field(default_factory=Counter)
    came: Counter[str] = field(default_factory=Counter)
    waitlisted: int = 0
    cancelled: int = 0
    walk_ins: int = 0
    no_shows: int = 0
    mixed_pairs: int = 0

    def add(self, other: Figures) -> None:
        self.places.update(other.places)
        self.signed_up.update(other.signed_up)
        self.came.update(other.came)
        self.waitlisted += other.waitlisted
        self.cancelled += other.cancelled
        self.walk_ins += other.walk_ins
        self.no_shows += other.no_shows
        self.mixed_pairs += other.mixed_pairs


@dataclass
class Report:
    rows: list[tuple[Event, Figures]]
    total: Figures
    referrals: ReferralFigures = field(default_factory=ReferralFigures)
    ideas: ideas.IdeaFigures | None = None


async def build_report(
    actor: Actor, *, first_day: date, last_day: date, timezone: str, now: datetime
) -> Report:
    """Published and cancelled activities of the actor's organisation that start between
    the two days (inclusive), oldest first, with a total; and the referrals made between
    the two days."""
    tz = ZoneInfo(timezone)
    start = start_of_day(first_day, tz)
    end = start_of_day(date.fromordinal(last_day.toordinal() + 1), tz)
    events = (
        await events_for(actor)
        .filter(
            starts_at__gte=start,
            starts_at__lt=end,
            status__in=["published", "cancelled"],
        )
        .order_by("starts_at")
        .prefetch_related("venue")
    )
    ids = [e.id for e in events]
    counts = await door.door_counts(actor, ids)
    rows_by_event: dict[int, Figures] = {e.id: Figures() for e in events}
    registrations = await Registration.filter(event_id__in=ids).values_list(
        "event_id", "group", "status", "source"
    )
    for event_id, group, status, source in registrations:
        figures = rows_by_event[int(event_id)]
        if status in (RegistrationStatus.CONFIRMED, RegistrationStatus.AWAITING_GUARDIAN):
            figures.signed_up[str(group)] += 1
        elif status == RegistrationStatus.WAITLISTED:
            figures.waitlisted += 1
        else:
            figures.cancelled += 1
        if source == RegistrationSource.WALK_IN:
            figures.walk_ins += 1
    total = Figures()
    rows = []
    for event in events:
        figures = rows_by_event[event.id]
        figures.places.update({g: int(getattr(event, f"places_{g}")) for g in GROUPS})
        figures.came.update(counts[event.id].checked_in)
        came = sum(figures.came.values())
        if event.ends_at < now and came:
            figures.no_shows = max(0, sum(figures.signed_up.values()) - came)
        figures.mixed_pairs = await tables.mixed_pairs(event.id)
        total.add(figures)
        rows.append((event, figures))
    referred = await referral_figures(actor, start=start, end=end)
    proposals = await ideas.ideas_report(actor, first_day, last_day, timezone=timezone)
    return Report(rows=rows, total=total, referrals=referred, ideas=proposals)
