"""The name a member shows in one group: the account's real name or a pseudonym for this group.

A pseudonym is unique in the group, differs from every member's real name and from the
member's own pseudonyms in other groups (so no shadow identity links two groups). peerlab
suggests pseudonyms from its own word lists: a German adjective and a tree or a river.
"""

from __future__ import annotations

import secrets
import unicodedata

from flask_babel import gettext as _
from sqlalchemy import select

from peerlab.accounts.models import User
from peerlab.core.errors import InvalidInput
from peerlab.core.spaces import Membership
from peerlab.extensions import db
from peerlab.groups.models import SPACE_KIND

MIN_LENGTH, MAX_LENGTH = 3, 40

ADJECTIVES = (
    "Stille",
    "Heitere",
    "Kluge",
    "Mutige",
    "Ruhige",
    "Wache",
    "Sanfte",
    "Klare",
    "Flinke",
    "Gelassene",
    "Helle",
    "Tapfere",
    "Weise",
    "Zähe",
    "Freundliche",
    "Geduldige",
    "Lichte",
    "Aufrechte",
    "Beherzte",
    "Findige",
)
NATURE = (
    "Eiche",
    "Linde",
    "Buche",
    "Erle",
    "Weide",
    "Esche",
    "Birke",
    "Kiefer",
    "Tanne",
    "Ulme",
    "Elbe",
    "Weser",
    "Donau",
    "Mosel",
    "Saale",
    "Havel",
    "Lahn",
    "Ems",
    "Spree",
    "Ruhr",
)


def normalise(name: str) -> str:
    """Spaces folded, NFC: the form stored and shown."""
    return " ".join(unicodedata.normalize("NFC", name or "").split())


def _key(name: str) -> str:
    return normalise(name).casefold()


def shown_name(row: Membership, user: User | None) -> str:
    """The person's identity in the group (what every page of the group shows)."""
    if row.display_name:
        return row.display_name
    return user.display_name if user is not None else _("Ehemaliges Mitglied")


def _taken(group_id: int, user_id: int) -> set[str]:
    """Names a new pseudonym must not equal: the group's pseudonyms, the names of ALL accounts
    (a superset of the members' real names, so trying names reveals nothing about who is a
    member), and this person's own pseudonyms in other groups."""
    pseudonyms = db.session.scalars(
        select(Membership.display_name).where(
            Membership.space_kind == SPACE_KIND,
            Membership.space_id == group_id,
            Membership.user_id != user_id,
            Membership.display_name != "",
        )
    ).all()
    own_elsewhere = db.session.scalars(
        select(Membership.display_name).where(
            Membership.space_kind == SPACE_KIND,
            Membership.user_id == user_id,
            Membership.space_id != group_id,
            Membership.display_name != "",
        )
    ).all()
    real_names = db.session.scalars(select(User.name).where(User.name != "")).all()
    return {_key(n) for n in (*pseudonyms, *own_elsewhere, *real_names) if n}


def check_pseudonym(name: str, *, group_id: int, user: User) -> str:
    """The pseudonym in stored form, or InvalidInput with a clear reason."""
    value = normalise(name)
    if not MIN_LENGTH <= len(value) <= MAX_LENGTH:
        raise InvalidInput(
            _(
                "Ein Pseudonym hat %(min)d bis %(max)d Zeichen.",
                min=MIN_LENGTH,
                max=MAX_LENGTH,
            ),
            code="pseudonym_length",
        )
    if not any(ch.isalpha() for ch in value):
        raise InvalidInput(_("Ein Pseudonym braucht Buchstaben."), code="pseudonym_letters")
    if _key(value) in (_key(user.name or ""), _key(user.email or "")):
        raise InvalidInput(
            _("Das Pseudonym darf nicht Ihr eigener Name sein."), code="pseudonym_own_name"
        )
    if _key(value) in _taken(group_id, user.id):
        raise InvalidInput(
            _("Dieses Pseudonym ist nicht möglich. Bitte wählen Sie ein anderes."),
            code="pseudonym_taken",
        )
    return value


def suggestions(group_id: int, user: User, count: int = 3) -> list[str]:
    """`count` free pseudonyms (random, from our own word lists); none in use in any group,
    so a suggestion never looks like someone known from elsewhere."""
    everywhere = db.session.scalars(
        select(Membership.display_name).where(
            Membership.space_kind == SPACE_KIND, Membership.display_name != ""
        )
    ).all()
    taken = _taken(group_id, user.id) | {_key(user.name or "")} | {_key(n) for n in everywhere}
    found: list[str] = []
    for _attempt in range(50):
        name = f"{secrets.choice(ADJECTIVES)} {secrets.choice(NATURE)}"
        if _key(name) not in taken and name not in found:
            found.append(name)
        if len(found) == count:
            break
    return found
