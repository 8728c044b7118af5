"""Pages of people who help: the open tasks of an activity and the "Ik help mee" sign-up
(no account), the volunteer's own links (a task, cancel, their page, a statement of hours
as a PDF), the public check of a statement, and the organiser's pages for tasks,
volunteers and statements under ``/organise/``.

Thin handlers: parse, call ``events.services.volunteers``, render. Public pages take a
token or a published activity; organiser pages call ``require_actor(organise=True)`` and
the services check the actor again (anything not theirs is a 404).
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from events import i18n
from events.i18n import mark as N_
from events.services import listing, volunteers
from events.services.errors import Conflict, EventsError, FormError, NotFound
from events.services.forms import parse_id
from events.services.records import TaskKind
from events.web.auth import require_actor
from events.web.confirm import ask, confirmed
from events.web.messages import error_text, field_errors
from events.web.ratelimit import count_signup, signup_wait
from events.web.templating import path_for, redirect, render

MESSAGES = {
    "task_full": N_("Enough people have just signed up for this task. Choose another one."),
    "task_has_volunteers": N_("People have signed up for this task: it cannot be removed."),
    "no_open_tasks": N_("This activity has no open tasks to ask for."),
    "phone_invalid": N_("Please enter a phone number like 06 12345678."),
    "no_hours": N_("Choose at least one task that has ended."),
    "not_an_accompaniment": N_("Only an accompaniment is paired."),
    "shift_cancelled": N_("This volunteer has cancelled."),
    "door_pass_revoked": N_("This door pass has been withdrawn. Ask the organiser."),
    "door_pass_not_yet": N_("This door pass works from an hour before the start."),
    "door_pass_expired": N_("This door pass has expired: the activity is over."),
    "door_pass_unknown": N_("There is no door pass with this code. Check the six characters."),
}
NOINDEX = {"X-Robots-Tag": "noindex"}


def message(code: str) -> str:
    """The sentence for a volunteer error code, else the shared table's."""
    return i18n.gettext(MESSAGES[code]) if code in MESSAGES else error_text(code)


def form_errors(errors: dict[str, str]) -> dict[str, str]:
    own = {name: message(code) for name, code in errors.items() if code in MESSAGES}
    return {**field_errors(errors), **own}


def tz_of(request: Request) -> ZoneInfo:
    return ZoneInfo(request.app.state.settings.timezone)


def id_param(request: Request, name: str) -> int:
    return parse_id(request.path_params[name])


# --- public: tasks and signing up ---------------------------------------------------------


async def help_page(request: Request) -> Response:
    """The open tasks of one activity: where "Help mee" links lead."""
    event = await listing.public_event(request.path_params["slug"])
    tasks = await volunteers.open_tasks(event, now=datetime.now(UTC))
    return render(request, "volunteer/help.html", {"event": event, "volunteer_tasks": tasks})


async def task_page(request: Request) -> Response:
    """One task and its sign-up form: name, email, phone optional."""
    event = await listing.public_event(request.path_params["slug"])
    now = datetime.now(UTC)
    view = await volunteers.public_task(event, id_param(request, "task_id"), now=now)
    values: dict[str, object] = {}
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        values = {k: str(v) for k, v in (await request.form()).items() if k != "csrf_token"}
        try:
            if await signup_wait(request) is not None:
                errors, status = {"form": error_text("rate_limited")}, 429
            else:
                shift = await volunteers.sign_up_for_task(
                    event,
                    view.task.id,
                    values,
                    locale=i18n.current_locale(),
                    settings=request.app.state.settings,
                    now=now,
                )
                await count_signup(request, accepted=True)
                return redirect(request, "volunteer_shift", query="new=1", token=shift.token)
        except FormError as exc:
            errors, status = form_errors(exc.errors), 422
        except EventsError as exc:
            errors, status = {"form": message(exc.code)}, 409
            view = await volunteers.public_task(event, view.task.id, now=now)
    context = {"event": event, "view": view, "values": values, "errors": errors}
    return render(request, "volunteer/task.html", context, status=status)


async def shift(request: Request) -> Response:
    """A volunteer's own task: when, where, cancel; the address once paired."""
    page = await volunteers.shift_page(request.path_params["token"])
    context = {
        "page": page,
        "new": request.query_params.get("new") == "1",
        "cancelled_now": request.query_params.get("cancelled") == "1",
    }
    response = render(request, "volunteer/shift.html", context)
    response.headers.update(NOINDEX)
    return response


