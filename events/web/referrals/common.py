"""What the referral pages share: labels and messages, form reading, the erase page.

Imports services, i18n and the web helpers.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from events import i18n
from events.i18n import mark as N_
from events.services import referrals
from events.services.forms import parse_id
from events.services.staff import Actor
from events.web.confirm import ask, confirmed
from events.web.labels import GROUP_LABELS, INTEREST_LABELS
from events.web.messages import error_text, field_errors
from events.web.templating import path_for, redirect

MULTI = ("towns", "kinds", "needs")
STAGE_LABELS = {
    "referred": N_("Referred"),
    "invited": N_("Invited"),
    "signed_up": N_("Signed up"),
    "came": N_("Came"),
    "came_again": N_("Came again"),
}
ROUTE_LABELS = {
    "email": N_("By email"),
    "phone": N_("By phone"),
    "via_referrer": N_("Through me, the referrer"),
}
NEED_LABELS = {
    "step_free": N_("No steps (wheelchair, walker)"),
    "quiet": N_("A quiet place to step away"),
    "hearing": N_("A hearing loop"),
}
ACTION_LABELS = {
    "list": N_("Seen in a list"),
    "view": N_("Opened"),
    "invite": N_("Invited by email"),
    "letter": N_("Letter printed"),
    "sign_up": N_("Signed up"),
    "buddy": N_("Buddy pairing opened"),
    "erase": N_("Erased"),
}
OUTCOME_LABELS = {
    "yes": N_("Yes, it went well"),
    "not_yet": N_("Not yet"),
    "no": N_("No"),
}
_MESSAGES = {
    "consent_required": N_("Only send a referral when the person agreed to the statement."),
    "invalid_phone": N_("Please enter a phone number like 06 12345678."),
    "passwords_differ": N_("The two passwords are not the same."),
    "no_email": N_("There is no email address for this person: print a letter instead."),
    "not_invited": N_("Invite this person to an activity first."),
    "not_signed_up": N_("Sign this person up for an activity first."),
    "not_confirmed": N_("This person has no certain place yet: pair a buddy once they have."),
    "buddy_no_place": N_("There is no place left for the buddy in this group. Choose another."),
    "buddy_must_agree": N_("Only pair a participant who agreed to be a buddy."),
    "too_early": N_("You can tell us how it went once the activity has started."),
    "link_expired": N_(
        "This link no longer works: it was used already or is too old. Ask the organiser "
        "for a new one."
    ),
}
assert set(STAGE_LABELS) == set(referrals.ORDER)
assert set(ROUTE_LABELS) == set(referrals.CONTACT_ROUTES)
assert set(NEED_LABELS) == set(referrals.NEEDS)
assert set(OUTCOME_LABELS) == set(referrals.OUTCOMES)
assert set(ACTION_LABELS) == set(referrals.ACTIONS)


def message(code: str) -> str:
    """The sentence for an error code: the referral pages' own, else the shared table."""
    return i18n.gettext(_MESSAGES[code]) if code in _MESSAGES else error_text(code)


def form_errors(errors: Mapping[str, str]) -> dict[str, str]:
    shared = field_errors({k: v for k, v in errors.items() if v not in _MESSAGES})
    return {**shared, **{k: message(v) for k, v in errors.items() if v in _MESSAGES}}


def form_values(form: FormData) -> dict[str, object]:
    """Single values as strings, checkbox groups as lists (to check and to show again)."""
    values: dict[str, object] = {
        k: str(v) for k, v in form.items() if k not in (*MULTI, "csrf_token")
    }
    for name in MULTI:
        values[name] = [str(v) for v in form.getlist(name)]
    return values


def labels() -> dict[str, object]:
    """Labels of stored values, translated in the template."""
    return {
        "stages": STAGE_LABELS,
        "routes": ROUTE_LABELS,
        "needs": NEED_LABELS,
        "kinds": {k: INTEREST_LABELS[k] for k in referrals.KINDS},
        "groups": GROUP_LABELS,
        "outcomes": OUTCOME_LABELS,
    }


def form_choices(towns: list[str]) -> dict[str, list[tuple[str, str]]]:
    """The referral form's options as (value, translated label)."""
    return {
        "routes": i18n.choices(ROUTE_LABELS),
        "groups": i18n.choices({g: GROUP_LABELS[g] for g in referrals.GROUPS}),
        "towns": [(town, town) for town in towns],
        "kinds": i18n.choices({k: INTEREST_LABELS[k] for k in referrals.KINDS}),
        "needs": i18n.choices(NEED_LABELS),
    }


def now() -> datetime:
    return datetime.now(UTC)


async def erase_page(request: Request, *, actor_home: str, actor: Actor) -> Response:
    referral_id = referral_id_of(request)
    if not confirmed(await request.form()):
        return ask(
            request,
            question=i18n.gettext("Erase this referral now?"),
            detail=i18n.gettext(
                "The name, contact details, the statement and the sign-ups that came from it "
                "are erased everywhere. Only the count stays. This cannot be undone."
            ),
            yes=i18n.gettext("Yes, erase it"),
            back=path_for(request, actor_home),
        )
    await referrals.erase_referral(actor, referral_id, now=now())
    return redirect(request, actor_home, query="erased=1")


def signup_values(form: FormData) -> dict[str, object]:
    values: dict[str, object] = {}
    for key, value in form.multi_items():
        if key in ("languages", "interests", "needs"):
            values[key] = [str(v) for v in form.getlist(key)]
        elif key != "csrf_token":
            values[key] = str(value)
    return values


def referral_id_of(request: Request) -> int:
    return parse_id(request.path_params["referral_id"])
