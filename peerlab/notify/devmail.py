"""`PEERLAB_DEV_MAIL=console`: the demo (`make run`) also writes the mails a visitor needs to go
on (sign-in link, password reset, invitation to peerlab) to the terminal, with their links.

A visitor trying the demo cannot read another person's demo mailbox (it needs that person's
password); the terminal belongs to whoever started the server, so the link is reachable there.
The in-app mailbox stays strictly per person. A setup with real mail delivery (SMTP_HOST) or
https cookies is a production setup: there the setting refuses to start, so no link is ever
written to a production log.
"""

from __future__ import annotations

import sys
from email import message_from_bytes
from email.policy import default as default_policy

CONSOLE = "console"
# Mail kinds (outbox templates) whose links a visitor needs to continue.
KINDS = frozenset({"signin_link", "password_reset", "invitation"})


class DevMailRefused(RuntimeError):
    """PEERLAB_DEV_MAIL is set where it must not be (a startup error)."""


def check(config) -> None:
    """Refuse an unknown value, and `console` in a production setup."""
    value = config.get("DEV_MAIL") or ""
    if value not in ("", CONSOLE):
        raise DevMailRefused(f"PEERLAB_DEV_MAIL={value!r}: the only value is 'console'")
    if value and (config.get("SMTP_HOST") or config.get("SESSION_COOKIE_SECURE")):
        raise DevMailRefused(
            "PEERLAB_DEV_MAIL=console is for the local demo only and would write sign-in links "
            "to the log: unset it when SMTP_HOST or SESSION_COOKIE_SECURE is set"
        )


def enabled(config) -> bool:
    return config.get("DEV_MAIL") == CONSOLE and not config.get("SMTP_HOST")


def echo(kind: str, to_addr: str, raw: bytes, *, out=None) -> bool:
    """Write one delivered demo mail (addressee, subject, text with links) to stdout."""
    if kind not in KINDS:
        return False
    message = message_from_bytes(raw, policy=default_policy)
    body = message.get_body(preferencelist=("plain",))
    text = body.get_content() if body is not None else ""
    stream = out or sys.stdout
    stream.write(
        "\n----- peerlab demo mail (PEERLAB_DEV_MAIL=console) -----\n"
        f"To: {to_addr}\nSubject: {message['Subject']}\n\n{text.rstrip()}\n"
        "----- end of mail -----\n\n"
    )
    stream.flush()
    return True