async def shift_cancel(request: Request) -> Response:
    token = request.path_params["token"]
    page = await volunteers.shift_page(token)
    if not confirmed(await request.form()):
        return ask(
            request,
            question=i18n.gettext("Stop helping at %(title)s?", title=page.event.title),
            detail=i18n.gettext("The organiser is told, and someone else can take the task."),
            yes=i18n.gettext("Yes, I can't help after all"),
            back=path_for(request, "volunteer_shift", token=token),
        )
    await volunteers.cancel_shift(token, settings=request.app.state.settings)
    return redirect(request, "volunteer_shift", query="cancelled=1", token=token)


async def volunteer_home(request: Request) -> Response:
    """The volunteer's page: their tasks, statements, and whether we may ask again."""
    token = request.path_params["token"]
    if request.method == "POST":
        form = await request.form()
        await volunteers.set_ask_again(token, form.get("ask_again") == "1")
        return redirect(request, "volunteer_home", query="saved=1", token=token)
    home = await volunteers.volunteer_home(token)
    context = {"home": home, "saved": request.query_params.get("saved") == "1"}
    response = render(request, "volunteer/home.html", context)
    response.headers.update(NOINDEX)
    return response


async def hours_pdf(request: Request) -> Response:
    found = await volunteers.volunteer_statement(
        request.path_params["token"], id_param(request, "statement_id")
    )
    body = volunteers.build_statement_pdf(found, settings=request.app.state.settings)
    return Response(
        body,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="uren-{found.statement.id}.pdf"',
            "Cache-Control": "private, no-store",
            **NOINDEX,
        },
    )


async def verify_hours(request: Request) -> Response:
    """The public check of a statement: who, how many hours, signed by whom and when."""
    found = await volunteers.statement_by_token(request.path_params["token"])
    context = {
        "found": found,
        "hours": volunteers.hours_text(found.minutes),
        "kind_labels": volunteers.KIND_LABELS,
    }
    response = render(request, "volunteer/verify.html", context)
    response.headers.update(NOINDEX)
    return response


# --- organisers ---------------------------------------------------------------------------


def _task_kinds() -> list[tuple[str, str]]:
    return [
        (kind.value, i18n.gettext(volunteers.KIND_LABELS[kind]))
        for kind in TaskKind
        if kind != TaskKind.ACCOMPANY
    ]


async def organise_tasks(request: Request) -> Response:
    """The tasks of one activity, who signed up, what is still open; add a task."""
    actor = require_actor(request, organise=True)
    event_id = id_param(request, "event_id")
    values: dict[str, object] = {"needed": "1", "kind": "setup"}
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        values = {k: str(v) for k, v in (await request.form()).items() if k != "csrf_token"}
        try:
            await volunteers.add_task(actor, event_id, values, tz=tz_of(request))
        except FormError as exc:
            errors, status = form_errors(exc.errors), 422
        else:
            return redirect(request, "organise_tasks", query="added=1", event_id=event_id)
    await volunteers.sync_accompaniment_tasks(actor, event_id)
    event, tasks = await volunteers.event_tasks(actor, event_id)
    if "start_time" not in values:
        start = event.starts_at.astimezone(tz_of(request))
        values.update(
            start_time=f"{start:%H:%M}",
            end_time=f"{event.ends_at.astimezone(tz_of(request)):%H:%M}",
        )
    context = {
        "event": event,
        "tasks": tasks,
        "kinds": _task_kinds(),
        "values": values,
        "errors": errors,
        "notice": _notice(request),
    }
    return render(request, "volunteer/organise_tasks.html", context, status=status)


def _notice(request: Request) -> str | None:
    query = request.query_params
    if query.get("added") == "1":
        return i18n.gettext("The task has been added.")
    if query.get("asked") is not None:
        return i18n.ngettext(
            "%(num)s earlier volunteer has been asked by email.",
            "%(num)s earlier volunteers have been asked by email.",
            parse_id(query.get("asked", "0")),
        )
    if query.get("error"):
        return message(str(query.get("error")))
    return None


async def organise_ask(request: Request) -> Response:
    """Mail earlier volunteers who agreed to be asked again."""
    actor = require_actor(request, organise=True)
    event_id = id_param(request, "event_id")
    try:
        asked = await volunteers.ask_earlier_volunteers(
            actor, event_id, settings=request.app.state.settings, now=datetime.now(UTC)
        )
    except Conflict as exc:
        return redirect(request, "organise_tasks", query=f"error={exc.code}", event_id=event_id)
    return redirect(request, "organise_tasks", query=f"asked={asked}", event_id=event_id)


