"""A group's meeting as a Lean Coffee round: names are identities in the group, anonymous
topics only above the floor, presence only counted, the summary page is the only copy, the
calendar date is sealed, and leaving, ending and retention take the round along."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from peerlab.core import spaces
from peerlab.core.errors import Conflict, NotFound
from peerlab.core.spaces import Membership
from peerlab.extensions import db
from peerlab.groups import expiry
from peerlab.groups.models import SPACE_KIND
from peerlab.groups.service import groups as group_service
from peerlab.lean_coffee import access, payloads
from peerlab.lean_coffee.models import ActionItem, Participant, Round, Topic
from peerlab.lean_coffee.service import mailing, notes, rounds, topics
from peerlab.lean_coffee.service import summary as summary_service
from tests.conftest import sign_in
from tests.groups.conftest import REAL, alias, join_by_link, settings
from tests.groups.rounds_support import ROUND_TITLE, actor, join, mails, place, schedule

GROUP = "Vertrauensrunde Ostkreis"
PSEUDONYM = "Stille Eiche"


@pytest.fixture
def team(app, make_user, clock):
    people = {
        key: make_user(name=name, totp=False if key != "ben" else None)
        for key, name in (
            ("anna", "Anna Amsel"),
            ("ben", "Ben Berg"),
            ("carl", "Carl Clausen"),
            ("dora", "Dora Dorn"),
            ("eva", "Eva Ernst"),
            ("fritz", "Fritz Feld"),
            ("otto", "Otto Außen"),
        )
    }
    people["orga"] = make_user("organizer", name="Olga Orga", totp=False)
    now = clock.now()
    group = group_service.create_group(
        settings(name=GROUP, allow_anonymous=True, retention_days=30),
        creator=people["anna"],
        choice=REAL,
        now=now,
    )
    owner = group_service.members(group)[0][0]
    join_by_link(group, owner, people["ben"], alias(PSEUDONYM), now)
    for key in ("carl", "dora", "eva", "fritz"):
        join_by_link(group, owner, people[key], REAL, now)
    db.session.commit()
    people["group"] = group
    return people


def _row(team, key):
    return spaces.membership_of(SPACE_KIND, team["group"].id, actor(team[key]))


def test_every_member_is_invited_and_the_scheduler_facilitates(team):
    rnd = schedule(team["group"], team["carl"])
    assert rnd.group_id == team["group"].id and rnd.access == "invited" and rnd.link_nonce is None
    assert place(rnd, team["carl"]).role == "facilitator"
    for key in ("anna", "ben", "dora", "eva", "fritz"):
        assert place(rnd, team[key]).invited
    assert place(rnd, team["otto"]) is None


def test_members_schedule_only_where_the_group_lets_members_invite(team, clock):
    team["group"].members_may_invite = False
    db.session.commit()
    with pytest.raises(NotFound):
        schedule(team["group"], team["carl"])
    db.session.rollback()
    assert schedule(team["group"], team["anna"]).id  # an owner still may


def test_names_are_identities_in_the_group(app, team, clock):
    now = clock.now()
    rnd = schedule(team["group"], team["anna"])
    join(rnd, *(team[k] for k in ("anna", "ben", "carl")))
    ben = place(rnd, team["ben"])
    topic = topics.add_topic(rnd, ben, "Polizeischutz bei Sitzungen", now=now)
    rnd.phase = "discuss"
    topic.status, topic.discussed_order = "discussing", 1
    notes.add_action(
        rnd,
        place(rnd, team["anna"]),
        topic.id,
        "Kontakt aufnehmen",
        owner_participant_id=ben.id,
        now=now,
    )
    db.session.commit()
    with app.test_request_context():
        snap = payloads.snapshot(rnd, now)
        me = payloads.me(rnd, ben)
        result = summary_service.build(rnd, now=now)
    card = next(t for t in snap["topics"] if t["id"] == topic.id)
    assert card["author"]["name"] == PSEUDONYM
    assert card["actions"][0]["owner"] == PSEUDONYM
    assert {p["name"] for p in snap["people"]} >= {PSEUDONYM, "Anna Amsel", "Carl Clausen"}
    assert me["name"] == PSEUDONYM
    assert result.discussed[0].actions[0].owner == PSEUDONYM
    assert "Ben Berg" not in json.dumps(snap) + json.dumps(me)
    # the board page itself: "Sie sind hier als Stille Eiche"
    client = app.test_client()
    sign_in(client, team["ben"])
    page = client.get(f"/runden/{rnd.id}").text
    assert PSEUDONYM in page and "Ben Berg" not in page


def test_anonymous_topics_need_four_others_who_joined(team, clock):
    now = clock.now()
    rnd = schedule(team["group"], team["anna"])
    join(rnd, team["ben"], team["anna"], team["carl"], team["dora"])
    ben = place(rnd, team["ben"])
    with pytest.raises(Conflict) as refused:
        topics.add_topic(rnd, ben, "Heikles Thema", anonymous=True, now=now)
    assert refused.value.code == "anonymous_floor"
    assert "mindestens 4 Personen" in refused.value.message
    db.session.rollback()
    place(rnd, team["eva"]).removed_at = now  # a removed place never counts …
    join(rnd, team["eva"])
    with pytest.raises(Conflict):
        topics.add_topic(rnd, ben, "Heikles Thema", anonymous=True, now=now)
    db.session.rollback()
    join(rnd, team["fritz"])  # … the fourth who joined opens it
    topic = topics.add_topic(rnd, ben, "Heikles Thema", anonymous=True, now=now)
    assert topic.is_anonymous and topic.author_id is None


def test_anonymous_topics_follow_the_groups_switch(team, clock):
    now = clock.now()
    rnd = schedule(team["group"], team["anna"])
    join(rnd, *(team[k] for k in ("anna", "ben", "carl", "dora", "eva", "fritz")))
    group_service.switch_anonymous_off(team["group"])
    db.session.commit()
    with pytest.raises(Conflict) as refused:
        topics.add_topic(rnd, place(rnd, team["ben"]), "Heikel", anonymous=True, now=now)
    assert refused.value.code == "anonymous_not_allowed"
    assert "erlaubt keine anonymen" in refused.value.message


def test_presence_is_only_a_count(app, team, clock):
    from peerlab.lean_coffee.service import presence

    now = clock.now()
    rnd = schedule(team["group"], team["anna"])
    presence.connect(rnd, place(rnd, team["ben"]), "sid-ben", now=now)
    presence.connect(rnd, place(rnd, team["carl"]), "sid-carl", now=now)
    db.session.commit()
    with app.test_request_context():
        snap = payloads.snapshot(rnd, now)
        changed = payloads.presence_changed(rnd)
    assert snap["presence"] == {"people": [], "guests": 0, "total": 2}
    assert changed["presence"]["people"] == []
    assert all(p["present"] is None for p in snap["people"])


def test_no_summary_mail_markdown_or_pdf(app, team, clock):
    rnd = schedule(team["group"], team["anna"])
    rnd.phase = "closed"
    db.session.commit()
    with pytest.raises(NotFound):
        mailing.mail_summary(rnd, now=clock.now())
    db.session.rollback()
    client = app.test_client()
    sign_in(client, team["anna"])  # the facilitator
    page = client.get(f"/runden/{rnd.id}/zusammenfassung")
    assert page.status_code == 200
    assert ".md" not in page.text and ".pdf" not in page.text and "/senden" not in page.text
    assert "nur hier in der Gruppe" in page.text
    for tail in ("zusammenfassung.md", "zusammenfassung.pdf"):
        assert client.get(f"/runden/{rnd.id}/{tail}").status_code == 404
    token = _csrf(client, f"/runden/{rnd.id}/zusammenfassung")
    sent = client.post(f"/runden/{rnd.id}/zusammenfassung/senden", data={"csrf_token": token})
    assert sent.status_code == 404
    assert not [m for m in mails() if ROUND_TITLE in m[1]]
    board = client.get(f"/runden/{rnd.id}").text
    assert "zusammenfassung.md" not in board


def _csrf(client, url):
    from tests.conftest import csrf_from

    return csrf_from(client.get(url).text)


def test_no_guest_link_for_a_group_round(team):
    rnd = schedule(team["group"], team["anna"])
    with pytest.raises(Exception) as refused:
        rounds.renew_link(rnd, revoke=False)
    assert getattr(refused.value, "code", "") == "group_round_link"
    assert rnd.link_nonce is None and not access.may_join_by_link(rnd, "x")


def test_the_calendar_date_is_sealed_and_leads_to_the_group(app, team):
    from icalendar import Calendar

    from peerlab.ical import sources

    rnd = schedule(team["group"], team["anna"])
    with app.test_request_context():
        event = sources.get("lean_coffee.round").event(rnd.id)
    assert event.sealed and event.url.endswith(f"/gruppen/{team['group'].id}")
    invites = [m for m in mails() if "METHOD:REQUEST" in m[1]]
    assert len(invites) == 6
    for to, text in invites:
        assert "Vertraulicher Termin (peerlab)" in text
        assert GROUP not in text and ROUND_TITLE not in text
        assert to == team["anna"].email or "Anna Amsel" not in text  # no organizer's name
        cal = Calendar.from_ical(
            text[text.index("BEGIN:VCALENDAR") : text.index("END:VCALENDAR") + 13]
        )
        vevent = next(c for c in cal.walk("VEVENT"))
        assert "DESCRIPTION" not in vevent and "LOCATION" not in vevent
        assert vevent["ORGANIZER"].params["CN"] == "peerlab"


def test_leaving_cancels_the_members_future_dates_and_ends_their_place(app, team, clock):
    rnd = schedule(team["group"], team["anna"])
    before = len(mails())
    group_service.leave(team["group"], _row(team, "dora"), now=clock.now())
    db.session.commit()
    assert place(rnd, team["dora"]).removed_at is not None
    assert not access.access_for(rnd, actor(team["dora"])).may_view
    new = mails()[before:]
    cancels = [m for m in new if "METHOD:CANCEL" in m[1]]
    assert [to for to, _t in cancels] == [team["dora"].email]
    assert not any(GROUP in t or ROUND_TITLE in t for _to, t in new)


def test_a_former_members_sockets_on_the_board_end(app, team, clock):
    from tests.support.sockets import live_client

    rnd = schedule(team["group"], team["anna"])
    client = app.test_client()
    sign_in(client, team["ben"])
    sock = live_client(app, client)
    assert sock.emit("round:join", {"round_id": rnd.id}, callback=True)["ok"]
    owner = _row(team, "anna")
    group_service.remove_member(team["group"], owner, _row(team, "ben").id, now=clock.now())
    db.session.commit()
    assert not sock.is_connected()
    again = live_client(app, client)
    refused = again.emit("round:join", {"round_id": rnd.id}, callback=True)
    assert refused["ok"] is False and refused["error"] == "not_found"


def test_a_member_who_joined_later_gets_a_place_from_the_group_page(app, team, make_user, clock):
    rnd = schedule(team["group"], team["anna"])
    late = make_user(name="Lina Spät", totp=None)
    join_by_link(team["group"], _row(team, "anna"), late, REAL, clock.now())
    db.session.commit()
    client = app.test_client()
    sign_in(client, late)
    assert client.get(f"/runden/{rnd.id}").status_code == 404  # no place yet
    group_page = client.get(f"/gruppen/{team['group'].id}").text
    assert ROUND_TITLE in group_page
    opened = client.get(f"/gruppen/{team['group'].id}/runden/{rnd.id}")
    assert opened.status_code == 302 and opened.location.endswith(f"/runden/{rnd.id}")
    assert client.get(f"/runden/{rnd.id}").status_code == 200


def test_retention_deletes_the_rounds_rows(app, team, clock):
    from peerlab.core import retention

    now = clock.now()
    old = schedule(team["group"], team["anna"], title="Altes Treffen", days=1)
    join(old, team["anna"], team["ben"])
    topics.add_topic(old, place(old, team["ben"]), "Markierung-Alt-4711", now=now)
    db.session.commit()
    clock.advance(timedelta(days=20).total_seconds())
    fresh = schedule(team["group"], team["anna"], title="Neues Treffen", days=1)
    clock.advance(timedelta(days=13).total_seconds())  # the old round began 32 days ago
    retention.run(clock.now(), only=["groups.content"])
    assert db.session.get(Round, old.id) is None and db.session.get(Round, fresh.id) is not None
    assert db.session.scalar(select(func.count()).where(Topic.round_id == old.id)) == 0
    places = select(func.count(Membership.id)).where(
        Membership.space_kind == "lean_coffee.round", Membership.space_id == old.id
    )
    assert db.session.scalar(places) == 0
    fresh_places = select(func.count(Participant.id)).where(Participant.round_id == fresh.id)
    assert db.session.scalar(fresh_places) == 6  # the newer round keeps its places
    assert db.session.scalar(select(func.count()).where(ActionItem.round_id == old.id)) == 0
    path = Path(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))
    for name in (path, path.with_name(path.name + "-wal")):
        if name.exists():  # the file and its write-ahead log: the bytes are gone too
            assert b"Markierung-Alt-4711" not in name.read_bytes(), name


def test_ending_the_group_deletes_its_rounds_and_cancels_for_everyone(team, clock):
    rnd = schedule(team["group"], team["anna"])
    expiry.end_group(team["group"], now=clock.now())
    db.session.commit()
    assert db.session.get(Round, rnd.id) is None
    new = mails()  # the queued invitations about the round went with it
    assert not any("METHOD:REQUEST" in text for _to, text in new)
    cancels = {to for to, text in new if "METHOD:CANCEL" in text}
    assert cancels == {team[k].email for k in ("anna", "ben", "carl", "dora", "eva", "fritz")}
    assert not any(GROUP in t or ROUND_TITLE in t for _to, t in new)


def test_the_demo_has_one_group_round_dated_from_the_clock(app, clock):
    from peerlab import demo

    clock.set(clock.now() + timedelta(days=100))  # any date: nothing depends on today
    assert demo.load()
    rnd = db.session.scalars(select(Round).where(Round.group_id.is_not(None))).one()
    assert rnd.starts_at.date() in {(clock.now() + timedelta(days=d)).date() for d in (1, 2, 3)}
    assert rnd.access == "invited" and rnd.link_nonce is None
    with app.test_request_context():
        snap = payloads.snapshot(rnd, clock.now())
    authors = {t["author"]["name"] for t in snap["topics"]}
    assert "Stille Eiche" in authors  # a pseudonym of the demo group, not a real name
    names = access.group_names(rnd)
    assert authors <= set(names.values())


def test_the_account_export_keeps_group_rounds_to_members_without_anonymous_topics(team, clock):
    from peerlab.lean_coffee import integration

    now = clock.now()
    rnd = schedule(team["group"], team["anna"])
    join(rnd, *(team[k] for k in ("anna", "ben", "carl", "dora", "eva", "fritz")))
    topics.add_topic(rnd, place(rnd, team["ben"]), "Offenes Thema", now=now)
    topics.add_topic(rnd, place(rnd, team["ben"]), "Heimliches Thema", anonymous=True, now=now)
    db.session.commit()
    mine = integration.export_user(team["ben"])["rounds"]
    assert [t["title"] for r in mine for t in r["topics"]] == ["Offenes Thema"]
    group_service.leave(team["group"], _row(team, "ben"), now=now)
    db.session.commit()
    assert integration.export_user(team["ben"])["rounds"] == []


def test_the_facilitator_cannot_hand_over_and_learn_who_is_absent(team):
    rnd = schedule(team["group"], team["carl"])
    me = place(rnd, team["carl"])
    absent = place(rnd, team["ben"])
    with pytest.raises(Conflict) as refused:
        rounds.handover(rnd, me, absent.id)
    message = str(refused.value.message if hasattr(refused.value, "message") else refused.value)
    assert "Ben" not in message and PSEUDONYM not in message and "verbunden" not in message
    assert me.role == "facilitator" and absent.role != "facilitator"


def test_the_vote_read_is_built_once_for_all_members_and_keeps_everyone_else_out(team, clock):
    """The groups rule reads only the actor's kind and id, so Lean Coffee builds the vote's
    read once with the ids bound (building it per vote cost a sixth of a vote's CPU,
    bench/cpu_per_vote.py); that one statement still lets in exactly the group's members."""
    from peerlab.lean_coffee.service import ballot

    rnd = schedule(team["group"], team["anna"])
    join(rnd, team["anna"], team["carl"])
    topic = topics.add_topic(
        rnd, place(rnd, team["anna"]), "Haushalt", anonymous=False, now=clock.now()
    )
    rounds.advance_phase(rnd, "vote", now=clock.now())
    db.session.commit()
    shapes = {access.bound_actor(actor(team[key]))[0] for key in ("anna", "carl", "otto")}
    assert len(shapes) == 1 and None not in shapes  # one statement for every member
    shape = shapes.pop()
    assert access.bound_participant_clause(shape) is access.bound_participant_clause(shape)

    def outcome(key):
        try:
            ballot.open_ballot(actor(team[key]), rnd.id, topic.id, "open")
            return "ok"
        except NotFound:
            return "not_found"
        finally:
            db.session.rollback()

    assert (outcome("carl"), outcome("otto")) == ("ok", "not_found")  # otto is no member
    # Only the group rule can refuse now: carl keeps his place in the round, but his group
    # membership is no longer active (as if it ended without the round being told).
    _row(team, "carl").status = "removed"
    db.session.commit()
    assert place(rnd, team["carl"]).status == "active"
    assert outcome("carl") == "not_found"
