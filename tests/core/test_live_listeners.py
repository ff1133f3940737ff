"""Importing the live layer changes nothing global: its SQLAlchemy listeners are attached by
init_app (create_app), not by the import."""

from __future__ import annotations

import subprocess
import sys

from tests.support.live import ROOT

PROBE = """
from sqlalchemy import event
from sqlalchemy.orm import Session
from peerlab.core.live import outbox
hooks = [("after_commit", outbox._send_after_commit),
         ("after_soft_rollback", outbox._drop_after_rollback)]
before = [event.contains(Session, name, fn) for name, fn in hooks]
outbox.install()
outbox.install()  # twice: still one listener each
after = [event.contains(Session, name, fn) for name, fn in hooks]
print(before, after)
"""


def test_listeners_are_attached_by_install_not_by_import():
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[False, False] [True, True]"
