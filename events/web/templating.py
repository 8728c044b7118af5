"""The Jinja2 environment and the one way handlers render a page.

Owns template globals (gettext, date formatting, CSRF token, the signed-in actor) and the
``render`` helper. Templates do no database work: handlers fetch, templates render.

Templates are compiled once per process and kept (``auto_reload`` off: no ``stat`` of every
template, include and parent on every render; restart to see an edited template). Paths
by route name are worked out once per app. A page without a form creates no CSRF token, so
it starts no session and sets no cookie.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
import markupsafe
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
        auto_reload=False,
        cache_size=-1,
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


class _LazyToken:
    """The session's CSRF token, made only when a template writes it into a form."""

    __slots__ = ("_request", "_value")

    def __init__(self, request: Request) -> None:
        self._request = request
        self._value: str | None = None

    def __str__(self) -> str:
        if self._value is None:
            self._value = csrf_token(self._request)
        return self._value

    def __html__(self) -> str:
        return str(markupsafe.escape(str(self)))

    def __eq__(self, other: object) -> bool:
        return str(self) == (str(other) if isinstance(other, _LazyToken) else other)

    def __hash__(self) -> int:
        return hash(str(self))

    def __bool__(self) -> bool:
        return bool(str(self))


class _Paths:
    """Paths by route name and parameters, each worked out once per app.

    Starlette's ``url_path_for`` tries every route in turn and raises ``NoMatchFound`` on
    each miss: for the links of one event page that was more time than the page's queries.
    The routes never change while an app runs, so a path once found stays right. At most
    ``limit`` are kept; past that the cache starts again."""

    def __init__(self, app: Any, limit: int = 20_000) -> None:
        self.app = app
        self.limit = limit
        self.known: dict[tuple[object, ...], str] = {}

    def __call__(self, name: str, params: dict[str, object]) -> str:
        key = (name, *((k, type(v), v) for k, v in sorted(params.items())))
        try:
            return self.known[key]
        except KeyError:
            pass
        except TypeError:  # a parameter that cannot be a key: work it out every time
            return str(self.app.url_path_for(name, **params))
        path = str(self.app.url_path_for(name, **params))
        if len(self.known) >= self.limit:
            self.known.clear()
        self.known[key] = path
        return path


def path_for(request: Request, name: str, /, **params: object) -> str:
    """The path of the route called ``name``: every link is built from route names."""
    state = request.app.state
    paths: _Paths | None = getattr(state, "paths", None)
    if paths is None:
        paths = state.paths = _Paths(request.app)
    return paths(name, params)


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
        "csrf_token": _LazyToken(request),
        "actor": request.scope.get("actor"),
        "base_url": request.app.state.settings.base_url,
        "url_for": lambda name, /, **params: path_for(request, name, **params),
        **(context or {}),
    }
    html = env.get_template(name).render(page)
    return HTMLResponse(html, status_code=status)
