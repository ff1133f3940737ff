"""The board's script modules under Node's own test runner (no browser needed):
the version order with resync on gaps, and the timer rendered from deadline + server time."""

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
