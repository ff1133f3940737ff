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
