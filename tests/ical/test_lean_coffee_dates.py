"""The first real user of the calendar: Lean Coffee rounds parse in both parsers everywhere."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from peerlab.extensions import db
from peerlab.ical import service
from peerlab.lean_coffee import calendar_source
from peerlab.lean_coffee.service import rounds
from peerlab.notify.models import OutboxMail
from tests.ical.parsers import icaljs, icaljs_occurrences, rie_occurrences
from tests.notify import mime


def test_a_round_invitation_download_and_feed_parse_in_both_parsers(app, make_user, now):
    from email import message_from_bytes
    from email.policy import default

    organizer = make_user("organizer", name="Olga Orga")
    anna = make_user(name="Anna Amsel")
    settings = rounds.RoundSettings(
        title="Digitale Akte; Teil 2, Raum\\Nord",
        starts_at=now + timedelta(days=3),
        access="invited",
        video_url="https://video.example/lc",
    )
    rnd = rounds.create_round(settings, creator=organizer, invitees=[anna], now=now)
    assert calendar_source.invite_all(rnd, organizer=organizer, now=now) == 2
    db.session.commit()

    raw = db.session.scalars(select(OutboxMail.raw).where(OutboxMail.to_addr == anna.email)).one()
    ics = mime.calendar_bytes(message_from_bytes(raw, policy=default))
    _, download = service.download("lean_coffee.round", rnd.id, anna, now)
    feed = service.personal_feed(anna, now, name="Meine Termine")
    for body in (ics, download, feed):
        (js,) = icaljs_occurrences(body)
        (py,) = rie_occurrences(body)
        assert js.summary == py.summary == "Lean Coffee: Digitale Akte; Teil 2, Raum\\Nord"
        assert js.start_utc == py.start_utc == settings.starts_at.replace(microsecond=0)
    assert icaljs(ics)["events"][0]["attendees"] == [f"mailto:{anna.email}"]
