"""A real SMTP server (aiosmtpd) on 127.0.0.1 that keeps what it receives, and can refuse."""

from __future__ import annotations

import email
import threading
import time
from email.message import EmailMessage
from email.policy import default as default_policy

from aiosmtpd.controller import Controller


class Recorder:
    def __init__(self) -> None:
        self.messages: list[bytes] = []
        self.refuse_next = 0
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            if self.refuse_next > 0:
                self.refuse_next -= 1
                return "451 4.3.0 Try again later"
            self.messages.append(envelope.original_content or envelope.content)
        return "250 OK"

    def clear(self) -> None:
        with self._lock:
            self.messages.clear()
            self.refuse_next = 0

    def parsed(self) -> list[EmailMessage]:
        with self._lock:
            raw = list(self.messages)
        return [email.message_from_bytes(m, policy=default_policy) for m in raw]

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.parsed() if address.lower() in str(m["To"]).lower()]

    def wait_for(self, address: str, count: int = 1, timeout: float = 15.0) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.to(address)
            if len(found) >= count:
                return found
            time.sleep(0.05)
        raise AssertionError(f"no mail to {address} within {timeout}s")


class SMTPServer:
    def __init__(self, port: int) -> None:
        self.recorder = Recorder()
        self.port = port
        self.controller = Controller(self.recorder, hostname="127.0.0.1", port=port)

    def start(self) -> SMTPServer:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()
