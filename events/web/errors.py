"""The one place where a service's "no" becomes an HTTP status.

Services raise :class:`~events.services.errors.EventsError` in four categories and know
nothing of HTTP; pages and the JSON API both ask :func:`status_for`.
Imports ``services.errors`` only.
"""

from __future__ import annotations

from events.services.errors import EventsError, FormError

STATUS_BY_CATEGORY = {"not_found": 404, "conflict": 409, "forbidden": 403, "invalid": 400}
FORM_STATUS = 422


def status_for(exc: EventsError) -> int:
    """The HTTP status of a service error: 422 for field errors, else by its category."""
    if isinstance(exc, FormError):
        return FORM_STATUS
    return STATUS_BY_CATEGORY[exc.category]
