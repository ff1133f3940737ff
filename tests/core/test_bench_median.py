"""`python -m bench.median`: the median of several benchmark runs, without servers."""

from __future__ import annotations

import json

from bench import median


def _row(server: str, p99: float, **extra) -> dict:
    return {
        "format": "lean_coffee",
        "server": server,
        "mode": "gevent",
        "processes": 1,
        "database": "sqlite",
        "rounds": 50,
        "participants_per_round": 12,
        "clients": 600,
        "p50_ms": p99 / 2,
        "p99_ms": p99,
        "votes_per_second": 180.0,
        "server_cpu_ms_per_action": 4.0,
        "lost": 0,
        "duplicated": 0,
        "errors": 0,
        **extra,
    }


def test_medians_and_per_run_ratios_and_losses_are_summed_not_hidden():
    runs = [
        {"runs": [_row("bare", 100), _row("peerlab", 200)]},
        {"runs": [_row("bare", 120), _row("peerlab", 180, lost=2)]},
        {"runs": [_row("bare", 300), _row("peerlab", 330)]},
    ]
    bare, peer = median.summarise(runs)
    assert (bare["server"], bare["p99_ms"], bare["p99_ratio"]) == ("bare", 120, None)
    assert peer["p99_ms"] == 200
    assert peer["p99_ratios"] == [2.0, 1.5, 1.1]  # each against the bare server of its own run
    assert peer["p99_ratio"] == 1.5
    assert peer["lost"] == 2  # one run lost two: the sum shows it
    assert peer["runs"] == 3 and peer["failed_runs"] == 0


def test_a_failed_run_is_counted_and_left_out_of_the_medians(tmp_path, capsys):
    results = [
        {"runs": [_row("bare", 100), _row("peerlab", 150)]},
        {"runs": [_row("bare", 100), {**_row("peerlab", 0), "failed": True, "p99_ms": None}]},
    ]
    paths = []
    for i, result in enumerate(results):
        paths.append(tmp_path / f"r{i}.json")
        paths[-1].write_text(json.dumps(result))
    out = tmp_path / "summary.json"
    assert median.main([str(p) for p in paths] + ["--json", str(out)]) == 0
    peer = json.loads(out.read_text())[1]
    assert (peer["runs"], peer["failed_runs"], peer["p99_ms"]) == (2, 1, 150)
    table = capsys.readouterr().out
    assert "| lean_coffee | peerlab gevent | 1 | sqlite | 600 | 2 (1 failed) |" in table
    assert "1.50× (1.50)" in table


def test_an_unreadable_file_is_a_clear_error(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    assert median.main([str(bad)]) == 2
    assert "cannot read a result" in capsys.readouterr().err


def _page(page: str, rps: float, p99: float, errors: int = 0) -> dict:
    return {
        "database": "sqlite",
        "page": page,
        "clients": 20,
        "requests": 100,
        "req/s": rps,
        "p50 ms": p99 / 2,
        "p99 ms": p99,
        "cpu ms/req": 10.0,
        "errors": errors,
        "first_feed_ms": None,
    }


def test_http_runs_are_grouped_by_database_and_page(tmp_path, capsys):
    results = [
        {"runs": [_page("dashboard", 10, 900), _page("board", 30, 300)]},
        {"runs": [_page("dashboard", 12, 700, errors=1), _page("board", 20, 500)]},
        {"runs": [_page("dashboard", 11, 800), _page("board", 25, 400)]},
    ]
    paths = []
    for i, result in enumerate(results):
        paths.append(tmp_path / f"h{i}.json")
        paths[-1].write_text(json.dumps(result))
    assert median.main([str(p) for p in paths]) == 0
    table = capsys.readouterr().out
    assert "| sqlite | dashboard | 20 | 3 | 11 | 400 | 800 | 10.0 | 1 |" in table
    assert "| sqlite | board | 20 | 3 | 25 | 200 | 400 | 10.0 | 0 |" in table
