"""Referral pages (welzijn op recept), by audience:

- referrers: ``/referrals`` (their own referrals and the stage they may see) and
  ``/referrals/new`` (the form, made for a phone); ``/referrers/welcome/{token}`` to choose
  a password from the invitation mail
- organisers: ``/organise/referrers`` (invite referrers, take access away),
  ``/organise/referrals`` (the list with fitting activities) and one referral's pages:
  invite by mail, print a letter with a QR code, sign up assisted
  and pair a buddy (``/organise/referrals/{id}/buddy``)
- the invited person: ``/invitations/{token}`` (the activity and a filled-in sign-up form)
- the buddy: ``/buddy/{token}`` (afterwards: did it go well? yes, not yet, no)
- erasure on request (organisers and the referrer who made it) and the access log
  (``/organise/referrals/log``: who looked at which referral, by number)

Thin handlers: parse, call ``events.services.referrals``, render. The services check who
may see what (a referrer sees only their own referrals; for everyone else a referral does
not exist) and log every look at a referral.
"""

from __future__ import annotations

from starlette.routing import Route

from events.web.referrals.organise import (
    organise_buddy,
    organise_erase,
    organise_invite,
    organise_letter,
    organise_log,
    organise_referral,
    organise_referrals,
    organise_signup,
)
from events.web.referrals.public import (
    buddy_report,
    invitation,
)
from events.web.referrals.referrers import (
    referral_new,
    referrer_access,
    referrer_erase,
    referrer_home,
    referrer_welcome,
    referrers_page,
)

routes = [
    Route("/referrals", referrer_home, name="referrer_home"),
    Route("/referrals/new", referral_new, methods=["GET", "POST"], name="referral_new"),
    Route(
        "/referrers/welcome/{token}",
        referrer_welcome,
        methods=["GET", "POST"],
        name="referrer_welcome",
    ),
    Route(
        "/organise/referrers",
        referrers_page,
        methods=["GET", "POST"],
        name="organise_referrers",
    ),
    Route(
        "/organise/referrers/{user_id}/access",
        referrer_access,
        methods=["POST"],
        name="organise_referrer_access",
    ),
    Route(
        "/referrals/{referral_id}/erase",
        referrer_erase,
        methods=["POST"],
        name="referrer_erase",
    ),
    Route("/organise/referrals", organise_referrals, name="organise_referrals"),
    Route("/organise/referrals/log", organise_log, name="organise_referral_log"),
    Route("/organise/referrals/{referral_id}", organise_referral, name="organise_referral"),
    Route(
        "/organise/referrals/{referral_id}/invite",
        organise_invite,
        methods=["POST"],
        name="organise_referral_invite",
    ),
    Route(
        "/organise/referrals/{referral_id}/letter",
        organise_letter,
        name="organise_referral_letter",
    ),
    Route(
        "/organise/referrals/{referral_id}/signup/{event_id}",
        organise_signup,
        methods=["GET", "POST"],
        name="organise_referral_signup",
    ),
    Route(
        "/organise/referrals/{referral_id}/erase",
        organise_erase,
        methods=["POST"],
        name="organise_referral_erase",
    ),
    Route(
        "/organise/referrals/{referral_id}/buddy",
        organise_buddy,
        methods=["GET", "POST"],
        name="organise_referral_buddy",
    ),
    Route("/buddy/{token}", buddy_report, methods=["GET", "POST"], name="buddy_report"),
    Route(
        "/invitations/{token}",
        invitation,
        methods=["GET", "POST"],
        name="referral_invitation",
    ),
]
