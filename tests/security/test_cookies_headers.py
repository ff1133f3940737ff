"""Only the session cookie (HttpOnly, SameSite=Lax, Secure over https); CSP and headers."""

from __future__ import annotations

import re

from peerlab.security import CSP
from tests.conftest import make_app
from tests.security.conftest import rules, url_for_rule

EXPECTED_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'"
)


def cookie_headers(resp) -> list[str]:
    return resp.headers.getlist("Set-Cookie")


def cookie_names(resp) -> set[str]:
    return {h.split("=", 1)[0] for h in cookie_headers(resp)}


def test_session_cookie_is_httponly_and_samesite_lax(client, make_user, login):
    resp = login(client, make_user())
    [header] = [h for h in cookie_headers(resp) if h.startswith("peerlab_session=")]
    assert "HttpOnly" in header
    assert "SameSite=Lax" in header
    assert "Secure" not in header  # plain http in this test app


def test_session_cookie_is_secure_when_configured(tmp_path, make_user):
    app = make_app(tmp_path / "secure", SESSION_COOKIE_SECURE=True)
    with app.app_context():
        from tests.conftest import csrf_from

        client = app.test_client()
        page = client.get("/anmelden", base_url="https://localhost")
        resp = client.post(
            "/anmelden",
            base_url="https://localhost",
            headers={"Referer": "https://localhost/anmelden"},
            data={
                "email": "x@kommune.example",
                "password": "y" * 12,
                "csrf_token": csrf_from(page.get_data(as_text=True)),
            },
        )
        header = " ".join(cookie_headers(resp) + cookie_headers(page))
        assert "peerlab_session=" in header
        assert "Secure" in header and "HttpOnly" in header and "SameSite=Lax" in header
        assert "max-age=31536000" in page.headers["Strict-Transport-Security"]


def _get_pages(app, client) -> list:
    pages = []
    for rule in rules(app, "GET"):
        if rule.arguments:
            continue
        pages.append(client.get(url_for_rule(rule)))
    return pages


def test_no_other_cookie_on_any_page(app, client, make_user, login):
    names: set[str] = set()
    for resp in _get_pages(app, client):  # anonymous
        names |= cookie_names(resp)
    names |= cookie_names(login(client, make_user("admin")))
    for resp in _get_pages(app, client):  # signed in
        names |= cookie_names(resp)
    assert names <= {"peerlab_session"}, names


def test_csp_is_exact_and_allows_no_inline_code_or_third_party(client):
    resp = client.get("/")
    assert resp.headers["Content-Security-Policy"] == EXPECTED_CSP == CSP
    assert "unsafe-inline" not in CSP and "unsafe-eval" not in CSP
    assert not re.search(r"https?:|\*", CSP)


def test_security_headers_on_pages_and_errors(client):
    for path in ("/", "/anmelden", "/gibt-es-nicht", "/healthz"):
        headers = client.get(path).headers
        assert headers["Content-Security-Policy"] == EXPECTED_CSP
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "same-origin"
        assert "camera=()" in headers["Permissions-Policy"]
        assert headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_pages_contain_no_inline_script_or_style(app, client, make_user, login):
    login(client, make_user("admin"))
    for resp in [*_get_pages(app, client), client.get("/anmelden/zweiter-faktor/einrichten")]:
        html = resp.get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", html), resp.request.path
        assert " style=" not in html, resp.request.path
        assert not re.search(r"\son[a-z]+=", html), resp.request.path


def test_signed_in_pages_are_not_cached(client, make_user, login):
    login(client, make_user())
    assert client.get("/konto").headers["Cache-Control"] == "no-store"


def test_healthz_answers_json_without_cookie(client):
    resp = client.get("/healthz")
    assert resp.status_code == 200 and resp.get_json()["status"] == "ok"
    assert cookie_headers(resp) == []
