"""Fuzzing the sign-in and profile forms: any input gets an answer, never a 500."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import PASSWORD, csrf_from

FUZZ = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
text = st.text(max_size=300) | st.sampled_from(
    ["", " ", "a@b", "\x00", "ä" * 5000, "<script>x</script>", "' OR 1=1 --"]
)


@FUZZ
@given(email=text, password=text)
def test_sign_in_form_never_fails_with_500(app, email, password):
    client = app.test_client()
    token = csrf_from(client.get("/anmelden").get_data(as_text=True))
    for path in ("/anmelden", "/anmelden/link", "/passwort-vergessen"):
        resp = client.post(path, data={"email": email, "password": password, "csrf_token": token})
        assert resp.status_code < 500, (path, email, password)
        assert "<script>x</script>" not in resp.get_data(as_text=True)


@FUZZ
@given(
    name=text,
    municipality=text,
    function=text,
    language=text | st.sampled_from(["de", "en"]),
    timezone=text | st.sampled_from(["Europe/Berlin", "UTC", "Mars/Olympus"]),
)
def test_profile_form_never_fails_with_500(
    app, make_user, login, name, municipality, function, language, timezone
):
    from peerlab.accounts.models import User
    from peerlab.extensions import db

    user = db.session.query(User).filter_by(email="fuzz@kommune.example").one_or_none()
    if user is None:
        user = make_user(email="fuzz@kommune.example")
    client = app.test_client()
    login(client, user, PASSWORD)
    token = csrf_from(client.get("/konto").get_data(as_text=True))
    db.session.refresh(user)
    fields = ("name", "municipality", "function", "language", "timezone")
    before = {field: getattr(user, field) for field in fields}
    resp = client.post(
        "/konto",
        data={
            "name": name,
            "municipality": municipality,
            "function": function,
            "language": language,
            "timezone": timezone,
            "csrf_token": token,
        },
    )
    db.session.refresh(user)
    assert user.language in ("de", "en") and len(user.name) <= 120
    if resp.status_code == 302:  # accepted: saved as chosen
        assert (user.language, user.timezone) == (language, timezone)
    else:  # refused: the form again with a message, nothing changed
        assert resp.status_code == 200, resp.status_code
        assert {field: getattr(user, field) for field in fields} == before
    assert "<script>x</script>" not in resp.get_data(as_text=True)
