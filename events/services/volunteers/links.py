"""The public addresses of the volunteer pages, for mails and PDFs where no request is at
hand: route name -> path template, the same names ``events/web/volunteer.py`` and
``events/web/checks.py`` give their routes (``tests/unit/test_volunteer_links.py`` checks
each against the router). They belong in ``events.urls.PUBLIC_PATHS`` once that file
takes them. Pure: imports only the standard library.
"""

from __future__ import annotations

from urllib.parse import quote

PATHS: dict[str, str] = {
    "volunteer_help": "/events/{slug}/help",
    "volunteer_task": "/events/{slug}/help/{task_id}",
    "volunteer_shift": "/help/{token}",
    "volunteer_home": "/volunteer/{token}",
    "volunteer_hours_pdf": "/volunteer/{token}/hours/{statement_id}.pdf",
    "verify_hours": "/verify/hours/{token}",
    "checks_home": "/checks/",
    "checks_welcome": "/checks/welcome/{token}",
    "door_pass": "/door-pass/{token}",
}


def link(base_url: str, name: str, /, **params: object) -> str:
    """The absolute URL of the page called ``name``."""
    path = PATHS[name].format(**{k: quote(str(v), safe="") for k, v in params.items()})
    return base_url.rstrip("/") + path
