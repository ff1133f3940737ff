"""Every feature's models, imported in one place so Alembic and create_all see the whole schema."""

from peerlab.accounts.models import (
    AuditEntry,
    AuthSession,
    GuestPass,
    OneTimeToken,
    RateEvent,
    User,
)
from peerlab.core.live.models import LiveSocket
from peerlab.core.timebox import Timebox
from peerlab.ical.models import CalendarSequence, CancelledOccurrence, FeedKey, Invitation
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
    "LiveSocket",
    "OneTimeToken",
    "OutboxMail",
    "Participant",
    "Presence",
    "RateEvent",
    "RomanVote",
    "Round",
    "Takeaway",
    "Thumb",
    "Timebox",
    "Topic",
    "User",
    "Vote",
]
