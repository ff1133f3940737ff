"""The board's script modules under Node's own test runner (no browser needed):
the version order with resync on gaps, and the timer rendered from deadline + server time."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.support.services import need_node

HERE = Path(__file__).parent


def test_board_modules_pass_their_node_tests():
    node = need_node()
    result = subprocess.run(
        [node, "--test", str(HERE / "js" / "board_modules.test.mjs")],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=HERE.parents[1],
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "# fail 0" in result.stdout
