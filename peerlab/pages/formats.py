"""The formats this installation offers, as the feature contract says: one per landing card.

Pages and mails name formats only through this list, so a format that is not built yet is never
promised anywhere, and a new format appears by registering its card (`registry.landing_card`).
"""

from __future__ import annotations

from babel.lists import format_list
from flask_babel import get_locale

from peerlab.core import registry


def names() -> list[str]:
    """The registered formats' titles in the current language, in registration order."""
    return [str(card.title) for card in registry.current().items("landing_cards").values()]


def listed() -> str:
    """The titles as one phrase of the current language ("A, B und C"); "" without formats."""
    titles = names()
    if not titles:
        return ""
    return format_list(titles, locale=str(get_locale() or "de"))
