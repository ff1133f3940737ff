"""Demo data: admin and organizer get the fixed TOTP key that print_logins shows."""

from __future__ import annotations

import pyotp

from peerlab import demo
from peerlab.accounts import service, twofactor


def test_demo_admin_and_organizer_use_the_printed_totp_key(app, now):
    demo.load()
    printed: list[str] = []
    demo.print_logins(printed.append)
    assert any(demo.DEMO_TOTP_SECRET in line for line in printed)
    for email in ("admin@peerlab.example", "orga@peerlab.example"):
        user = service.find_by_email(email)
        assert user.totp_enabled and user.totp_secret == demo.DEMO_TOTP_SECRET
        twofactor.verify(user, pyotp.TOTP(demo.DEMO_TOTP_SECRET).at(now), now=now)
    member = service.find_by_email("buergermeisterin@lindenau.example")
    assert not member.totp_enabled


def test_reset_deletes_everything_and_loads_the_demo_again(app, now):
    from sqlalchemy import func, select

    from peerlab.accounts.models import User
    from peerlab.extensions import db

    with app.test_request_context():
        demo.load()
        service.create_user(email="besuch@kommune.example", name="Besuch", now=now)
        db.session.commit()
        before = db.session.scalar(select(func.count(User.id)))
        demo.reset()
    assert service.find_by_email("besuch@kommune.example") is None
    assert db.session.scalar(select(func.count(User.id))) == before - 1
    assert service.find_by_email(demo.INVITED.email).status == "invited"
    assert service.find_by_email("orga@peerlab.example").totp_enabled


def test_demo_reset_command_asks_first(app):
    runner = app.test_cli_runner()
    with app.test_request_context():
        demo.load()
    result = runner.invoke(args=["demo", "--reset"], input="n\n")
    assert result.exit_code != 0 and service.find_by_email("orga@peerlab.example")
    result = runner.invoke(args=["demo", "--reset", "--yes"])
    assert result.exit_code == 0, result.output
    assert "neu geladen" in result.output and demo.INVITED.email in result.output
