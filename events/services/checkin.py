"""Moved to :mod:`events.services.door`. Only ``services/report.py`` still imports this name;
delete this module once it calls ``door.door_counts(actor, ids)`` instead."""

from __future__ import annotations

from events.services.door.presence import _tally as door_counts

__all__ = ["door_counts"]
