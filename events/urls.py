"""The public addresses that leave the app: in mails, calendar feeds, QR codes and API
answers, where no request is at hand to ask the router.

Owns :data:`PUBLIC_PATHS` (route name -> path template, the same names the web routes
carry; a test checks that each one matches the router) and :class:`Urls`, the one builder
that mails, feeds and the API share (after Datasette's ``Urls``). Pages build their links
with the template ``url_for``. Pure: imports only the standard library.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

PUBLIC_PATHS: dict[str, str] = {
    "home": "/",
    "event_detail": "/events/{slug}",
    "calendar_event": "/events/{slug}/event.ics",
    "venue_detail": "/venues/{slug}",
    "calendar_venue": "/venues/{slug}/calendar.ics",
    "organisation_detail": "/organisations/{slug}",
    "calendar_organisation": "/organisations/{slug}/calendar.ics",
    "calendar_all": "/calendar.ics",
    "calendar_private": "/feeds/{token}.ics",
    "atom_feed": "/feed.atom",
    "ticket": "/tickets/{code}",
    "ticket_print": "/tickets/{code}/print",
    "consent": "/consent/{token}",
    "privacy": "/privacy",
    "api_registrations": "/api/events/{slug}/registrations",
    # volunteers (events/web/volunteer.py, events/web/checks.py)
    "volunteer_help": "/events/{slug}/help",
    "volunteer_task": "/events/{slug}/help/{task_id}",
    "volunteer_shift": "/help/{token}",
    "volunteer_home": "/volunteer/{token}",
    "volunteer_hours_pdf": "/volunteer/{token}/hours/{statement_id}.pdf",
    "verify_hours": "/verify/hours/{token}",
    "checks_home": "/checks/",
    "checks_welcome": "/checks/welcome/{token}",
    "door_pass": "/door-pass/{token}",
    # referrals (events/web/referrals.py)
    "referral_invitation": "/invitations/{token}",
    "buddy_report": "/buddy/{token}",
    "referrer_welcome": "/referrers/welcome/{token}",
    "referrer_home": "/referrals",
    # ideas (events/web/ideas.py)
    "ideas_list": "/ideas",
    "idea_detail": "/ideas/{idea_id}",
    "idea_confirm": "/ideas/confirm/{token}",
    "idea_support_confirm": "/ideas/support/{token}",
}


class Urls:
    """Paths and absolute URLs of the public pages, for one ``base_url``."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")

    @staticmethod
    def path(name: str, /, query: dict[str, str] | None = None, **params: object) -> str:
        """``path("ticket", code="ABC")`` -> ``/tickets/ABC``; empty query values dropped."""
        path = PUBLIC_PATHS[name].format(**{k: quote(str(v), safe="") for k, v in params.items()})
        wanted = {k: v for k, v in (query or {}).items() if v}
        return f"{path}?{urlencode(wanted)}" if wanted else path

    def absolute(self, name: str, /, query: dict[str, str] | None = None, **params: object) -> str:
        return self.base_url + self.path(name, query, **params)

    def webcal(self, name: str, /, query: dict[str, str] | None = None, **params: object) -> str:
        """The ``webcal://`` address calendar apps subscribe to."""
        return "webcal://" + self.absolute(name, query, **params).split("://", 1)[-1]
