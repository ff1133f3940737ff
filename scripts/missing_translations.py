"""Print every German source string (templates and Python) that has no English translation."""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
METHOD_MAP = [
    ("peerlab/**.py", "python"),
    ("templates/**.html", "jinja2"),
    ("templates/**.txt", "jinja2"),
]
KEYWORDS = {
    "_": None,
    "gettext": None,
    "_l": None,
    "lazy_gettext": None,
    "ngettext": (1, 2),
    "lazy_ngettext": (1, 2),
}


def translated() -> set[str]:
    known: set[str] = set()
    for part in (ROOT / "peerlab" / "translations" / "src").glob("*.po"):
        with part.open("rb") as fh:
            for message in read_po(fh, locale="en"):
                if message.id and message.string:
                    known.add(message.id if isinstance(message.id, str) else message.id[0])
    return known


def main() -> int:
    known = translated()
    missing = {}
    for filename, lineno, message, _comments, _ctx in extract_from_dir(
        str(ROOT),
        METHOD_MAP,
        keywords=KEYWORDS,
        options_map={"templates/**.html": {"extensions": "jinja2.ext.i18n"}},
    ):
        msgid = message if isinstance(message, str) else message[0]
        if msgid and msgid not in known:
            missing.setdefault(msgid, f"{filename}:{lineno}")
    for msgid, where in sorted(missing.items(), key=lambda kv: kv[1]):
        print(f"{where}\t{msgid}")
    print(f"{len(missing)} untranslated", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
