"""Our own short focus and prompt for each of the twelve meetings, and the goal help.

Written for peerlab (German first); the structure follows the usual arc of a twelve-week circle
(goal and relationships first, then contributions, habit, reflection and celebration). The
official Working Out Loud guides are copyrighted and are only linked (GUIDE_URL), never quoted.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

GUIDE_URL = "https://workingoutloud.com/"


@dataclass(frozen=True)
class Focus:
    title: object  # lazy string
    prompt: object


FOCUS: tuple[Focus, ...] = (
    Focus(
        _l("Ankommen und ein Ziel finden"),
        _l(
            "Lernen Sie einander kennen und formulieren Sie ein Ziel, das Ihnen wichtig ist "
            "und das Sie in zwölf Wochen voranbringen können. Klein anfangen ist erlaubt."
        ),
    ),
    Focus(
        _l("Menschen rund um mein Ziel"),
        _l(
            "Schreiben Sie zehn bis fünfzehn Personen oder Stellen auf, die mit Ihrem Ziel zu "
            "tun haben – im eigenen Haus, in anderen Kommunen, in Verbänden."
        ),
    ),
    Focus(
        _l("Erste kleine Beiträge"),
        _l(
            "Was können Sie diesen Menschen geben, ohne etwas zu erwarten? Ein Dank, ein "
            "Hinweis, eine Vorlage. Nehmen Sie sich drei kleine Schritte vor."
        ),
    ),
    Focus(
        _l("Sichtbar machen, woran ich arbeite"),
        _l(
            "Überlegen Sie, wo Sie Ihre Arbeit zeigen können, ohne Vertrauliches preiszugeben: "
            "eine kurze Notiz im Intranet, ein Beitrag im Fachnetzwerk."
        ),
    ),
    Focus(
        _l("Die Liste erweitern"),
        _l(
            "Wen kennen Sie noch nicht, der Ihnen weiterhelfen könnte? Suchen Sie zwei neue "
            "Kontakte und einen Anlass, sich zu melden."
        ),
    ),
    Focus(
        _l("Eine Gewohnheit beginnen"),
        _l(
            "Legen Sie eine feste Zeit in der Woche fest – zehn Minuten genügen –, in der Sie "
            "einen Beitrag leisten. Was hilft Ihnen, dranzubleiben?"
        ),
    ),
    Focus(
        _l("Halbzeit: Was hat sich bewegt?"),
        _l(
            "Schauen Sie auf die ersten sechs Wochen zurück. Passt Ihr Ziel noch? Schärfen Sie "
            "es, wenn nötig – das ist kein Scheitern, sondern Lernen."
        ),
    ),
    Focus(
        _l("Um Rat fragen"),
        _l(
            "Bitten Sie eine Person von Ihrer Liste um einen konkreten Rat. Eine gut gestellte "
            "Frage ist auch ein Beitrag: Sie zeigt Wertschätzung."
        ),
    ),
    Focus(
        _l("Wissen teilen"),
        _l(
            "Was haben Sie gelernt, das anderen Verwaltungen nützen würde? Teilen Sie eine "
            "Erfahrung, eine Checkliste oder einen Fehler, aus dem Sie gelernt haben."
        ),
    ),
    Focus(
        _l("Beziehungen vertiefen"),
        _l(
            "Wählen Sie zwei Menschen, zu denen die Verbindung enger werden soll. Was wäre ein "
            "nächster, persönlicher Schritt?"
        ),
    ),
    Focus(
        _l("Wie es weitergeht"),
        _l(
            "Was machen Sie nach dem Circle weiter? Planen Sie, wie Ihre Gewohnheit die nächsten "
            "Monate trägt, und wer Sie dabei begleiten kann."
        ),
    ),
    Focus(
        _l("Zurückblicken und feiern"),
        _l(
            "Erzählen Sie einander, was Sie erreicht haben und was Sie an den anderen geschätzt "
            "haben. Feiern Sie – auch kleine Schritte zählen."
        ),
    ),
)

GOAL_QUESTIONS = (
    _l("Woran möchten Sie in den nächsten zwölf Wochen arbeiten?"),
    _l("Wem würde es nützen, wenn Sie vorankommen?"),
    _l("Woran würden Sie merken, dass Sie ein Stück weiter sind?"),
)

GOAL_EXAMPLES = (
    _l("Ich möchte drei Kommunen kennenlernen, die Bürgerdienste schon digital anbieten."),
    _l("Ich möchte ein Netzwerk für Klimaschutzmanagerinnen und -manager im Kreis aufbauen."),
    _l("Ich möchte besser verstehen, wie andere Ämter Ehrenamtliche gewinnen und halten."),
)

GOAL_WORD_HINT = 25  # more words than this get a hint (never a block)


def focus(number: int) -> Focus:
    return FOCUS[number - 1]


def word_count(text: str) -> int:
    return len(text.split())
