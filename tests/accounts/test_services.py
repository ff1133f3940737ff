"""Account services without HTTP: one-time tokens, TOTP replay, profile rules."""

from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peerlab.accounts import service, tokens, twofactor
from peerlab.accounts.invitations import parse_list
from peerlab.core.errors import InvalidInput


def test_token_is_stored_hashed_and_used_once(app, make_user, now):
    user = make_user()
    secret = tokens.issue(user, tokens.SIGNIN, now=now)
    from peerlab.accounts.models import OneTimeToken
    from peerlab.extensions import db

    row = db.session.query(OneTimeToken).one()
    assert row.token_hash != secret and secret not in row.token_hash
    assert tokens.consume(secret, tokens.SIGNIN, now=now).user_id == user.id
    with pytest.raises(tokens.LinkInvalid):
        tokens.consume(secret, tokens.SIGNIN, now=now)


def test_token_of_one_purpose_does_not_work_for_another(app, make_user, now):
    secret = tokens.issue(make_user(), tokens.SIGNIN, now=now)
    with pytest.raises(tokens.LinkInvalid):
        tokens.consume(secret, tokens.RESET, now=now)


def test_token_expiry_is_exact(app, make_user, now):
    secret = tokens.issue(make_user(), tokens.RESET, now=now)
    assert tokens.peek(secret, tokens.RESET, now=now + timedelta(minutes=59)) is not None
    with pytest.raises(tokens.LinkInvalid):
        tokens.consume(secret, tokens.RESET, now=now + timedelta(hours=1))


def test_totp_accepts_current_code_once(app, make_user, now):
    user = make_user(totp=True)
    code = pyotp.TOTP(user.totp_secret).at(now)
    twofactor.verify(user, code, now=now)
    with pytest.raises(InvalidInput):
        twofactor.verify(user, code, now=now)


def test_totp_refuses_older_step_after_newer_one(app, make_user, now):
    user = make_user(totp=True)
    totp = pyotp.TOTP(user.totp_secret)
    twofactor.verify(user, totp.at(now), now=now)
    with pytest.raises(InvalidInput):
        twofactor.verify(user, totp.at(now - timedelta(seconds=30)), now=now)


def test_totp_allows_one_step_of_drift_but_not_more(app, make_user, now):
    user = make_user(totp=True)
    totp = pyotp.TOTP(user.totp_secret)
    with pytest.raises(InvalidInput):
        twofactor.verify(user, totp.at(now - timedelta(seconds=90)), now=now)
    twofactor.verify(user, totp.at(now - timedelta(seconds=30)), now=now)


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", "12 34 5x"])
def test_totp_refuses_malformed_codes(app, make_user, now, code):
    with pytest.raises(InvalidInput):
        twofactor.verify(make_user(totp=True), code, now=now)


def test_qr_code_is_inline_svg_without_style_or_script(app):
    svg = str(
        twofactor.qr_svg(
            twofactor.provisioning_uri(twofactor.new_secret(), "a@b.example"), "QR <code>"
        )
    )
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert "style=" not in svg and "<script" not in svg and "QR &lt;code&gt;" in svg


def test_profile_rejects_unknown_time_zone_and_language(app, make_user):
    user = make_user()
    with pytest.raises(InvalidInput):
        service.update_profile(user, name="X", timezone="Europe/Nowhere")
    with pytest.raises(InvalidInput):
        service.update_profile(user, name="X", language="fr")
    service.update_profile(user, name="X", timezone="Asia/Tokyo", language="en")
    assert (user.timezone, user.language) == ("Asia/Tokyo", "en")


def test_new_accounts_default_to_berlin(app, make_user):
    assert make_user().timezone == "Europe/Berlin"


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "a@k.example",
                "B@k.example",
                "kaputt",
                "",
                " ",
                "x y@z",
                "Name <c@k.example>",
                "d@k.example",
            ]
        ),
        max_size=12,
    ),
    st.sampled_from(["\n", ",", ";", "\r\n", ", "]),
)
def test_parse_list_puts_every_item_in_exactly_one_bucket(items, separator):
    valid, invalid, duplicates = parse_list(separator.join(items))
    assert len(valid) == len(set(valid))
    assert set(duplicates) <= set(valid)
    non_empty = [i for i in items if i.strip()]
    assert len(valid) + len(invalid) + len(duplicates) == len(non_empty)
