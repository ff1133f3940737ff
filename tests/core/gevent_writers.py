"""Run as a subprocess (never import into pytest): two writers in one gevent process.

Writer A takes the write lock and, inside its transaction, yields to the hub (what an emit or a
network call would do); writer B then wants to write. A ticker greenlet measures whether the
process kept running while B waited. Prints one JSON line with the findings.

    python -m tests.core.gevent_writers <sqlite-file> <instance-dir>
"""

from gevent import monkey

monkey.patch_all()

import itertools  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import gevent  # noqa: E402
import gevent.event  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

HOLD_SECONDS = 0.5


def main(db_file: str, instance: str) -> None:
    os.environ["PEERLAB_INSTANCE"] = instance
    from peerlab import create_app
    from peerlab.accounts.models import RateEvent
    from peerlab.extensions import db

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "gevent-writers",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_file}",
            "SOCKETIO_ASYNC_MODE": "gevent",
        }
    )
    with app.app_context():
        db.create_all()
        now = app.extensions["peerlab.clock"].now()

    ticks: list[float] = []
    a_holds = gevent.event.Event()
    done: dict[str, float] = {}

    def ticker() -> None:
        while "b" not in done or "a" not in done:
            ticks.append(time.monotonic())
            gevent.sleep(0.01)

    def writer_a() -> None:
        with app.app_context():
            db.session.add(RateEvent(key="writer-a", at=now))
            db.session.flush()  # inside BEGIN IMMEDIATE: A holds the write lock
            a_holds.set()
            gevent.sleep(HOLD_SECONDS)  # yields while holding the lock
            db.session.commit()
            done["a"] = time.monotonic()

    def writer_b() -> None:
        a_holds.wait()
        with app.app_context():
            db.session.add(RateEvent(key="writer-b", at=now))
            db.session.commit()
            done["b"] = time.monotonic()

    start = time.monotonic()
    greenlets = [gevent.spawn(ticker), gevent.spawn(writer_a), gevent.spawn(writer_b)]
    gevent.joinall(greenlets, timeout=60)
    errors = [repr(g.exception) for g in greenlets if g.exception is not None]
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    with app.app_context():
        rows = db.session.scalar(select(func.count(RateEvent.id)))
    print(
        json.dumps(
            {
                "errors": errors,
                "rows": rows,
                "longest_gap": max(gaps, default=0.0),
                "a_done": done.get("a", 0.0) - start,
                "b_done": done.get("b", 0.0) - start,
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
