"""peerlab/core is the layer features stand on: it imports no feature, not even inside a
function (features register into core from their init_app instead)."""

from __future__ import annotations

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "peerlab" / "core"
FEATURES = ("accounts", "ical", "lean_coffee", "notify", "pages")


def _imports(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
            if node.module == "peerlab":
                names += [f"peerlab.{alias.name}" for alias in node.names]
    return names


def test_core_imports_no_feature():
    offending = [
        f"{path.relative_to(CORE)}: {name}"
        for path in sorted(CORE.rglob("*.py"))
        for name in _imports(path)
        if any(name == f"peerlab.{f}" or name.startswith(f"peerlab.{f}.") for f in FEATURES)
    ]
    assert offending == []
