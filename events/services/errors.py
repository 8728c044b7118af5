"""The one error family of the services: a machine-readable snake_case code per failure.

The web layer turns a code into a sentence in the user's language; the API returns the code.
"""

from __future__ import annotations

from collections.abc import Mapping


class EventsError(Exception):
    """A rule said no. ``code`` is stable (``not_found``, ``event_full``…); params fill the
    message."""

    status = 400

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


class NotFound(EventsError):
    """Missing, or not yours to see: the two are deliberately indistinguishable."""

    status = 404

    def __init__(self, code: str = "not_found", **params: object) -> None:
        super().__init__(code, **params)


class FormError(EventsError):
    """Input that breaks one or more field rules: ``errors`` maps field name to error code."""

    status = 422

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__("invalid_input")
        self.errors = dict(errors)
