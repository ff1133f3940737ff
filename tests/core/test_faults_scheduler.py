"""The single scheduler process on PostgreSQL and Redis (issue 13, "What must hold"):
a timer's expiry fires once, from `peerlab scheduler`, and reaches clients on both web
processes; a scheduler killed in the middle of its work and started again loses nothing and
applies nothing twice."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from tests.lean_coffee.live_support import Client, seed, sign_in
from tests.support.cluster import SchedulerProcess, database_fixtures, own_channel, scalar
from tests.support.services import need_redis

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


pg_url, sql = database_fixtures("peerlab_faults_sched")


def roman_opened(state) -> bool:
    return bool(state["roman"] and state["roman"]["open"])


def test_timer_expiry_fires_once_from_the_scheduler_and_reaches_both_processes(
    sql, pg_url, tmp_path, live_factory
):
    queue = need_redis()
    channel = own_channel()
    env = {"SOCKETIO_CHANNEL": channel}
    a = live_factory(db_url=pg_url, queue=queue, scheduler="external", extra_env=env)
    b = live_factory(db_url=pg_url, queue=queue, scheduler="external", extra_env=env)
    scheduler = SchedulerProcess(
        tmp_path, db_url=pg_url, queue=queue, channel=channel, instance=a.instance
    )
    rid = seed(a)["round_id"]
    anna = Client(a, sign_in(a, "anna@lindenau.example"), "anna-on-a")
    ben = Client(b, sign_in(b, "ben@auental.example"), "ben-on-b")
    try:
        assert anna.call("round:join", round_id=rid)["ok"]
        assert ben.call("round:join", round_id=rid)["ok"]
        topic_id = ben.call("topic:add", round_id=rid, title="Haushalt 2027")["topic_id"]
        assert anna.call("phase:advance", round_id=rid, to="vote")["ok"]
        assert ben.call("vote:cast", round_id=rid, topic_id=topic_id)["ok"]
        assert anna.call("phase:advance", round_id=rid, to="discuss")["ok"]
        box = scalar(sql, "SELECT timebox_id FROM lean_coffee_rounds WHERE id = :r", r=rid)
        # The topic's eight minutes are over (the row says so; nobody waits for them).
        with sql.begin() as conn:
            conn.execute(
                text("UPDATE timeboxes SET ends_at = :t WHERE id = :b"),
                {"t": datetime.now(UTC) - timedelta(seconds=2), "b": box},
            )
        time.sleep(1.5)  # web processes tick every second when they run jobs: these do not
        assert scalar(sql, "SELECT status FROM timeboxes WHERE id = :b", b=box) == "running"

        marks = [anna.mark(), ben.mark()]
        scheduler.start()
        for client, mark in zip((anna, ben), marks, strict=True):
            client.wait_for("round:state", roman_opened, after=mark, timeout=20)
        time.sleep(2.5)  # one more of the scheduler's ticks (every 2 s): nothing fires again
        assert scalar(sql, "SELECT status FROM timeboxes WHERE id = :b", b=box) == "expired"
        expiries = "SELECT count(*) FROM due_items WHERE kind = 'core.timebox.expired'"
        assert scalar(sql, expiries) == 1
        assert scalar(sql, expiries + " AND done_at IS NOT NULL") == 1
        romans = "SELECT count(*) FROM lean_coffee_roman_votes WHERE round_id = :r"
        assert scalar(sql, romans, r=rid) == 1
        for client, mark in zip((anna, ben), marks, strict=True):
            opened = [
                data["version"]
                for event, data in client.received[mark:]
                if event == "round:state" and roman_opened(data)
            ]
            assert len(opened) == 1, (client.name, opened)  # one broadcast, on each process
        assert scheduler.errors() == []
    finally:
        anna.close()
        ben.close()
        scheduler.stop()


# --- a scheduler killed mid-work and started again ------------------------------------------
ROUNDS = 6
INVITED = 12
REGISTERED = 10


def seed_due_work(pg_url: str, tmp_path) -> dict:
    """Expiries (rounds whose topic time ran out), account invitations in the outbox and an
    impulse whose 24-hour reminder is due: all due before the scheduler starts."""
    from peerlab.accounts import links, service
    from peerlab.core import timebox
    from peerlab.extensions import db
    from peerlab.impulses.service import registrations, series
    from peerlab.lean_coffee.models import Participant
    from peerlab.lean_coffee.service import rounds, topics
    from tests.conftest import make_app

    app = make_app(tmp_path, SQLALCHEMY_DATABASE_URI=pg_url)
    with app.app_context():
        now = app.extensions["peerlab.clock"].now()
        before = now - timedelta(seconds=60)
        orga = service.create_user(
            email="orga@lindenau.example", name="Olga Orga", role="organizer", now=before
        )
        boxes = []
        for n in range(ROUNDS):
            rnd = rounds.create_round(
                rounds.RoundSettings(title=f"Runde {n}", starts_at=now),
                creator=orga,
                invitees=[],
                now=before,
            )
            facilitator = db.session.query(Participant).filter_by(round_id=rnd.id).one()
            topics.add_topic(rnd, facilitator, "Haushalt", anonymous=False, now=before)
            rounds.advance_phase(rnd, "vote", now=before)
            rounds.advance_phase(rnd, "discuss", now=before)
            box = db.session.get(timebox.Timebox, rnd.timebox_id)
            box.ends_at = now - timedelta(seconds=5)  # the topic's time ran out 5 s ago
            boxes.append(box.id)
        for n in range(INVITED):
            user = service.create_user(
                email=f"eingeladen{n}@kommune.example",
                name=f"Eingeladen {n}",
                now=before,
                status="invited",
            )
            links.send_invitation(user, now=before, inviter_name="Olga Orga")
        made = series.create_series(
            series.SeriesSettings(title="Kurzimpulse", capacity=REGISTERED), actor=orga, now=before
        )
        # The 24-hour reminder fell due 5 s ago (planned a minute before).
        starts = now + timedelta(hours=24) - timedelta(seconds=5)
        series.add_impulses(
            made,
            [series.ImpulseSettings(title="Impuls", starts_at=starts, minutes=30)],
            actor=orga,
            now=before,
        )
        impulse = made.impulses[0]
        for n in range(REGISTERED):
            user = service.create_user(
                email=f"angemeldet{n}@kommune.example", name=f"Angemeldet {n}", now=before
            )
            registrations.register(impulse, user, now=before)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return {"boxes": boxes}


def test_scheduler_killed_mid_work_and_started_again_loses_and_doubles_nothing(
    sql, pg_url, tmp_path
):
    queue = need_redis()
    seed_due_work(pg_url, tmp_path / "seed")
    reminders = "SELECT count(*) FROM outbox WHERE kind = 'impulses_reminder'"
    mails_total = scalar(sql, "SELECT count(*) FROM outbox")
    assert scalar(sql, reminders) == 0 and mails_total >= INVITED + REGISTERED
    scheduler = SchedulerProcess(
        tmp_path, db_url=pg_url, queue=queue, channel=own_channel(), instance=tmp_path / "inst"
    )
    romans = "SELECT count(*) FROM lean_coffee_roman_votes"
    sent = "SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL"
    try:
        scheduler.start()
        deadline = time.monotonic() + 20
        while scalar(sql, romans) == 0 and time.monotonic() < deadline:
            time.sleep(0.005)
        scheduler.kill()  # in the middle of its first tick
        progress = (scalar(sql, romans), scalar(sql, sent))
        assert progress[0] > 0, "the scheduler did nothing before it was killed"

        scheduler.start()  # and again, while it delivers the mails
        deadline = time.monotonic() + 20
        while scalar(sql, sent) == 0 and time.monotonic() < deadline:
            time.sleep(0.005)
        scheduler.kill()
        assert scalar(sql, sent) < mails_total + REGISTERED, "all sent before the kill"

        scheduler.start()
        deadline = time.monotonic() + 25
        while time.monotonic() < deadline and not _all_done(sql):
            time.sleep(0.2)
        assert _all_done(sql), _state(sql)
        time.sleep(2.5)  # one more tick: nothing is applied a second time
    finally:
        scheduler.stop()

    assert scalar(sql, romans) == ROUNDS  # each expiry applied once
    per_round = "SELECT max(n) FROM (SELECT count(*) n FROM lean_coffee_roman_votes"
    per_round += " GROUP BY round_id) c"
    assert scalar(sql, per_round) == 1
    expiries = "SELECT count(*) FROM due_items WHERE kind = 'core.timebox.expired'"
    assert scalar(sql, expiries) == ROUNDS
    assert scalar(sql, expiries + " AND done_at IS NOT NULL") == ROUNDS
    closes = "SELECT count(*) FROM due_items WHERE kind = 'lean_coffee.roman_close'"
    assert scalar(sql, closes) == ROUNDS  # one close planned per vote
    reminder_items = "SELECT count(*) FROM due_items WHERE kind = 'impulses.reminder'"
    done_24h = " AND done_at IS NOT NULL AND payload::text LIKE '%24h%'"
    assert scalar(sql, reminder_items + done_24h) == 1
    assert scalar(sql, "SELECT count(*) FROM due_items WHERE failed_at IS NOT NULL") == 0
    # One reminder per registration, one invitation per invited person: no second row.
    assert scalar(sql, reminders) == REGISTERED
    people = "SELECT count(DISTINCT user_id) FROM outbox WHERE kind = 'impulses_reminder'"
    assert scalar(sql, people) == REGISTERED
    assert scalar(sql, "SELECT count(*) FROM outbox WHERE kind = 'invitation'") == INVITED
    assert scalar(sql, "SELECT count(*) FROM outbox") == mails_total + REGISTERED
    # Every mail went out, except at most the one the kill caught between claim and
    # delivery: its claim runs out and it is sent again with the same Message-ID.
    unsent = scalar(sql, "SELECT count(*) FROM outbox WHERE sent_at IS NULL")
    held = scalar(
        sql, "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND claimed_until > now()"
    )
    assert unsent == held <= 1
    assert scalar(sql, "SELECT count(*) FROM outbox WHERE failed_at IS NOT NULL") == 0


def _all_done(sql) -> bool:
    pending = scalar(
        sql,
        "SELECT count(*) FROM due_items WHERE done_at IS NULL AND failed_at IS NULL"
        " AND due_at <= now()",
    )
    running = scalar(
        sql, "SELECT count(*) FROM timeboxes WHERE status = 'running' AND ends_at <= now()"
    )
    unsent = scalar(
        sql,
        "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL"
        " AND (claimed_until IS NULL OR claimed_until < now())",
    )
    reminders = scalar(sql, "SELECT count(*) FROM outbox WHERE kind = 'impulses_reminder'")
    return pending == 0 and running == 0 and unsent == 0 and reminders > 0


def _state(sql) -> dict:
    with sql.connect() as conn:
        items = conn.execute(
            text("SELECT kind, done_at IS NOT NULL, attempts, last_error FROM due_items")
        ).all()
        mails = conn.execute(
            text("SELECT kind, sent_at IS NOT NULL, count(*) FROM outbox GROUP BY 1, 2")
        ).all()
    return {"items": items, "mails": mails}
