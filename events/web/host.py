"""Moved to :mod:`events.web.door` (the host's home is the door's first page). Kept only
because ``events/app.py`` still lists ``host.routes``; delete it with that line."""

from __future__ import annotations

from starlette.routing import BaseRoute

routes: list[BaseRoute] = []