async def organise_task_remove(request: Request) -> Response:
    actor = require_actor(request, organise=True)
    task = await volunteers.task_for_staff(actor, id_param(request, "task_id"))
    try:
        await volunteers.remove_task(actor, task.id)
    except Conflict as exc:
        return redirect(
            request, "organise_tasks", query=f"error={exc.code}", event_id=task.event_id
        )
    return redirect(request, "organise_tasks", event_id=task.event_id)


async def organise_shift_action(request: Request) -> Response:
    """Pair a volunteer with the person to fetch, or undo it."""
    actor = require_actor(request, organise=True)
    action, shift_id = request.path_params["action"], id_param(request, "shift_id")
    settings = request.app.state.settings
    if action == "pair":
        paired = await volunteers.pair_shift(actor, shift_id, settings=settings)
    elif action == "unpair":
        paired = await volunteers.unpair_shift(actor, shift_id)
    else:
        raise NotFound()
    task = await volunteers.task_for_staff(actor, paired.task_id)
    return redirect(request, "organise_tasks", event_id=task.event_id)


async def organise_volunteers(request: Request) -> Response:
    actor = require_actor(request, organise=True)
    people = await volunteers.organisation_volunteers(actor)
    return render(request, "volunteer/organise_volunteers.html", {"people": people})


async def organise_volunteer(request: Request) -> Response:
    """One volunteer: the tasks they did, their statements; sign a new statement."""
    actor = require_actor(request, organise=True)
    volunteer_id, now = id_param(request, "volunteer_id"), datetime.now(UTC)
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        form = await request.form()
        chosen = [parse_id(v) for v in form.getlist("shift")]
        try:
            await volunteers.issue_statement(
                actor, volunteer_id, chosen, settings=request.app.state.settings, now=now
            )
        except FormError as exc:
            errors, status = form_errors(exc.errors), 422
        else:
            return redirect(
                request, "organise_volunteer", query="issued=1", volunteer_id=volunteer_id
            )
    record = await volunteers.volunteer_record(actor, volunteer_id, now=now)
    context = {
        "record": record,
        "errors": errors,
        "issued": request.query_params.get("issued") == "1",
        "hours_text": volunteers.hours_text,
        "kind_labels": volunteers.KIND_LABELS,
    }
    return render(request, "volunteer/organise_volunteer.html", context, status=status)


routes = [
    Route("/events/{slug}/help", help_page, name="volunteer_help"),
    Route(
        "/events/{slug}/help/{task_id}", task_page, methods=["GET", "POST"], name="volunteer_task"
    ),
    Route("/help/{token}", shift, name="volunteer_shift"),
    Route("/help/{token}/cancel", shift_cancel, methods=["POST"], name="volunteer_shift_cancel"),
    Route("/volunteer/{token}", volunteer_home, methods=["GET", "POST"], name="volunteer_home"),
    Route("/volunteer/{token}/hours/{statement_id}.pdf", hours_pdf, name="volunteer_hours_pdf"),
    Route("/verify/hours/{token}", verify_hours, name="verify_hours"),
    Route("/organise/events/{event_id}/tasks", organise_tasks, name="organise_tasks"),
    # POSTs go to their own paths: ``/organise/events/{id}/{action}`` takes every POST there.
    Route(
        "/organise/events/{event_id}/tasks/new",
        organise_tasks,
        methods=["POST"],
        name="organise_task_add",
    ),
    Route(
        "/organise/events/{event_id}/tasks/ask",
        organise_ask,
        methods=["POST"],
        name="organise_tasks_ask",
    ),
    Route(
        "/organise/tasks/{task_id}/remove",
        organise_task_remove,
        methods=["POST"],
        name="organise_task_remove",
    ),
    Route(
        "/organise/shifts/{shift_id}/{action}",
        organise_shift_action,
        methods=["POST"],
        name="organise_shift_action",
    ),
    Route("/organise/volunteers", organise_volunteers, name="organise_volunteers"),
    Route(
        "/organise/volunteers/{volunteer_id}",
        organise_volunteer,
        methods=["GET", "POST"],
        name="organise_volunteer",
    ),
]
