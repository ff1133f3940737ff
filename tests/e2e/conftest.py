"""Browser test harness: Debian's Chromium through Playwright, one live peerlab per session.

- `live`: peerlab in a subprocess on a free port with a fresh SQLite file, sending real mail to
  the session's aiosmtpd server (`smtp_server`).
- `live_users.create(...)`: people written straight into the live server's database.
- `visitor()`: a new browser context (one person) whose every request and socket is recorded;
  at the end of the test all of them must have gone to the app's own origin.
- `visitor().check_page(signed_in=...)`: the rules for every page visited, at the window's
  size — zero axe-core violations (WCAG 2.1 A/AA), no sideways scrolling, `<html lang>` set,
  requests only to the app's own origin, no CSP complaint or script error, no cookie but
  `peerlab_session` (HttpOnly, SameSite=Lax).
- `window`: parametrises a test over a phone (390×844) and a laptop (1366×768):
  `visitor(**window)`; on the phone the header's menu holds navigation, language and sign-out
  (`person.open_menu()`).
- `live_offline` / `offline_users`: a second server without SMTP (demo mailbox), for
  `visitor(server=live_offline)`.
- harness: `sign_in(person, user)` (real form + TOTP at the server's clock),
  `assert_accessible(page)`, `assert_focus_visible(page)` (Tab walk), `links_in_mail(...)`.
Time: `live.advance(seconds)` moves the server's test clock and applies what became due.
"""

from __future__ import annotations

import itertools
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pyotp
import pytest

from peerlab import create_app
from peerlab.extensions import db
from tests.e2e.harness import (
    CHROMIUM_ARGS,
    WINDOWS,
    LiveUser,
    RequestRecorder,
    Visitor,
    server_time,
)
from tests.support.live import LiveServer
from tests.support.services import need_chromium

PASSWORD = "richtig-langes-passwort"
DEFAULT_TIMEOUT_MS = 15_000


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test here that opens a browser is a browser test (`-m "not browser"` skips it)."""
    here = Path(__file__).parent
    for item in items:
        in_here = here in Path(str(item.fspath)).parents
        if in_here and "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(params=list(WINDOWS))
def window(request) -> dict:
    """A test that asks for `window` runs twice: on a phone (390×844) and a laptop (1366×768);
    open its browsers with `visitor(**window)`."""
    return WINDOWS[request.param]


@pytest.fixture(scope="session")
def chromium_path() -> str:
    return need_chromium()


@pytest.fixture(scope="session")
def browser(chromium_path: str):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def live(chromium_path: str, smtp_server, tmp_path_factory) -> Iterator[LiveServer]:
    """peerlab once per session (fresh SQLite, real SMTP, test clock control)."""
    server = LiveServer(tmp_path_factory.mktemp("e2e-live"), smtp_port=smtp_server.port).start()
    yield server
    server.stop()


class LiveDatabase:
    """Writes test data into the live server's database from the test process."""

    def __init__(self, live: LiveServer) -> None:
        previous = os.environ.get("PEERLAB_INSTANCE")
        os.environ["PEERLAB_INSTANCE"] = str(live.instance)
        try:
            self.app = create_app(
                {
                    "TESTING": True,
                    "SQLALCHEMY_DATABASE_URI": live.db_url,
                    "SECRET_KEY": "live-test-secret",
                    "RATELIMIT_ENABLED": False,
                    "SERVER_NAME": None,
                }
            )
        finally:
            if previous is None:
                os.environ.pop("PEERLAB_INSTANCE", None)
            else:
                os.environ["PEERLAB_INSTANCE"] = previous
        self.base_url = live.url
        self._numbers = itertools.count(1)

    def app_context(self):
        return self.app.app_context()

    def create(
        self,
        role: str = "member",
        *,
        name: str | None = None,
        totp: bool | None = None,
        language: str = "de",
        password: str = PASSWORD,
        **fields,
    ) -> LiveUser:
        """A user with a password (and a TOTP secret for admins/organizers or when asked)."""
        from peerlab.accounts import service

        n = next(self._numbers)
        email = f"e2e{n}-{uuid.uuid4().hex[:6]}@kommune{n}.example"
        with self.app.app_context():
            user = service.create_user(
                email=email,
                name=name or f"Testperson {n}",
                role=role,
                password=password,
                language=language,
                now=server_time(self.base_url),
                **fields,
            )
            if totp if totp is not None else role in ("admin", "organizer"):
                user.totp_secret = pyotp.random_base32()
                user.totp_enabled = True
            db.session.commit()
            person = LiveUser(
                id=user.id,
                email=user.email,
                name=user.name,
                password=password,
                role=user.role,
                totp_secret=user.totp_secret,
            )
            db.session.remove()
        return person


@pytest.fixture(scope="session")
def live_users(live: LiveServer) -> LiveDatabase:
    return LiveDatabase(live)


@pytest.fixture(scope="session")
def live_offline(chromium_path: str, tmp_path_factory) -> Iterator[LiveServer]:
    """peerlab without SMTP settings (as `make run`): mail goes to the demo mailbox."""
    server = LiveServer(tmp_path_factory.mktemp("e2e-offline")).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def offline_users(live_offline: LiveServer) -> LiveDatabase:
    return LiveDatabase(live_offline)


@pytest.fixture
def visitor(browser, live: LiveServer) -> Iterator[Callable[..., Visitor]]:
    """Factory: a fresh person (browser context). Their requests are checked at the end."""
    opened: list[Visitor] = []

    def open_visitor(
        *, width: int = 1280, height: int = 900, server: LiveServer | None = None, **context_args
    ) -> Visitor:
        base_url = (server or live).url
        context = browser.new_context(
            base_url=base_url,
            locale="de-DE",
            timezone_id="Europe/Berlin",
            viewport={"width": width, "height": height},
            **context_args,
        )
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        recorder = RequestRecorder(base_url).attach(context)
        page = context.new_page()
        person = Visitor(base_url, context, page, recorder)
        opened.append(person)
        return person

    yield open_visitor
    try:
        for person in opened:
            if person.recorder.urls:
                person.recorder.assert_same_origin()
    finally:
        for person in opened:
            person.context.close()
