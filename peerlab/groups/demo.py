"""Demo: two confidential groups with different members and identities, so a crawl sees
membership differ (the admin is in neither). Times come from the clock (`now`)."""

from __future__ import annotations

import secrets
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from peerlab.accounts.models import User
from peerlab.core import spaces
from peerlab.extensions import db
from peerlab.groups.models import MEMBER, OWNER, SPACE_KIND, Group, GroupMember, Note, Post, Thread
from peerlab.groups.service.anonymous import boundary_after

BERLIN = ZoneInfo("Europe/Berlin")
GROUPS = (
    {
        "name": "Sicherheit im Amt",
        "purpose": "Erfahrungen mit Anfeindungen und was uns schützt.",
        "anonymous": True,
        "retention": 90,
        # (e-mail, role, pseudonym or "")
        "members": (
            ("buergermeisterin@lindenau.example", OWNER, ""),
            ("buergermeister@auental.example", MEMBER, "Stille Eiche"),
            ("landraetin@kreis-hohenfeld.example", MEMBER, "Klare Havel"),
            ("orga@peerlab.example", MEMBER, ""),
            ("integration@bergstadt.example", MEMBER, "Flinke Saale"),
        ),
        "threads": (
            (
                "Drohmails nach der Ratssitzung",
                (
                    (
                        1,
                        "Nach der letzten Sitzung kamen drei Drohmails. Wie dokumentiert ihr das?",
                    ),
                    (0, "Wir leiten alles an die Polizei weiter und führen eine Liste mit Datum."),
                    (2, "Bei uns hilft eine feste Ansprechperson im Ordnungsamt."),
                    (None, "Ich habe eine Anzeige nie erstattet, aus Sorge um meine Familie."),
                ),
            ),
        ),
        "note": "Ansprechstellen: Polizei (Staatsschutz), Landeszentrale, Beratungsnetzwerk.",
        # a group meeting as Lean Coffee, in two days; topics by (member index, title)
        "round": (
            "Gruppentreffen: Schutz im Alltag",
            (
                (1, "Hausbesuche nur noch zu zweit?"),
                (2, "Private Adresse aus dem Impressum nehmen"),
            ),
        ),
    },
    {
        "name": "Haushalt unter Druck",
        "purpose": "Offen über Kürzungen sprechen, bevor sie öffentlich sind.",
        "anonymous": False,
        "retention": 30,
        "members": (
            ("buergermeister@auental.example", OWNER, ""),
            ("integration@bergstadt.example", MEMBER, "Wache Linde"),
            ("landraetin@kreis-hohenfeld.example", MEMBER, ""),
        ),
        "threads": (
            (
                "Freiwillige Leistungen",
                (
                    (0, "Welche freiwilligen Leistungen habt ihr zuletzt gestrichen?"),
                    (1, "Wir haben die Öffnungszeiten der Bücherei verkürzt, nicht geschlossen."),
                ),
            ),
        ),
        "note": "",
    },
)


def seed(users: dict[str, User], now) -> None:
    for number, spec in enumerate(GROUPS):
        people = [(users.get(mail), role, alias) for mail, role, alias in spec["members"]]
        if any(user is None for user, _r, _a in people):
            continue
        start = now - timedelta(days=20 - number)
        group = Group(
            name=spec["name"],
            purpose=spec["purpose"],
            size_limit=12,
            allow_real=True,
            allow_pseudonym=True,
            allow_anonymous=spec["anonymous"],
            retention_days=spec["retention"],
            members_may_invite=True,
            created_at=start,
            version=0,
        )
        db.session.add(group)
        db.session.flush()
        rows = []
        for index, (user, role, alias) in enumerate(people):
            joined = start + timedelta(hours=index)
            row = spaces.add_member(
                SPACE_KIND, group.id, now=joined, user_id=user.id, role=role, status="active"
            )
            row.display_name = alias
            db.session.add(
                GroupMember(
                    membership_id=row.id,
                    group_id=group.id,
                    identity="pseudonym" if alias else "real",
                    rule_accepted_at=joined,
                )
            )
            rows.append(row)
        for t_index, (title, posts) in enumerate(spec["threads"]):
            at = now - timedelta(days=3 - t_index, hours=4)
            thread = Thread(
                public_id=secrets.token_urlsafe(12),
                group_id=group.id,
                title=title,
                created_at=at,
                last_post_at=at,
            )
            db.session.add(thread)
            db.session.flush()
            for p_index, (author, body) in enumerate(posts):
                written = at + timedelta(hours=p_index * 3)
                if author is None:  # anonymous posts carry the quarter-hour they appeared at
                    written = boundary_after(written)
                db.session.add(
                    Post(
                        public_id=secrets.token_urlsafe(12),
                        thread_id=thread.id,
                        group_id=group.id,
                        # None: an anonymous post, stored without author
                        membership_id=rows[author].id if author is not None else None,
                        anonymous=author is None,
                        body=body,
                        created_at=written,
                    )
                )
                thread.last_post_at = written
            group.last_post_at = thread.last_post_at
        if spec.get("round"):
            _seed_round(group, [u for u, _r, _a in people], spec["round"], now)
        if spec["note"]:
            db.session.add(
                Note(
                    group_id=group.id,
                    body=spec["note"],
                    updated_at=start,
                    updated_by_id=rows[0].id,
                    version=1,
                )
            )
    db.session.flush()


def _seed_round(group: Group, users: list[User], spec, now) -> None:
    """The group's Lean Coffee round (Lean Coffee's own services; no mails in the demo):
    two days after `now` at 10:00 in Berlin, the owner facilitates, two members brought
    topics (shown under their identity in the group)."""
    from peerlab.lean_coffee.models import Participant
    from peerlab.lean_coffee.service import rounds, topics

    title, cards = spec
    day = (now.astimezone(BERLIN) + timedelta(days=2)).date()
    starts = datetime.combine(day, time(10, 0), tzinfo=BERLIN)
    settings = rounds.RoundSettings(title=title, starts_at=starts, anonymous_allowed=True)
    rnd = rounds.create_round(
        settings, creator=users[0], invitees=users[1:], now=now, group_id=group.id
    )
    for index, text in cards:
        place = db.session.scalars(
            select(Participant).where(
                Participant.round_id == rnd.id, Participant.user_id == users[index].id
            )
        ).one()
        place.joined_at = now
        topics.add_topic(rnd, place, text, now=now)
