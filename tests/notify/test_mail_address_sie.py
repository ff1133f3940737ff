"""Mails address people with "Sie": no du/dich/dein/dir/euch in any mail template, the
calendar mails' shared parts included (issue 8)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
INFORMAL = re.compile(r"\b(du|dich|dein\w*|dir|euch|euer|eure\w*)\b", re.IGNORECASE)


def mail_templates() -> list[Path]:
    mail = sorted((ROOT / "templates" / "mail").iterdir())
    calendar_parts = sorted((ROOT / "templates" / "ical").glob("_mail*"))
    return mail + calendar_parts


def informal_words(text: str) -> list[str]:
    return [m.group(0) for m in INFORMAL.finditer(text)]


def test_the_check_finds_informal_address_and_lets_formal_pass():
    assert informal_words("Hallo, hast du Zeit? Dein Link, für dich und euch.") == [
        "du",
        "Dein",
        "dich",
        "euch",
    ]
    assert (
        informal_words("Ihr Link: Sie können direkt teilnehmen. Duisburg, Dirk, Durchführung") == []
    )


def test_no_mail_template_says_du():
    files = mail_templates()
    assert len(files) > 30 and any(p.name == "_mail_layout.html" for p in files)
    found = {
        f"{path.relative_to(ROOT)}:{number}": words
        for path in files
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if (words := informal_words(line))
    }
    assert found == {}
