"""Copy the front-end assets peerlab serves itself from node_modules into static/vendor.

Nothing is fetched from a CDN at run time; static/vendor is built, never committed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / "node_modules"
VENDOR = ROOT / "static" / "vendor"
FIRA_TTF = "@expo-google-fonts/fira-sans"

COPIES = [
    ("@kern-ux/native/dist/kern.min.css", "kern/kern.min.css"),
    ("@kern-ux/native/dist/fonts/fira-sans.css", "kern/fonts/fira-sans.css"),
    ("@kern-ux/native/dist/fonts/fira-sans", "kern/fonts/fira-sans"),
    ("@kern-ux/native/LICENSE.md", "kern/LICENSE.md"),
    ("socket.io-client/dist/socket.io.min.js", "socket.io/socket.io.min.js"),
    ("socket.io-client/LICENSE", "socket.io/LICENSE"),
    # Fira Sans as TrueType (KERN ships only WOFF2), embedded into PDFs by peerlab.core.pdf.
    # Font: SIL Open Font License 1.1 (LICENSE_FONT); the npm package's own code: MIT.
    (f"{FIRA_TTF}/400Regular/FiraSans_400Regular.ttf", "pdf-fonts/FiraSans-Regular.ttf"),
    (f"{FIRA_TTF}/600SemiBold/FiraSans_600SemiBold.ttf", "pdf-fonts/FiraSans-SemiBold.ttf"),
    (f"{FIRA_TTF}/LICENSE_FONT", "pdf-fonts/LICENSE_FONT.txt"),
]


def main() -> None:
    if VENDOR.exists():
        shutil.rmtree(VENDOR)
    for src, dest in COPIES:
        source, target = NODE / src, VENDOR / dest
        if not source.exists():
            raise SystemExit(f"missing {source}: run npm ci first")
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copy2(source, target)
    print(f"assets built into {VENDOR.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
