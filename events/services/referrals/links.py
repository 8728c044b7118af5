"""The addresses of the referral pages that leave the app in mails, letters and QR codes:
the invitation, the buddy's report, and a new referrer's first password.

Route name -> path template, the same names the routes in ``events.web.referrals`` carry
(a test checks each one against the router). They belong in ``events.urls.PUBLIC_PATHS``;
until then :func:`absolute` builds them the way ``events.urls.Urls`` does.

Imports ``events.urls`` only.
"""

from __future__ import annotations

from urllib.parse import quote

from events.urls import Urls

PATHS: dict[str, str] = {
    "referral_invitation": "/invitations/{token}",
    "buddy_report": "/buddy/{token}",
    "referrer_welcome": "/referrers/welcome/{token}",
    "referrer_home": "/referrals",
}


def path(name: str, /, **params: str) -> str:
    """``path("referral_invitation", token="abc")`` -> ``/invitations/abc``."""
    return PATHS[name].format(**{k: quote(str(v), safe="") for k, v in params.items()})


def absolute(base_url: str, name: str, /, **params: str) -> str:
    return Urls(base_url).base_url + path(name, **params)
