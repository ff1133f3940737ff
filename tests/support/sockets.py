"""Flask-SocketIO's test client bound to one live namespace (Lean Coffee's unless told)."""

from __future__ import annotations

from peerlab.extensions import socketio

LEAN_COFFEE = "/lean-coffee"


class NamespaceClient:
    """The same calls as Flask-SocketIO's test client, every one on `namespace`."""

    def __init__(self, app, http=None, namespace: str = LEAN_COFFEE):
        self.namespace = namespace
        self.raw = socketio.test_client(app, namespace=namespace, flask_test_client=http)

    def is_connected(self) -> bool:
        return self.raw.is_connected(self.namespace)

    def emit(self, event: str, *args, callback: bool = False):
        return self.raw.emit(event, *args, callback=callback, namespace=self.namespace)

    def get_received(self) -> list[dict]:
        return self.raw.get_received(self.namespace)

    @property
    def queue(self) -> list[dict]:
        """Received and not yet fetched messages of this namespace (without fetching them)."""
        return [m for m in self.raw.queue if m["namespace"] == self.namespace]

    def disconnect(self) -> None:
        self.raw.disconnect(self.namespace)


def live_client(app, http=None, namespace: str = LEAN_COFFEE) -> NamespaceClient:
    return NamespaceClient(app, http, namespace)
