"""Ideas (ideeën): young people, and anyone, propose and support activities; organisers of
the town approve them and turn the best-supported into real evenings.

The package keeps its parts private behind these names:

- ``form``: checking a proposal, an "I would come" and a report
- ``scope``: the towns, and which ideas a staff member looks after
- ``proposals``: proposing without an account, confirming by email
- ``support``: "I would come", once per confirmed address, and the counts
- ``public``: what the public sees (approved ideas only, never who)
- ``moderation``: approving, rejecting, merging duplicates, reports
- ``activity``: an idea into a draft activity; telling supporters once it is published
- ``figures``: the counts for the municipality's report
- ``mail``: the idea mails and the addresses they link to
- ``throttle``: the rate limits per client address and per email address
- ``retention``: deleting what never counted, erasing people past the retention period
"""

from __future__ import annotations

from events.services.ideas.activity import (
    DraftForm,
    draft_form,
    draft_from_idea,
    draft_values,
    notify_published_ideas,
    notify_supporters,
    venues_for_idea,
)
from events.services.ideas.figures import IdeaFigures, ideas_report
from events.services.ideas.form import SUMMARY_MAX, TITLE_MAX, months_from
from events.services.ideas.moderation import (
    OrganiserIdea,
    TownIdeas,
    approve_idea,
    keep_idea,
    merge_ideas,
    moderated_towns,
    organiser_ideas,
    reject_idea,
    report_idea,
)
from events.services.ideas.proposals import (
    CONFIRM_WITHIN,
    confirm_idea,
    idea_by_token,
    propose_idea,
)
from events.services.ideas.public import (
    PublicIdea,
    approved_ideas,
    merged_into,
    public_idea,
    towns_with_ideas,
)
from events.services.ideas.retention import purge_ideas
from events.services.ideas.scope import get_idea_for, idea_towns, venue_choices
from events.services.ideas.support import (
    SupportCount,
    confirm_support,
    support_by_token,
    support_idea,
)
from events.services.ideas.throttle import Throttled

__all__ = [
    "CONFIRM_WITHIN",
    "SUMMARY_MAX",
    "TITLE_MAX",
    "DraftForm",
    "IdeaFigures",
    "OrganiserIdea",
    "PublicIdea",
    "SupportCount",
    "Throttled",
    "TownIdeas",
    "approve_idea",
    "approved_ideas",
    "confirm_idea",
    "confirm_support",
    "draft_form",
    "draft_from_idea",
    "draft_values",
    "get_idea_for",
    "idea_by_token",
    "idea_towns",
    "ideas_report",
    "keep_idea",
    "merge_ideas",
    "merged_into",
    "moderated_towns",
    "months_from",
    "notify_published_ideas",
    "notify_supporters",
    "organiser_ideas",
    "propose_idea",
    "public_idea",
    "purge_ideas",
    "reject_idea",
    "report_idea",
    "support_by_token",
    "support_idea",
    "towns_with_ideas",
    "venue_choices",
    "venues_for_idea",
]
