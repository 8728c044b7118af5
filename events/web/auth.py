"""Staff sign-in and sign-out, and the guard every staff page calls first."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from events.services.errors import NotFound
from events.services.staff import Actor, authenticate
from events.web.messages import error_text
from events.web.ratelimit import RateLimiter, client_key
from events.web.templating import path_for, render


class LoginLimits:
    """Sign-in attempts per client address (30) and per email address (10) in 15 minutes:
    enough for a host who mistypes, too few to guess a password."""

    def __init__(self) -> None:
        self.by_address = RateLimiter(30, window=900)
        self.by_email = RateLimiter(10, window=900)

    def allow(self, address: str, email: str) -> bool:
        address_ok = self.by_address.hit(address)
        email_ok = self.by_email.hit(email.strip().lower()[:254])
        return address_ok and email_ok


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


async def login(request: Request) -> Response:
    next_url = safe_next(request.query_params.get("next"), "")
    if request.method == "GET":
        return render(request, "auth/login.html", {"next": next_url, "error": None, "email": ""})
    form = await request.form()
    email, password = str(form.get("email", "")), str(form.get("password", ""))
    limits: LoginLimits = request.app.state.login_limits
    if not limits.allow(client_key(request), email):
        context = {"next": next_url, "error": error_text("login_throttled"), "email": email}
        return render(request, "auth/login.html", context, status=429)
    actor = await authenticate(email, password)
    if actor is None:
        context = {"next": next_url, "error": error_text("login_failed"), "email": email}
        return render(request, "auth/login.html", context, status=400)
    request.session.clear()  # a fresh session and CSRF token on sign-in: no fixation
    request.session["uid"] = actor.user_id
    default = path_for(request, "organise_dashboard" if actor.can_organise else "host_home")
    return RedirectResponse(safe_next(str(form.get("next", "")), default), status_code=303)


async def logout(request: Request) -> Response:
    request.session.clear()
    return RedirectResponse("/", status_code=303)


routes = [
    Route("/login", login, methods=["GET", "POST"], name="login"),
    Route("/logout", logout, methods=["POST"], name="logout"),
]
