"""A circle meeting against a live server with three members' python-socketio clients: the same
deadline on every screen, a turn's expiry advancing everyone, a reconnect getting the same
deadline, and a non-member (and bad events) refused without changing anything."""

from __future__ import annotations

import os
import re
import time as time_module
from datetime import time, timedelta
from zoneinfo import ZoneInfo

from tests.lean_coffee.live_support import PASSWORD, Client, sign_in

NS = "/circles"


def seed(server) -> int:
    """Anna (facilitator), Ben and Carl in a circle starting next week; Otto is outside."""
    from peerlab import create_app
    from peerlab.accounts import service as accounts
    from peerlab.circles.service import circles
    from peerlab.extensions import db
    from tests.circles.conftest import actor

    os.environ["PEERLAB_INSTANCE"] = str(server.instance)
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": server.db_url,
            "TESTING": True,
            "TESTING_CONTROLS": True,
            "SECRET_KEY": "live-test-secret",
        }
    )
    with app.app_context():
        db.create_all()
        now = app.extensions["peerlab.clock"].now()

        def user(email, name):
            return accounts.create_user(email=email, name=name, password=PASSWORD, now=now)

        anna = user("anna@lindenau.example", "Anna Amsel")
        ben = user("ben@auental.example", "Ben Berg")
        carl = user("carl@bergheim.example", "Carl Clausen")
        user("otto@aussen.example", "Otto Außen")
        settings = circles.CircleSettings(
            name="Live-Circle",
            weekday=1,
            local_time=time(18, 0),
            zone="Europe/Berlin",
            start_date=now.astimezone(ZoneInfo("Europe/Berlin")).date() + timedelta(days=7),
            video_url="",
            language="de",
            invitees=(ben.id, carl.id),
            join=True,
        )
        circle = circles.create_circle(settings, creator=anna, now=now)
        for person in (ben, carl):
            circles.answer_invitation(circle.id, actor(person), accept=True, now=now)
        db.session.commit()
        circle_id = circle.id
        db.session.remove()
    return circle_id


def running(index):
    return lambda d: d["status"] == "running" and d["agenda"]["current_index"] == index


def test_three_members_one_deadline_expiry_reconnect_and_refusals(live_factory):
    server = live_factory()
    cid = seed(server)
    anna = Client(server, sign_in(server, "anna@lindenau.example"), "anna", NS)
    ben = Client(server, sign_in(server, "ben@auental.example"), "ben", NS)
    carl = Client(server, sign_in(server, "carl@bergheim.example"), "carl", NS)
    otto = Client(server, sign_in(server, "otto@aussen.example"), "otto", NS)
    people = (anna, ben, carl)
    try:
        joined = [c.call("meeting:join", circle_id=cid) for c in people]
        assert all(j["ok"] for j in joined)
        last = joined[-1]["snapshot"]
        assert last["status"] == "open" and all(m["present"] for m in last["members"])

        refused = otto.call("meeting:join", circle_id=cid)
        assert (refused["ok"], refused["error"]) == (False, "not_found")
        assert otto.call("notes:save", circle_id=cid, text="x", version=0)["error"] == "not_found"

        # Only the week's facilitator starts; a bad payload changes nothing.
        assert ben.call("meeting:start", circle_id=cid, total_minutes=15, exercise_minutes=0)[
            "error"
        ] == ("forbidden")
        bad = anna.call("meeting:start", circle_id=cid, total_minutes="15", exercise_minutes=0)
        assert bad["error"] == "bad_payload"
        marks = [c.mark() for c in people]
        assert anna.call("meeting:start", circle_id=cid, total_minutes=15, exercise_minutes=0)["ok"]
        states = [c.wait_for("meeting:state", running(0), after=m) for c, m in zip(people, marks)]
        deadlines = {s["agenda"]["timer"]["ends_at"] for s in states}
        assert len(deadlines) == 1 and None not in deadlines  # the same on every screen
        assert [i["duration_seconds"] for i in states[0]["agenda"]["items"]] == [300, 300, 300]
        assert ben.call("turn:next", circle_id=cid, index=0)["error"] == "forbidden"
        assert otto.call("timer:pause", circle_id=cid)["error"] == "not_found"

        # The turn runs out on the server: every screen moves to the next speaker.
        marks = [c.mark() for c in people]
        server.advance(301)
        states = [c.wait_for("meeting:state", running(1), after=m) for c, m in zip(people, marks)]
        deadlines = {s["agenda"]["timer"]["ends_at"] for s in states}
        assert len(deadlines) == 1
        first = states[0]["accounts"][0]
        assert first["used_seconds"] >= 300 and first["remaining_seconds"] == 0

        # Ben's connection drops; back again, he gets the same deadline.
        ben.close()
        again = Client(server, sign_in(server, "ben@auental.example"), "ben-again", NS)
        rejoined = again.call("meeting:join", circle_id=cid)["snapshot"]
        assert rejoined["agenda"]["timer"]["ends_at"] in deadlines
        assert rejoined["agenda"]["current_index"] == 1
        again.close()

        # Carl leaves the circle with his page open: from then on he gets nothing at all.
        page = carl.http.get(f"{server.url}/circles/{cid}", timeout=10).text
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        left = carl.http.post(
            f"{server.url}/circles/{cid}/verlassen",
            data={"csrf_token": token},
            allow_redirects=False,
            timeout=10,
        )
        assert left.status_code == 302
        marks = (anna.mark(), carl.mark())
        assert anna.call("timer:pause", circle_id=cid)["ok"]
        anna.wait_for(
            "meeting:state", lambda d: d["agenda"]["timer"]["status"] == "paused", after=marks[0]
        )
        time_module.sleep(0.5)
        assert not [e for e, _d in carl.received[marks[1] :] if e == "meeting:state"]
        assert carl.call("meeting:sync", circle_id=cid)["error"] == "not_found"
    finally:
        for c in (*people, otto):
            c.close()
