"""Registering into an app that is already built, for one test only.

An app's registry is frozen once `create_app` returns, and a test that needs a hook usually
brings a test feature instead (`app_features` fixture). Where a test swaps one hook for its own
duration (a due-item kind, an expiry handler), it patches that app's slot directly; pytest's
monkeypatch restores it afterwards, and other apps in the process never see it."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from peerlab.core import registry


def patch_slot(
    monkeypatch: pytest.MonkeyPatch, app: Flask, slot: str, key: str, value: Any
) -> None:
    """Set `key` in `slot` of `app`'s registry until the test ends (replacing any entry)."""
    registry.SLOTS[slot](value)  # the slot's own check still applies
    monkeypatch.setitem(registry.of(app)._slot(slot), key, value)
