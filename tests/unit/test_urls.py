"""The one URL builder for mails, feeds and the API agrees with the router's route names."""

from __future__ import annotations

from pathlib import Path

import pytest

from events.app import create_app
from events.settings import Settings
from events.urls import PUBLIC_PATHS, Urls

EXAMPLES = {
    "slug": "koffie-en-verhalen-2027-01-14",
    "code": "ABCDEFGHJK",
    "token": "t0k-en_",
    "task_id": "7",
    "statement_id": "3",
    "idea_id": "12",
}


@pytest.mark.parametrize("name", sorted(PUBLIC_PATHS))
def test_every_public_path_is_the_routers_path(name: str, tmp_path: Path) -> None:
    app = create_app(
        Settings(data_dir=tmp_path, database_url=f"sqlite://{tmp_path}/x.db", secret_key="k")
    )
    params = {k: v for k, v in EXAMPLES.items() if "{" + k + "}" in PUBLIC_PATHS[name]}
    assert Urls.path(name, **params) == str(app.url_path_for(name, **params))


def test_absolute_urls_quote_and_drop_empty_query_values() -> None:
    urls = Urls("https://samen.example/")
    assert urls.absolute("ticket", code="a/b") == "https://samen.example/tickets/a%2Fb"
    assert urls.path("calendar_all", {"town": ""}) == "/calendar.ics"
    assert urls.path("calendar_all", {"town": "Den Bosch"}) == "/calendar.ics?town=Den+Bosch"
    assert urls.webcal("calendar_all") == "webcal://samen.example/calendar.ics"
