"""Venue host pages under ``/host/``: the events at the host's own venues, with the door
counts (expected and checked in per generation group) and a way to the scanner."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from events.services import checkin as door
from events.services import events as event_service
from events.services import venues as venue_service
from events.web.auth import require_actor
from events.web.templating import render


async def host_home(request: Request) -> Response:
    actor = require_actor(request)
    events = await event_service.events_at_the_door(actor, now=datetime.now(UTC))
    venues = await venue_service.list_venues(actor)
    counts = await door.door_counts(event.id for event in events)
    today = datetime.now(ZoneInfo(request.app.state.settings.timezone)).date()
    context = {"events": events, "venues": venues, "counts": counts, "today": today}
    return render(request, "host/home.html", context)


routes = [Route("/host/", host_home, name="host_home")]
