"""Merge the English catalogue parts (peerlab/translations/src/*.po, one per feature) into
peerlab/translations/en/LC_MESSAGES/messages.po and compile it to messages.mo.

German is the source language (msgid); each feature keeps its own part so that features can be
translated independently. A msgid translated in two parts must agree; the build fails otherwise.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "peerlab" / "translations" / "src"
OUT = ROOT / "peerlab" / "translations" / "en" / "LC_MESSAGES"


def main() -> int:
    merged = Catalog(locale="en", project="peerlab", charset="utf-8")
    origin: dict[str, str] = {}
    errors = []
    for part in sorted(SRC.glob("*.po")):
        with part.open("rb") as fh:
            catalog = read_po(fh, locale="en")
        for message in catalog:
            if not message.id or not message.string:
                continue
            key = message.id if isinstance(message.id, str) else message.id[0]
            existing = merged.get(message.id)
            if existing is not None and existing.string != message.string:
                errors.append(f"{part.name}: {key!r} differs from {origin[key]}")
                continue
            merged.add(message.id, message.string)
            origin[key] = part.name
    if errors:
        print("\n".join(errors), file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    with (OUT / "messages.po").open("wb") as fh:
        write_po(fh, merged)
    with (OUT / "messages.mo").open("wb") as fh:
        write_mo(fh, merged)
    print(f"{len(merged)} English messages compiled")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
