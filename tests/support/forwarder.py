"""A TCP forwarder for fault tests: a process talks to PostgreSQL, Redis or another peerlab
process through it, and the test cuts the line without touching the service behind it.

- `pause()`: the listening socket is closed and every open connection is cut (both ends), so
  the client sees its connections drop and new ones refused, as if the service were gone.
- `resume()`: listen again on the same port; new connections reach the target again.
- `retarget(port)`: later connections go to another port (a proxy moving clients to the
  surviving web process); open connections stay where they are.
"""

from __future__ import annotations

import contextlib
import select
import socket
import threading

from tests.support.services import free_port

_CHUNK = 65536


class TcpForwarder:
    def __init__(self, target_port: int, *, host: str = "127.0.0.1", port: int = 0):
        self.host = host
        self.port = port or free_port()
        self.target_port = target_port
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self._pairs: set[tuple[socket.socket, socket.socket]] = set()
        self.accepted = 0

    # --- control -----------------------------------------------------------------------
    def start(self) -> TcpForwarder:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((self.host, self.port))
        listener.listen(128)
        with self._lock:
            self._listener = listener
        threading.Thread(target=self._accept_loop, args=(listener,), daemon=True).start()
        return self

    def pause(self) -> None:
        """Refuse new connections and cut the open ones."""
        with self._lock:
            listener, self._listener = self._listener, None
            pairs, self._pairs = self._pairs, set()
        if listener is not None:
            _close(listener)
        for pair in pairs:
            for sock in pair:
                _close(sock)

    def resume(self) -> None:
        self.start()

    def retarget(self, target_port: int) -> None:
        with self._lock:
            self.target_port = target_port

    def stop(self) -> None:
        self.pause()

    @property
    def paused(self) -> bool:
        with self._lock:
            return self._listener is None

    @property
    def url_host(self) -> str:
        return f"{self.host}:{self.port}"

    # --- the pumps -----------------------------------------------------------------------
    def _accept_loop(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _addr = listener.accept()
            except OSError:
                return  # paused: this listener is closed
            with self._lock:
                if self._listener is not listener:
                    _close(client)
                    return
                target = self.target_port
            try:
                upstream = socket.create_connection((self.host, target), timeout=5)
                upstream.settimeout(None)
            except OSError:
                _close(client)
                continue
            pair = (client, upstream)
            with self._lock:
                if self._listener is not listener:
                    _close(client)
                    _close(upstream)
                    return
                self._pairs.add(pair)
                self.accepted += 1
            threading.Thread(target=self._pump, args=(pair,), daemon=True).start()

    def _pump(self, pair: tuple[socket.socket, socket.socket]) -> None:
        client, upstream = pair
        peer = {client: upstream, upstream: client}
        try:
            while True:
                readable, _, _ = select.select([client, upstream], [], [], 1.0)
                with self._lock:
                    if pair not in self._pairs:
                        return
                for sock in readable:
                    data = sock.recv(_CHUNK)
                    if not data:
                        return
                    peer[sock].sendall(data)
        except (OSError, ValueError):
            return
        finally:
            with self._lock:
                self._pairs.discard(pair)
            _close(client)
            _close(upstream)


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        sock.close()
