"""Anonymous topics in a group's round use the unlinkable mode: nothing in the database (with
the secret key) tells whose they are; only the author's browser, holding a token for 15 minutes,
may withdraw or edit them and sees them as its own; afterwards nobody can."""

from __future__ import annotations

import json

import pytest
from flask import current_app

from peerlab.core import authormarks
from peerlab.core.errors import Forbidden
from peerlab.extensions import db
from peerlab.lean_coffee import integration
from peerlab.lean_coffee.models import Participant, Topic
from peerlab.lean_coffee.service import topics
from tests.conftest import sign_in
from tests.groups.rounds_support import join, place, schedule
from tests.groups.test_rounds import team  # noqa: F401 (the fixture: a group of seven)
from tests.support.sockets import live_client

MARKER = "Drohbrief im Rathaus"
MEMBERS = ("anna", "ben", "carl", "dora", "eva", "fritz")
PERSON_COLUMNS = ("participant_id", "user_id", "author_id", "actor_id", "owner_participant_id")


def _group_round(team):  # noqa: F811
    rnd = schedule(team["group"], team["anna"])
    join(rnd, *(team[k] for k in MEMBERS))
    return rnd


def _rows() -> set[tuple[str, tuple]]:
    found = set()
    for table in db.metadata.sorted_tables:
        for values in db.session.execute(table.select()).mappings().all():
            found.add((table.name, tuple(sorted((k, repr(v)) for k, v in values.items()))))
    return found


def test_no_row_of_any_table_names_the_author_even_with_the_secret_key(team, clock):  # noqa: F811
    rnd = _group_round(team)
    places = {k: place(rnd, team[k]) for k in MEMBERS}
    ids = {}
    for key, p in places.items():
        ids[repr(p.id)] = key
        ids[repr(p.user_id)] = key
    before = _rows()
    topic, token = topics.add_topic_with_token(
        rnd, places["ben"], MARKER, anonymous=True, now=clock.now()
    )
    db.session.commit()
    assert token
    changed = _rows() - before
    assert any(MARKER in repr(r) for r in changed)
    named = dict.fromkeys(MEMBERS, 0)
    for _table, values in changed:
        for column, value in values:
            if column.endswith(PERSON_COLUMNS) and value in ids:
                named[ids[value]] += 1
    assert len(set(named.values())) == 1, named
    row = db.session.get(Topic, topic.id)
    assert row.author_id is None and row.author_mark is None and row.author_nonce is None
    # Holding the secret key: no recognisable mark of any participant appears anywhere.
    secret = current_app.config["SECRET_KEY"]
    assert secret
    every_value = " ".join(repr(v) for _t, values in changed for _c, v in values)
    stored = [v.strip("'") for _t, values in changed for _c, v in values]
    for p in places.values():
        for nonce in stored:  # any stored value taken as a nonce: no mark of anyone
            assert authormarks.recognisable(topics.TOPIC_MARK, nonce, p.id) not in every_value
    # The server itself cannot tell: nobody is the author without the token.
    assert not any(topics.is_author(row, p, now=clock.now()) for p in places.values())
    assert topics.is_author(row, places["carl"], token, now=clock.now())  # only the token counts


def test_two_authors_leave_the_same_trace(team, clock):  # noqa: F811
    """The same topic by Ben or by Carl: the rows differ only in ids and random values."""
    rnd = _group_round(team)
    traces = []
    for key in ("ben", "carl"):
        before = _rows()
        topics.add_topic_with_token(
            rnd, place(rnd, team[key]), MARKER, anonymous=True, now=clock.now()
        )
        db.session.commit()
        traces.append(sorted((t, tuple(c for c, _v in vals)) for t, vals in _rows() - before))
    assert traces[0] == traces[1]


def _sockets(app, team, rnd, *keys):  # noqa: F811
    found = {}
    for key in keys:
        client = app.test_client()
        sign_in(client, team[key])
        sock = live_client(app, client)
        assert sock.emit("round:join", {"round_id": rnd.id}, callback=True)["ok"]
        found[key] = sock
    return found


