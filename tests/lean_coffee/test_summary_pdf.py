"""The summary as PDF: same content as the page (the same Summary), the same access check, none
for confidential group rounds, a German/English link that names the accessible version."""

from __future__ import annotations

import io
from zoneinfo import ZoneInfo

import pypdf

from peerlab.extensions import db
from peerlab.lean_coffee.service import discussion, notes, rounds, topics, votes
from tests.lean_coffee.test_access_lists import group_rule  # noqa: F401 - fixture
from tests.lean_coffee.test_service_results import due_date

SPECIAL = "Şahin – „Wärmeplanung“, Łódź"
LINK_DE = "Als PDF herunterladen (zum Ausdrucken; barrierefrei ist diese Seite)"
LINK_EN = "Download as PDF (for printing; this page is the accessible version)"


def pdf_text(body: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(body))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def played_round(cast, now):
    """Four topics (one anonymous, one carrying SPECIAL), all discussed, takeaways, an action."""
    for person in (cast.fac, cast.anna, cast.ben):
        person.joined_at = now
    first = topics.add_topic(cast.round, cast.ben, "Wohnraum für Fachkräfte", "Leerstand", now=now)
    secret = topics.add_topic(cast.round, cast.anna, "Bedrohungen im Amt", anonymous=True, now=now)
    special = topics.add_topic(cast.round, cast.fac, f"Partnerschaft {SPECIAL}", now=now)
    topics.add_topic(cast.round, cast.fac, "Kitaplätze im Umland", now=now)
    rounds.advance_phase(cast.round, "vote", now=now)
    votes.cast_vote(cast.round, cast.ben, secret.id)
    votes.cast_vote(cast.round, cast.anna, first.id)
    votes.cast_vote(cast.round, cast.fac, special.id)
    rounds.advance_phase(cast.round, "discuss", now=now)
    takeaways = {"Vorfälle dokumentieren", f"Rückruf von {SPECIAL}", "Leerstandskataster teilen"}
    for _ in range(3):
        current = discussion.current_topic(cast.round)
        if current.id == secret.id:
            notes.add_takeaway(cast.round, cast.ben, current.id, "Vorfälle dokumentieren", now=now)
            notes.add_action(
                cast.round,
                cast.anna,
                current.id,
                "Polizei einladen",
                owner_participant_id=cast.ben.id,
                due_on=due_date(now),
                now=now,
            )
        elif current.id == special.id:
            notes.add_takeaway(cast.round, cast.fac, current.id, f"Rückruf von {SPECIAL}", now=now)
        else:
            notes.add_takeaway(
                cast.round, cast.anna, current.id, "Leerstandskataster teilen", now=now
            )
        discussion.next_topic(cast.round, now=now)
    rounds.advance_phase(cast.round, "wrapup", now=now)
    notes.set_closing(cast.round, cast.anna, "Gut, nicht allein zu sein.")
    db.session.commit()
    titles = ["Wohnraum für Fachkräfte", "Bedrohungen im Amt", f"Partnerschaft {SPECIAL}"]
    return [*titles, "Kitaplätze im Umland"], sorted(takeaways)


def test_pdf_holds_every_topic_and_takeaway_and_no_author(app, make_round, login, now):
    cast = make_round(signed_in=True, title="Runde Wärmeplanung Łódź")
    titles, takeaways = played_round(cast, now)
    ben = app.test_client()
    login(ben, cast.users["ben"])
    resp = ben.get(f"/runden/{cast.round.id}/zusammenfassung.pdf")
    assert resp.status_code == 200
    assert resp.headers["Content-Type"] == "application/pdf"
    assert "no-store" in resp.headers["Cache-Control"]
    text = pdf_text(resp.data)
    for expected in (*titles, *takeaways, "Polizei einladen", "Gut, nicht allein zu sein."):
        assert expected in text, expected
    assert SPECIAL in text
    assert "Anna" not in text  # the anonymous topic's author, nor anyone's votes
    assert "Seite 1 von" in text and "Erkenntnisse" in text
    assert f"/runden/{cast.round.id}/zusammenfassung" in text  # where the accessible page is
    links = {  # one per line of the paragraph
        note["/A"]["/URI"]
        for page in pypdf.PdfReader(io.BytesIO(resp.data)).pages
        for note in page.get("/Annots", [])
    }
    assert links == {f"http://localhost/runden/{cast.round.id}/zusammenfassung"}


