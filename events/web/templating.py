"""The Jinja2 environment and the one way handlers render a page.

Owns template globals (gettext, date formatting, CSRF token, the signed-in actor) and the
``render`` helper. Templates do no database work: handlers fetch, templates render.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse

from events import i18n
from events.web import labels
from events.web.csrf import csrf_token

TEMPLATE_DIR = Path(__file__).resolve().parent.parent.parent / "templates"


def build_environment(timezone: str, template_dir: Path = TEMPLATE_DIR) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(template_dir),
        autoescape=jinja2.select_autoescape(["html", "xml", "svg"], default=True),
        extensions=["jinja2.ext.do"],
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    i18n.install(env, timezone)
    env.globals["LOCALES"] = i18n.LOCALES
    env.globals["labels"] = {
        "status": labels.STATUS_LABELS,
        "group": labels.GROUP_LABELS,
        "language": labels.LANGUAGE_LABELS,
        "interest": labels.INTEREST_LABELS,
        "need": labels.NEED_LABELS,
    }
    env.filters["urlencode_params"] = lambda params: urlencode(
        {k: v for k, v in params.items() if v}
    )
    return env


def path_for(request: Request, name: str, /, **params: object) -> str:
    """The path of the route called ``name``: every link is built from route names."""
    return str(request.app.url_path_for(name, **params))


def redirect(request: Request, name: str, /, query: str = "", **params: object) -> RedirectResponse:
    """A 303 to the route called ``name`` (``query`` without its ``?``)."""
    path = path_for(request, name, **params)
    return RedirectResponse(f"{path}?{query}" if query else path, status_code=303)


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, *, status: int = 200
) -> HTMLResponse:
    """Render ``templates/<name>`` with the request's locale, CSRF token and actor."""
    env: jinja2.Environment = request.app.state.templates
    page = {
        "request": request,
        "locale": i18n.current_locale(),
        "csrf_token": csrf_token(request),
        "actor": request.scope.get("actor"),
        "base_url": request.app.state.settings.base_url,
        "url_for": lambda name, /, **params: path_for(request, name, **params),
        **(context or {}),
    }
    html = env.get_template(name).render(page)
    return HTMLResponse(html, status_code=status)
