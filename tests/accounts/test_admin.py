"""People list, role change, removal, audit log: admins act, organizers see whom they invited."""

from __future__ import annotations

from sqlalchemy import select

from peerlab.accounts.models import AuditEntry, User
from peerlab.extensions import db
from tests.accounts.conftest import post_form
from tests.conftest import csrf_from


def test_admin_sees_everyone_and_changes_a_role(client, make_user, login):
    admin = make_user("admin")
    member = make_user(name="Mia Mitglied")
    login(client, admin)
    page = client.get("/verwaltung/personen")
    assert page.status_code == 200 and "Mia Mitglied" in page.get_data(as_text=True)
    resp = client.post(
        f"/verwaltung/personen/{member.id}/rolle",
        data={
            f"u{member.id}-role": "organizer",
            "csrf_token": csrf_from(page.get_data(as_text=True)),
        },
    )
    assert resp.status_code == 302
    db.session.refresh(member)
    assert member.role == "organizer"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "role_change"))
    assert entry.actor_id == admin.id and entry.target_id == member.id
    assert entry.detail == {"old": "member", "new": "organizer"}


def test_admin_removes_a_person_with_audit_entry(app, client, make_user, login):
    admin = make_user("admin")
    member = make_user(email="weg@kommune.example")
    member_client = app.test_client()
    login(member_client, member)
    login(client, admin)
    resp = post_form(client, f"/verwaltung/personen/{member.id}/entfernen")
    assert resp.status_code == 302
    assert db.session.get(User, member.id) is None
    assert member_client.get("/konto").status_code == 302
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "remove"))
    assert entry.actor_id == admin.id and entry.target_email == "weg@kommune.example"
    log = client.get("/verwaltung/protokoll").get_data(as_text=True)
    assert "weg@kommune.example" in log and "entfernt" in log


def test_admin_cannot_change_own_role_or_remove_self(client, make_user, login):
    admin = make_user("admin")
    login(client, admin)
    page = client.get("/verwaltung/personen").get_data(as_text=True)
    resp = client.post(
        f"/verwaltung/personen/{admin.id}/rolle",
        data={f"u{admin.id}-role": "member", "csrf_token": csrf_from(page)},
    )
    assert resp.status_code == 409
    resp = client.post(
        f"/verwaltung/personen/{admin.id}/entfernen", data={"csrf_token": csrf_from(page)}
    )
    assert resp.status_code == 409
    db.session.refresh(admin)
    assert admin.role == "admin"


def test_organizer_sees_only_people_they_invited(client, make_user, login):
    organizer = make_user("organizer")
    stranger = make_user(name="Fremde Person")
    login(client, organizer)
    post_form(client, "/verwaltung/einladen", {"emails": "meine@kommune.example", "role": "member"})
    html = client.get("/verwaltung/personen").get_data(as_text=True)
    assert "meine@kommune.example" in html and stranger.email not in html
    assert client.get("/verwaltung/protokoll").status_code == 403
    assert client.get(f"/verwaltung/personen/{stranger.id}/entfernen").status_code == 403


def test_organizer_cannot_change_roles(client, make_user, login):
    organizer = make_user("organizer")
    member = make_user()
    login(client, organizer)
    page = client.get("/verwaltung/personen").get_data(as_text=True)
    resp = client.post(
        f"/verwaltung/personen/{member.id}/rolle",
        data={f"u{member.id}-role": "admin", "csrf_token": csrf_from(page)},
    )
    assert resp.status_code == 403
    db.session.refresh(member)
    assert member.role == "member"


def test_members_see_no_admin_pages(client, make_user, login):
    login(client, make_user())
    for path in ("/verwaltung/personen", "/verwaltung/protokoll", "/verwaltung/einladen"):
        assert client.get(path).status_code == 403
    assert "/verwaltung/personen" not in client.get("/").get_data(as_text=True)


def test_unknown_person_is_404(client, make_user, login):
    login(client, make_user("admin"))
    assert client.get("/verwaltung/personen/9999/entfernen").status_code == 404


def test_admin_resets_a_lost_second_factor(app, client, make_user, login):
    admin = make_user("admin")
    organizer = make_user("organizer")
    orga_client = app.test_client()
    login(orga_client, organizer)
    login(client, admin)
    resp = post_form(
        client,
        f"/verwaltung/personen/{organizer.id}/zweiter-faktor",
        page_url="/verwaltung/personen",
    )
    assert resp.status_code == 302
    db.session.refresh(organizer)
    assert not organizer.totp_enabled and organizer.totp_secret is None
    assert orga_client.get("/konto").status_code == 302  # sessions ended
    assert (
        db.session.scalar(
            select(AuditEntry.action).where(
                AuditEntry.target_id == organizer.id, AuditEntry.action == "reset_2fa"
            )
        )
        == "reset_2fa"
    )


def test_organizer_cannot_reset_second_factors(client, make_user, login):
    other = make_user("organizer")
    login(client, make_user("organizer"))
    resp = post_form(
        client, f"/verwaltung/personen/{other.id}/zweiter-faktor", page_url="/verwaltung/personen"
    )
    assert resp.status_code == 403
    db.session.refresh(other)
    assert other.totp_enabled
