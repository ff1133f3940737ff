"""Due-item processing: one failing processor does not stop the others."""

from peerlab.core import due


def test_run_due_isolates_failures(app, now, monkeypatch):
    seen = []
    monkeypatch.setattr(due, "_processors", {})  # the real registry comes back after the test
    due.register("a", lambda at: (_ for _ in ()).throw(RuntimeError("x")))
    due.register("b", lambda at: seen.append(at) or 1)
    results = due.run_due(now)
    assert results == {"a": -1, "b": 1}
    assert seen == [now]


def test_scheduler_tick_runs_registered_processors(app):
    from peerlab import scheduler

    results = scheduler.tick(app)
    assert "mail.send" in results
    assert all(v >= 0 for v in results.values())
