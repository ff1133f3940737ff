"""Due-item processing: one failing processor does not stop the others."""

from peerlab.core import due
from tests.conftest import make_app


class TwoJobs:
    """A test feature with a failing and a working processor."""

    def __init__(self) -> None:
        self.seen: list = []

    def init_app(self, app, registry) -> None:
        due.register("test.a", lambda at: (_ for _ in ()).throw(RuntimeError("x")))
        due.register("test.b", lambda at: self.seen.append(at) or 1)


def test_run_due_isolates_failures(tmp_path):
    feature = TwoJobs()
    app = make_app(tmp_path, features=(feature,))
    with app.app_context():
        now = app.extensions["peerlab.clock"].now()
        results = due.run_due(now)
    assert results["test.a"] == -1
    assert results["test.b"] == 1
    assert feature.seen == [now]


def test_scheduler_tick_runs_registered_processors(app):
    from peerlab import scheduler

    results = scheduler.tick(app)
    assert "mail.send" in results
    assert all(v >= 0 for v in results.values())
