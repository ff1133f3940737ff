"""Calendar-specific link form; absolute URLs come from peerlab.core.urls."""

from __future__ import annotations


def webcal(https_url: str) -> str:
    """The webcal:// form of a feed URL (calendar apps subscribe instead of downloading)."""
    return "webcal://" + https_url.split("://", 1)[-1]
