"""Sharing a link ("Link teilen"): the QR code as SVG, made by peerlab itself (segno).

A format decides which link a person may share and checks access in its own route; it answers
with `qr_response(url)`. The box on the page is the macro `share_box` in
`templates/pages/_share.html` with the script `static/js/shell/share.js` (copy button with a
spoken "Link kopiert", the QR code updated when the link changes).
"""

from __future__ import annotations

import io

import segno
from flask import Response

MAX_LENGTH = 2000  # a link, not a document


def qr_svg(url: str) -> bytes:
    """The link as a standalone SVG QR code: black on white, quiet zone, no script or style."""
    if not url or len(url) > MAX_LENGTH:
        raise ValueError("a QR code needs a link of reasonable length")
    buffer = io.BytesIO()
    segno.make(url, error="m").save(
        buffer, kind="svg", scale=6, border=4, xmldecl=False, light="#fff", dark="#000"
    )
    return buffer.getvalue()


def qr_response(url: str) -> Response:
    response = Response(qr_svg(url), mimetype="image/svg+xml")
    # The link may carry a secret (a guest link): no shared cache keeps it.
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response
