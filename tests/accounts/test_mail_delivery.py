"""Account mails travel over real SMTP (aiosmtpd on 127.0.0.1) and their links work."""

from __future__ import annotations

import pyotp

from peerlab.accounts import service
from peerlab.extensions import db
from peerlab.notify import sender
from tests.accounts.conftest import link_in, post_form
from tests.conftest import PASSWORD, sign_in


def _user(app, email: str, role: str = "member", **fields):
    user = service.create_user(
        email=email,
        name="Olga Organisatorin",
        role=role,
        password=PASSWORD,
        now=app.extensions["peerlab.clock"].now(),
        **fields,
    )
    if role != "member":
        user.totp_secret = pyotp.random_base32()
        user.totp_enabled = True
    db.session.commit()
    return user


def test_sign_in_link_arrives_by_smtp_and_signs_in(mail_app, smtp):
    user = _user(mail_app, "smtp@kommune.example")
    client = mail_app.test_client()
    post_form(client, "/anmelden/link", {"email": user.email})
    assert sender.send_due(mail_app.extensions["peerlab.clock"].now()) == 1
    [mail] = smtp.recorder.wait_for(user.email)
    assert mail["Message-ID"] and "Anmeldelink" in str(mail["Subject"])
    assert post_form(client, link_in(mail)).status_code == 302
    assert client.get("/konto").status_code == 200


def test_invitation_arrives_by_smtp_in_inviters_language(mail_app, smtp):
    organizer = _user(mail_app, "orga@stiftung.example", "organizer", language="en")
    client = mail_app.test_client()
    sign_in(client, organizer)
    post_form(client, "/verwaltung/einladen", {"emails": "gast@kommune.example", "role": "member"})
    sender.send_due(mail_app.extensions["peerlab.clock"].now())
    [mail] = smtp.recorder.wait_for("gast@kommune.example")
    assert str(mail["Subject"]) == "Invitation to peerlab"
    text = mail.get_body(preferencelist=("plain",)).get_content()
    assert "Olga Organisatorin" in text and "/einladung/" in link_in(mail)
