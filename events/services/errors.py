"""The one error family of the services: a machine-readable snake_case code per failure,
and a category that says what kind of "no" it is.

Owns: :class:`EventsError` and its four categories, :class:`NotFound` (missing, or not yours
to see), :class:`Conflict` (the state does not allow it now), :class:`Forbidden` (the actor
may see it but not do this), :class:`Invalid` (the input breaks a rule) and
:class:`FormError` (invalid input per field). Services raise them; the web layer alone turns
a category into an HTTP status (``events.web.errors``) and a code into a sentence in the
user's language. Imports nothing of the project.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar, Literal

Category = Literal["not_found", "conflict", "forbidden", "invalid"]


class EventsError(Exception):
    """A rule said no. ``code`` is stable (``not_found``, ``event_full``…); params fill the
    message. Raise one of the four categories, not this base class."""

    category: ClassVar[Category] = "invalid"

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


class NotFound(EventsError):
    """Missing, or not yours to see: the two are deliberately indistinguishable."""

    category: ClassVar[Category] = "not_found"

    def __init__(self, code: str = "not_found", **params: object) -> None:
        super().__init__(code, **params)


class Conflict(EventsError):
    """The request is fine but the record's state does not allow it now (full, closed,
    already done, too late)."""

    category: ClassVar[Category] = "conflict"


class Forbidden(EventsError):
    """The actor may see the record but not do this to it."""

    category: ClassVar[Category] = "forbidden"


class Invalid(EventsError):
    """Input that breaks a rule as a whole (no single field to blame)."""

    category: ClassVar[Category] = "invalid"


class FormError(Invalid):
    """Input that breaks one or more field rules: ``errors`` maps field name to error code."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__("invalid_input")
        self.errors = dict(errors)
