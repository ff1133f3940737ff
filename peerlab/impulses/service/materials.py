"""Materials of an impulse: files (type read from the content, stored under instance/ by a
random name) and links. Organizers see them any time; registered people (confirmed or marked
as attended) from the end of the date on ("materials afterwards").

A file on disk follows its row: it is removed after the transaction that deleted the row
commits, and a file written in a transaction that rolls back is removed again, so no file is
lost with its row still there and no orphan stays behind.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from peerlab.accounts.models import User
from peerlab.core.errors import Forbidden, InvalidInput, NotFound
from peerlab.core.uploads import TYPES, detect_type
from peerlab.core.urls import is_web_link
from peerlab.extensions import db
from peerlab.impulses import access
from peerlab.impulses.materials_model import Material
from peerlab.impulses.models import Impulse, Registration
from peerlab.impulses.service import speakers

LIMIT = 20 * 1024 * 1024  # bytes per file
PER_IMPULSE = 30  # materials per date
_STORED = re.compile(r"^[0-9a-f]{32}$")

# Further people who see an impulse's materials at any time (the speakers, once speakers are
# people in peerlab): functions (impulse, user) -> bool, added by the package that knows them.
viewer_rules: list[Callable[[Impulse, User], bool]] = []


def folder() -> Path:
    configured = current_app.config.get("IMPULSES_MATERIALS_DIR")
    path = Path(configured) if configured else Path(current_app.instance_path) / "materials"
    path.mkdir(parents=True, exist_ok=True)
    return path


def path_of(material: Material) -> Path:
    if not _STORED.match(material.stored_name or ""):
        raise NotFound()
    return folder() / material.stored_name


# --- files follow their rows -------------------------------------------------------------


def _later(key: str, path: Path) -> None:
    db.session().info.setdefault(key, []).append(path)


@event.listens_for(Session, "after_commit")
def _after_commit(session) -> None:
    session.info.pop("impulses.new_files", None)
    for path in session.info.pop("impulses.gone_files", []):
        path.unlink(missing_ok=True)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session) -> None:
    session.info.pop("impulses.gone_files", None)
    for path in session.info.pop("impulses.new_files", []):
        path.unlink(missing_ok=True)


# --- who sees them -------------------------------------------------------------------------


def may_see(impulse: Impulse, user: User | None, now: datetime) -> bool:
    """Organizers and further viewers any time; people with a confirmed place (or marked as
    attended) once the date is over."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if access.organizes(impulse.series, user) or speakers.speaks_at(impulse, user):
        return True
    if any(rule(impulse, user) for rule in viewer_rules):
        return True
    if now < impulse.ends_at:
        return False
    row = db.session.scalar(
        select(Registration).where(
            Registration.impulse_id == impulse.id, Registration.user_id == user.id
        )
    )
    return row is not None and (row.status == "confirmed" or row.attended)


def listing(impulse: Impulse, user: User | None, now: datetime) -> list[Material]:
    if not may_see(impulse, user, now):
        return []
    return list(
        db.session.scalars(
            select(Material).where(Material.impulse_id == impulse.id).order_by(Material.id)
        )
    )


def visible_for(
    dates: list[Impulse],
    user: User,
    now: datetime,
    *,
    organizes: bool,
    speaking: set[int],
    rows: dict[int, Registration],
) -> dict[int, list[Material]]:
    """`listing` for many dates of one series in one query, given what the caller read for
    all of them: whether the user organizes the series, the dates they speak at and their
    registration per date (the rules of `may_see`)."""

    def sees(impulse: Impulse) -> bool:
        if organizes or impulse.id in speaking:
            return True
        if any(rule(impulse, user) for rule in viewer_rules):
            return True
        row = rows.get(impulse.id)
        return (
            now >= impulse.ends_at
            and row is not None
            and (row.status == "confirmed" or row.attended)
        )

    seen = [i.id for i in dates if sees(i)]
    found: dict[int, list[Material]] = {}
    if seen:
        for material in db.session.scalars(
            select(Material).where(Material.impulse_id.in_(seen)).order_by(Material.id)
        ):
            found.setdefault(material.impulse_id, []).append(material)
    return found


def for_download(material_id: int, user: User | None, now: datetime) -> Material:
    """A material the user may open; NotFound otherwise (whether it exists stays hidden)."""
    material = db.session.get(Material, material_id)
    if material is None or not may_see(material.impulse, user, now):
        raise NotFound()
    if not access.may_view(material.impulse.series, user):
        raise NotFound()
    return material


def for_organizer(material_id: int, user: User) -> Material:
    material = db.session.get(Material, material_id)
    if material is None:
        raise NotFound()
    access.impulse_for_organizer(material.impulse_id, user)
    return material


# --- adding and removing -------------------------------------------------------------------


