"""Statements of hours for school (maatschappelijke stage): an organiser signs, on behalf
of the organisation, the hours a volunteer helped; the volunteer downloads it as a PDF
from their own link, and the school checks it at ``/verify/hours/<token>``.

A statement counts only tasks that have ended and that the volunteer did not cancel, at
the organisation's own activities; its minutes are stored, so a later change of a task
does not change a signed statement. Who signed is kept in the volunteer's ``details``.

Organiser functions take the Actor. Imports models, errors, settings, ``events.i18n``, the
staff Actor and ``volunteers.pdf``/``links``/``mails``/``shifts``.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from tortoise.transactions import in_transaction

import events.services.volunteers.mails as mails
from events import i18n
from events.i18n import gettext as _
from events.models import HoursStatement, Organisation, ShiftStatus, Volunteer, VolunteerShift
from events.services.errors import FormError, NotFound
from events.services.staff import Actor
from events.services.volunteers.links import link
from events.services.volunteers.pdf import Line, build_pdf
from events.services.volunteers.shifts import locale_of
from events.services.volunteers.words import KIND_LABELS
from events.settings import Settings

SIGNED_KEY = "statements_signed_by"  # Volunteer.details: statement id -> who signed


@dataclass(frozen=True)
class HoursRow:
    """One task in a statement."""

    shift_id: int
    starts_at: datetime
    kind: str
    title: str
    minutes: int


@dataclass
class VolunteerRecord:
    """A volunteer as the organiser sees them: the tasks they did and their statements."""

    volunteer: Volunteer
    done: list[HoursRow] = field(default_factory=list)
    statements: list[HoursStatement] = field(default_factory=list)


@dataclass(frozen=True)
class Statement:
    """A signed statement with everything its PDF and its verification page show."""

    statement: HoursStatement
    first_name: str
    organisation: str
    signed_by: str
    rows: list[HoursRow]

    @property
    def minutes(self) -> int:
        return self.statement.minutes


async def _rows(shifts: Sequence[VolunteerShift]) -> list[HoursRow]:
    return [
        HoursRow(
            shift_id=s.id,
            starts_at=s.task.starts_at,
            kind=str(s.task.kind),
            title=s.task.event.title,
            minutes=int((s.task.ends_at - s.task.starts_at).total_seconds() // 60),
        )
        for s in shifts
    ]


async def organisation_volunteers(actor: Actor) -> list[Volunteer]:
    """The volunteers of the actor's organisation, by name."""
    if not actor.can_organise:
        raise NotFound()
    query = Volunteer.all()
    if not actor.is_admin:
        query = query.filter(organisation_id=actor.organisation_id)
    return await query.order_by("first_name", "id")


async def volunteer_record(actor: Actor, volunteer_id: int, *, now: datetime) -> VolunteerRecord:
    """One volunteer of the actor's organisation, with the tasks they did (ended, not
    cancelled) and their statements; NotFound for anyone else's."""
    if not actor.can_organise:
        raise NotFound()
    query = Volunteer.filter(id=volunteer_id)
    if not actor.is_admin:
        query = query.filter(organisation_id=actor.organisation_id)
    volunteer = await query.first()
    if volunteer is None:
        raise NotFound()
    shifts = await _done_shifts(volunteer, now=now)
    statements = await HoursStatement.filter(volunteer_id=volunteer.id).order_by("-issued_at")
    return VolunteerRecord(volunteer, await _rows(shifts), list(statements))


async def _done_shifts(volunteer: Volunteer, *, now: datetime) -> list[VolunteerShift]:
    return (
        await VolunteerShift.filter(
            volunteer_id=volunteer.id,
            status=ShiftStatus.SIGNED_UP,
            task__ends_at__lte=now,
            task__event__organisation_id=volunteer.organisation_id,
        )
        .order_by("task__starts_at")
        .prefetch_related("task", "task__event")
    )


