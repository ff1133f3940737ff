"""One recurring invitation per member: weekly, COUNT 12, at local time with TZID."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import select

from peerlab.circles.service import circles as service
from peerlab.core.errors import NotFound
from peerlab.extensions import db
from peerlab.ical import service as ical_service
from peerlab.notify.models import OutboxMail
from tests.circles.conftest import actor, settings_from
from tests.ical.parsers import icaljs_occurrences, rie_occurrences, unfolded


@pytest.fixture
def february_circle(app, people, clock):
    """Created on 3 February 2026, first meeting Tuesday 17 February, 18:00 in Berlin."""
    clock.set(datetime(2026, 2, 3, 9, 0, tzinfo=UTC))
    now = clock.now()
    circle = service.create_circle(
        settings_from(
            now,
            start_date=date(2026, 2, 17),
            local_time=time(18, 0),
            invitees=(people.ben.id, people.carl.id),
        ),
        creator=people.anna,
        now=now,
    )
    db.session.commit()
    return circle


def _download(circle, user, clock) -> bytes:
    _event, body = ical_service.download("circles.circle", circle.id, user, clock.now())
    return body


def test_twelve_weekly_dates_at_1800_berlin_across_the_change(february_circle, people, clock):
    body = _download(february_circle, people.anna, clock)
    lines = unfolded(body)
    assert "RRULE:FREQ=WEEKLY;COUNT=12" in lines
    assert any(line.startswith("DTSTART;TZID=Europe/Berlin:20260217T180000") for line in lines)
    for occurrences in (rie_occurrences(body), icaljs_occurrences(body)):
        assert len(occurrences) == 12
        assert {o.start_local[11:] for o in occurrences} == {"18:00:00"}
        by_day = {o.start_utc.date(): o.start_utc for o in occurrences}
        assert by_day[date(2026, 3, 24)] == datetime(2026, 3, 24, 17, 0, tzinfo=UTC)
        assert by_day[date(2026, 3, 31)] == datetime(2026, 3, 31, 16, 0, tzinfo=UTC)
        assert len({o.uid for o in occurrences}) == 1


def test_invitation_mail_goes_out_on_accepting_only(february_circle, people, clock):
    def mails_to(user) -> list[OutboxMail]:
        return list(db.session.scalars(select(OutboxMail).where(OutboxMail.to_addr == user.email)))

    assert len(mails_to(people.anna)) == 1  # the creator joined
    assert mails_to(people.ben) == []  # invited in peerlab, not yet in the calendar
    service.answer_invitation(february_circle.id, actor(people.ben), accept=True, now=clock.now())
    db.session.commit()
    [mail] = mails_to(people.ben)
    assert b"method=REQUEST" in mail.raw and b"text/calendar" in mail.raw


def test_only_active_members_download_or_see_it_in_their_feed(february_circle, people, clock):
    from peerlab.circles.calendar_source import CircleCalendar

    source = CircleCalendar()
    for user in (people.carl, people.orga, people.admin, people.outsider):
        with pytest.raises(NotFound):
            _download(february_circle, user, clock)
        assert source.events_for(user, clock.now()) == []
    [event] = source.events_for(people.anna, clock.now())
    assert event.rrule == {"FREQ": "WEEKLY", "COUNT": 12} and event.confidential


@pytest.mark.parametrize(
    ("zone", "before", "after"),
    [("Europe/London", 18, 17), ("Europe/Helsinki", 16, 15), ("Europe/Vienna", 17, 16)],
)
def test_other_eu_zones_keep_local_time_in_calendars(app, people, clock, zone, before, after):
    """The builder describes the zones with the EU rule; their series stay at 18:00 local."""
    clock.set(datetime(2026, 2, 3, 9, 0, tzinfo=UTC))
    circle = service.create_circle(
        settings_from(
            clock.now(),
            zone=zone,
            start_date=date(2026, 2, 17),
            local_time=time(18, 0),
            invitees=(people.ben.id,),
        ),
        creator=people.anna,
        now=clock.now(),
    )
    body = _download(circle, people.anna, clock)
    assert any(line.startswith(f"DTSTART;TZID={zone}:20260217T180000") for line in unfolded(body))
    assert b"RDATE" not in body
    for occurrences in (rie_occurrences(body), icaljs_occurrences(body)):
        by_day = {o.start_utc.date(): o.start_utc for o in occurrences}
        assert len(by_day) == 12 and {o.start_local[11:] for o in occurrences} == {"18:00:00"}
        assert by_day[date(2026, 3, 24)].hour == before
        assert by_day[date(2026, 3, 31)].hour == after
