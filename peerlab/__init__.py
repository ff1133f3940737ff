"""peerlab: digital peer learning for leaders of German municipalities.

The package import stays light on purpose: `peerlab run` must let gevent patch the standard
library before Flask and its dependencies are imported (see peerlab.cli).
"""

from __future__ import annotations


def create_app(config: dict | None = None, *, features=()):
    """Build the Flask app (see peerlab.app.create_app)."""
    from peerlab.app import create_app as build

    return build(config, features=features)
