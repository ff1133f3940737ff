"""External services for tests: skipped with a reason on a laptop, a failure in CI.

PEERLAB_REQUIRE_SERVICES=1 (set by .ci/run) turns every skip for a missing service into a failure.
"""

from __future__ import annotations

import os
import shutil
import socket

import pytest

POSTGRES_URL = os.environ.get(
    "PEERLAB_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("PEERLAB_TEST_REDIS", "redis://127.0.0.1:6379/15")
CHROMIUM = os.environ.get("PEERLAB_CHROMIUM", "/usr/bin/chromium")


def required() -> bool:
    return os.environ.get("PEERLAB_REQUIRE_SERVICES") == "1"


def missing(reason: str) -> None:
    """Skip (laptop) or fail (CI) because a service is not there."""
    if required():
        pytest.fail(f"required service missing: {reason}", pytrace=False)
    pytest.skip(reason)


def port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def need_postgres() -> str:
    if not port_open("127.0.0.1", 5432):
        missing("PostgreSQL is not running on 127.0.0.1:5432")
    return POSTGRES_URL


def need_redis() -> str:
    if not port_open("127.0.0.1", 6379):
        missing("Redis is not running on 127.0.0.1:6379")
    return REDIS_URL


def need_chromium() -> str:
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        missing(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    return CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")


def need_node() -> str:
    node = shutil.which("node")
    if not node:
        missing("node is not installed")
    return node


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
