"""Social referrals (welzijn op recept): a GP practice, social team or mentor refers someone
to activities; the organiser invites them; a buddy may come along the first time; the
referrer hears how far they got only when the person agreed to that.

The package keeps its parts private behind these names:

- ``vocabulary``: the form's choices, the statements a person agrees to, checking the form
- ``access``: who may see which referral, and the log of every look at one
- ``stages``: invited, signed up, came, came again (derived from sign-ups and check-ins)
- ``referrers``: inviting referrers, the link to choose a password
- ``referring``: the referrer's form and their own list
- ``suggestions``: the upcoming activities that fit a referral (town, needs, places left)
- ``organising``: the organiser's list and one referral
- ``invitations``: inviting by mail or letter, the invitation link's sign-up, assisted
  sign-up
- ``buddies``: pairing a buddy for the first activity, and the buddy's report
- ``erasure``: erasing on request and the retention purge
- ``figures``: the report's counts (referred, came, came again), without names
- ``mails``, ``links``: mail to the outbox, and the addresses that leave the app

Every function that shows or changes a referral takes the staff ``Actor`` and checks it;
every look at a referral by staff is logged.
"""

from __future__ import annotations

from events.services.referrals.access import (
    ACTIONS,
    ViewRow,
    is_referrer,
    view_log,
)
from events.services.referrals.buddies import (
    OUTCOMES,
    BuddyOptions,
    BuddyReport,
    buddy_options,
    buddy_report,
    groups_with_room,
    pair_buddy,
    report_buddy,
)
from events.services.referrals.erasure import erase_referral, purge_referrals
from events.services.referrals.figures import ReferralFigures, referral_figures
from events.services.referrals.invitations import (
    Invitation,
    Letter,
    accept_invitation,
    invitation,
    invite,
    letter,
    sign_up_assisted,
)
from events.services.referrals.organising import (
    Detail,
    ListRow,
    referral_detail,
    referral_list,
)
from events.services.referrals.referrers import (
    LINK_DAYS,
    invite_referrer,
    list_referrers,
    set_active,
    set_password,
    user_for_token,
)
from events.services.referrals.referring import (
    FormInfo,
    OwnReferral,
    form_info,
    my_referrals,
    refer,
)
from events.services.referrals.stages import ORDER, stage_for_referrer
from events.services.referrals.suggestions import Suggestion
from events.services.referrals.vocabulary import (
    CONTACT_ROUTES,
    GROUPS,
    KINDS,
    NEEDS,
    consent_statement,
    feedback_statement,
)

__all__ = [
    "ACTIONS",
    "CONTACT_ROUTES",
    "GROUPS",
    "KINDS",
    "LINK_DAYS",
    "NEEDS",
    "ORDER",
    "OUTCOMES",
    "BuddyOptions",
    "BuddyReport",
    "Detail",
    "FormInfo",
    "Invitation",
    "Letter",
    "ListRow",
    "OwnReferral",
    "ReferralFigures",
    "Suggestion",
    "ViewRow",
    "accept_invitation",
    "buddy_options",
    "buddy_report",
    "consent_statement",
    "erase_referral",
    "feedback_statement",
    "form_info",
    "groups_with_room",
    "invitation",
    "invite",
    "invite_referrer",
    "is_referrer",
    "letter",
    "list_referrers",
    "my_referrals",
    "pair_buddy",
    "purge_referrals",
    "refer",
    "referral_detail",
    "referral_figures",
    "referral_list",
    "report_buddy",
    "set_active",
    "set_password",
    "sign_up_assisted",
    "stage_for_referrer",
    "user_for_token",
    "view_log",
]
