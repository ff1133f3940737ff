"""The live pages' words module under Node's own test runner: guest marker and house date
format in the page's language (issue 8)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from tests.support.services import need_node

HERE = Path(__file__).parent
ROOT = HERE.parents[1]


def test_words_module_passes_its_node_tests(tmp_path):
    node = need_node()
    shutil.copytree(ROOT / "static" / "js" / "live", tmp_path / "static" / "js" / "live")
    tests = tmp_path / "tests" / "e2e" / "js"
    tests.mkdir(parents=True)
    shutil.copy(HERE / "js" / "words.test.mjs", tests)
    (tmp_path / "package.json").write_text(json.dumps({"type": "module"}))
    result = subprocess.run(
        [node, "--test", str(tests / "words.test.mjs")],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "# fail 0" in result.stdout and "# pass 2" in result.stdout
