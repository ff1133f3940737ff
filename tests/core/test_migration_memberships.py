"""Migration 0011 carries Lean Coffee's participants into memberships, with their data: ids kept
(votes, topics, notes refer to them), statuses from the old times, nothing cascaded away on
SQLite, other memberships moved out of the way; and the downgrade brings the old rows back."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, select, text

from peerlab.core import spaces
from peerlab.extensions import db
from peerlab.lean_coffee.models import Participant
from tests.conftest import make_app
from tests.support.services import need_postgres

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
T1 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
T2 = datetime(2026, 3, 2, 10, 30, tzinfo=UTC)


def _filler(column: sa.Column):
    if isinstance(column.type, sa.Boolean):
        return False
    if isinstance(column.type, sa.Integer):
        return 0
    if isinstance(column.type, sa.String | sa.Text):
        return "x"
    if isinstance(column.type, sa.DateTime):
        return T0.replace(tzinfo=None)
    raise AssertionError(f"no filler for {column}")


def _insert(conn, table: str, **values) -> None:
    """A row with the given values; every other required column gets a plain filler."""
    reflected = sa.Table(table, sa.MetaData(), autoload_with=conn)
    for column in reflected.columns:
        if column.name not in values and not column.nullable and not column.primary_key:
            values[column.name] = _filler(column)
    conn.execute(reflected.insert().values(**values))


def _old_world(conn) -> None:
    """Schema 0010: a round with an invited member who came, one who did not, someone who came
    by the link, a removed guest; a topic, dots and notes pointing at participant ids; and a
    membership of another kind whose id is a participant's id."""
    naive = {k: v.replace(tzinfo=None) for k, v in {"t0": T0, "t1": T1, "t2": T2}.items()}
    for uid in (1, 2, 3):
        _insert(conn, "users", id=uid, email=f"u{uid}@x.example", created_at=naive["t0"])
    _insert(conn, "lean_coffee_rounds", id=5, title="R", created_at=naive["t0"])
    _insert(
        conn,
        "guest_passes",
        id=9,
        token_hash="h" * 64,
        display_name="Gerda",
        scope_kind="lean_coffee.round",
        scope_id=5,
        created_at=naive["t0"],
    )
    people = [
        # id, user, guest, role, invited, joined, removed, votes, closing
        (11, 1, None, "facilitator", True, naive["t1"], None, 2, "Gut"),
        (12, 2, None, "participant", True, None, None, 0, None),
        (13, 3, None, "participant", False, naive["t2"], None, 1, None),
        (14, None, 9, "guest", False, naive["t1"], naive["t2"], 0, None),
    ]
    for pid, user, guest, role, invited, joined, removed, votes, closing in people:
        _insert(
            conn,
            "lean_coffee_participants",
            id=pid,
            round_id=5,
            user_id=user,
            guest_id=guest,
            display_name="Gerda" if guest else "",
            role=role,
            invited=invited,
            votes_used=votes,
            joined_at=joined,
            removed_at=removed,
            closing_text=closing,
        )
    _insert(conn, "lean_coffee_topics", id=21, round_id=5, title="T", author_id=13)
    _insert(conn, "lean_coffee_votes", id=31, round_id=5, topic_id=21, participant_id=11, dots=2)
    _insert(conn, "lean_coffee_takeaways", id=41, round_id=5, topic_id=21, participant_id=13)
    _insert(
        conn,
        "memberships",
        id=11,
        space_kind="test.thing",
        space_id=5,
        user_id=2,
        role="member",
        status="active",
        display_name="",
        created_at=naive["t0"],
    )


def _check_upgraded() -> None:
    rows = {
        p.id: p for p in db.session.scalars(select(Participant).where(Participant.round_id == 5))
    }
    assert set(rows) == {11, 12, 13, 14}
    fac, waiting, linked, guest = rows[11], rows[12], rows[13], rows[14]
    assert (fac.status, fac.role, fac.invited, fac.votes_used) == ("active", "facilitator", True, 2)
    assert fac.closing_text == "Gut" and fac.joined_at == T1 and fac.created_at == T0
    assert (waiting.status, waiting.joined_at, waiting.removed_at) == ("invited", None, None)
    assert (linked.status, linked.invited, linked.created_at) == ("active", False, T2)
    assert (guest.status, guest.removed_at, guest.left_at) == ("removed", T2, T2)
    assert guest.guest_id == 9 and guest.name == "Gerda" and guest.is_guest
    # what referred to participants still does (no cascade on the table's rebuild)
    assert db.session.execute(text("SELECT author_id FROM lean_coffee_topics")).scalar() == 13
    assert db.session.execute(text("SELECT dots FROM lean_coffee_votes")).scalar() == 2
    assert db.session.execute(text("SELECT participant_id FROM lean_coffee_takeaways")).scalar()
    # the other kind's membership moved out of the participants' range and loads as itself
    other = db.session.scalars(
        select(spaces.Membership).where(spaces.Membership.space_kind == "test.thing")
    ).one()
    assert type(other) is spaces.Membership and other.id > 14 and other.user_id == 2
    # new memberships get fresh ids (PostgreSQL's sequence was moved along)
    new = spaces.add_member("test.thing", 6, now=T0, user_id=1)
    assert new.id not in {11, 12, 13, 14, other.id}
    db.session.rollback()


def _check_downgraded(conn) -> None:
    rows = conn.execute(
        text(
            "SELECT id, round_id, user_id, guest_id, role, display_name, joined_at, removed_at, "
            "votes_used FROM lean_coffee_participants ORDER BY id"
        )
    ).all()
    assert [(r.id, r.round_id, r.user_id, r.guest_id, r.role) for r in rows] == [
        (11, 5, 1, None, "facilitator"),
        (12, 5, 2, None, "participant"),
        (13, 5, 3, None, "participant"),
        (14, 5, None, 9, "guest"),
    ]
    assert rows[1].joined_at is None and rows[3].removed_at is not None
    assert (
        rows[0].removed_at is None and rows[0].votes_used == 2 and rows[3].display_name == "Gerda"
    )
    kinds = conn.execute(text("SELECT space_kind FROM memberships")).scalars().all()
    assert kinds == ["test.thing"]
    assert conn.execute(text("SELECT COUNT(*) FROM lean_coffee_votes")).scalar() == 1


def _run(app) -> None:
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        upgrade(revision="0010")
        with db.engine.begin() as conn:
            _old_world(conn)
        upgrade(revision="0011")
        _check_upgraded()
        db.session.remove()
        downgrade(revision="0010")
        with db.engine.connect() as conn:
            _check_downgraded(conn)
        db.engine.dispose()


def test_sqlite_participants_become_memberships_and_back(tmp_path):
    app = make_app(tmp_path / "m", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/mig.sqlite3")
    _run(app)
    with app.app_context(), db.engine.connect() as conn:  # enforcement is back on afterwards
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


@pytest.mark.postgres
def test_postgres_participants_become_memberships_and_back(tmp_path):
    base_url = need_postgres()
    name = f"peerlab_mig_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base_url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        url = base_url.rsplit("/", 1)[0] + "/" + name
        _run(make_app(tmp_path / "pg", SQLALCHEMY_DATABASE_URI=url))
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
