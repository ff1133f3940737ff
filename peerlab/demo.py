"""Realistic German demo data. Each format adds its own content through a seeder it registers in
init_app (`registry.demo_seeder(name, fn)`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from peerlab.accounts import service
from peerlab.accounts.models import User
from peerlab.core import registry
from peerlab.core.clock import utcnow
from peerlab.extensions import db

DEMO_PASSWORD = "peerlab-demo-2026"  # noqa: S105 - public demo login, listed in the README
# Fixed second-factor key (TOTP) of the demo admin and organizer: public demo data only.
DEMO_TOTP_SECRET = "PEERLABDEMOTOTPKEYZWEIXSECHSAAAA"  # noqa: S105


@dataclass(frozen=True)
class DemoPerson:
    email: str
    name: str
    role: str
    municipality: str
    function: str


PEOPLE = (
    DemoPerson("admin@peerlab.example", "Alex Admin", "admin", "", "Betrieb peerlab"),
    DemoPerson(
        "orga@peerlab.example",
        "Olga Organisatorin",
        "organizer",
        "Stiftung Weltoffene Kommune",
        "Programmleitung",
    ),
    DemoPerson(
        "buergermeisterin@lindenau.example",
        "Dr. Miriam Lindner",
        "member",
        "Gemeinde Lindenau",
        "Bürgermeisterin",
    ),
    DemoPerson(
        "buergermeister@auental.example",
        "Jonas Petersen",
        "member",
        "Stadt Auental",
        "Bürgermeister",
    ),
    DemoPerson(
        "landraetin@kreis-hohenfeld.example",
        "Selin Kaya",
        "member",
        "Landkreis Hohenfeld",
        "Landrätin",
    ),
    DemoPerson(
        "integration@bergstadt.example",
        "Tobias Wagner",
        "member",
        "Stadt Bergstadt",
        "Integrationsbeauftragter",
    ),
)

# Invited, not yet signed up: a visitor tries accepting an invitation as a new person with it
# (ask for a sign-in link for this address: peerlab sends the invitation again).
INVITED = DemoPerson("neu@peerlab.example", "", "member", "", "")

Seeder = Callable[[dict[str, User], datetime], None]


def load(*, only_if_empty: bool = False) -> bool:
    """Create demo people and every format's content; returns False when skipped."""
    if only_if_empty and db.session.scalar(select(func.count(User.id))):
        return False
    now = utcnow()
    users: dict[str, User] = {}
    for person in PEOPLE:
        existing = service.find_by_email(person.email)
        users[person.email] = existing or service.create_user(
            email=person.email,
            name=person.name,
            role=person.role,
            password=DEMO_PASSWORD,
            municipality=person.municipality,
            function=person.function,
            now=now,
        )
        if person.role in ("admin", "organizer") and not users[person.email].totp_enabled:
            users[person.email].totp_secret = DEMO_TOTP_SECRET
            users[person.email].totp_enabled = True
    if service.find_by_email(INVITED.email) is None:
        service.create_user(email=INVITED.email, role=INVITED.role, status="invited", now=now)
    for seeder in registry.current().items("demo_seeders").values():
        seeder(users, now)
    db.session.commit()
    return True


def reset() -> None:
    """Delete every row of every table (demo data and anything added since), then load the
    demo data again: `peerlab demo --reset` / `make reset-demo`. The schema stays."""
    for table in reversed(db.metadata.sorted_tables):  # children before their parents
        db.session.execute(table.delete())
    db.session.commit()
    load()


def print_logins(echo: Callable[[str], None]) -> None:
    echo(f"Demo-Zugänge (Passwort für alle: {DEMO_PASSWORD}):")
    for person in PEOPLE:
        echo(f"  {person.role:<10} {person.email:<38} {person.name}")
    echo("Administration und Organisation melden sich mit zweitem Faktor an; Schlüssel für die")
    echo(f"Authenticator-App (TOTP, nur Demo): {DEMO_TOTP_SECRET}")
    echo(f"Eingeladen, noch ohne Konto: {INVITED.email} (Anmeldelink anfordern: die Einladung")
    echo("erscheint mit PEERLAB_DEV_MAIL=console, wie bei make run, in diesem Terminal).")
