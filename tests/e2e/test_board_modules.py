"""The board's script modules under Node's own test runner (no browser needed):
the version order with resync on gaps, presence applied with its version, the timer rendered
from deadline + server time, and the shared re-render helper with a caller-given item key."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from tests.support.services import need_node

HERE = Path(__file__).parent
ROOT = HERE.parents[1]


def test_board_modules_pass_their_node_tests(tmp_path):
    node = need_node()
    # The same files, in a folder that tells Node they are ES modules (the repo root does not).
    for package in ("lean_coffee", "live"):  # the board and the shared live modules
        shutil.copytree(ROOT / "static" / "js" / package, tmp_path / "static" / "js" / package)
    tests = tmp_path / "tests" / "e2e" / "js"
    shutil.copytree(HERE / "js", tests)
    (tmp_path / "package.json").write_text(json.dumps({"type": "module"}))
    result = subprocess.run(
        [node, "--test", str(tests / "board_modules.test.mjs")],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "# fail 0" in result.stdout
    assert "# pass 0" not in result.stdout


def test_shared_live_dom_helpers_know_no_format():
    """static/js/live/ serves every live format: the re-render helper takes the item attribute
    from its caller instead of falling back to Lean Coffee's cards."""
    shared = (ROOT / "static" / "js" / "live" / "dom.js").read_text(encoding="utf-8")
    for word in ("topic", "lean", "round", "lc-"):
        assert word not in shared.lower(), word
    board = (ROOT / "static" / "js" / "lean_coffee" / "board.js").read_text(encoding="utf-8")
    assert 'itemAttribute: "data-topic-id"' in board  # Lean Coffee passes its own
