"""A round's summary as a PDF document: the same `Summary` as the page, the Markdown and the mail,
mapped to core.pdf blocks (call inside a request: texts are translated, dates formatted for the
reader)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _

from peerlab.core import pdf
from peerlab.i18n import format_day
from peerlab.lean_coffee.models import Round
from peerlab.lean_coffee.service.summary import Summary, TopicResult, page_only

BERLIN_ZONE = ZoneInfo("Europe/Berlin")  # the file name carries the round's day in Berlin


def available(rnd: Round) -> bool:
    """A PDF is a file that leaves peerlab: none for rounds of a confidential group."""
    return not page_only(rnd)


def _topic(doc: pdf.Document, topic: TopicResult, number: int | None) -> None:
    doc.add(pdf.Heading(f"{number}. {topic.title}" if number else topic.title, level=3))
    if topic.detail:
        doc.add(pdf.Paragraph(topic.detail))
    if topic.votes is not None:
        doc.add(pdf.Paragraph(_("Punkte: %(n)d", n=topic.votes), muted=True))
    if topic.takeaways:
        doc.add(pdf.BulletList(topic.takeaways, label=_("Erkenntnisse")))
    if topic.actions:
        rows = [
            (a.what, a.owner_label or "–", format_day(a.due_on) if a.due_on else "–")
            for a in topic.actions
        ]
        doc.add(
            pdf.Table(
                (_("Aufgabe"), _("Wer"), _("bis")), rows, widths=(6, 3, 2), label=_("Aufgaben")
            )
        )


def to_document(summary: Summary, *, lang: str, page_url: str) -> pdf.Document:
    rnd = summary.round
    when = current_app.jinja_env.filters["dt"](rnd.starts_at)  # as the summary page shows it
    facts = [f"Lean Coffee · {when}", _("Teilnehmende: %(n)d", n=summary.participants)]
    if rnd.cancelled_at:
        facts.append(_("abgesagt"))
    doc = pdf.Document(
        title=_("Zusammenfassung: %(title)s", title=rnd.title),
        lang=lang,
        created_at=summary.generated_at,
        page_label=_("Seite %(page)s von %(pages)s", page="{page}", pages="{pages}"),
    )
    doc.add(pdf.Heading(doc.title, level=1), pdf.Paragraph(" · ".join(facts), muted=True))
    doc.add(pdf.Heading(_("Besprochene Themen")))
    if not summary.discussed:
        doc.add(pdf.Paragraph(_("Es wurde kein Thema besprochen.")))
    for number, topic in enumerate(summary.discussed, start=1):
        _topic(doc, topic, number)
    if summary.undiscussed:
        doc.add(pdf.Heading(_("Nicht besprochene Themen")))
        for topic in summary.undiscussed:
            _topic(doc, topic, None)
    if summary.closing:
        doc.add(pdf.Heading(_("Abschlussrunde")), pdf.BulletList(summary.closing))
    doc.add(
        pdf.Paragraph(
            _(
                "Diese PDF-Datei ist zum Ausdrucken und Ablegen gedacht. Barrierefrei lesbar ist "
                "die Zusammenfassung in peerlab: %(url)s",
                url=page_url,
            ),
            muted=True,
            link=page_url,
        )
    )
    return doc


def filename(summary: Summary) -> str:
    """`Lean-Coffee-<title>-<date>.pdf`; the download sends an ASCII fallback besides it."""
    slug = pdf.safe_filename(summary.round.title)[:60].rstrip("-._") or "Runde"
    day = summary.round.starts_at.astimezone(BERLIN_ZONE).date().isoformat()
    return f"Lean-Coffee-{slug}-{day}.pdf"
