"""Translatable labels for stored values (languages, interests, needs, groups, statuses).

Values are marked with ``N_`` for extraction and translated when shown (``i18n.choices``).
"""

from __future__ import annotations

from events.i18n import mark as N_

LANGUAGE_LABELS = {
    "nl": N_("Dutch"),
    "en": N_("English"),
    "de": N_("German"),
    "fr": N_("French"),
    "tr": N_("Turkish"),
    "ar": N_("Arabic"),
    "pl": N_("Polish"),
    "uk": N_("Ukrainian"),
    "es": N_("Spanish"),
    "pap": N_("Papiamento"),
    "fy": N_("Frisian"),
}
INTEREST_LABELS = {
    "music": N_("Music"),
    "games": N_("Games"),
    "cooking": N_("Cooking"),
    "nature": N_("Nature and gardening"),
    "stories": N_("Stories and history"),
    "sports": N_("Sports"),
    "crafts": N_("Crafts and making things"),
    "technology": N_("Technology"),
    "film": N_("Film and theatre"),
    "books": N_("Books"),
}
NEED_LABELS = {
    "step_free": N_("A place without steps"),
    "quiet": N_("A quiet table"),
    "hearing": N_("I hear less well"),
    "sight": N_("I see less well"),
    "seat": N_("A chair with arms"),
}
GROUP_LABELS = {
    "young": N_("Young"),
    "older": N_("Older"),
    "open": N_("Any age"),
}
STATUS_LABELS = {
    "confirmed": N_("Confirmed"),
    "waitlisted": N_("Waiting list"),
    "awaiting_guardian": N_("Waiting for parent or guardian"),
    "cancelled": N_("Sign-up cancelled"),
}
