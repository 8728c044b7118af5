"""A second step before an action that cannot be undone (cancelling a place, a sign-up or a
whole activity): a POST without ``confirm=yes`` answers with a page that asks, plainly."""

from __future__ import annotations

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from events.web.templating import render


def confirmed(form: FormData) -> bool:
    return form.get("confirm") == "yes"


def ask(request: Request, *, question: str, yes: str, back: str, detail: str = "") -> Response:
    """The confirmation page; its form posts to the same address with ``confirm=yes``."""
    context = {
        "question": question,
        "detail": detail,
        "yes": yes,
        "back": back,
        "action": request.url.path,
    }
    return render(request, "components/confirm.html", context)
