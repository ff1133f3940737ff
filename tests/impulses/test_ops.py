"""Mail to all registrants (preview, one mail each, audit), the signed "Platz freigeben" link,
the series feeds (public without token, network with the per-series token)."""

from __future__ import annotations

import email
import re
from email.policy import default

from sqlalchemy import func, select

from peerlab.accounts.models import AuditEntry
from peerlab.extensions import db
from peerlab.ical import service as ical_service
from peerlab.impulses.feed import SERIES_KIND
from peerlab.impulses.service import registrations, release, reminders
from peerlab.notify.models import OutboxMail
from tests.conftest import csrf_from
from tests.ical.parsers import assert_wire_format, icaljs_occurrences, rie_occurrences, unfolded
from tests.impulses.conftest import mails_to, make_series, statuses


def _text(mail: OutboxMail) -> str:
    return email.message_from_bytes(mail.raw, policy=default).get_body(("plain",)).get_content()


def _people(now, make_user, **settings):
    orga = make_user("organizer", name="Olga Orga")
    made = make_series(now, orga, capacity=1, dates=2, **settings)
    anna = make_user(name="Anna Amsel")
    ben = make_user(name="Ben Berg")
    cleo = make_user(name="Cleo Cord")
    registrations.register_series(made, anna, now=now)  # confirmed for both
    registrations.register(made.impulses[0], ben, now=now)  # waiting for the first
    registrations.register(made.impulses[1], cleo, now=now)  # waiting for the second
    db.session.commit()
    return orga, made, anna, ben, cleo


# --- mail to all registrants ------------------------------------------------------------------


def _form(client, series_id, **data):
    page = client.get(f"/impulse/{series_id}/nachricht")
    assert page.status_code == 200
    return client.post(
        f"/impulse/{series_id}/nachricht",
        data={"csrf_token": csrf_from(page.get_data(as_text=True)), **data},
    )


def test_preview_then_one_mail_per_confirmed_person(app, client, make_user, login, now):
    orga, made, anna, ben, cleo = _people(now, make_user)
    login(client, orga)
    fields = {"scope": "series", "subject": "Folien und Ausblick", "body": "Liebe Alle,\nbis bald."}
    preview = _form(client, made.id, schritt="vorschau", **fields)
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "Vorschau" in html
    assert "an 1 Person" in html  # only Anna has a confirmed place
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(OutboxMail)
            .where(OutboxMail.kind == "impulses_broadcast")
        )
        == 0
    )  # the preview sends nothing
    nonce = re.search(r'name="nonce" type="hidden" value="([0-9a-f]{32})"', html).group(1)
    token = csrf_from(html)
    data = {"csrf_token": token, "nonce": nonce, "schritt": "senden", **fields}
    sent = client.post(f"/impulse/{made.id}/nachricht", data=data)
    assert sent.status_code == 302
    assert mails_to(anna, "impulses_broadcast") == 1
    assert mails_to(ben, "impulses_broadcast") == 0 and mails_to(cleo, "impulses_broadcast") == 0
    mail = db.session.scalar(select(OutboxMail).where(OutboxMail.kind == "impulses_broadcast"))
    assert mail.subject == "Folien und Ausblick" and mail.to_addr == anna.email
    text = _text(mail)
    assert "Guten Tag Anna Amsel" in text and "bis bald." in text and "Olga Orga" in text
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "impulses.broadcast"))
    assert entry.actor_id == orga.id and entry.detail["recipients"] == "1"
    # the same confirmed preview again (double click, reload): nothing more
    again = client.post(f"/impulse/{made.id}/nachricht", data=data)
    assert "schon verschickt" in again.get_data(as_text=True)
    assert mails_to(anna, "impulses_broadcast") == 1


def test_waiting_people_on_request_and_one_date_only(app, client, make_user, login, now):
    orga, made, anna, ben, cleo = _people(now, make_user)
    login(client, orga)
    first = made.impulses[0]
    preview = _form(
        client,
        made.id,
        schritt="vorschau",
        scope=str(first.id),
        include_waiting="y",
        subject="Raum",
        body="Neuer Raum.",
    )
    html = preview.get_data(as_text=True)
    nonce = re.search(r'name="nonce" type="hidden" value="([0-9a-f]{32})"', html).group(1)
    client.post(
        f"/impulse/{made.id}/nachricht",
        data={
            "csrf_token": csrf_from(html),
            "nonce": nonce,
            "schritt": "senden",
            "scope": str(first.id),
            "include_waiting": "y",
            "subject": "Raum",
            "body": "Neuer Raum.",
        },
    )
    assert mails_to(anna, "impulses_broadcast") == 1
    assert mails_to(ben, "impulses_broadcast") == 1  # waiting for this date
    assert mails_to(cleo, "impulses_broadcast") == 0  # waiting for the other date only


