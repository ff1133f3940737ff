"""Every feature's models, imported in one place so Alembic and create_all see the whole schema."""

from peerlab.accounts.models import (
    AuditEntry,
    AuthSession,
    GuestPass,
    OneTimeToken,
    RateEvent,
    User,
)
from peerlab.core.authormarks import UnlinkableMark
from peerlab.core.spaces import Membership
from peerlab.core.timebox import Timebox
from peerlab.ical.models import (
    CalendarSequence,
    CancelledOccurrence,
    FeedKey,
    Invitation,
    SeriesFeedKey,
)
from peerlab.lean_coffee.models import (
    ActionItem,
    Participant,
    Presence,
    RomanVote,
    Round,
    Takeaway,
    Thumb,
    Topic,
    Vote,
)
from peerlab.notify.models import OutboxMail

__all__ = [
    "ActionItem",
    "AuditEntry",
    "AuthSession",
    "CalendarSequence",
    "CancelledOccurrence",
    "FeedKey",
    "GuestPass",
    "Invitation",
    "Membership",
    "OneTimeToken",
    "OutboxMail",
    "Participant",
    "Presence",
    "RateEvent",
    "RomanVote",
    "Round",
    "SeriesFeedKey",
    "Takeaway",
    "Thumb",
    "Timebox",
    "Topic",
    "UnlinkableMark",
    "User",
    "Vote",
]
