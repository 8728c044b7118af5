"""People who help (vrijwilligers): short tasks at an activity, signing up for them without
an account, accompaniment of older participants, statements of hours for school, door
passes for volunteer door hosts, and venue checks by people with lived experience.

The package keeps its parts private behind these names:

- ``words``: the names of task kinds and their standard descriptions (marked, untranslated)
- ``links``: the public addresses of the volunteer pages, for mails and PDFs
- ``mails``: the volunteer mails, written to the outbox; a task's ``.ics``
- ``tasks``: adding and listing tasks, what is open, asking earlier volunteers
- ``shifts``: signing up, the volunteer's own link, cancelling, reminders
- ``accompany``: accompaniment tasks, pairing, forgetting addresses
- ``hours``: signed statements of hours and their PDF (``pdf``: the PDF writer)

Every function that reads or changes an organisation's data takes the staff ``Actor`` and
checks it; the public ones take a token or a published activity. Imports models, errors,
forms, scope, settings, the staff Actor, ``services.mail`` (its template environment) and
the pure builders; never ``events.web``.
"""

from __future__ import annotations

from events.services.volunteers.accompany import (
    ensure_accompaniment_task,
    forget_addresses,
    pair_shift,
    sync_accompaniment_tasks,
    unpair_shift,
)
from events.services.volunteers.hours import (
    HoursRow,
    Statement,
    VolunteerRecord,
    build_statement_pdf,
    hours_text,
    issue_statement,
    organisation_volunteers,
    statement_by_token,
    volunteer_record,
    volunteer_statement,
)
from events.services.volunteers.mails import task_description, task_name
from events.services.volunteers.shifts import (
    ShiftPage,
    VolunteerForm,
    VolunteerHome,
    cancel_shift,
    check_volunteer_form,
    queue_task_reminders,
    set_ask_again,
    shift_page,
    sign_up_for_task,
    volunteer_home,
)
from events.services.volunteers.tasks import (
    TaskView,
    add_task,
    ask_earlier_volunteers,
    event_tasks,
    open_task_freshness,
    open_tasks,
    public_task,
    remove_task,
    task_for_staff,
)
from events.services.volunteers.words import DEFAULT_DESCRIPTIONS, KIND_LABELS

__all__ = [
    "DEFAULT_DESCRIPTIONS",
    "KIND_LABELS",
    "HoursRow",
    "ShiftPage",
    "Statement",
    "TaskView",
    "VolunteerForm",
    "VolunteerHome",
    "VolunteerRecord",
    "add_task",
    "ask_earlier_volunteers",
    "build_statement_pdf",
    "cancel_shift",
    "check_volunteer_form",
    "ensure_accompaniment_task",
    "event_tasks",
    "forget_addresses",
    "hours_text",
    "issue_statement",
    "open_task_freshness",
    "open_tasks",
    "organisation_volunteers",
    "pair_shift",
    "public_task",
    "queue_task_reminders",
    "remove_task",
    "set_ask_again",
    "shift_page",
    "sign_up_for_task",
    "statement_by_token",
    "sync_accompaniment_tasks",
    "task_description",
    "task_for_staff",
    "task_name",
    "unpair_shift",
    "volunteer_home",
    "volunteer_record",
    "volunteer_statement",
]
