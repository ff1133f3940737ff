"""Helpers for account tests: read mails from the outbox, follow links, post forms."""

from __future__ import annotations

import re
from email import message_from_bytes
from email.policy import default as default_policy

import pytest
from sqlalchemy import select

from peerlab.extensions import db
from peerlab.notify.models import OutboxMail
from tests.conftest import csrf_from

LINK = re.compile(r"https?://[^/\s]+(/[^\s<>\"]+)")


def mails_to(address: str) -> list:
    """Every mail in the outbox for `address`, parsed, oldest first."""
    rows = db.session.scalars(
        select(OutboxMail).where(OutboxMail.to_addr == address.lower()).order_by(OutboxMail.id)
    ).all()
    return [message_from_bytes(row.raw, policy=default_policy) for row in rows]


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def link_in(message) -> str:
    """The path of the first link in the mail's text part."""
    match = LINK.search(text_of(message))
    assert match, text_of(message)
    return match.group(1)


def post_form(client, url: str, data: dict | None = None, page_url: str | None = None):
    """GET the page (for its CSRF token), then POST the form like a browser."""
    page = client.get(page_url or url)
    assert page.status_code == 200, page.get_data(as_text=True)[:500]
    payload = dict(data or {})
    payload["csrf_token"] = csrf_from(page.get_data(as_text=True))
    return client.post(url, data=payload)


@pytest.fixture
def outbox():
    class Outbox:
        to = staticmethod(mails_to)
        link = staticmethod(link_in)
        text = staticmethod(text_of)

    return Outbox()


@pytest.fixture
def post():
    return post_form
