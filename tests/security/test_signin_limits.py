"""Sign-in limits count failures, fit a shared office network, and see the client's address
behind a configured number of proxies."""

from __future__ import annotations

import pytest

from peerlab.accounts import ratelimit, service
from peerlab.extensions import db
from tests.accounts.conftest import post_form
from tests.conftest import PASSWORD, make_app


def _sign_in(client, email: str, password: str):
    return post_form(client, "/anmelden", {"email": email, "password": password})


def test_an_office_of_fifty_signs_in_from_one_address(limited_app, make_user, now):
    first = make_user(email="p0@rathaus.example")
    people = [first.email]
    for i in range(1, 50):  # the same password hash: no need to hash fifty times
        user = service.create_user(email=f"p{i}@rathaus.example", name=f"P {i}", now=now)
        user.password_hash = first.password_hash
        people.append(user.email)
    db.session.commit()

    for email in people:  # one router, one address; everyone mistypes once
        client = limited_app.test_client()
        assert _sign_in(client, email, "vertippt-vertippt").status_code == 200
        resp = _sign_in(client, email, PASSWORD)
        assert resp.status_code == 302, email
        assert client.get("/konto").status_code == 200


def test_successful_sign_ins_do_not_count(limited_app, make_user, monkeypatch):
    monkeypatch.setattr(ratelimit, "LOGIN_FAILURES_PER_ACCOUNT", ratelimit.Limit(2, 900))
    user = make_user()
    for _ in range(4):
        client = limited_app.test_client()
        assert _sign_in(client, user.email, PASSWORD).status_code == 302
    client = limited_app.test_client()
    for _ in range(2):
        assert _sign_in(client, user.email, "falsch-falsch").status_code == 200
    assert _sign_in(client, user.email, PASSWORD).status_code == 429  # two failures: a pause


@pytest.fixture
def proxied_app(tmp_path, request):
    app = make_app(tmp_path, RATELIMIT_ENABLED=True, PROXY_COUNT=request.param)
    ctx = app.app_context()
    ctx.push()
    try:
        yield app
    finally:
        db.session.remove()
        ctx.pop()


def _fail_from(app, address: str):
    client = app.test_client()
    client.environ_base["HTTP_X_FORWARDED_FOR"] = address
    return _sign_in(client, f"jemand@{address}.example", "falsch-falsch").status_code


@pytest.mark.parametrize("proxied_app", [1], indirect=True)
def test_behind_a_proxy_each_client_address_counts_on_its_own(proxied_app, monkeypatch):
    monkeypatch.setattr(ratelimit, "LOGIN_FAILURES_PER_ADDRESS", ratelimit.Limit(2, 300))
    assert [_fail_from(proxied_app, "203.0.113.7") for _ in range(3)] == [200, 200, 429]
    assert _fail_from(proxied_app, "198.51.100.9") == 200  # another office behind the proxy


@pytest.mark.parametrize("proxied_app", [0], indirect=True)
def test_without_a_proxy_a_forwarded_header_changes_nothing(proxied_app, monkeypatch):
    monkeypatch.setattr(ratelimit, "LOGIN_FAILURES_PER_ADDRESS", ratelimit.Limit(2, 300))
    assert [_fail_from(proxied_app, "203.0.113.7") for _ in range(2)] == [200, 200]
    assert _fail_from(proxied_app, "198.51.100.9") == 429  # a made-up header is no way out
