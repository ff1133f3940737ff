"""Every feature's models, imported in one place so Alembic and create_all see the whole schema."""

from peerlab.accounts.models import AuditEntry, AuthSession, GuestPass, OneTimeToken, RateEvent, User
from peerlab.core.timebox import Timebox
from peerlab.notify.models import OutboxMail

__all__ = [
    "AuditEntry",
    "AuthSession",
    "GuestPass",
    "OneTimeToken",
    "OutboxMail",
    "RateEvent",
    "Timebox",
    "User",
]
