"""Materials: type from the content, the 20 MB limit of the upload route, storage under a
random name, who sees and downloads them (afterwards for registrants), deletion with the file."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from peerlab.core import subjects
from peerlab.core.uploads import detect_type
from peerlab.extensions import db
from peerlab.impulses.materials_model import Material
from peerlab.impulses.service import materials, registrations
from tests.conftest import csrf_from
from tests.impulses.conftest import make_series

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _office(inner: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(inner, "<x/>")
    return buf.getvalue()


def _zip_without_structure() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("evil.exe", "MZ")
    return buf.getvalue()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (PDF, "pdf"),
        (PNG, "png"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 16, "jpeg"),
        (_office("ppt/presentation.xml"), "pptx"),
        (_office("word/document.xml"), "docx"),
        (_office("xl/workbook.xml"), "xlsx"),
        ("Folien: Wärmeplanung\r\n\tSeite 2\n".encode(), "txt"),
        (_zip_without_structure(), None),
        (b"MZ\x90\x00\x03\x00\x00\x00", None),  # a Windows program
        (b"GIF89a\x01\x00", None),
        ("Wärme".encode("latin-1"), None),  # not UTF-8
        (b"text with a \x00 byte", None),
        (b"", None),
    ],
)
def test_type_is_read_from_the_content(data, expected):
    found = detect_type(data)
    assert (found.key if found else None) == expected


def _folder(app) -> Path:
    with app.app_context():
        return materials.folder()


def _upload(client, impulse_id, data: bytes, filename: str, title: str = ""):
    page = client.get(f"/impulse/termin/{impulse_id}/material")
    return client.post(
        f"/impulse/termin/{impulse_id}/material/datei",
        data={
            "file_title": title,
            "datei": (io.BytesIO(data), filename),
            "csrf_token": csrf_from(page.get_data(as_text=True)),
        },
        content_type="multipart/form-data",
    )


def _setup(now, make_user, audience="network"):
    orga = make_user("organizer", name="Olga Orga")
    made = make_series(now, orga, capacity=1, hours_ahead=1, audience=audience)
    impulse = made.impulses[0]
    anna = make_user(name="Anna Amsel")
    ben = make_user(name="Ben Berg")
    registrations.register(impulse, anna, now=now)  # confirmed
    registrations.register(impulse, ben, now=now)  # waiting
    db.session.commit()
    return orga, made, impulse, anna, ben


def test_upload_is_stored_by_a_random_name_and_downloaded_safely(
    app, client, make_user, login, now
):
    orga, _made, impulse, _anna, _ben = _setup(now, make_user)
    login(client, orga)
    resp = _upload(client, impulse.id, PDF, "../../Präsentation Olga.exe")
    assert resp.status_code == 302
    material = db.session.scalar(select(Material))
    assert material.file_type == "pdf"
    assert material.download_name == "Präsentation-Olga.pdf"
    assert material.title == "Präsentation Olga"
    stored = list(_folder(app).iterdir())
    assert [p.name for p in stored] == [material.stored_name]
    assert "Olga" not in material.stored_name and len(material.stored_name) == 32
    assert stored[0].read_bytes() == PDF
    assert str(_folder(app)).startswith(app.instance_path)

    resp = client.get(f"/impulse/material/{material.id}")
    assert resp.status_code == 200
    assert resp.data == PDF
    assert resp.headers["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''Pr%C3%A4sentation-Olga.pdf" in resp.headers["Content-Disposition"]
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.mimetype == "application/pdf"


def test_registrants_see_materials_only_after_the_date(app, client, make_user, login, clock, now):
    orga, made, impulse, anna, ben = _setup(now, make_user)
    with app.test_request_context():
        material = materials.add_file(
            impulse, title="Folien", filename="folien.pdf", data=PDF, actor=orga, now=now
        )
        link = materials.add_link(
            impulse, title="Aufzeichnung", url="https://video.example.org/a", actor=orga, now=now
        )
    db.session.commit()
    other_orga = make_user("organizer", name="Otto Orga")
    admin = make_user("admin", name="Ada Admin")
    nina = make_user(name="Nina Neu")
    clients = {}
    for user in (orga, anna, ben, other_orga, admin, nina):
        clients[user.id] = app.test_client()
        login(clients[user.id], user)

    def status(user) -> int:
        c = clients[user.id] if user is not None else app.test_client()
        return c.get(f"/impulse/material/{material.id}").status_code

    def sees_on_page(user) -> bool:
        html = clients[user.id].get(f"/impulse/{made.id}").get_data(as_text=True)
        return "Folien" in html and link.url in html

    # before and during the date: only organizers
    assert status(anna) == 404 and not sees_on_page(anna)
    assert status(orga) == 200 and sees_on_page(orga)
    assert status(admin) == 200
    clock.advance(2 * 3600)  # the date (1 h ahead, 30 minutes) is over
    assert status(anna) == 200 and sees_on_page(anna)
    assert status(ben) == 404 and not sees_on_page(ben)  # was waiting
    assert status(None) == 404
    assert status(other_orga) == 404
    assert status(nina) == 404  # not registered


def test_a_visitor_never_gets_materials_of_a_public_series(app, make_user, clock, now):
    orga, made, impulse, _anna, _ben = _setup(now, make_user, audience="public")
    with app.test_request_context():
        material = materials.add_file(
            impulse, title="Folien", filename="f.pdf", data=PDF, actor=orga, now=now
        )
    db.session.commit()
    clock.advance(2 * 3600)
    visitor = app.test_client()
    assert visitor.get(f"/impulse/{made.id}").status_code == 200
    assert "Folien" not in visitor.get(f"/impulse/{made.id}").get_data(as_text=True)
    assert visitor.get(f"/impulse/material/{material.id}").status_code == 404


def _nothing_stored(app) -> None:
    assert db.session.scalar(select(func.count()).select_from(Material)) == 0
    assert list(_folder(app).iterdir()) == []


def test_a_file_too_big_gets_a_clear_message_and_changes_nothing(
    app, client, make_user, login, now
):
    orga, _made, impulse, _anna, _ben = _setup(now, make_user)
    login(client, orga)
    big = b"%PDF-" + b"0" * (21 * 1024 * 1024)
    resp = _upload(client, impulse.id, big, "gross.pdf")
    assert resp.status_code == 413
    html = resp.get_data(as_text=True)
    assert "Die Datei ist zu groß. Erlaubt sind höchstens 20 MB." in html
    assert '<h1 class="kern-heading-large">Material</h1>' in html
    _nothing_stored(app)
    # just above 20 MB but within the request limit: the service says the same
    resp = _upload(client, impulse.id, b"%PDF-" + b"0" * (20 * 1024 * 1024), "knapp.pdf")
    assert resp.status_code == 400
    assert "höchstens 20 MB" in resp.get_data(as_text=True)
    _nothing_stored(app)
    # other routes keep the app's small limit
    page = client.get(f"/impulse/{_made.id}/nachricht")
    resp = client.post(
        f"/impulse/{_made.id}/nachricht",
        data={
            "body": "x" * (3 * 1024 * 1024),
            "csrf_token": csrf_from(page.get_data(as_text=True)),
        },
    )
    assert resp.status_code == 413


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"MZ\x90\x00" + b"\x00" * 64, "folien.pdf"),  # a program named .pdf
        (_zip_without_structure(), "folien.pptx"),
        (b"", "leer.txt"),
    ],
)
def test_a_wrong_type_gets_a_clear_message(app, client, make_user, login, now, data, name):
    orga, _made, impulse, _anna, _ben = _setup(now, make_user)
    login(client, orga)
    resp = _upload(client, impulse.id, data, name)
    assert resp.status_code == 400
    html = resp.get_data(as_text=True)
    assert "nicht erlaubt" in html or "leer" in html
    _nothing_stored(app)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://x.example/a", "www.example.org", ""])
def test_a_bad_link_gets_a_clear_message(client, make_user, login, now, url):
    orga, _made, impulse, _anna, _ben = _setup(now, make_user)
    login(client, orga)
    page = client.get(f"/impulse/termin/{impulse.id}/material")
    resp = client.post(
        f"/impulse/termin/{impulse.id}/material/link",
        data={
            "link_title": "Link",
            "url": url,
            "csrf_token": csrf_from(page.get_data(as_text=True)),
        },
    )
    assert resp.status_code == 400
    assert 'class="kern-error"' in resp.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Material)) == 0


def test_only_the_organizer_manages_materials(app, make_user, login, now):
    _orga, _made, impulse, anna, _ben = _setup(now, make_user)
    for user, expected in ((anna, 403), (make_user("organizer"), 403), (make_user("admin"), 200)):
        c = app.test_client()
        login(c, user)
        assert c.get(f"/impulse/termin/{impulse.id}/material").status_code == expected
    c = app.test_client()
    login(c, anna)
    token = csrf_from(c.get(f"/impulse/{impulse.series_id}").get_data(as_text=True))
    resp = c.post(
        f"/impulse/termin/{impulse.id}/material/datei",
        data={"datei": (io.BytesIO(PDF), "x.pdf"), "csrf_token": token},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 403
    _nothing_stored(app)


def test_deleting_a_material_deletes_its_file(app, client, make_user, login, now):
    orga, _made, impulse, _anna, _ben = _setup(now, make_user)
    login(client, orga)
    _upload(client, impulse.id, PNG, "bild.png")
    material = db.session.scalar(select(Material))
    path = _folder(app) / material.stored_name
    assert path.is_file()
    page = client.get(f"/impulse/termin/{impulse.id}/material")
    resp = client.post(
        f"/impulse/material/{material.id}/loeschen",
        data={"csrf_token": csrf_from(page.get_data(as_text=True))},
    )
    assert resp.status_code == 302
    assert not path.exists()
    _nothing_stored(app)


def test_a_deleted_series_takes_materials_and_files_along(app, make_user, now):
    orga, made, impulse, _anna, _ben = _setup(now, make_user)
    with app.test_request_context():
        materials.add_file(impulse, title="", filename="a.pdf", data=PDF, actor=orga, now=now)
        materials.add_link(impulse, title="L", url="https://x.example/", actor=orga, now=now)
    db.session.commit()
    assert len(list(_folder(app).iterdir())) == 1
    reached = subjects.delete_subject("impulses.series", made.id, now=now)
    db.session.commit()
    assert reached["impulses.materials"] == 2
    _nothing_stored(app)


def test_a_rolled_back_upload_leaves_no_file(app, make_user, now):
    orga, _made, impulse, _anna, _ben = _setup(now, make_user)
    with app.test_request_context():
        materials.add_file(impulse, title="", filename="a.pdf", data=PDF, actor=orga, now=now)
    assert len(list(_folder(app).iterdir())) == 1
    db.session.rollback()
    _nothing_stored(app)


def test_a_cancelled_date_takes_no_new_material(app, make_user, now):
    from peerlab.core.errors import InvalidInput
    from peerlab.impulses.service import series as series_service

    orga, _made, impulse, _anna, _ben = _setup(now, make_user)
    series_service.cancel_impulse(impulse, actor=orga, now=now)
    db.session.commit()
    with app.test_request_context(), pytest.raises(InvalidInput):
        materials.add_link(impulse, title="L", url="https://x.example/", actor=orga, now=now)
