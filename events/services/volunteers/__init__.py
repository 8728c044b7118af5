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
- ``doorpass``: door passes for volunteer door hosts: creating, revoking, redeeming
- ``checkers``: inviting checkers and their welcome link
- ``checks``: the venue checklist, photos, the venue's facts and the public summary

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
from events.services.volunteers.checkers import (
    invite_checker,
    set_checker_password,
    venue_checks,
    welcome_user,
)
from events.services.volunteers.checks import (
    CHOICES,
    ITEMS,
    MAX_PHOTO_BYTES,
    NUMBERS,
    CheckSummary,
    add_photo,
    check_for_checker,
    checker_checks,
    photo_file,
    save_check,
    venue_check_summary,
)
from events.services.volunteers.doorpass import (
    DoorGrant,
    create_door_pass,
    door_actor,
    door_passes,
    pass_for_token,
    redeem,
    revoke_door_pass,
)
from events.services.volunteers.doorpass import window as pass_window
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
    "CHOICES",
    "DEFAULT_DESCRIPTIONS",
    "ITEMS",
    "KIND_LABELS",
    "MAX_PHOTO_BYTES",
    "NUMBERS",
    "CheckSummary",
    "DoorGrant",
    "HoursRow",
    "ShiftPage",
    "Statement",
    "TaskView",
    "VolunteerForm",
    "VolunteerHome",
    "VolunteerRecord",
    "add_photo",
    "add_task",
    "ask_earlier_volunteers",
    "build_statement_pdf",
    "cancel_shift",
    "check_for_checker",
    "check_volunteer_form",
    "checker_checks",
    "create_door_pass",
    "door_actor",
    "door_passes",
    "ensure_accompaniment_task",
    "event_tasks",
    "forget_addresses",
    "hours_text",
    "invite_checker",
    "issue_statement",
    "open_task_freshness",
    "open_tasks",
    "organisation_volunteers",
    "pair_shift",
    "pass_for_token",
    "pass_window",
    "photo_file",
    "public_task",
    "queue_task_reminders",
    "redeem",
    "remove_task",
    "revoke_door_pass",
    "save_check",
    "set_ask_again",
    "set_checker_password",
    "shift_page",
    "sign_up_for_task",
    "statement_by_token",
    "sync_accompaniment_tasks",
    "task_description",
    "task_for_staff",
    "task_name",
    "unpair_shift",
    "venue_check_summary",
    "venue_checks",
    "volunteer_home",
    "volunteer_record",
    "volunteer_statement",
    "welcome_user",
]
