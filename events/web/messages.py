"""Sentences for the services' error codes, in the current language.

One table for forms, pages and the JSON API, so a code reads the same everywhere.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

from events.i18n import gettext as _
from events.i18n import mark as N_
from events.i18n import ngettext

_MESSAGES: dict[str, str] = {
    "required": N_("Please fill this in."),
    "too_long": N_("This is too long."),
    "not_a_number": N_("Please enter a whole number."),
    "out_of_range": N_("This number is outside what is allowed."),
    "invalid_choice": N_("Please choose one of the options."),
    "invalid_date": N_("Please enter a date like 2026-03-14."),
    "invalid_time": N_("Please enter a time like 19:30."),
    "invalid_slug": N_("Use only lower-case letters, digits and hyphens."),
    "slug_taken": N_("This web address is already in use. Choose another one."),
    "invalid_postcode": N_("Please enter a Dutch postcode like 1234 AB."),
    "end_before_start": N_("The end must be after the start."),
    "in_the_past": N_("This date has already passed. Choose a date in the future."),
    "no_places": N_("Give at least one place, in any group."),
    "age_bounds": N_("The age groups overlap. Young must end before older starts."),
    "copy_not_later": N_("Choose a date later than the original, and not in the past."),
    "email_invalid": N_("Please enter a valid email address."),
    "email_taken": N_("There is already an account with this email address."),
    "password_too_short": N_("The password must be at least 10 characters."),
    "not_found": N_("We could not find this page."),
    "event_cancelled": N_("This activity has been cancelled."),
    "invalid_input": N_("Some fields need your attention."),
    "login_failed": N_("The email address or password is not right."),
    "too_young": N_("This activity is not meant for your age. Have a look at the others."),
    "no_places_for_age": N_("This activity has no places for your age group."),
    "invalid_birth_year": N_("Please enter the year you were born, like 1958 or 2009."),
    "guardian_same_email": N_("Please give the email address of your parent or guardian."),
    "companion_needs_adult": N_("Someone under 16 can only come along with an adult."),
    "rate_limited": N_(
        "Many sign-ups came from this connection. Please wait a little and try again."
    ),
    "event_not_open": N_("Signing up for this activity is not possible."),
    "event_over": N_("This activity is already over."),
    "consent_too_late": N_("This place has been given up, because the answer came too late."),
    "not_waitlisted": N_("This person is not on the waiting list."),
    "group_full": N_("This group is full."),
    "invalid_json": N_("The request body is not a valid JSON object."),
    "unsupported_media_type": N_("Please send the request body as JSON (application/json)."),
    "too_large": N_("The request is too large."),
    "method_not_allowed": N_("This address does not accept this method."),
    "server_error": N_("Something went wrong on our side. Please try again later."),
    "wrong_type": N_("This value has the wrong type."),
    "too_many_companions": N_("You can bring at most three people along."),
    "confirm_erase": N_("Tick the box to confirm that everything may be erased."),
    "already_registered": N_(
        "This email address already has a place at this activity. We emailed the ticket "
        "again. To let them in, find them by name."
    ),
    "login_throttled": N_("Too many attempts to sign in. Please wait a quarter of an hour."),
    "csrf_failed": N_("This form was open too long or came from elsewhere. Please try again."),
    "login_required": N_("Please sign in again."),
    "undo_too_late": N_("A check-in can only be undone within 15 minutes."),
    "not_checked_in": N_("This person is not checked in."),
    "list_expired": N_("This activity is over: its attendee list is no longer available."),
    "nonce_reused": N_("This scan was already sent for another activity."),
    "try_again": N_("Please try again."),
    "nonexistent_time": N_(
        "This time does not exist on that night: the clocks go forward an hour. Choose a time "
        "before or after the jump."
    ),
    "ambiguous_time": N_(
        "This time happens twice on that night, because the clocks go back an hour. Choose "
        "which one you mean."
    ),
    "guardian_requests_used": N_(
        "The request has been sent as often as we allow. Ask the organiser for help."
    ),
    "consent_not_needed": N_("Nothing waits for a parent's or guardian's yes any more."),
    "email_suggestion": N_("Did you mean %(suggestion)s?"),
    "email_suggestion_api": N_(
        "Did you mean %(suggestion)s? To keep the address as typed, send %(keep)s: true."
    ),
    "cancel_after_start": N_("The activity has begun: cancelling is no longer possible."),
    "places_below_taken": N_(
        "%(taken)s people already have a place in this group. Enter %(taken)s or more, or "
        "first move people to the waiting list on the sign-ups page."
    ),
    "group_full_choose": N_(
        "This group is full. Choose below: the waiting list, or a place anyway."
    ),
    "invalid_phone": N_("Please enter a phone number like 06 1234 5678."),
    "service_unavailable": N_(
        "The site cannot reach its database right now. Please try again in a minute."
    ),
    "venue_other_organisation": N_("This place belongs to another organisation."),
    "venue_name_exists": N_(
        "You already have a place with this name. Is this another one? Then tick the box."
    ),
}


def wait_text(seconds: int) -> str:
    """An honest "try again in about 50 minutes" for a refusal by a rate limit: whole
    minutes, rounded to five past ten minutes."""
    minutes = max(1, math.ceil(seconds / 60))
    if minutes > 10:
        minutes = max(10, 5 * round(seconds / 300))
    return ngettext(
        "Many sign-ups came from this connection. Please try again in about %(num)s minute.",
        "Many sign-ups came from this connection. Please try again in about %(num)s minutes.",
        minutes,
    )


def error_text(code: str, **params: object) -> str:
    """The sentence for an error code, translated; unknown codes get a general sentence."""
    template = _MESSAGES.get(code)
    if template is None:
        return _("Something is not right with this input.")
    return _(template, **params) if params else _(template)


# Where a general code says too little, a sentence for that field (range, what to choose).
_FIELD_MESSAGES: dict[tuple[str, str], str] = {
    ("places_young", "out_of_range"): N_("Enter 0 or more places, at most 5000."),
    ("places_older", "out_of_range"): N_("Enter 0 or more places, at most 5000."),
    ("places_open", "out_of_range"): N_("Enter 0 or more places, at most 5000."),
    ("table_size", "out_of_range"): N_("Choose 2 to 8 people per table."),
    ("table_rounds", "out_of_range"): N_("Choose 1 to 8 rounds."),
    ("capacity", "out_of_range"): N_("Enter how many people fit, from 1 to 10000."),
    ("venue", "required"): N_("Choose a place."),
    ("venue", "invalid_choice"): N_("Choose one of your places."),
    ("guardian_email", "required"): N_(
        "You are younger than 16: give the email address of a parent or guardian."
    ),
    ("contact_phone", "invalid_phone"): N_(
        "Please enter a phone number like 0575 123 456 or 06 1234 5678."
    ),
}


# Errors on a companion's field say whom they are about (``%(name)s``: their first name).
_COMPANION_MESSAGES: dict[str, str] = {
    "required": N_("Please fill in the first name and the year of birth of %(name)s."),
    "invalid_birth_year": N_("Please enter the year %(name)s was born, like 1958 or 2009."),
    "too_young": N_("This activity is not meant for the age of %(name)s."),
    "no_places_for_age": N_("This activity has no places for the age group of %(name)s."),
    "companion_needs_adult": N_(
        "%(name)s is younger than 16 and can only come along with an adult (18 or older)."
    ),
}
_COMPANION_FIELD = re.compile(r"^companion_(\d+)_(name|birth_year)$")


def companion_names(values: Mapping[str, object]) -> dict[str, dict[str, object]]:
    """Placeholders for the companion fields of a submitted form: each companion's first
    name, or "person 2" when they have none yet."""
    params: dict[str, dict[str, object]] = {}
    for n in range(1, 4):
        name = str(values.get(f"companion_{n}_name") or "").strip()[:60]
        shown = name or _("person %(n)s", n=n)
        for part in ("name", "birth_year"):
            params[f"companion_{n}_{part}"] = {"name": shown}
    return params


def field_errors(
    errors: Mapping[str, str], params: Mapping[str, Mapping[str, object]] | None = None
) -> dict[str, str]:
    """Field name -> sentence, the field's own wording first. ``params`` fills a field's
    placeholders (a companion's name, the number of places taken)."""
    found: dict[str, str] = {}
    for name, code in errors.items():
        filled = (params or {}).get(name, {})
        if _COMPANION_FIELD.match(name) and code in _COMPANION_MESSAGES and "name" in filled:
            found[name] = _(_COMPANION_MESSAGES[code], **filled)
        elif (name, code) in _FIELD_MESSAGES:
            found[name] = _(_FIELD_MESSAGES[(name, code)], **filled)
        else:
            found[name] = error_text(code, **filled)
    return found
