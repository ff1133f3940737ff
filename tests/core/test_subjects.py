"""Subject lifecycle: deleting a subject reaches every row that refers to it by kind and id."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, func, select

from peerlab.accounts.models import GuestPass
from peerlab.core import due, subjects, timebox
from peerlab.extensions import db
from peerlab.ical.models import CalendarSequence, Invitation
from peerlab.notify import outbox
from peerlab.notify.models import OutboxMail


def kind_id_pairs(table: Table) -> list[tuple[str, str]]:
    """Column pairs that refer to something by kind and id: `<x>_kind` + `<x>_id`, or
    `kind` + `subject_id`."""
    names = set(table.columns.keys())
    pairs = [(n, n[: -len("_kind")] + "_id") for n in sorted(names) if n.endswith("_kind")]
    pairs = [(k, i) for k, i in pairs if i in names]
    if {"kind", "subject_id"} <= names:
        pairs.append(("kind", "subject_id"))
    return pairs


def test_the_check_finds_kind_id_pairs():
    meta = MetaData()
    made_up = Table(
        "made_up",
        meta,
        Column("id", Integer, primary_key=True),
        Column("owner_kind", String),
        Column("owner_id", Integer),
        Column("kind", String),
        Column("subject_id", Integer),
        Column("user_id", Integer),
    )
    assert kind_id_pairs(made_up) == [("owner_kind", "owner_id"), ("kind", "subject_id")]


def test_every_kind_and_id_reference_is_registered_with_the_lifecycle(app):
    registered = subjects.registered_tables()
    missing = {
        name: kind_id_pairs(table)
        for name, table in db.metadata.tables.items()
        if kind_id_pairs(table) and name not in registered
    }
    assert missing == {}, "register these tables with core.subjects in the feature's init_app"


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


@pytest.fixture
def live_round(app, make_user, clock):
    """A round in discussion with everything that refers to it: calendar invitations (and
    their queued mails), a guest pass, an expired timebox, an open Roman vote whose close is
    a due item, a mail scheduled for later and one already sent."""
    from peerlab.lean_coffee import calendar_source
    from peerlab.lean_coffee.service import rounds, topics

    def factory(title: str):
        now = clock.now()
        orga = make_user("organizer")
        anna = make_user()
        rnd = rounds.create_round(
            rounds.RoundSettings(
                title=title, starts_at=now + timedelta(hours=1), access="link", timebox_seconds=60
            ),
            creator=orga,
            invitees=[anna],
            now=now,
        )
        calendar_source.invite_all(rnd, organizer=orga, now=now)
        rounds.create_guest(rnd, "Gast Gerda", now=now)
        topics.add_topic(rnd, rounds.participant_in(rnd, _pid(rnd, orga)), "Thema", now=now)
        rounds.advance_phase(rnd, "vote", now=now)
        rounds.advance_phase(rnd, "discuss", now=now)
        about = (rounds.SUBJECT_KIND, rnd.id)
        outbox.enqueue(
            to=anna.email,
            subject="Erinnerung",
            text="Morgen",
            now=now,
            not_before=now + timedelta(days=1),
            about=about,
        )
        sent = outbox.enqueue(to=anna.email, subject="Gesendet", text="x", now=now, about=about)
        sent.sent_at = now
        db.session.commit()
        return rnd

    return factory


def _pid(rnd, user) -> int:
    from peerlab.lean_coffee.models import Participant

    return db.session.scalar(
        select(Participant.id).where(Participant.round_id == rnd.id, Participant.user_id == user.id)
    )


def _refs(round_id: int) -> dict[str, int]:
    kinds = subjects.kinds_of("lean_coffee.round")
    return {
        "timeboxes": _count(
            timebox.Timebox, timebox.Timebox.kind.in_(kinds), timebox.Timebox.subject_id == round_id
        ),
        "due_items": _count(
            due.DueItem, due.DueItem.subject_kind.in_(kinds), due.DueItem.subject_id == round_id
        ),
        "queued_mails": _count(
            OutboxMail,
            OutboxMail.about_kind.in_(kinds),
            OutboxMail.about_id == round_id,
            OutboxMail.sent_at.is_(None),
        ),
        "mail_references": _count(
            OutboxMail, OutboxMail.about_kind.in_(kinds), OutboxMail.about_id == round_id
        ),
        "invitations": _count(
            Invitation, Invitation.kind.in_(kinds), Invitation.subject_id == round_id
        ),
        "calendar_sequences": _count(
            CalendarSequence,
            CalendarSequence.kind.in_(kinds),
            CalendarSequence.subject_id == round_id,
        ),
        "guest_passes": _count(
            GuestPass, GuestPass.scope_kind.in_(kinds), GuestPass.scope_id == round_id
        ),
    }


def test_deleting_a_round_removes_everything_that_refers_to_it(live_round, clock):
    from peerlab.lean_coffee.models import Round
    from peerlab.lean_coffee.service import rounds

    doomed, kept = live_round("Wird gelöscht"), live_round("Bleibt")
    due.run_due(clock.advance(61))  # the boxes expire: Roman votes open, their close is due
    before = _refs(doomed.id)
    assert all(before.values()), before  # the fixture really made every kind of reference
    assert _refs(kept.id) == before

    rounds.delete_round(doomed, now=clock.now())
    db.session.commit()

    assert _refs(doomed.id) == dict.fromkeys(before, 0)
    assert db.session.get(Round, doomed.id) is None
    assert _refs(kept.id) == before, "the other round keeps its references"
    sent = db.session.scalars(select(OutboxMail).where(OutboxMail.subject == "Gesendet")).all()
    assert len(sent) == 2, "sent mails stay (until the purge), without the reference"
    results = due.run_due(clock.advance(3600 * 24 + 60))
    assert all(v >= 0 for v in results.values()), results
