"""Staff sign-in and sign-out, and the guard every staff page calls first.

A sign-in starts a session kept on the server (``events.services.sessions``); the signed
cookie holds only its random token and the CSRF token. Signing out ends that session, so a
copied cookie stops working; "sign out on every device" ends all of them.

Failed sign-ins are limited per account and per client address, in the database so every
worker shares the count (``events.services.limits``). Only failures count, and the limits
are checked only once the password is known to be wrong: a correct password always signs
in, so nobody can lock a staff member out by failing on purpose. Past a far higher ceiling
per address (a flood, not a person) attempts are refused before the password is checked,
so a flood cannot keep the processor busy with Argon2.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from events.services import limits, sessions
from events.services.errors import NotFound
from events.services.staff import Actor, authenticate
from events.web.messages import error_text
from events.web.ratelimit import client_key
from events.web.templating import path_for, redirect, render

WINDOW = timedelta(minutes=15)
FAILED_BY_ACCOUNT = limits.Limit("login_account", 10, WINDOW)
FAILED_BY_ADDRESS = limits.Limit("login_address", 30, WINDOW)
FLOOD_BY_ADDRESS = limits.Limit("login_address", 300, WINDOW)
SESSION_KEY = "sid"


class LoginRequired(Exception):
    """Raised by :func:`require_actor`; the app answers with a redirect to /login."""


def require_actor(request: Request, *, organise: bool = False) -> Actor:
    """The signed-in staff member; organiser pages also refuse hosts (as not found)."""
    actor: Actor | None = request.scope.get("actor")
    if actor is None:
        raise LoginRequired()
    if organise and not actor.can_organise:
        raise NotFound()
    return actor


def safe_next(target: str | None, default: str) -> str:
    """Only local paths: never redirect a signed-in user to another site."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default


def _account(email: str) -> str:
    return email.replace("\x00", "").strip().lower()[:254]


async def _failed(address: str, account: str) -> int | None:
    """Count a failed sign-in; seconds to wait when this one was past a limit, else None."""
    waits = [
        await limits.wait_for(FAILED_BY_ACCOUNT, account),
        await limits.wait_for(FAILED_BY_ADDRESS, address),
    ]
    await limits.record(FAILED_BY_ACCOUNT, account)
    await limits.record(FAILED_BY_ADDRESS, address)
    return max((w for w in waits if w is not None), default=None)


def _login_page(
    request: Request, next_url: str, email: str, error: str, status: int, wait: int | None = None
) -> Response:
    context = {"next": next_url, "error": error_text(error), "email": email}
    response = render(request, "auth/login.html", context, status=status)
    if wait is not None:
        response.headers["Retry-After"] = str(wait)
    return response


async def login(request: Request) -> Response:
    next_url = safe_next(request.query_params.get("next"), "")
    if request.method == "GET":
        return render(request, "auth/login.html", {"next": next_url, "error": None, "email": ""})
    form = await request.form()
    email, password = str(form.get("email", "")), str(form.get("password", ""))
    address, account = client_key(request), _account(email)
    flood = await limits.wait_for(FLOOD_BY_ADDRESS, address)
    if flood is not None:
        return _login_page(request, next_url, email, "login_throttled", 429, flood)
    actor = await authenticate(email, password)
    if actor is None:
        wait = await _failed(address, account)
        if wait is not None:
            return _login_page(request, next_url, email, "login_throttled", 429, wait)
        return _login_page(request, next_url, email, "login_failed", 400)
    await _end_current(request)
    request.session.clear()  # a fresh session and CSRF token on sign-in: no fixation
    request.session[SESSION_KEY] = await sessions.start_session(
        actor.user_id, now=datetime.now(UTC)
    )
    home = {"checker": "checks_home", "referrer": "referrer_home"}.get(str(actor.role))
    default = path_for(request, "organise_dashboard" if actor.can_organise else home or "host_home")
    return RedirectResponse(safe_next(str(form.get("next", "")), default), status_code=303)


async def _end_current(request: Request) -> None:
    token = request.session.get(SESSION_KEY)
    if token:
        await sessions.end_session(str(token), now=datetime.now(UTC))


async def logout(request: Request) -> Response:
    await _end_current(request)
    request.session.clear()
    return RedirectResponse("/", status_code=303)


async def logout_everywhere(request: Request) -> Response:
    """GET: what it does and a button; POST: end every session of this staff member."""
    actor = require_actor(request)
    if request.method == "GET":
        settings = request.app.state.settings
        count = await sessions.live_sessions(
            actor.user_id, now=datetime.now(UTC), idle=settings.session_idle
        )
        return render(request, "auth/logout_everywhere.html", {"sessions": count})
    await sessions.end_all_sessions(actor.user_id, now=datetime.now(UTC))
    request.session.clear()
    return redirect(request, "login")


routes = [
    Route("/login", login, methods=["GET", "POST"], name="login"),
    Route("/logout", logout, methods=["POST"], name="logout"),
    Route(
        "/logout/everywhere",
        logout_everywhere,
        methods=["GET", "POST"],
        name="logout_everywhere",
    ),
]
