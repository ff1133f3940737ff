"""The app for a WSGI server: `gunicorn -k gevent -w 1 -b 127.0.0.1:5101 peerlab.wsgi:app`
(docs/deployment.md). One worker per gunicorn process: several processes on their own ports
behind the proxy, all with SOCKETIO_MESSAGE_QUEUE and SCHEDULER=external, plus exactly one
`peerlab scheduler`. gunicorn's gevent worker has patched the standard library before this
module is imported."""

from __future__ import annotations

import logging
import os

os.environ.setdefault("SOCKETIO_ASYNC_MODE", "gevent")

from peerlab import create_app, scheduler

app = create_app()
if app.config.get("SCHEDULER") != "external":
    logging.getLogger(__name__).warning(
        "SCHEDULER is not 'external': this web process runs the jobs itself; with more than "
        "one web process set SCHEDULER=external and run one `peerlab scheduler`"
    )
scheduler.start_in_process(app)  # the presence heartbeat (and the jobs unless external)