async def issue_statement(
    actor: Actor,
    volunteer_id: int,
    shift_ids: Sequence[int],
    *,
    settings: Settings,
    now: datetime | None = None,
) -> HoursStatement:
    """Sign a statement of the chosen tasks (all done ones when none are chosen) and mail
    the volunteer the link to download it."""
    now = now or datetime.now(UTC)
    record = await volunteer_record(actor, volunteer_id, now=now)
    rows = [r for r in record.done if not shift_ids or r.shift_id in shift_ids]
    if not rows:
        raise FormError({"shifts": "no_hours"})
    volunteer = record.volunteer
    organisation = await Organisation.get(id=volunteer.organisation_id)
    async with in_transaction():
        statement = await HoursStatement.create(
            volunteer_id=volunteer.id,
            token=secrets.token_urlsafe(24),
            minutes=sum(r.minutes for r in rows),
            shifts=[r.shift_id for r in rows],
        )
        signed = dict(volunteer.details.get(SIGNED_KEY) or {})  # type: ignore[call-overload]
        signed[str(statement.id)] = actor.name or actor.email
        volunteer.details = {**volunteer.details, SIGNED_KEY: signed}
        await volunteer.save(update_fields=["details"])
        base = settings.base_url
        await mails.queue(
            "volunteer_hours",
            to_email=volunteer.email,
            locale=locale_of(volunteer),
            context=lambda: {
                "first_name": volunteer.first_name,
                "organisation": organisation.name,
                "event_url": link(base, "volunteer_home", token=volunteer.token),
                "hours": hours_text(statement.minutes),
                "pdf_url": link(
                    base, "volunteer_hours_pdf", token=volunteer.token, statement_id=statement.id
                ),
                "verify_url": link(base, "verify_hours", token=statement.token),
            },
            settings=settings,
        )
    return statement


def hours_text(minutes: int) -> str:
    """``125`` -> "2 hours and 5 minutes", in the current language."""
    hours, rest = divmod(minutes, 60)
    if not rest:
        return i18n.ngettext("%(num)s hour", "%(num)s hours", hours)
    return _("%(hours)s h %(minutes)s min", hours=hours, minutes=rest)


async def _statement(statement: HoursStatement) -> Statement:
    volunteer = await Volunteer.get(id=statement.volunteer_id)
    organisation = await Organisation.get(id=volunteer.organisation_id)
    shifts = (
        await VolunteerShift.filter(id__in=list(statement.shifts))
        .order_by("task__starts_at")
        .prefetch_related("task", "task__event")
    )
    signed = volunteer.details.get(SIGNED_KEY) or {}
    return Statement(
        statement=statement,
        first_name=volunteer.first_name,
        organisation=organisation.name,
        signed_by=str(signed.get(str(statement.id), "")),  # type: ignore[attr-defined]
        rows=await _rows(shifts),
    )


async def statement_by_token(token: str) -> Statement:
    """The statement behind a verification link, else NotFound."""
    statement = await HoursStatement.get_or_none(token=token)
    if statement is None:
        raise NotFound()
    return await _statement(statement)


async def volunteer_statement(volunteer_token: str, statement_id: int) -> Statement:
    """A statement of the volunteer behind this link, else NotFound."""
    statement = await HoursStatement.get_or_none(id=statement_id, volunteer__token=volunteer_token)
    if statement is None:
        raise NotFound()
    return await _statement(statement)


def build_statement_pdf(found: Statement, *, settings: Settings) -> bytes:
    """The statement as a one-page PDF in the current language, with the verification
    link written out, clickable and as a QR code."""
    fmt = i18n.Formatter(settings.timezone)
    verify = link(settings.base_url, "verify_hours", token=found.statement.token)
    lines = [
        Line(found.organisation, size=12, bold=True, space=0),
        Line(_("Statement of volunteer hours"), size=20, bold=True, space=18),
        Line(_("Community placement (maatschappelijke stage)"), size=12, space=2),
        Line(
            _(
                "%(org)s declares that %(name)s helped as a volunteer at the activities "
                "below, for %(hours)s in total.",
                org=found.organisation,
                name=found.first_name,
                hours=hours_text(found.minutes),
            ),
            space=18,
        ),
    ]
    for row in found.rows:
        lines.append(
            Line(
                f"{fmt.short_day(row.starts_at)}  ·  {_(KIND_LABELS[row.kind])}  ·  "
                f"{row.title}  ·  {hours_text(row.minutes)}",
                space=6,
            )
        )
    lines += [
        Line(_("Total: %(hours)s", hours=hours_text(found.minutes)), bold=True, space=12),
        Line(
            _(
                "Signed on behalf of %(org)s by %(name)s on %(day)s.",
                org=found.organisation,
                name=found.signed_by or found.organisation,
                day=fmt.day(found.statement.issued_at),
            ),
            space=24,
        ),
        Line(_("Check this statement at:"), space=18),
        Line(verify, link=verify, space=2),
    ]
    return build_pdf(lines, title=_("Statement of volunteer hours"), qr_data=verify)
