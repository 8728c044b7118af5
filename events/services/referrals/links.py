"""The addresses of the referral pages that leave the app in mails, letters and QR codes:
the invitation, the buddy's report, and a new referrer's first password. Thin names over
:class:`events.urls.Urls`, whose table holds the paths (``tests/unit/test_urls.py`` checks
them against the router).

Imports ``events.urls`` only.
"""

from __future__ import annotations

from events.urls import Urls


def path(name: str, /, **params: object) -> str:
    """``path("referral_invitation", token="abc")`` -> ``/invitations/abc``."""
    return Urls.path(name, None, **params)


def absolute(base_url: str, name: str, /, **params: object) -> str:
    return Urls(base_url).absolute(name, None, **params)