def test_only_the_token_withdraws_and_others_learn_no_author(app, team, clock):  # noqa: F811
    rnd = _group_round(team)
    socks = _sockets(app, team, rnd, "ben", "carl")
    socks["carl"].get_received()
    added = socks["ben"].emit(
        "topic:add", {"round_id": rnd.id, "title": MARKER, "anonymous": True}, callback=True
    )
    assert added["ok"] and added["token"] and added["token_seconds"] == 900
    topic_id, token = added["topic_id"], added["token"]
    ben = place(rnd, team["ben"])
    # What Carl got: the topic, without author and without the token or Ben's ids.
    seen = json.dumps(socks["carl"].get_received())
    assert token not in seen and f'"author_id": {ben.id}' not in seen
    carl_sync = socks["carl"].emit("round:sync", {"round_id": rnd.id}, callback=True)
    [shown] = [t for t in carl_sync["snapshot"]["topics"] if t["id"] == topic_id]
    assert shown["anonymous"] and shown.get("author") is None
    assert topic_id not in carl_sync["me"]["my_topic_ids"]
    assert str(ben.id) not in json.dumps(shown)
    # Without the token even Ben's own account is not the author (the server does not know).
    ben_sync = socks["ben"].emit("round:sync", {"round_id": rnd.id}, callback=True)
    assert topic_id not in ben_sync["me"]["my_topic_ids"]
    claimed = socks["ben"].emit(
        "round:sync", {"round_id": rnd.id, "tokens": f"{topic_id}:{token}"}, callback=True
    )
    assert topic_id in claimed["me"]["my_topic_ids"]
    # Carl: no token, a wrong one, Ben's token for another topic id: refused, nothing changes.
    for extra in (
        {},
        {"token": "falsch"},
        {"token": token[:-1] + ("A" if token[-1] != "A" else "B")},
    ):
        refused = socks["carl"].emit(
            "topic:withdraw", {"round_id": rnd.id, "topic_id": topic_id, **extra}, callback=True
        )
        assert refused["ok"] is False and refused["error"] == "forbidden"
    edit = socks["carl"].emit(
        "topic:edit", {"round_id": rnd.id, "topic_id": topic_id, "title": "Gekapert"}, callback=True
    )
    assert edit["ok"] is False
    assert db.session.get(Topic, topic_id).status == "open"
    assert db.session.get(Topic, topic_id).title == MARKER
    edited = socks["ben"].emit(
        "topic:edit",
        {"round_id": rnd.id, "topic_id": topic_id, "title": "Drohbriefe", "token": token},
        callback=True,
    )
    assert edited["ok"]
    done = socks["ben"].emit(
        "topic:withdraw", {"round_id": rnd.id, "topic_id": topic_id, "token": token}, callback=True
    )
    assert done["ok"]
    db.session.expire_all()
    assert db.session.get(Topic, topic_id).status == "withdrawn"
    assert db.session.query(authormarks.UnlinkableMark).count() == 0  # forgotten at once


def test_bad_tokens_in_join_are_refused_cleanly(app, team):  # noqa: F811
    rnd = _group_round(team)
    sock = _sockets(app, team, rnd, "ben")["ben"]
    for bad in ("kein-format", "1:a b:c", " ".join(f"{i}:x" for i in range(1, 30)), "1:ä"):
        answer = sock.emit("round:join", {"round_id": rnd.id, "tokens": bad}, callback=True)
        assert answer["ok"] is False and answer["error"] == "bad_payload"


def test_after_the_window_and_the_purge_nobody_can_link_it(app, team, clock):  # noqa: F811
    rnd = _group_round(team)
    ben = place(rnd, team["ben"])
    topic, token = topics.add_topic_with_token(rnd, ben, MARKER, anonymous=True, now=clock.now())
    db.session.commit()
    clock.advance(14 * 60)
    assert topics.is_author(topic, ben, token, now=clock.now())
    clock.advance(61)
    assert authormarks.purge_expired(clock.now()) == 1
    assert db.session.query(authormarks.UnlinkableMark).count() == 0
    with pytest.raises(Forbidden):
        topics.withdraw_topic(rnd, ben, topic.id, token=token, now=clock.now())
    db.session.rollback()
    sock = _sockets(app, team, rnd, "ben")["ben"]
    answer = sock.emit(
        "round:join", {"round_id": rnd.id, "tokens": f"{topic.id}:{token}"}, callback=True
    )
    assert answer["ok"] and topic.id not in answer["me"]["my_topic_ids"]


def test_the_token_ends_with_its_window_even_before_the_purge(team, clock):  # noqa: F811
    rnd = _group_round(team)
    ben = place(rnd, team["ben"])
    topic, token = topics.add_topic_with_token(rnd, ben, MARKER, anonymous=True, now=clock.now())
    db.session.commit()
    clock.advance(15 * 60)
    with pytest.raises(Forbidden):
        topics.edit_topic(rnd, ben, topic.id, "Neu", token=token, now=clock.now())


def test_account_erasure_and_export_leave_the_topic_alone(team, clock):  # noqa: F811
    rnd = _group_round(team)
    ben = place(rnd, team["ben"])
    topic, _token = topics.add_topic_with_token(rnd, ben, MARKER, anonymous=True, now=clock.now())
    db.session.commit()
    assert MARKER not in json.dumps(integration.export_user(team["ben"]))
    integration.erase_user(team["ben"], keep_content=False, now=clock.now())
    db.session.commit()
    assert db.session.get(Topic, topic.id) is not None  # nobody knows it was Ben's


def test_outside_groups_the_recognisable_mode_stays(make_user, clock):
    from datetime import timedelta

    from peerlab.lean_coffee.service import rounds as lc_rounds

    now = clock.now()
    orga, anna = make_user("organizer", name="Olga Orga"), make_user(name="Anna Amsel")
    rnd = lc_rounds.create_round(
        lc_rounds.RoundSettings(
            title="Offene Runde", starts_at=now + timedelta(hours=1), access="link"
        ),
        creator=orga,
        invitees=[anna],
        now=now,
    )
    db.session.commit()
    me = db.session.query(Participant).filter_by(round_id=rnd.id, user_id=anna.id).one()
    topic, token = topics.add_topic_with_token(rnd, me, MARKER, anonymous=True, now=now)
    assert token is None and topic.author_mark and topic.author_id is None
    assert topics.is_author(topic, me) and topics.own_topic_ids(rnd, me) == [topic.id]
    assert db.session.query(authormarks.UnlinkableMark).count() == 0
