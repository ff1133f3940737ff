"""Confidential small groups: the group, its members' group identity, invitations, threads,
posts, shared notes and reports.

Who belongs to a group is core's `Membership` (space kind "groups.group"); what groups add to a
member (the identity shown in the group, when the confidentiality rule was accepted) sits in
`group_members` under the membership's id, and goes with it.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from peerlab.core.types import UTCDateTime
from peerlab.extensions import db

SPACE_KIND = "groups.group"
DEFAULT_SIZE = 12
MIN_SIZE, MAX_SIZE = 3, 30
RETENTIONS = (30, 90, 365)  # days; None: "bis die Gruppe endet"
IDENTITIES = ("real", "pseudonym")  # what a member shows in the group (anonymous is per post)
OWNER, MEMBER = "owner", "member"


class Group(db.Model):
    __tablename__ = "groups"
    __table_args__ = (
        CheckConstraint("size_limit BETWEEN 3 AND 30", name="group_size"),
        CheckConstraint(
            "retention_days IS NULL OR retention_days IN (30, 90, 365)", name="group_retention"
        ),
        CheckConstraint("allow_real OR allow_pseudonym", name="group_identity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    purpose: Mapped[str] = mapped_column(Text, default="")
    size_limit: Mapped[int] = mapped_column(Integer, default=DEFAULT_SIZE)
    allow_real: Mapped[bool] = mapped_column(Boolean, default=True)
    allow_pseudonym: Mapped[bool] = mapped_column(Boolean, default=True)
    allow_anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    retention_days: Mapped[int | None] = mapped_column(Integer, nullable=True)
    members_may_invite: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_post_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, default=0)  # core.locking: the group's lock


class GroupMember(db.Model):
    """What a group adds to one membership: the identity shown and the accepted rule."""

    __tablename__ = "group_members"
    __table_args__ = (CheckConstraint("identity IN ('real', 'pseudonym')", name="identity"),)

    membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), primary_key=True
    )
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    identity: Mapped[str] = mapped_column(String(10), default="real")
    rule_accepted_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Invitation(db.Model):
    """An e-mail invitation (for one account, `user_id`) or a one-time link (anyone signed in).
    Only the hash of the secret is stored; the POST that joins uses it up."""

    __tablename__ = "group_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Thread(db.Model):
    __tablename__ = "group_threads"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_post_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Post(db.Model):
    """One post. `membership_id` is the author's membership (their group identity); it is
    empty for an anonymous post, which stores no author at all."""

    __tablename__ = "group_posts"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True)
    thread_id: Mapped[int] = mapped_column(
        ForeignKey("group_threads.id", ondelete="CASCADE"), index=True
    )
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    membership_id: Mapped[int | None] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), index=True
    )
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Note(db.Model):
    """The notes a group keeps together (one text per group, edited by any member)."""

    __tablename__ = "group_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), unique=True)
    body: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("memberships.id", ondelete="SET NULL")
    )
    version: Mapped[int] = mapped_column(Integer, default=0)


class Report(db.Model):
    """A member reported a post to the owners ("Melden"); owners see that, never by whom."""

    __tablename__ = "group_reports"
    __table_args__ = (UniqueConstraint("post_id", "membership_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(
        ForeignKey("group_posts.id", ondelete="CASCADE"), index=True
    )
    membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class AnonymousCount(db.Model):
    """Anonymous posts counted per member and day: no post id, no time of day. An anonymous
    post adds one for EVERY active member of its group, so the rows never tell who wrote it
    (the limit is, in effect, the group's daily number of anonymous posts)."""

    __tablename__ = "group_anonymous_counts"
    __table_args__ = (UniqueConstraint("membership_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), index=True
    )
    day: Mapped[date] = mapped_column(Date())
    count: Mapped[int] = mapped_column(Integer, default=0)
