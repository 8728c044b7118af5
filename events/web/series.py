"""Organiser pages for series: create a weekly or fortnightly run of events, and see one
series' occurrences with links to each event's own page (to change or cancel it alone).

Thin handlers; the rules live in ``events.services.series``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from events.i18n import mark as N_
from events.services import series as series_service
from events.services import venues as venue_service
from events.services.errors import FormError
from events.services.forms import parse_id
from events.services.records import Frequency
from events.web.auth import require_actor
from events.web.messages import field_errors
from events.web.templating import redirect, render

FREQUENCIES = {
    Frequency.WEEKLY.value: N_("Every week"),
    Frequency.FORTNIGHTLY.value: N_("Every two weeks"),
}


def _tz(request: Request) -> ZoneInfo:
    return ZoneInfo(request.app.state.settings.timezone)


def _defaults(tz: ZoneInfo) -> dict[str, Any]:
    return {
        "frequency": Frequency.WEEKLY.value, "occurrences": 6, "places_young": 8,
        "places_older": 8, "places_open": 0, "table_size": 4, "table_rounds": 2,
        "start_time": "19:30", "end_time": "21:30",
        "date": (datetime.now(tz).date() + timedelta(days=14)).isoformat(),
    }  # fmt: skip


async def series_form(request: Request) -> Response:
    actor = require_actor(request, organise=True)
    tz = _tz(request)
    values, errors, status = _defaults(tz), {}, 200
    if request.method == "POST":
        form = dict(await request.form())
        try:
            series = await series_service.create_series(actor, form, tz=tz)
        except FormError as exc:
            values, errors, status = form, field_errors(exc.errors), 422
        else:
            return redirect(request, "series_detail", series_id=series.id)
    context = {
        "values": values,
        "errors": errors,
        "venues": await venue_service.list_venues(actor),
        "frequencies": FREQUENCIES,
        "all_series": await series_service.recent_series(actor),
        "limits": (series_service.MIN_OCCURRENCES, series_service.MAX_OCCURRENCES),
    }
    return render(request, "organise/series_form.html", context, status=status)


async def series_detail(request: Request) -> Response:
    actor = require_actor(request, organise=True)
    raw = str(request.path_params["series_id"])
    series = await series_service.get_series_for(actor, parse_id(raw))
    context = {
        "series": series,
        "events": await series_service.series_events(series),
        "frequency": FREQUENCIES[series.frequency],
    }
    return render(request, "organise/series_detail.html", context)


routes = [
    Route("/organise/series/new", series_form, methods=["GET", "POST"], name="series_new"),
    Route("/organise/series/{series_id}", series_detail, name="series_detail"),
]
