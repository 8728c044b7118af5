"""The few words the volunteer services and pages share: the name of each kind of task,
what it involves in two plain sentences (used when an organiser leaves the description
empty), and the items of a venue check.

Marked for extraction only (``N_``); whoever shows them translates them at that moment, in
the reader's language. Pure: imports ``events.i18n`` and the models' enums.
"""

from __future__ import annotations

from events.i18n import mark as N_
from events.models import TaskKind

KIND_LABELS: dict[str, str] = {
    TaskKind.DOOR_HOST: N_("Door host"),
    TaskKind.TABLE_HOST: N_("Table host"),
    TaskKind.SETUP: N_("Setting up and tidying"),
    TaskKind.COFFEE: N_("Coffee and tea"),
    TaskKind.ACCOMPANY: N_("Fetching or walking along"),
}

DEFAULT_DESCRIPTIONS: dict[str, str] = {
    TaskKind.DOOR_HOST: N_(
        "You welcome people at the door and tick their names off on a phone or a list. "
        "You show them where the phones go and where they sit."
    ),
    TaskKind.TABLE_HOST: N_(
        "You sit at a conversation table and help the talk get going. "
        "You make sure everyone gets a turn, young and old."
    ),
    TaskKind.SETUP: N_(
        "You help put out tables and chairs before the start. "
        "Afterwards you help tidy up, so the place is as we found it."
    ),
    TaskKind.COFFEE: N_(
        "You make coffee and tea and bring it round. "
        "You also keep an eye on cups and biscuits during the evening."
    ),
    TaskKind.ACCOMPANY: N_(
        "You fetch an older participant at home and walk or travel together to the activity. "
        "You see the address once the organiser has paired you."
    ),
}

assert set(KIND_LABELS) == set(TaskKind) == set(DEFAULT_DESCRIPTIONS)
