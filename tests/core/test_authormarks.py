"""Author marks: recognisable (HMAC under the secret key) and unlinkable (a token only the
author's browser holds, forgotten after the edit window)."""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

from sqlalchemy import select

from peerlab.core import authormarks, due
from peerlab.core.authormarks import UnlinkableMark
from peerlab.extensions import db

WINDOW = timedelta(minutes=15)


def test_recognisable_mark_is_the_hmac_lean_coffee_always_stored(app):
    """Marks written before the move to core must still be recognised."""
    nonce = "a" * 32
    expected = hmac.new(
        app.config["SECRET_KEY"].encode(), f"lean-coffee-topic:{nonce}:7".encode(), hashlib.sha256
    ).hexdigest()
    assert authormarks.recognisable("lean-coffee-topic", nonce, 7) == expected
    assert authormarks.matches("lean-coffee-topic", nonce, expected, 7)
    assert not authormarks.matches("lean-coffee-topic", nonce, expected, 8)
    assert not authormarks.matches("other-purpose", nonce, expected, 7)
    assert not authormarks.matches("lean-coffee-topic", None, None, 7)  # erased


def test_recognisable_mark_depends_on_the_secret_key(app):
    nonce = authormarks.new_nonce()
    mark = authormarks.recognisable("p", nonce, 1)
    app.config["SECRET_KEY"] = "another-key"
    assert not authormarks.matches("p", nonce, mark, 1)


def test_unlinkable_token_proves_authorship_within_the_window(app, now):
    token = authormarks.issue_unlinkable("test.item", 5, now=now, window=WINDOW)
    assert authormarks.is_unlinkable_author("test.item", 5, token, now=now)
    assert not authormarks.is_unlinkable_author("test.item", 6, token, now=now)
    assert not authormarks.is_unlinkable_author("test.item", 5, token + "x", now=now)
    assert not authormarks.is_unlinkable_author("test.item", 5, None, now=now)
    assert not authormarks.is_unlinkable_author("test.item", 5, "x" * 1000, now=now)
    later = now + WINDOW
    assert not authormarks.is_unlinkable_author("test.item", 5, token, now=later)


def test_only_a_hash_of_the_token_is_stored_and_nothing_about_the_author(app, now):
    token = authormarks.issue_unlinkable("test.item", 5, now=now, window=WINDOW)
    row = db.session.scalar(select(UnlinkableMark))
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    columns = set(UnlinkableMark.__table__.columns.keys())
    assert columns == {"id", "subject_kind", "subject_id", "token_hash", "expires_at"}


def test_after_the_window_the_due_job_deletes_the_mark_for_good(app, now):
    old = authormarks.issue_unlinkable("test.item", 1, now=now, window=WINDOW)
    fresh = authormarks.issue_unlinkable("test.item", 2, now=now + WINDOW, window=WINDOW)
    db.session.commit()
    assert authormarks.PURGE_JOB in due.processors()  # registered by create_app
    results = due.run_due(now + WINDOW)
    assert results[authormarks.PURGE_JOB] == 1
    remaining = db.session.scalars(select(UnlinkableMark.subject_id)).all()
    assert remaining == [2]
    # the browser still holds the old token, but nothing in the database answers to it
    assert not authormarks.is_unlinkable_author("test.item", 1, old, now=now)
    assert authormarks.is_unlinkable_author("test.item", 2, fresh, now=now + WINDOW)


def test_forget_drops_a_mark_at_once(app, now):
    token = authormarks.issue_unlinkable("test.item", 3, now=now, window=WINDOW)
    authormarks.forget("test.item", 3)
    assert not authormarks.is_unlinkable_author("test.item", 3, token, now=now)
