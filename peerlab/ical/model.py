"""Calendar data handed from the formats to the builder: plain frozen dataclasses, no database."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

STATUSES = ("CONFIRMED", "CANCELLED", "TENTATIVE")
# What a sealed date (a date of a confidential group) says in every mail, download and feed.
SEALED_SUMMARY = "Vertraulicher Termin (peerlab)"


@dataclass(frozen=True)
class CalEvent:
    uid: str  # stable, from the database: "lean-coffee-round-17@<MAIL_DOMAIN>"
    summary: str
    starts_at: datetime  # aware
    ends_at: datetime  # aware
    description: str = ""
    url: str | None = None  # absolute link to the page in peerlab
    location: str | None = None  # video-room link
    status: str = "CONFIRMED"  # CONFIRMED | CANCELLED | TENTATIVE
    sequence: int = 0  # filled from the stored sequence by the ical service
    rrule: dict | None = None  # e.g. {"FREQ": "WEEKLY", "COUNT": 12} or with "UNTIL" (aware)
    exdates: tuple[datetime, ...] = ()
    overrides: tuple[CalEvent, ...] = ()  # single-occurrence changes (recurrence_id set)
    recurrence_id: datetime | None = None
    confidential: bool = False  # never in anyone's feed but the entitled user's own
    # The format ended the date before its planned end (a round closed early): it takes no
    # more answers and leaves the open invitations; calendars still show it as it was.
    ended: bool = False
    tz: str = "Europe/Berlin"
    # A date of a confidential group: whatever the format passes, the event carries only
    # SEALED_SUMMARY, no description, no video room, and the builder names "peerlab" as the
    # organizer; the URL leads to the (group) page, which shows more only to members.
    sealed: bool = False

    def __post_init__(self) -> None:
        if self.sealed:  # enforced here, so no mail template or feed can show more
            object.__setattr__(self, "summary", SEALED_SUMMARY)
            object.__setattr__(self, "description", "")
            object.__setattr__(self, "location", None)
            object.__setattr__(self, "confidential", True)
        for name in ("starts_at", "ends_at", "recurrence_id"):
            value = getattr(self, name)
            if value is not None and value.tzinfo is None:
                raise ValueError(f"CalEvent.{name} must be an aware datetime")
        for value in self.exdates:
            if value.tzinfo is None:
                raise ValueError("CalEvent.exdates must be aware datetimes")
        if self.ends_at <= self.starts_at:
            raise ValueError("CalEvent.ends_at must be after starts_at")
        if self.status not in STATUSES:
            raise ValueError(f"unknown CalEvent.status {self.status!r}")

    def with_sequence(self, sequence: int) -> CalEvent:
        """The same event with the stored SEQUENCE (also on its overrides)."""
        return replace(
            self,
            sequence=sequence,
            overrides=tuple(replace(o, sequence=sequence) for o in self.overrides),
        )
