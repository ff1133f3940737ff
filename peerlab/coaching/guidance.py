"""Our own short words for each phase and role (German source, English in coaching.po)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

PHASE_NAMES = {
    "casting": _l("Rollen klären"),
    "story": _l("Fallerzählung"),
    "key_question": _l("Schlüsselfrage"),
    "questions": _l("Verständnisfragen"),
    "hypotheses": _l("Hypothesen"),
    "proposals": _l("Lösungsideen"),
    "closing": _l("Abschluss der Fallgebenden"),
}

PHASE_HINTS = {
    "casting": _l(
        "Die Moderation stellt alle Rollen vor und erinnert an die Vertraulichkeit. "
        "Fragen zum Ablauf sind jetzt willkommen."
    ),
    "story": _l(
        "Die fallgebende Person erzählt ihren Fall. Alle anderen hören zu und schreiben nichts. "
        "Bitte lassen Sie Namen und Orte weg, an denen Dritte zu erkennen wären."
    ),
    "key_question": _l(
        "Die fallgebende Person formuliert ihre Schlüsselfrage: Was soll die Beratung "
        "beantworten? Sie bleibt ab jetzt sichtbar."
    ),
    "questions": _l(
        "Die Beratenden stellen kurze Verständnisfragen – noch keine Ratschläge. "
        "Die fallgebende Person antwortet mündlich."
    ),
    "hypotheses": _l(
        "Die Beratenden sammeln Vermutungen: Was könnte hinter dem Fall stecken? "
        "Die fallgebende Person hört zu und markiert, was sie anspricht."
    ),
    "proposals": _l(
        "Die Beratenden schlagen vor, was die fallgebende Person ausprobieren könnte. "
        "Sie hört zu und markiert, was passt."
    ),
    "closing": _l(
        "Die fallgebende Person sagt, was sie mitnimmt, und notiert für sich, was sie "
        "ausprobieren will. Die anderen hören zu."
    ),
}

ROLE_NAMES = {
    "case_giver": _l("Fallgebende Person"),
    "moderator": _l("Moderation"),
    "adviser": _l("Beratende"),
    "secretary": _l("Protokollführung"),
    "observer": _l("Beobachtende"),
}

ROLE_HINTS = {
    "case_giver": _l(
        "Sie bringen den Fall mit und entscheiden allein, was Sie davon mitnehmen. "
        "Markierte Karten, die Notizen und Ihre eigene Zeile bleiben Ihnen nach dem Ende."
    ),
    "moderator": _l(
        "Sie führen durch die Phasen, achten auf die Zeit und die Regeln und können eine "
        "beratende Person als Vertretung benennen."
    ),
    "adviser": _l(
        "Sie hören zu, fragen nach, vermuten und schlagen vor – jeweils in der Phase, "
        "die gerade dran ist."
    ),
    "secretary": _l(
        "Sie schreiben die Notizen für die fallgebende Person mit (nicht während der "
        "Fallerzählung)."
    ),
    "observer": _l("Sie sehen alles, schreiben aber nichts."),
}


def strings() -> dict:
    """Everything the board script needs, in the reader's language."""
    return {
        "phases": {k: str(v) for k, v in PHASE_NAMES.items()},
        "hints": {k: str(v) for k, v in PHASE_HINTS.items()},
        "roles": {k: str(v) for k, v in ROLE_NAMES.items()},
        "role_hints": {k: str(v) for k, v in ROLE_HINTS.items()},
    }
