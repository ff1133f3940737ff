"""Core presence across processes: one heartbeat row per process, presence rows point to their
process, a process silent for 30 s loses its rows through the due job (wherever jobs run) and
the affected rooms are told; a room may keep no presence at all."""

from __future__ import annotations

import json
import time

import pytest
from sqlalchemy import create_engine, func, select, text

from peerlab.core import due
from peerlab.core import presence as core
from peerlab.core.live import queue_emit
from peerlab.extensions import db
from tests.conftest import make_app
from tests.support.registry import patch_slot
from tests.support.services import need_redis

KIND = "test.room"


@pytest.fixture
def told(app, monkeypatch):
    """Rooms of KIND told about a presence change (the app's registry restored afterwards)."""
    calls: list[int] = []

    def tell(subject_id, now):
        calls.append(subject_id)

    patch_slot(monkeypatch, app, "presence_handlers", KIND, tell)
    return calls


def here(subject_id: int) -> set[int]:
    return core.present_members(core.Room(KIND, subject_id))


def test_one_heartbeat_row_per_process_not_per_socket(app, now):
    room = core.Room(KIND, 1)
    for n in range(3):
        core.join(room, n, f"sid-{n}", now=now, process_id="web-a")
    core.join(core.Room(KIND, 2), 9, "sid-9", now=now, process_id="web-a")
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(core.LiveProcess)) == 1
    rows = db.session.scalars(select(core.PresenceRow.process_id)).all()
    assert rows == ["web-a"] * 4


def test_silent_process_loses_its_rows_after_30_seconds_a_live_one_keeps_them(
    app, clock, now, told
):
    core.join(core.Room(KIND, 1), 1, "sid-dead", now=now, process_id="dead")
    core.join(core.Room(KIND, 2), 2, "sid-live", now=now, process_id="live")
    db.session.commit()

    clock.advance(20)
    core.beat(clock.now(), process_id="live")  # the live process beats every ~10 s
    db.session.commit()
    due.run_due(clock.advance(9))  # 29 s of silence: nobody is swept yet
    assert here(1) == {1} and here(2) == {2} and told == []

    due.run_due(clock.advance(2))  # 31 s of silence for "dead", 11 s for "live"
    assert here(1) == set() and here(2) == {2}
    assert told == [1]  # only the room that lost somebody is told
    assert db.session.scalars(select(core.LiveProcess.id)).all() == ["live"]


def test_the_process_running_the_sweep_is_never_swept(app, clock, now, told):
    core.join(core.Room(KIND, 1), 1, "sid-own", now=now)  # this process: no heartbeat task
    db.session.commit()
    due.run_due(clock.advance(600))
    assert here(1) == {1} and told == []


def test_sweep_runs_with_external_scheduler_and_a_message_queue(app, clock, now, told):
    app.config.update(SCHEDULER="external", SOCKETIO_MESSAGE_QUEUE="redis://127.0.0.1:6379/15")
    core.join(core.Room(KIND, 1), 1, "sid", now=now, process_id="crashed-web")
    db.session.commit()
    due.run_due(clock.advance(core.SILENT_SECONDS + 1))
    assert here(1) == set() and told == [1]


@pytest.mark.redis
def test_scheduler_process_tells_the_room_through_the_message_queue(tmp_path, monkeypatch):
    """A write-only job process (SCHEDULER=external, Redis): the broadcast reaches the queue."""
    import redis

    url = need_redis()
    app = make_app(tmp_path, SCHEDULER="external", SOCKETIO_MESSAGE_QUEUE=url)
    patch_slot(
        monkeypatch,
        app,
        "presence_handlers",
        KIND,
        lambda subject_id, now: queue_emit(
            "presence:changed",
            {"subject": subject_id},
            to=f"{KIND}:{subject_id}",
            namespace="/test-presence",
        ),
    )
    listener = redis.Redis.from_url(url).pubsub(ignore_subscribe_messages=True)
    listener.subscribe("peerlab-socketio")
    with app.app_context():
        clock = app.extensions["peerlab.clock"]
        core.join(core.Room(KIND, 5), 1, "sid", now=clock.now(), process_id="crashed-web")
        db.session.commit()
        due.run_due(clock.advance(core.SILENT_SECONDS + 1))
        assert core.present_members(core.Room(KIND, 5)) == set()
        db.session.remove()
    deadline = time.monotonic() + 10
    seen = []
    while time.monotonic() < deadline:
        message = listener.get_message(timeout=1)
        if message is None:
            continue
        data = json.loads(message["data"])  # python-socketio 5 publishes JSON
        seen.append(data)
        if data.get("event") == "presence:changed":
            assert data["room"] == f"{KIND}:5" and data["data"] == [{"subject": 5}]
            break
    else:
        pytest.fail(f"no presence:changed on the queue: {seen}")
    listener.close()


