"""What each feature holds about a person: for the data export and for account deletion.

Features register both hooks under one name in init_app (`registry.exporter(name, fn)` and
`registry.eraser(name, fn)`; startup fails when one of the pair is missing), so that export and
deletion never miss a format:
- an exporter returns the JSON-serialisable data the feature holds about the user;
- an eraser is called before the account row goes: with keep_content=True it must detach the
  user's shared contributions (shown as "former member" without a name), with False delete them;
  in both cases it removes the user's votes and private data.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from peerlab.accounts.models import User
from peerlab.core import registry

Exporter = Callable[[User], Any]
Eraser = Callable[[User, bool, datetime], None]


def exporters() -> dict[str, Exporter]:
    return dict(registry.current().items("exporters"))


def erasers() -> dict[str, Eraser]:
    return dict(registry.current().items("erasers"))
