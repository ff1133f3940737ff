"""Every German source string has an English translation, and the parts agree."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_english_catalogue_builds_from_consistent_parts():
    result = subprocess.run(
        [sys.executable, "scripts/build_translations.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_no_german_string_lacks_an_english_translation():
    result = subprocess.run(
        [sys.executable, "scripts/missing_translations.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, "untranslated:\n" + result.stdout[-3000:]
