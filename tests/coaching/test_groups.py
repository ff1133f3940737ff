"""Kollegiale Beratung inside a confidential group: set up from the group page among its
members, every name is the identity in the group (a pseudonym's real name never appears), and
a group's session exists only for those who are still members of it."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from peerlab.coaching.models import CoachingSession
from peerlab.coaching.service import setup
from peerlab.core import spaces
from peerlab.core.errors import InvalidInput
from peerlab.extensions import db
from peerlab.groups.models import SPACE_KIND as GROUP_KIND
from peerlab.groups.service import groups as group_service
from tests.coaching.conftest import actor
from tests.coaching.test_live import call, connect, states
from tests.conftest import csrf_from
from tests.groups.conftest import REAL, alias, join_by_link, settings

GROUP = "Vertrauensrunde Südkreis"
TITLE = "Drohanrufe im Bürgerbüro"
PSEUDONYM = "Stille Eiche"
REAL_NAME = "Ben Berg"
PHASES = ("casting", "story", "key_question", "questions", "hypotheses", "proposals", "closing")


@pytest.fixture
def world(app, make_user, clock):
    people = {
        "anna": make_user(name="Anna Amsel"),
        "ben": make_user(name=REAL_NAME),
        "carl": make_user(name="Carl Clausen"),
        "dora": make_user(name="Dora Dorn"),
        "eva": make_user(name="Eva Ernst"),
        "orga": make_user("organizer", name="Olga Orga"),
        "outsider": make_user(name="Otto Außen"),
    }
    now = clock.now()
    group = group_service.create_group(
        settings(name=GROUP, allow_anonymous=False), creator=people["anna"], choice=REAL, now=now
    )
    owner = group_service.members(group)[0][0]
    join_by_link(group, owner, people["ben"], alias(PSEUDONYM), now)
    for key in ("carl", "dora", "eva"):
        join_by_link(group, owner, people[key], REAL, now)
    db.session.commit()
    people["group"] = group
    return people


def _form(http, world, clock, **changes) -> dict:
    page = http.get(f"/beratung/gruppe/{world['group'].id}/neu").get_data(as_text=True)
    day = (clock.now().astimezone(ZoneInfo("Europe/Berlin")) + timedelta(days=2)).date()
    data = {
        "csrf_token": csrf_from(page),
        "title": TITLE,
        "day": day.isoformat(),
        "local_time": "10:00",
        "zone": "Europe/Berlin",
        "case_giver": world["carl"].id,
        "moderator": world["anna"].id,
        "advisers": [world[k].id for k in ("ben", "dora", "eva")],
        "secretary": 0,
        "anonymous_allowed": "y",
        **{f"minutes_{k}": 5 for k in PHASES},
    }
    data.update(changes)
    return data


def _count() -> int:
    return db.session.scalar(select(func.count(CoachingSession.id)))


def _set_up(app, login, world, clock) -> tuple[CoachingSession, object]:
    http = app.test_client()
    login(http, world["dora"])  # any member, not an organizer
    done = http.post(f"/beratung/gruppe/{world['group'].id}/neu", data=_form(http, world, clock))
    assert done.status_code == 302, done.get_data(as_text=True)[:2000]
    return db.session.scalar(select(CoachingSession)), http


def test_a_member_sets_up_from_the_group_page_among_members_by_identity(app, login, world, clock):
    http = app.test_client()
    login(http, world["dora"])
    group_page = http.get(f"/gruppen/{world['group'].id}").get_data(as_text=True)
    assert f"/beratung/gruppe/{world['group'].id}/neu" in group_page
    page = http.get(f"/beratung/gruppe/{world['group'].id}/neu").get_data(as_text=True)
    assert "Kollegiale Beratung planen" in page and PSEUDONYM in page
    assert REAL_NAME not in page and "Otto Außen" not in page and "Olga Orga" not in page

    session, http = _set_up(app, login, world, clock)
    assert session.group_id == world["group"].id
    assert session.anonymous_allowed is False  # the group allows no anonymous posts
    listed = http.get(f"/gruppen/{world['group'].id}").get_data(as_text=True)
    assert TITLE in listed and f"/beratung/{session.id}" in listed


def test_a_pseudonymous_members_real_name_appears_nowhere(app, login, world, clock):
    session, _http = _set_up(app, login, world, clock)
    for key in ("carl", "anna", "dora", "ben"):
        sock = connect(app, login, world[key])
        assert call(sock, "session:join", session_id=session.id)["ok"]
        page = sock.http.get(f"/beratung/{session.id}").get_data(as_text=True)
        payloads = str(states(sock))
        assert PSEUDONYM in page and PSEUDONYM in payloads, key
        assert REAL_NAME not in page and REAL_NAME not in payloads, key
        sock.disconnect()
    listing = _http.get("/beratung/").get_data(as_text=True)
    assert REAL_NAME not in listing


def test_a_former_member_and_non_members_get_nothing(app, login, world, clock):
    session, _http = _set_up(app, login, world, clock)
    open_socket = connect(app, login, world["ben"])
    assert call(open_socket, "session:join", session_id=session.id)["ok"]
    row = spaces.membership_of(GROUP_KIND, world["group"].id, actor(world["ben"]))
    group_service.leave(world["group"], row, now=clock.now())
    db.session.commit()
    assert not open_socket.is_connected()  # the open socket ended with the membership
    from peerlab.ical.models import Invitation

    gone = db.session.scalar(select(Invitation).where(Invitation.user_id == world["ben"].id))
    assert gone.cancelled_at is not None  # METHOD:CANCEL for the date not yet begun
    assert world["ben"].id not in {r.user_id for r in setup.members(session)}
    for key in ("ben", "orga", "outsider"):
        sock = connect(app, login, world[key])
        ack = call(sock, "session:join", session_id=session.id)
        assert ack["ok"] is False and ack["error"] == "not_found", key
        for url in (f"/beratung/{session.id}", f"/beratung/{session.id}/ablauf"):
            assert sock.http.get(url).status_code == 404, (key, url)
        listing = sock.http.get("/beratung/").get_data(as_text=True)
        assert TITLE not in listing and GROUP not in listing, key
        create = sock.http.get(f"/beratung/gruppe/{world['group'].id}/neu")
        assert create.status_code == 404 and GROUP not in create.get_data(as_text=True)
        sock.disconnect()
    # the remaining participants still have it
    sock = connect(app, login, world["carl"])
    assert call(sock, "session:join", session_id=session.id)["ok"]


def test_a_cast_member_outside_the_group_changes_nothing(app, login, world, clock):
    http = app.test_client()
    login(http, world["anna"])
    url = f"/beratung/gruppe/{world['group'].id}/neu"
    for field, value in (
        ("advisers", [world["ben"].id, world["dora"].id, world["outsider"].id]),
        ("case_giver", world["orga"].id),
        ("secretary", world["outsider"].id),
    ):
        refused = http.post(url, data=_form(http, world, clock, **{field: value}))
        assert refused.status_code == 422, field
        assert "Otto Außen" not in refused.get_data(as_text=True)
    assert _count() == 0
    # the service refuses it too, before any write
    with pytest.raises(InvalidInput):
        setup.create_session(
            setup.SessionSetup(
                title=TITLE,
                starts_at=clock.now() + timedelta(hours=1),
                case_giver=world["carl"].id,
                moderator=world["anna"].id,
                advisers=(world["ben"].id, world["dora"].id, world["outsider"].id),
                group_id=world["group"].id,
            ),
            creator=world["anna"],
            now=clock.now(),
        )
    db.session.rollback()
    assert _count() == 0


def test_the_service_names_members_by_group_identity(app, world, clock):
    from peerlab.coaching import payloads

    session = setup.create_session(
        setup.SessionSetup(
            title=TITLE,
            starts_at=clock.now() + timedelta(hours=1),
            case_giver=world["carl"].id,
            moderator=world["anna"].id,
            advisers=(world["ben"].id, world["dora"].id, world["eva"].id),
            group_id=world["group"].id,
        ),
        creator=world["anna"],
        now=clock.now(),
    )
    db.session.commit()
    names = {payloads.identity(session, r) for r in setup.members(session)}
    assert PSEUDONYM in names and REAL_NAME not in names
    snapshot = str(payloads.snapshot(session, clock.now()))
    assert PSEUDONYM in snapshot and REAL_NAME not in snapshot


def test_anonymous_cards_follow_the_groups_switch(app, world, clock):
    from peerlab.coaching import grouped
    from peerlab.coaching.service import board

    group = world["group"]
    group.allow_anonymous = True
    db.session.commit()
    session = setup.create_session(
        setup.SessionSetup(
            title=TITLE,
            starts_at=clock.now() + timedelta(hours=1),
            case_giver=world["carl"].id,
            moderator=world["anna"].id,
            advisers=(world["ben"].id, world["dora"].id, world["eva"].id),
            group_id=group.id,
        ),
        creator=world["anna"],
        now=clock.now(),
    )
    db.session.commit()
    assert session.anonymous_allowed and grouped.allows_anonymous(session)
    group_service.switch_anonymous_off(group)
    db.session.commit()
    assert not grouped.allows_anonymous(session)
    me = setup.members(session)[0]
    assert not any(board.anonymous_possible(session, p, me) for p in PHASES)
    setup.update_method(
        session,
        {k: 5 for k in PHASES},
        auto_advance=False,
        case_giver_may_propose=False,
        anonymous_allowed=True,
    )
    assert session.anonymous_allowed is False


def test_ending_the_group_ends_its_sessions(app, world, clock):
    from peerlab.groups import expiry

    setup.create_session(
        setup.SessionSetup(
            title=TITLE,
            starts_at=clock.now() + timedelta(hours=1),
            case_giver=world["carl"].id,
            moderator=world["anna"].id,
            advisers=(world["ben"].id, world["dora"].id, world["eva"].id),
            group_id=world["group"].id,
        ),
        creator=world["anna"],
        now=clock.now(),
    )
    db.session.commit()
    expiry.end_group(world["group"], now=clock.now())
    db.session.commit()
    assert _count() == 0
    import email

    from peerlab.notify.models import OutboxMail

    texts = []
    for mail in db.session.scalars(select(OutboxMail)):
        parts = email.message_from_bytes(mail.raw).walk()
        texts.append(b"".join(p.get_payload(decode=True) or b"" for p in parts).decode())
    cancels = [t for t in texts if "METHOD:CANCEL" in t]
    assert len(cancels) == 5  # the five participants: the date is withdrawn
    assert not any(TITLE in t or GROUP in t for t in texts)