def test_bad_messages_and_other_people_send_nothing(app, client, make_user, login, now):
    orga, made, anna, _ben, _cleo = _people(now, make_user)
    login(client, orga)
    for fields in (
        {"scope": "series", "subject": "", "body": "Text"},
        {"scope": "series", "subject": "x" * 151, "body": "Text"},
        {"scope": "series", "subject": "Betreff", "body": "x" * 5001},
        {"scope": "99999", "subject": "Betreff", "body": "Text"},
    ):
        resp = _form(client, made.id, schritt="vorschau", **fields)
        assert resp.status_code == 200
        assert 'class="kern-error"' in resp.get_data(as_text=True)
        assert "Vorschau</h2>" not in resp.get_data(as_text=True)
    page = client.get(f"/impulse/{made.id}/nachricht").get_data(as_text=True)
    forged = client.post(
        f"/impulse/{made.id}/nachricht",
        data={
            "csrf_token": csrf_from(page),
            "nonce": "kein-schluessel",
            "schritt": "senden",
            "scope": "series",
            "subject": "Betreff",
            "body": "Text",
        },
    )
    assert forged.status_code == 200 and 'class="kern-error"' in forged.get_data(as_text=True)
    for user, expected in ((anna, 403), (make_user("organizer"), 403)):
        other = app.test_client()
        login(other, user)
        assert other.get(f"/impulse/{made.id}/nachricht").status_code == expected
    assert app.test_client().get(f"/impulse/{made.id}/nachricht").status_code == 302
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(OutboxMail)
            .where(OutboxMail.kind == "impulses_broadcast")
        )
        == 0
    )


# --- signed "Platz freigeben" link -----------------------------------------------------------


def _reminder_link(app, clock, impulse, user) -> str:
    """Run the 24 h reminder and take the release link from the mail."""
    from peerlab.core.due import DueItem

    item = db.session.scalar(
        select(DueItem)
        .where(
            DueItem.kind == reminders.DUE_KIND,
            DueItem.subject_id == impulse.id,
            DueItem.done_at.is_(None),
        )
        .order_by(DueItem.due_at)
    )
    clock.set(item.due_at)
    with app.test_request_context():
        reminders.send_due(item, clock.now())
    db.session.commit()
    mail = db.session.scalar(
        select(OutboxMail).where(
            OutboxMail.user_id == user.id, OutboxMail.kind == "impulses_reminder"
        )
    )
    return re.search(r"(https?://\S+/impulse/platz/\S+)", _text(mail)).group(1)


def test_the_reminder_link_frees_the_place_without_sign_in(app, make_user, clock, now):
    _orga, made, anna, ben, _cleo = _people(now, make_user)
    first = made.impulses[0]
    link = _reminder_link(app, clock, first, anna)
    path = "/" + link.split("/", 3)[3]
    browser = app.test_client()  # not signed in
    page = browser.get(path)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Platz freigeben" in html and "Impuls 1" in html
    assert statuses(first) == [(anna.id, "confirmed"), (ben.id, "waiting")]  # GET changes nothing
    resp = browser.post(path, data={"csrf_token": csrf_from(html)})
    assert resp.status_code == 302
    db.session.expire_all()
    assert statuses(first) == [(anna.id, "cancelled"), (ben.id, "confirmed")]
    assert mails_to(ben, "impulses_moved_up") == 1
    # the other date keeps Anna's place
    assert registrations.mine(made.impulses[1], anna).status == "confirmed"
    # used again: already free, nothing changes
    again = browser.get(path).get_data(as_text=True)
    assert "schon freigegeben" in again and "<button" not in again.split("<main", 1)[1].split(
        "</main>", 1
    )[0].replace('name="lang"', "")
    browser.post(path, data={"csrf_token": csrf_from(again)})
    db.session.expire_all()
    assert statuses(first) == [(anna.id, "cancelled"), (ben.id, "confirmed")]
    # registering again gives a new place; the old link does not release it
    registrations.register(first, anna, now=clock.now())
    db.session.commit()
    assert "schon freigegeben" in browser.get(path).get_data(as_text=True)


