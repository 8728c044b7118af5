"""Staff sign-in and sign-out, and the guard every staff page calls first."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from events.services.errors import NotFound
from events.services.staff import Actor, authenticate
from events.web.messages import error_text
from events.web.templating import render


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
    actor = await authenticate(email, password)
    if actor is None:
        context = {"next": next_url, "error": error_text("login_failed"), "email": email}
        return render(request, "auth/login.html", context, status=400)
    csrf = request.session.get("csrf")
    request.session.clear()  # a fresh session on sign-in: no fixation
    request.session.update({"uid": actor.user_id, "csrf": csrf})
    default = "/organise/" if actor.can_organise else "/host/"
    return RedirectResponse(safe_next(str(form.get("next", "")), default), status_code=303)


async def logout(request: Request) -> Response:
    request.session.clear()
    return RedirectResponse("/", status_code=303)


routes = [
    Route("/login", login, methods=["GET", "POST"], name="login"),
    Route("/logout", logout, methods=["POST"], name="logout"),
]