def test_room_without_presence_records_and_shows_nobody(app, now):
    quiet = core.Room(KIND, 3, presence=False)
    assert core.join(quiet, 1, "sid-q", now=now) is False
    db.session.commit()
    assert core.present_members(quiet) == set()
    assert db.session.scalar(select(func.count()).select_from(core.PresenceRow)) == 0
    # the same subject with presence on would show the member: the option is what hides it
    assert core.join(core.Room(KIND, 3), 1, "sid-q", now=now) is True
    assert core.present_members(core.Room(KIND, 3)) == {1}


def test_rejoining_after_being_swept_registers_the_process_again(app, clock, now):
    core.join(core.Room(KIND, 1), 1, "sid-a", now=now, process_id="stalled")
    db.session.commit()
    due.run_due(clock.advance(core.SILENT_SECONDS + 1))
    assert core.join(core.Room(KIND, 1), 1, "sid-b", now=clock.now(), process_id="stalled")
    db.session.commit()
    assert here(1) == {1}


@pytest.mark.live
def test_web_process_beats_by_itself_with_an_external_scheduler(live_factory):
    server = live_factory(scheduler="external")
    engine = create_engine(server.db_url)
    try:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            with engine.connect() as conn:
                if conn.execute(text("SELECT count(*) FROM live_processes")).scalar():
                    break
            time.sleep(0.2)
        else:
            pytest.fail("the web process wrote no heartbeat")
    finally:
        engine.dispose()


def test_silent_process_loses_its_socket_rows_through_the_due_job(app, clock, now):
    """One registry: the identity rows of a socket (for kicks) hang off the process heartbeat,
    so the sweep that drops a silent process drops them too, not only the next kick."""
    from peerlab.core.live import models as sockets

    sockets.record("sid-dead", "/probe", ["user:1", "auth:7"], now, process_id="dead")
    sockets.record("sid-live", "/probe", ["user:2"], now, process_id="live")
    db.session.commit()

    clock.advance(20)
    core.beat(clock.now(), process_id="live")
    db.session.commit()
    due.run_due(clock.advance(9))  # 29 s of silence: both keep their rows
    assert db.session.scalar(select(func.count()).select_from(sockets.LiveSocket)) == 3

    due.run_due(clock.advance(2))  # 31 s of silence for "dead"
    rows = db.session.execute(select(sockets.LiveSocket.sid, sockets.LiveSocket.room)).all()
    assert [tuple(row) for row in rows] == [("sid-live", "user:2")]
    assert db.session.scalars(select(core.LiveProcess.id)).all() == ["live"]


def test_a_process_swept_while_alive_records_its_sockets_again(app, clock, now):
    """A stalled heartbeat lets another process sweep this one with its socket rows; the next
    beat finds the row gone and records the sockets it still holds, so kicks reach them."""
    from sqlalchemy import delete

    from peerlab.core.live import models as sockets

    sockets.record("sid-mine", "/probe", ["user:5", "auth:9"], now)  # held by this process
    sockets.record("sid-gone", "/probe", ["user:6"], now)
    sockets.forget("sid-gone", "/probe")  # disconnected: not held any more
    db.session.commit()
    db.session.execute(delete(core.LiveProcess))  # what another process's sweep does
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(sockets.LiveSocket)) == 0

    core.beat(clock.advance(5))
    db.session.commit()
    rows = db.session.execute(
        select(sockets.LiveSocket.sid, sockets.LiveSocket.room).order_by(sockets.LiveSocket.room)
    ).all()
    assert [tuple(row) for row in rows] == [("sid-mine", "auth:9"), ("sid-mine", "user:5")]
    core.beat(clock.advance(10))  # an ordinary beat adds nothing
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(sockets.LiveSocket)) == 2


def test_a_room_kind_without_presence_records_and_shows_nobody_whatever_the_caller_says(
    app, monkeypatch, now
):
    patch_slot(monkeypatch, app, "quiet_room_kinds", "test.quiet", True)
    room = core.Room("test.quiet", 4)  # presence=True by default: the kind's switch wins
    assert core.keeps_presence(room) is False
    assert core.join(room, 1, "sid-k", now=now) is False
    db.session.commit()
    assert core.present_members(room) == set()
    assert db.session.scalar(select(func.count()).select_from(core.PresenceRow)) == 0
    assert core.keeps_presence(core.Room(KIND, 4)) is True  # other kinds keep theirs


def test_confidential_groups_switch_presence_off_for_their_rooms(app):
    assert core.keeps_presence(core.Room("groups.group", 1)) is False
