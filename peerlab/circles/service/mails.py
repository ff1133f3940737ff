"""Circle mails (reminders, nudges, quorum notices) through the outbox, in the recipient's
language and time zone. They name the circle and the date, never a check-in."""

from __future__ import annotations

from datetime import datetime

from peerlab.accounts.models import User
from peerlab.circles import prompts, schedule
from peerlab.circles.models import Circle
from peerlab.core.urls import absolute
from peerlab.ical.mails import when_text
from peerlab.notify.outbox import enqueue_template


def send(
    template: str,
    circle: Circle,
    meeting: schedule.Meeting,
    user: User,
    *,
    now: datetime,
    cause_key: str,
) -> None:
    language = user.language if user.language in ("de", "en") else "de"
    enqueue_template(
        template,
        to=user.email,
        language=language,
        now=now,
        user_id=user.id,
        cause_key=cause_key,
        about=("circles.circle", circle.id),
        recipient=user,
        mail_language=language,
        circle=circle,
        meeting=meeting,
        focus=prompts.focus(min(meeting.number, len(prompts.FOCUS))),
        when=when_text(meeting.starts_at, meeting.ends_at, tz=user.timezone, language=language),
        page_url=absolute("circles.show", circle_id=circle.id),
        checkin_url=absolute("circles.checkin", circle_id=circle.id, number=meeting.number),
        settings_url=absolute("circles.show", circle_id=circle.id, _anchor="erinnerungen"),
        video_url=circle.video_url,
    )
