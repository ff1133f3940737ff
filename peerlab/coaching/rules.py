"""The method's rules: who may do what in which phase. Pure functions, no database: the
service asks them on every event, the page shows their answer ("Wer schreibt jetzt?").

Actions: "card" (add a card), "mark" (the case giver marks what resonates), "key" (the key
question), "notes" (the secretary's notes), "try" (the case giver's own line), "facilitate"
(the moderator's controls). Observers may do nothing. Before the start and after the last
phase nobody writes content.
"""

from __future__ import annotations

from peerlab.coaching.models import (
    ADVISER,
    CARD_PHASES,
    CASE_GIVER,
    MODERATOR,
    SECRETARY,
)

ANONYMITY_FLOOR = 4  # people besides the author allowed to write in the phase


def card_writers(phase: str | None, *, case_giver_may_propose: bool) -> tuple[str, ...]:
    """Roles that may add cards in `phase`: advisers in the three card phases; the case giver
    listens during hypotheses and proposals (may propose only if the session allows it)."""
    if phase not in CARD_PHASES:
        return ()
    if phase == "proposals" and case_giver_may_propose:
        return (ADVISER, CASE_GIVER)
    return (ADVISER,)


def may(
    action: str, role: str | None, phase: str | None, *, case_giver_may_propose: bool = False
) -> bool:
    """Whether `role` may do `action` while `phase` is current (None: not running)."""
    if role is None:
        return False
    if action == "facilitate":
        return role == MODERATOR
    if action == "try":  # the case giver's own line, from setup to the end
        return role == CASE_GIVER
    if phase is None:
        return False
    if action == "card":
        return role in card_writers(phase, case_giver_may_propose=case_giver_may_propose)
    if action == "key":
        return role == CASE_GIVER and phase in ("story", "key_question")
    if action == "mark":
        return role == CASE_GIVER and phase in (*CARD_PHASES, "closing")
    if action == "notes":
        # During the case story only the case giver writes.
        return role == SECRETARY and phase != "story"
    return False


def writers_now(phase: str | None, *, case_giver_may_propose: bool) -> list[str]:
    """Every role that may write anything in `phase` (what the page shows)."""
    roles = []
    for role in (CASE_GIVER, ADVISER, SECRETARY):
        if any(
            may(a, role, phase, case_giver_may_propose=case_giver_may_propose)
            for a in ("card", "key", "notes")
        ):
            roles.append(role)
    return roles


def anonymous_possible(writers_besides_author: int) -> bool:
    """Anonymous cards only with the floor: at least four others could have written it."""
    return writers_besides_author >= ANONYMITY_FLOOR
