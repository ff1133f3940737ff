"""Demo content, calendar source, presence sweep after a restart, confidential-round payloads,
and fuzzed socket payloads."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from peerlab.core import due
from peerlab.extensions import db
from peerlab.lean_coffee import payloads
from peerlab.lean_coffee.models import Round, Topic
from peerlab.lean_coffee.service import presence, topics


def test_demo_seeder_builds_a_realistic_round_and_an_upcoming_one(app, now):
    from peerlab import demo
    from peerlab.accounts import service
    from peerlab.lean_coffee import demo as lc_demo

    users = {
        p.email: service.create_user(
            email=p.email, name=p.name, role=p.role, now=now, municipality=p.municipality
        )
        for p in demo.PEOPLE
    }
    lc_demo.seed(users, now)
    db.session.commit()
    rows = db.session.scalars(select(Round).order_by(Round.starts_at)).all()
    assert [r.phase for r in rows] == ["closed", "collect"]
    assert (
        db.session.scalar(
            select(func.count(Topic.id)).where(
                Topic.is_anonymous.is_(True), Topic.round_id == rows[0].id
            )
        )
        == 1
    )
    assert rows[1].starts_at > now


def test_calendar_download_for_participants_only(app, make_round, login, make_user):
    cast = make_round(signed_in=True)
    anna = app.test_client()
    login(anna, cast.users["anna"])
    resp = anna.get(f"/kalender/lean_coffee.round/{cast.round.id}.ics")
    assert resp.status_code == 200 and b"Lean Coffee Integration" in resp.data
    stranger = app.test_client()
    login(stranger, make_user(name="Fremd"))
    assert stranger.get(f"/kalender/lean_coffee.round/{cast.round.id}.ics").status_code == 404


def test_restart_sweeps_presence_of_the_old_process(make_round, clock, now):
    from peerlab.core import presence as core

    cast = make_round()
    core.join(presence.room(cast.round), cast.anna.id, "old-sid", now=now, process_id="old")
    db.session.commit()
    assert presence.present(cast.round)["total"] == 1
    due.run_due(clock.advance(core.SILENT_SECONDS + 1))
    assert presence.present(cast.round)["total"] == 0


def test_round_is_told_when_a_dead_process_loses_its_presence(sockets, clock):
    from peerlab.core import presence as core

    cast, s = sockets
    s["orga"].emit("round:join", {"round_id": cast.round.id}, callback=True)
    core.join(presence.room(cast.round), cast.anna.id, "far", now=clock.now(), process_id="gone")
    db.session.commit()
    s["orga"].get_received()
    due.run_due(clock.advance(core.SILENT_SECONDS + 1))
    changed = [m for m in s["orga"].get_received() if m["name"] == "presence:changed"]
    assert changed and changed[-1]["args"][0]["presence"]["people"] == [cast.fac.id]


def test_confidential_round_shows_no_account_names(app, make_round, now):
    """A group's round names people only by their identity in the group (groups' rule): here
    nobody is a member of group 7, so no account name appears; presence is a count only."""
    cast = make_round()
    topics.add_topic(cast.round, cast.anna, "Offen benannt", now=now)
    presence.connect(cast.round, cast.anna, "sid-a", now=now)
    cast.round.group_id = 7
    with app.test_request_context():
        snap = payloads.snapshot(cast.round, now)
    assert snap["presence"] == {"people": [], "guests": 0, "total": 1}
    assert all(p["present"] is None for p in snap["people"])
    assert cast.anna.name not in json.dumps(snap, ensure_ascii=False)
    assert snap["topics"][0]["author"]["name"] == "Ehemaliges Mitglied"


def test_facilitator_keeps_role_after_disconnect(sockets):
    cast, s = sockets
    s["orga"].emit("round:join", {"round_id": cast.round.id}, callback=True)
    s["orga"].disconnect()
    res = s["anna"].emit("round:sync", {"round_id": cast.round.id}, callback=True)
    fac = [p for p in res["snapshot"]["people"] if p["role"] == "facilitator"]
    assert fac and fac[0]["present"] is False


payload_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 2**40),
    st.text(max_size=300),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    event=st.sampled_from(
        [
            "topic:add",
            "vote:cast",
            "roman:thumb",
            "action:add",
            "phase:advance",
            "timer:extend",
            "participant:remove",
        ]
    ),
    payload=st.dictionaries(
        st.sampled_from(
            [
                "round_id",
                "topic_id",
                "title",
                "value",
                "to",
                "what",
                "seconds",
                "participant_id",
                "x",
            ]
        ),
        payload_values,
        max_size=4,
    ),
)
def test_fuzzed_payloads_never_cause_internal_errors(sockets, event, payload):
    _cast, s = sockets
    res = s["ben"].emit(event, payload, callback=True)
    assert isinstance(res, dict) and res.get("error") != "internal"
    if not res["ok"]:
        assert res["message"]


def test_broadcast_text_does_not_depend_on_who_caused_the_change(app, make_round, now):
    from flask_babel import force_locale

    cast = make_round()
    with app.test_request_context(), force_locale("en"):
        snap = payloads.snapshot(cast.round, now)
    assert snap["round"]["phase_hint"].startswith("Schreiben Sie Themen auf")
