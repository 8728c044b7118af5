"""The app factory: ``create_app(settings)`` wires routes, middleware, templates and the
database. The only module that imports every layer; nothing here is module-level state.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from urllib.parse import urlencode

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send
from tortoise.contrib.starlette import RegisterTortoise
from tortoise.exceptions import ValidationError

from events import i18n
from events.calendars import VEventCache
from events.db import database_unavailable, tortoise_config
from events.logs import install_redaction
from events.services import worker
from events.services.errors import EventsError
from events.services.mailer import Mailer, mailer_from_settings
from events.settings import Settings
from events.web import (
    api,
    attendees,
    auth,
    calendar,
    checks,
    door,
    doorpass,
    health,
    ideas,
    organise,
    outbox,
    public,
    referrals,
    report,
    series,
    signup,
    tables,
    volunteer,
)
from events.web.caching import BodyCache
from events.web.csrf import CSRFMiddleware
from events.web.errors import status_for
from events.web.jsonapi import JSONErrors
from events.web.messages import error_text
from events.web.middleware import (
    ActorMiddleware,
    DatabaseUnavailableMiddleware,
    LocaleMiddleware,
    SecurityHeadersMiddleware,
)
from events.web.templating import build_environment, redirect, render

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
log = logging.getLogger("events")


def create_app(settings: Settings, *, mailer: Mailer | None = None) -> Starlette:
    """A new application for these settings (tests build one per database).

    With ``settings.run_worker_in_process`` (the one switch) the mail worker runs as a
    background task while the app runs; ``mailer`` defaults to SMTP when configured."""
    transport = mailer if mailer is not None else mailer_from_settings(settings)
    api_routes = [*api.routes, *door.api_routes, *api.fallback_routes]
    app = Starlette(
        routes=_routes(api_routes),
        middleware=_middleware(settings),
        exception_handlers={
            EventsError: _events_error,
            HTTPException: _http_error,
            auth.LoginRequired: _login_required,
            ValidationError: _invalid_value,
            OverflowError: _invalid_value,
            500: _server_error,
        },
        lifespan=_lifespan(settings, transport),
    )
    app.state.settings = settings
    app.state.api_routes = api_routes
    app.state.templates = build_environment(settings.timezone)
    app.state.feed_bodies = BodyCache()
    app.state.vevents = VEventCache()
    return app


def _lifespan(
    settings: Settings, transport: Mailer | None
) -> Callable[[Starlette], AbstractAsyncContextManager[None]]:
    """The database for the app's life, and the mail worker beside it when asked."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with RegisterTortoise(app, config=tortoise_config(settings)):
            if not settings.run_worker_in_process:
                yield
                return
            stop = asyncio.Event()
            task = asyncio.create_task(worker.run_forever(settings, transport, stop=stop))
            try:
                yield
            finally:
                stop.set()
                await task

    return lifespan


def _routes(api_routes: Sequence[BaseRoute]) -> list[BaseRoute]:
    """Every page by audience, then the JSON API under one mount with JSON errors."""
    api_errors = Middleware(
        JSONErrors,
        passthrough=database_unavailable,
        invalid=lambda exc: isinstance(exc, ValidationError | OverflowError),
    )
    return [
        *public.routes,
        *signup.routes,
        *ideas.routes,
        *attendees.routes,
        *calendar.routes,
        *series.routes,
        *auth.routes,
        *organise.routes,
        *outbox.routes,
        *report.routes,
        *referrals.routes,
        *door.routes,
        *tables.routes,
        *volunteer.routes,
        *doorpass.routes,
        *checks.routes,
        *health.routes,
        Mount("/api", routes=list(api_routes), middleware=[api_errors]),
        Mount("/static", StaticFiles(directory=STATIC_DIR), name="static"),
    ]


def _middleware(settings: Settings) -> list[Middleware]:
    """Outermost first: headers, session cookie, language, database check, CSRF, actor."""
    return [
        Middleware(SecurityHeadersMiddleware),
        Middleware(
            SessionMiddleware,
            secret_key=settings.secret_key,
            session_cookie="session",
            max_age=14 * 24 * 3600,
            same_site="lax",
            https_only=settings.secure_cookies,
        ),
        Middleware(LocaleMiddleware),
        Middleware(DatabaseUnavailableMiddleware, unavailable=database_unavailable),
        Middleware(CSRFMiddleware, reject=_reject_csrf),
        Middleware(ActorMiddleware, idle=settings.session_idle),
    ]


async def _reject_csrf(scope: Scope, receive: Receive, send: Send) -> None:
    request = Request(scope, receive)
    context = {"title": error_text("csrf_failed"), "status": 403}
    response = render(request, "errors/error.html", context, status=403)
    await response(scope, receive, send)


async def _events_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, EventsError)
    status = status_for(exc)
    title = error_text(exc.code, **exc.params)
    return render(request, "errors/error.html", {"title": title, "status": status}, status=status)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    title = error_text("not_found") if exc.status_code == 404 else str(exc.detail)
    context = {"title": title, "status": exc.status_code}
    response = render(request, "errors/error.html", context, status=exc.status_code)
    if exc.headers:
        response.headers.update(exc.headers)
    return response


async def _invalid_value(request: Request, exc: Exception) -> Response:
    """A value the database columns cannot hold (too long, out of range), or a date too
    near the ends of the calendar to move between time zones: a 400, not a 500."""
    title = error_text("invalid_input")
    return render(request, "errors/error.html", {"title": title, "status": 400}, status=400)


async def _login_required(request: Request, exc: Exception) -> Response:
    return redirect(request, "login", query=urlencode({"next": request.url.path}))


async def _server_error(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s", request.url.path, exc_info=exc)
    with i18n.use_locale(str(request.scope.get("locale", i18n.DEFAULT_LOCALE))):
        return render(request, "errors/error.html", {"title": None, "status": 500}, status=500)


def app_from_env() -> Starlette:
    """The factory uvicorn calls in each worker process (``--factory``)."""
    install_redaction("uvicorn.access", "uvicorn.error", "events")
    return create_app(Settings.from_env())