def _stem(uploaded: str) -> str:
    name = Path(uploaded.replace("\\", "/")).name
    return unicodedata.normalize("NFC", name.rsplit(".", 1)[0] if "." in name else name)


def download_name(uploaded: str, extension: str) -> str:
    """A safe file name from the uploaded one: letters (umlauts too), digits, `-`, `_`; no
    path, no dots, no control characters; the extension from the detected type, never from
    the upload."""
    clean = re.sub(r"[^\w-]+", "-", _stem(uploaded)).strip("-_")[:60]
    return (clean or "material") + extension


def title_from(uploaded: str) -> str:
    """The default title: the uploaded name without extension, spaces kept."""
    text = "".join(ch for ch in _stem(uploaded) if ch.isprintable())
    return " ".join(text.replace("_", " ").split()).strip(" .")[:160]


def _check_title(title: str) -> str:
    title = title.strip()
    if len(title) > 160:
        raise InvalidInput(_("Der Titel ist zu lang (höchstens 160 Zeichen)."))
    return title


def _may_add(impulse: Impulse, actor: User) -> None:
    if not access.organizes(impulse.series, actor):
        raise Forbidden()
    if impulse.cancelled_at is not None:
        raise InvalidInput(_("Dieser Termin ist abgesagt."))
    count = db.session.scalar(
        select(func.count()).select_from(Material).where(Material.impulse_id == impulse.id)
    )
    if count >= PER_IMPULSE:
        raise InvalidInput(
            _("Ein Termin kann höchstens %(count)s Materialien haben.", count=PER_IMPULSE)
        )


def too_big_message() -> str:
    return _("Die Datei ist zu groß. Erlaubt sind höchstens %(mb)s MB.", mb=LIMIT // (1024 * 1024))


def add_file(
    impulse: Impulse, *, title: str, filename: str, data: bytes, actor: User, now: datetime
) -> Material:
    """Store an uploaded file under a random name; the type is read from the content."""
    _may_add(impulse, actor)
    title = _check_title(title)
    if not data:
        raise InvalidInput(_("Die Datei ist leer."))
    if len(data) > LIMIT:
        raise InvalidInput(too_big_message())
    file_type = detect_type(data)
    if file_type is None:
        raise InvalidInput(
            _(
                "Diese Art von Datei ist nicht erlaubt. Erlaubt sind PDF, PNG, JPEG, "
                "PowerPoint, Word und Excel (PPTX, DOCX, XLSX) und reiner Text."
            )
        )
    name = download_name(filename or "", file_type.extension)
    stored = secrets.token_hex(16)
    path = folder() / stored
    path.write_bytes(data)
    _later("impulses.new_files", path)
    material = Material(
        impulse_id=impulse.id,
        kind="file",
        title=title or title_from(filename or "") or name,
        url="",
        stored_name=stored,
        file_type=file_type.key,
        download_name=name,
        size=len(data),
        created_by_id=actor.id,
        created_at=now,
    )
    db.session.add(material)
    db.session.flush()
    return material


def add_link(impulse: Impulse, *, title: str, url: str, actor: User, now: datetime) -> Material:
    _may_add(impulse, actor)
    title = _check_title(title)
    url = url.strip()
    if not title:
        raise InvalidInput(_("Bitte geben Sie einen Titel an."))
    if len(url) > 500 or not is_web_link(url):
        raise InvalidInput(_("Bitte geben Sie einen vollständigen Link mit https:// an."))
    material = Material(
        impulse_id=impulse.id,
        kind="link",
        title=title,
        url=url,
        stored_name="",
        file_type="",
        download_name="",
        size=0,
        created_by_id=actor.id,
        created_at=now,
    )
    db.session.add(material)
    db.session.flush()
    return material


def _drop(material: Material) -> None:
    if material.kind == "file" and _STORED.match(material.stored_name or ""):
        _later("impulses.gone_files", folder() / material.stored_name)
    db.session.delete(material)


def delete(material: Material, *, actor: User) -> None:
    if not access.organizes(material.impulse.series, actor):
        raise Forbidden()
    _drop(material)
    db.session.flush()


def forget_subject(kinds: frozenset[str], subject_id: int, now: datetime) -> int:
    """Subject hook: a deleted date or series takes its materials and their files along."""
    stmt = select(Material)
    if "impulses.series" in kinds:
        stmt = stmt.join(Impulse, Impulse.id == Material.impulse_id).where(
            Impulse.series_id == subject_id
        )
    elif "impulses.impulse" in kinds:
        stmt = stmt.where(Material.impulse_id == subject_id)
    else:
        return 0
    rows = db.session.scalars(stmt).all()
    for material in rows:
        _drop(material)
    return len(rows)


def type_label(material: Material) -> str:
    file_type = TYPES.get(material.file_type)
    return file_type.label if file_type else ""