def test_wrong_and_expired_links_say_so(app, make_user, clock, now):
    _orga, made, anna, _ben, _cleo = _people(now, make_user)
    first = made.impulses[0]
    with app.test_request_context():
        token = release.token_for(registrations.mine(first, anna))
    browser = app.test_client()
    bad = browser.get(f"/impulse/platz/{token[:-3]}xyz")
    assert bad.status_code == 404 and "Dieser Link ist ungültig" in bad.get_data(as_text=True)
    assert browser.get("/impulse/platz/" + "a" * 400).status_code == 404
    clock.set(first.starts_at)
    expired = browser.get(f"/impulse/platz/{token}")
    assert "Dieser Link gilt nicht mehr" in expired.get_data(as_text=True)
    assert '<form method="post" class="pl-form">' not in expired.get_data(as_text=True)
    db.session.expire_all()
    assert registrations.mine(first, anna).status == "confirmed"


def test_a_token_of_another_secret_is_refused(app, make_user, now):
    from itsdangerous import URLSafeSerializer

    _orga, made, anna, _ben, _cleo = _people(now, make_user)
    row = registrations.mine(made.impulses[0], anna)
    forged = URLSafeSerializer("other-secret", salt=release.SALT).dumps(
        {"r": row.id, "p": row.position, "e": 4102444800}
    )
    assert release.resolve(forged, now).state == "invalid"


# --- series feeds -----------------------------------------------------------------------------


def _parsed(body: bytes) -> tuple[list, list]:
    assert_wire_format(body)
    return icaljs_occurrences(body), rie_occurrences(body)


def test_public_series_feed_without_token(app, make_user, now):
    orga, made, _anna, _ben, _cleo = _people(now, make_user, audience="public")
    visitor = app.test_client()
    resp = visitor.get(f"/impulse/{made.id}/kalender.ics")
    assert resp.status_code == 200 and resp.mimetype == "text/calendar"
    js, rie = _parsed(resp.data)
    assert len(js) == len(rie) == 2
    assert {o.uid for o in js} == {o.uid for o in rie}
    lines = unfolded(resp.data)
    assert not any(line.startswith(("LOCATION", "ORGANIZER", "ATTENDEE")) for line in lines)
    assert "meet.example.org" not in resp.get_data(as_text=True)
    page = visitor.get(f"/impulse/{made.id}").get_data(as_text=True)
    assert f"/impulse/{made.id}/kalender.ics" in page and "webcal://" in page
    # a cancelled date leaves the feed
    from peerlab.impulses.service import series as series_service

    series_service.cancel_impulse(made.impulses[0], actor=orga, now=now)
    db.session.commit()
    js, rie = _parsed(visitor.get(f"/impulse/{made.id}/kalender.ics").data)
    assert len(js) == len(rie) == 1


def test_network_series_feed_only_with_the_per_series_token(app, client, make_user, login, now):
    _orga, made, anna, ben, _cleo = _people(now, make_user, audience="network")
    assert app.test_client().get(f"/impulse/{made.id}/kalender.ics").status_code == 404
    login(client, ben)
    page = client.get(f"/impulse/{made.id}").get_data(as_text=True)
    assert "Persönlichen Abo-Link erzeugen" in page
    made_link = client.post(
        f"/kalender/reihe/{SERIES_KIND}/{made.id}/neu",
        data={"csrf_token": csrf_from(page), "next": f"/impulse/{made.id}"},
    )
    assert made_link.status_code == 302 and made_link.location.endswith(f"/impulse/{made.id}")
    token = ical_service.series_feed_token(ben, SERIES_KIND, made.id)
    page = client.get(f"/impulse/{made.id}").get_data(as_text=True)
    assert token in page and "Neuen Link erzeugen" in page
    calendar_app = app.test_client()
    feed = calendar_app.get(f"/kalender/reihe/{SERIES_KIND}/{made.id}/{token}.ics")
    assert feed.status_code == 200
    js, rie = _parsed(feed.data)
    assert len(js) == len(rie) == 2
    # Ben waits: no video link in his feed
    assert "meet.example.org" not in feed.get_data(as_text=True)
    # rotate: the old link stops working
    client.post(
        f"/kalender/reihe/{SERIES_KIND}/{made.id}/neu",
        data={"csrf_token": csrf_from(page), "next": f"/impulse/{made.id}"},
    )
    assert (
        calendar_app.get(f"/kalender/reihe/{SERIES_KIND}/{made.id}/{token}.ics").status_code == 404
    )
    new = ical_service.series_feed_token(ben, SERIES_KIND, made.id)
    assert calendar_app.get(f"/kalender/reihe/{SERIES_KIND}/{made.id}/{new}.ics").status_code == 200
    # Anna has a confirmed place: her series feed carries the video link
    anna_token = ical_service.regenerate_series_feed_token(anna, SERIES_KIND, made.id, now)
    db.session.commit()
    body = calendar_app.get(f"/kalender/reihe/{SERIES_KIND}/{made.id}/{anna_token}.ics")
    assert "meet.example.org" in body.get_data(as_text=True)
