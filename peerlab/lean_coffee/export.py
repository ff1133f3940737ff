"""Markdown export of a round's summary (pure: Summary in, text out; dates in the reader's
language and time zone, the house format of peerlab.i18n)."""

from __future__ import annotations

import re

from flask_babel import gettext as _

from peerlab.i18n import format_day, format_when
from peerlab.lean_coffee.service.summary import Summary, TopicResult

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~])")
_LINE_START = re.compile(r"^([#+\-=]|\d+(?=[.)]))")


def md(text: str) -> str:
    """Escape Markdown syntax in user text and keep it on one line (also safe at line start)."""
    escaped = _SPECIAL.sub(r"\\\1", " ".join((text or "").split()))
    return _LINE_START.sub(
        lambda m: m.group(0) + "\\" if m.group(0)[0].isdigit() else "\\" + m.group(0), escaped
    )


def _topic(lines: list[str], topic: TopicResult, number: int | None) -> None:
    head = f"{number}. " if number else ""
    lines.append(f"### {head}{md(topic.title)}")
    if topic.detail:
        lines.append("")
        lines.append(md(topic.detail))
    lines.append("")
    if topic.votes is not None:
        lines.append(_("Punkte: %(n)d", n=topic.votes))
        lines.append("")
    if topic.takeaways:
        lines.append(f"**{_('Erkenntnisse')}**")
        lines.append("")
        lines.extend(f"- {md(text)}" for text in topic.takeaways)
        lines.append("")
    if topic.actions:
        lines.append(f"**{_('Aufgaben')}**")
        lines.append("")
        for action in topic.actions:
            parts = [md(action.what)]
            if action.owner_label:
                parts.append(_("wer: %(who)s", who=md(action.owner_label)))
            if action.due_on:
                parts.append(_("bis: %(date)s", date=format_day(action.due_on)))
            lines.append("- " + " · ".join(parts))
        lines.append("")


def to_markdown(summary: Summary) -> str:
    rnd = summary.round
    lines = [
        f"# Lean Coffee: {md(rnd.title)}",
        "",
        _("Termin: %(start)s", start=format_when(rnd.starts_at)),
        _("Teilnehmende: %(n)d", n=summary.participants),
        "",
    ]
    lines += [f"## {_('Besprochene Themen')}", ""]
    if not summary.discussed:
        lines += [_("Es wurde kein Thema besprochen."), ""]
    for number, topic in enumerate(summary.discussed, start=1):
        _topic(lines, topic, number)
    if summary.undiscussed:
        lines += [f"## {_('Nicht besprochene Themen')}", ""]
        for topic in summary.undiscussed:
            _topic(lines, topic, None)
    if summary.closing:
        lines += [f"## {_('Abschlussrunde')}", ""]
        lines.extend(f"- {md(text)}" for text in summary.closing)
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
