"""The volunteer pages' public addresses (used in mails and PDFs) match the router."""

from __future__ import annotations

import re

from events.app import create_app
from events.services.volunteers.links import PATHS, link
from events.settings import Settings


def test_every_volunteer_path_matches_its_route(tmp_path: object) -> None:
    app = create_app(Settings(data_dir=tmp_path, database_url="sqlite://:memory:", secret_key="x"))  # type: ignore[arg-type]
    for name, template in PATHS.items():
        params = {p: f"v{i}" for i, p in enumerate(re.findall(r"\{(\w+)\}", template))}
        assert str(app.url_path_for(name, **params)) == template.format(**params), name
    assert link("https://x.nl/", "verify_hours", token="a b") == "https://x.nl/verify/hours/a%20b"
