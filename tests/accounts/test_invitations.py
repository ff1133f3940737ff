"""Invitations by organizers and admins: one by one or as a list, then set name and password."""

from __future__ import annotations

import pyotp
from sqlalchemy import select

from peerlab.accounts import service
from peerlab.accounts.invitations import parse_list
from peerlab.accounts.models import AuditEntry, User
from peerlab.extensions import db
from tests.accounts.conftest import link_in, mails_to, post_form
from tests.conftest import csrf_from


def invite(client, emails: str, role: str = "member"):
    return post_form(client, "/verwaltung/einladen", {"emails": emails, "role": role})


def test_parse_list_splits_reports_invalid_and_duplicates():
    valid, invalid, dups = parse_list(
        "a@kommune.example, b@kommune.example\nkein-at-zeichen\n\nA@Kommune.example;"
        "Bea Beispiel <bea@kommune.example>"
    )
    assert valid == ["a@kommune.example", "b@kommune.example", "bea@kommune.example"]
    assert invalid == ["kein-at-zeichen"]
    assert dups == ["a@kommune.example"]


def test_organizer_invites_a_list(client, make_user, login):
    organizer = make_user("organizer")
    existing = make_user(email="schon@da.example")
    login(client, organizer)
    resp = invite(
        client,
        "eins@kommune.example\nzwei@kommune.example, falsch@\n"
        f"eins@kommune.example\n{existing.email}",
    )
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert "eins@kommune.example, zwei@kommune.example" in html
    assert "falsch@" in html and "doppelt" in html and existing.email in html
    invited = db.session.scalars(select(User).where(User.status == "invited")).all()
    assert sorted(u.email for u in invited) == ["eins@kommune.example", "zwei@kommune.example"]
    assert len(mails_to("eins@kommune.example")) == 1
    assert mails_to(existing.email) == []
    actions = db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.actor_id == organizer.id)
    ).all()
    assert actions == ["invite", "invite"]


def test_invited_person_sets_name_and_password_and_is_signed_in(app, client, make_user, login):
    organizer = make_user("organizer")
    login(client, organizer)
    invite(client, "neu@kommune.example")
    path = link_in(mails_to("neu@kommune.example")[0])

    guest = app.test_client()
    page = guest.get(path)
    assert page.status_code == 200 and "neu@kommune.example" in page.get_data(as_text=True)
    resp = post_form(
        guest,
        path,
        {
            "name": "Nora Neu",
            "municipality": "Stadt Neustadt",
            "function": "Bürgermeisterin",
            "password": "mein-neues-passwort",
            "password_repeat": "mein-neues-passwort",
        },
    )
    assert resp.status_code == 302
    assert guest.get("/konto").status_code == 200
    user = service.find_by_email("neu@kommune.example")
    assert user.status == "active" and user.name == "Nora Neu"
    assert user.municipality == "Stadt Neustadt" and user.role == "member"
    assert service.authenticate("neu@kommune.example", "mein-neues-passwort") is not None
    assert guest.get(path).status_code == 400  # the link is used up


def test_invited_person_cannot_sign_in_before_accepting(client, make_user, login):
    login(client, make_user("organizer"))
    invite(client, "wartet@kommune.example")
    user = service.find_by_email("wartet@kommune.example")
    assert user.status == "invited" and service.authenticate(user.email, "") is None


def test_organizers_may_only_invite_members(client, make_user, login):
    login(client, make_user("organizer"))
    resp = invite(client, "chef@kommune.example", role="admin")
    assert resp.status_code == 200  # the form refuses an unknown choice
    assert service.find_by_email("chef@kommune.example") is None


def test_admin_invites_an_organizer_who_must_set_up_second_factor(
    app, client, make_user, login, clock
):
    login(client, make_user("admin"))
    invite(client, "orga2@stiftung.example", role="organizer")
    path = link_in(mails_to("orga2@stiftung.example")[0])
    guest = app.test_client()
    resp = post_form(
        guest,
        path,
        {
            "name": "Otto Orga",
            "password": "orga-passwort-lang",
            "password_repeat": "orga-passwort-lang",
        },
    )
    assert resp.location.endswith("/anmelden/zweiter-faktor/einrichten")
    assert guest.get("/konto").status_code == 302
    page = guest.get("/anmelden/zweiter-faktor/einrichten").get_data(as_text=True)
    import re

    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    post_form(
        guest, "/anmelden/zweiter-faktor/einrichten", {"code": pyotp.TOTP(secret).at(clock.now())}
    )
    assert guest.get("/konto").status_code == 200


def test_members_cannot_invite(client, make_user, login):
    login(client, make_user())
    assert client.get("/verwaltung/einladen").status_code == 403
    page = client.get("/konto").get_data(as_text=True)
    resp = client.post(
        "/verwaltung/einladen",
        data={"emails": "x@kommune.example", "role": "member", "csrf_token": csrf_from(page)},
    )
    assert resp.status_code == 403
    assert service.find_by_email("x@kommune.example") is None


def test_invitation_expires_after_14_days(client, clock, make_user, login):
    login(client, make_user("organizer"))
    invite(client, "spaet@kommune.example")
    path = link_in(mails_to("spaet@kommune.example")[0])
    clock.advance(14 * 24 * 3600 + 1)
    assert client.get(path).status_code == 400


def test_inviting_again_resends_to_someone_still_invited(client, make_user, login):
    login(client, make_user("organizer"))
    invite(client, "nochmal@kommune.example")
    resp = invite(client, "nochmal@kommune.example")
    assert "erneut" in resp.get_data(as_text=True)
    assert len(mails_to("nochmal@kommune.example")) == 2
