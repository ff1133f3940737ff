"""Demo content: a finished German round (one anonymous topic, takeaways, action items) and an
upcoming one. Built through the services, so it follows the same rules as real use."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from peerlab.accounts.models import User
from peerlab.extensions import db
from peerlab.lean_coffee.models import Participant
from peerlab.lean_coffee.service import discussion, notes, rounds, topics, votes


def seed(users: dict[str, User], now: datetime) -> None:
    orga = users["orga@peerlab.example"]
    today = now.astimezone(ZoneInfo("Europe/Berlin")).date()
    members = [u for u in users.values() if u.role == "member"]
    past = rounds.create_round(
        rounds.RoundSettings(
            title="Ankommen in der Kommune",
            description="Offener Austausch zu Integration vor Ort – Themen bringen Sie mit.",
            starts_at=(now - timedelta(days=7)).replace(minute=0, second=0, microsecond=0),
            video_url="https://meet.example.org/lean-coffee-ankommen",
            access="link",
        ),
        creator=orga,
        invitees=members,
        now=now - timedelta(days=14),
    )
    people = {p.user_id: p for p in db.session.query(Participant).filter_by(round_id=past.id)}
    for p in people.values():
        p.joined_at = past.starts_at
    lindner, petersen, kaya, wagner = (people[u.id] for u in members[:4])
    at = past.starts_at
    t1 = topics.add_topic(
        past,
        lindner,
        "Ehrenamt in der Flüchtlingshilfe halten",
        "Wie bleiben Freiwillige nach drei Jahren noch dabei?",
        now=at,
    )
    t2 = topics.add_topic(
        past,
        petersen,
        "Wohnraum: Leerstand aktivieren",
        "Erfahrungen mit kommunalen Ankaufprogrammen",
        now=at,
    )
    t3 = topics.add_topic(
        past,
        kaya,
        "Anfeindungen gegen Mandatsträgerinnen",
        "Wie schützen wir uns und unsere Teams?",
        anonymous=True,
        now=at,
    )
    t4 = topics.add_topic(past, wagner, "Sprachkurse mit Kinderbetreuung", now=at)
    rounds.advance_phase(past, "vote", now=at)
    for voter, picks in (
        (lindner, [t3, t1, t1]),
        (petersen, [t3, t2, t1]),
        (kaya, [t3, t3, t4]),
        (wagner, [t1, t3, t4]),
    ):
        for topic in picks:
            votes.cast_vote(past, voter, topic.id)
    rounds.advance_phase(past, "discuss", now=at + timedelta(minutes=10))
    notes.add_takeaway(
        past,
        kaya,
        t3.id,
        "Vorfälle immer dokumentieren und melden – auch "
        "kleine; Beratungsstellen wie „Stark im Amt“ helfen.",
        now=at,
    )
    notes.add_action(
        past,
        petersen,
        t3.id,
        "Kontakt zur Landespolizei für ein Sicherheitsgespräch herstellen",
        owner_participant_id=petersen.id,
        due_on=today + timedelta(days=14),
        now=at,
    )
    discussion.next_topic(past, now=at + timedelta(minutes=22))
    notes.add_takeaway(
        past,
        lindner,
        t1.id,
        "Anerkennung wirkt mehr als Geld: Ehrenamtskarte und ein jährliches Fest.",
        now=at,
    )
    notes.add_action(
        past,
        lindner,
        t1.id,
        "Muster für eine Ehrenamtsvereinbarung teilen",
        owner_participant_id=lindner.id,
        due_on=today + timedelta(days=7),
        now=at,
    )
    rounds.advance_phase(past, "wrapup", now=at + timedelta(minutes=35))
    notes.set_closing(
        past, wagner, "Ich nehme mit: Wir stehen mit den Anfeindungen nicht allein da."
    )
    rounds.advance_phase(past, "closed", now=at + timedelta(minutes=60))
    rounds.create_round(
        rounds.RoundSettings(
            title="Kommunale Wärmeplanung und Beteiligung",
            description="Was hat bei Bürgerdialogen funktioniert, was nicht?",
            starts_at=(now + timedelta(days=5)).replace(hour=8, minute=0, second=0, microsecond=0),
            video_url="https://meet.example.org/lean-coffee-waerme",
            access="invited",
        ),
        creator=orga,
        invitees=members,
        now=now,
        follow_up_of=past,
    )
    db.session.flush()
