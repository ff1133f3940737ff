"""Demo content around the demo series: a guest speaker with a personal link, questions for
the next date, and anonymous feedback on the past dates (pooled for the organizer: each past
date alone has fewer than 5 answers)."""

from __future__ import annotations

from datetime import datetime, timedelta

from peerlab.accounts.models import User
from peerlab.extensions import db
from peerlab.impulses.models import Registration, Series
from peerlab.impulses.service import feedback, questions, speakers

QUESTIONS = (
    "Welche Daten brauchen wir als kleine Gemeinde zuerst?",
    "Wie binden wir die Stadtwerke früh ein?",
)
COMMENTS = ("Kompakt und gut vorbereitet.", "", "Mehr Beispiele aus kleinen Gemeinden, bitte.")


def seed(made: Series, orga: User, now: datetime) -> None:
    coming = [i for i in made.impulses if i.starts_at > now]
    past = [i for i in made.impulses if i.ends_at < now]
    if coming:
        nxt = coming[0]
        speakers.add_guest(nxt, "Meike Olsen", "meike.olsen@beispiel.example", actor=orga, now=now)
        confirmed = db.session.query(Registration).filter_by(impulse_id=nxt.id, status="confirmed")
        for row, text in zip(confirmed, QUESTIONS, strict=False):
            questions.ask(nxt, row.user, text, now=now - timedelta(days=1))
    for impulse in past:
        attended = db.session.query(Registration).filter_by(impulse_id=impulse.id, attended=True)
        for n, row in enumerate(attended):
            feedback.give(
                impulse,
                row.user,
                (5, 4, 4)[n % 3],
                COMMENTS[n % 3],
                now=impulse.ends_at + timedelta(hours=2),
            )
    db.session.flush()