def test_pdf_download_name_has_an_ascii_fallback(app, make_round, login, now):
    cast = make_round(signed_in=True, title='Runde "Wärmeplanung"/Łódź')
    ben = app.test_client()
    login(ben, cast.users["ben"])
    disposition = ben.get(f"/runden/{cast.round.id}/zusammenfassung.pdf").headers[
        "Content-Disposition"
    ]
    day = cast.round.starts_at.astimezone(ZoneInfo("Europe/Berlin")).date().isoformat()
    name = f"Lean-Coffee-Runde-Waermeplanung-Lodz-{day}.pdf"  # German spelling, Ł → L
    assert disposition == (
        f'attachment; filename="{name}"; '
        f"filename*=UTF-8''Lean-Coffee-Runde-W%C3%A4rmeplanung-%C5%81%C3%B3d%C5%BA-{day}.pdf"
    )


def test_pdf_has_the_summary_pages_access_check(app, make_round, login, make_user):
    from tests.lean_coffee.conftest import guest_socket

    cast = make_round(signed_in=True)
    rid = cast.round.id
    other = make_round(signed_in=False, title="Andere")
    expected = {"stranger": 404, "admin": 404, "participant": 200, "facilitator": 200}
    people = {
        "stranger": make_user(name="Fremd"),
        "admin": make_user("admin"),
        "participant": cast.users["ben"],
        "facilitator": cast.users["orga"],
    }
    for key, user in people.items():
        http = app.test_client()
        login(http, user)
        assert http.get(f"/runden/{rid}/zusammenfassung.pdf").status_code == expected[key], key
    anonymous = app.test_client().get(f"/runden/{rid}/zusammenfassung.pdf")
    assert anonymous.status_code == 302 and "/anmelden" in anonymous.headers["Location"]
    elsewhere = guest_socket(app, other.round).http
    assert elsewhere.get(f"/runden/{rid}/zusammenfassung.pdf").status_code == 404
    here = guest_socket(app, cast.round, name="Gast Gustav").http
    assert here.get(f"/runden/{rid}/zusammenfassung.pdf").status_code == 200
    ben = app.test_client()
    login(ben, cast.users["ben"])
    assert ben.get("/runden/987654/zusammenfassung.pdf").status_code == 404


def test_no_pdf_for_a_confidential_group_round(app, make_round, login, group_rule):  # noqa: F811
    cast = make_round(signed_in=True)
    cast.round.group_id = 7
    db.session.commit()
    group_rule.add(cast.users["anna"].id)
    anna = app.test_client()
    login(anna, cast.users["anna"])
    page = anna.get(f"/runden/{cast.round.id}/zusammenfassung")
    assert page.status_code == 200  # she may read the summary …
    assert LINK_DE not in page.get_data(as_text=True) and ".pdf" not in page.get_data(as_text=True)
    assert anna.get(f"/runden/{cast.round.id}/zusammenfassung.pdf").status_code == 404  # … only


def test_pdf_link_names_the_accessible_version_in_german_and_english(app, make_round, login, now):
    cast = make_round(signed_in=True)
    played_round(cast, now)
    ben = app.test_client()
    login(ben, cast.users["ben"])
    page = ben.get(f"/runden/{cast.round.id}/zusammenfassung").get_data(as_text=True)
    assert LINK_DE in page and f'href="/runden/{cast.round.id}/zusammenfassung.pdf"' in page
    cast.users["ben"].language = "en"
    db.session.commit()
    page = ben.get(f"/runden/{cast.round.id}/zusammenfassung").get_data(as_text=True)
    assert LINK_EN in page
    text = pdf_text(ben.get(f"/runden/{cast.round.id}/zusammenfassung.pdf").data)
    assert "Summary: Lean Coffee Integration" in text and "Takeaways" in text
    assert "Page 1 of" in text and SPECIAL in text and "Erkenntnisse" not in text


def test_pdf_from_the_gevent_server(live_factory):
    """`peerlab run`'s mode: monkey-patched gevent renders in the hub's thread pool."""
    from tests.lean_coffee.live_support import seed, sign_in

    server = live_factory()
    info = seed(server)
    ben = sign_in(server, "ben@auental.example")
    resp = ben.get(f"{server.url}/runden/{info['round_id']}/zusammenfassung.pdf", timeout=30)
    assert resp.status_code == 200 and resp.headers["Content-Type"] == "application/pdf"
    assert "Zusammenfassung: Live-Runde" in pdf_text(resp.content)
