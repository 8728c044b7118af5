"""The public addresses of the volunteer pages, for mails and PDFs where no request is at
hand: a thin name over :class:`events.urls.Urls`, whose table holds their paths (checked
against the router by ``tests/unit/test_urls.py``). Pure: imports only ``events.urls``.
"""

from __future__ import annotations

from events.urls import Urls


def link(base_url: str, name: str, /, **params: object) -> str:
    """The absolute URL of the page called ``name``."""
    return Urls(base_url).absolute(name, None, **params)
