"""The organiser's report for the municipality: ``/organise/report`` (a page with a date
range) and ``/organise/report.csv`` (the same figures for a spreadsheet), with the
referrals of the period (referred, the share that came, the share that came again)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from events import i18n
from events.services import report as report_service
from events.services.forms import parse_day
from events.web.auth import require_actor
from events.web.labels import GROUP_LABELS
from events.web.messages import error_text
from events.web.spreadsheet import csv_response
from events.web.templating import render


def _period(request: Request) -> tuple[date, date, str | None]:
    """The asked period, by default this calendar year up to a month from today (so what is
    coming shows too); an error for bad dates."""
    today = datetime.now(UTC).date()
    first, last, error = date(today.year, 1, 1), today + timedelta(days=31), None
    for name in ("from", "to"):
        raw = request.query_params.get(name, "").strip()
        if not raw:
            continue
        day = parse_day(raw)  # years 1900-2999 only: nothing the report could overflow on
        if day is None:
            error = error_text("invalid_date")
        elif name == "from":
            first = day
        else:
            last = day
    if last < first:
        first, last, error = last, first, error
    return first, last, error


async def _report(request: Request) -> tuple[report_service.Report, date, date, str | None]:
    actor = require_actor(request, organise=True)
    first, last, error = _period(request)
    built = await report_service.build_report(
        actor,
        first_day=first,
        last_day=last,
        timezone=request.app.state.settings.timezone,
        now=datetime.now(UTC),
    )
    return built, first, last, error


async def report_page(request: Request) -> Response:
    built, first, last, error = await _report(request)
    context = {
        "report": built,
        "first": first,
        "last": last,
        "error": error,
        "groups": report_service.GROUPS,
        "percent": percent,
    }
    return render(request, "organise/report.html", context, status=400 if error else 200)


def _group(value: str) -> str:
    return i18n.gettext(GROUP_LABELS[value])


async def report_csv(request: Request) -> Response:
    built, first, last, _error = await _report(request)
    fmt = i18n.Formatter(request.app.state.settings.timezone)
    groups = report_service.GROUPS
    header = [
        i18n.gettext("Date"),
        i18n.gettext("Activity"),
        i18n.gettext("Place"),
        *[i18n.gettext("Signed up: %(group)s", group=_group(g)) for g in groups],
        *[i18n.gettext("Came: %(group)s", group=_group(g)) for g in groups],
        i18n.gettext("Waiting list"),
        i18n.gettext("Sign-up cancelled"),
        i18n.gettext("Walk-ins"),
        i18n.gettext("No-shows"),
        i18n.gettext("Young and older pairs at one table"),
    ]

    def counts(f: report_service.Figures) -> list[object]:
        return [
            *[f.signed_up[g] for g in groups],
            *[f.came[g] for g in groups],
            f.waitlisted,
            f.cancelled,
            f.walk_ins,
            f.no_shows,
            f.mixed_pairs,
        ]

    lines = [
        [fmt.local(event.starts_at).date().isoformat(), event.title, event.venue.name, *counts(f)]
        for event, f in built.rows
    ]
    total = ["", i18n.gettext("Total"), "", *counts(built.total)]
    name = f"samen-offline-{first.isoformat()}-{last.isoformat()}.csv"
    rows: list[list[object]] = [list(header), *lines, total, [], *_referral_lines(built)]
    rows += [[], *_idea_lines(built)]
    return csv_response(rows, filename=name)


def percent(share: float | None) -> str:
    """``0.5833`` -> ``58%``; a dash when nothing was counted."""
    return "–" if share is None else f"{round(share * 100)}%"


def _referral_lines(built: report_service.Report) -> list[list[object]]:
    """The referrals of the period, below the activities: count and share of the referred."""
    r = built.referrals
    return [
        ["", i18n.gettext("People referred"), "", r.referred],
        ["", i18n.gettext("Referred and came"), "", r.came, percent(r.share_came)],
        [
            "",
            i18n.gettext("Referred and came again"),
            "",
            r.came_again,
            percent(r.share_came_again),
        ],
    ]


def _idea_lines(built: report_service.Report) -> list[list[object]]:
    """The ideas of the period: proposed, supported, turned into activities."""
    i = built.ideas
    if i is None:
        return []
    return [
        ["", i18n.gettext("Ideas proposed"), "", i.proposed],
        ["", i18n.gettext("Ideas approved"), "", i.approved],
        ["", i18n.gettext("Ideas with support"), "", i.supported],
        ["", i18n.gettext("People who would come"), "", i.supports],
        ["", i18n.gettext("Ideas that became an activity"), "", i.activities],
        [
            "",
            i18n.gettext("Supporters who signed up"),
            "",
            i.supporters_signed_up,
            i.supporters_of_activities,
        ],
    ]


routes = [
    Route("/organise/report", report_page, name="organise_report"),
    Route("/organise/report.csv", report_csv, name="organise_report_csv"),
]
