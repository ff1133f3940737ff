"""Every feature's models, imported in one place so Alembic and create_all see the whole schema."""

from peerlab.accounts.models import (
    AuditEntry,
    AuthSession,
    GuestPass,
    OneTimeToken,
    RateEvent,
    User,
)
from peerlab.circles.meeting_models import CircleMeeting
from peerlab.circles.models import CheckIn, Circle, Contribution, Goal, Relationship
from peerlab.coaching.models import CoachingCard, CoachingKeep, CoachingPhase, CoachingSession
from peerlab.core.agenda import Agenda, AgendaStep
from peerlab.core.authormarks import UnlinkableMark
from peerlab.core.due import DueItem
from peerlab.core.live.actions import LiveAction
from peerlab.core.live.models import LiveSocket
from peerlab.core.presence import LiveProcess, PresenceRow
from peerlab.core.spaces import Membership
from peerlab.core.timebox import Timebox
from peerlab.groups.models import (
    AnonymousCount,
    Group,
    GroupMember,
    Note,
    Post,
    Report,
    Thread,
)
from peerlab.groups.models import Invitation as GroupInvitation
from peerlab.ical.models import (
    CalendarSequence,
    CancelledOccurrence,
    FeedKey,
    Invitation,
    SeriesFeedKey,
)
from peerlab.impulses.materials_model import Material
from peerlab.impulses.models import Impulse, Registration, Series
from peerlab.lean_coffee.models import (
    ActionItem,
    Participant,
    RomanVote,
    Round,
    Takeaway,
    Thumb,
    Topic,
    Vote,
)
from peerlab.notify.models import DigestSetting, OutboxMail

__all__ = [
    "ActionItem",
    "Agenda",
    "AgendaStep",
    "AnonymousCount",
    "AuditEntry",
    "AuthSession",
    "CalendarSequence",
    "CancelledOccurrence",
    "CheckIn",
    "Circle",
    "CircleMeeting",
    "CoachingCard",
    "CoachingKeep",
    "CoachingPhase",
    "CoachingSession",
    "Contribution",
    "DigestSetting",
    "DueItem",
    "FeedKey",
    "Goal",
    "Group",
    "GroupInvitation",
    "GroupMember",
    "GuestPass",
    "Impulse",
    "Invitation",
    "LiveAction",
    "LiveProcess",
    "LiveSocket",
    "Material",
    "Membership",
    "Note",
    "OneTimeToken",
    "OutboxMail",
    "Participant",
    "Post",
    "PresenceRow",
    "RateEvent",
    "Registration",
    "Relationship",
    "Report",
    "RomanVote",
    "Round",
    "Series",
    "SeriesFeedKey",
    "Takeaway",
    "Thread",
    "Thumb",
    "Timebox",
    "Topic",
    "UnlinkableMark",
    "User",
    "Vote",
]
