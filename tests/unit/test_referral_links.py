"""The referral addresses that leave the app (mails, letters, QR codes) are the router's."""

from __future__ import annotations

from pathlib import Path

import pytest

from events.app import create_app
from events.services.referrals import links
from events.settings import Settings


@pytest.mark.parametrize("name", sorted(links.PATHS))
def test_every_referral_link_is_the_routers_path(name: str, tmp_path: Path) -> None:
    app = create_app(
        Settings(data_dir=tmp_path, database_url=f"sqlite://{tmp_path}/x.db", secret_key="k")
    )
    params = {"token": "t0k-en_"} if "{token}" in links.PATHS[name] else {}
    assert links.path(name, **params) == str(app.url_path_for(name, **params))


def test_absolute_links_quote_the_token() -> None:
    url = links.absolute("https://samen.example/", "referral_invitation", token="a/b")
    assert url == "https://samen.example/invitations/a%2Fb"
