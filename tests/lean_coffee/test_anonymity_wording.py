"""The anonymity hint says one true thing (issue 8): Lean Coffee's mark is recognisable, so no
page may claim "peerlab speichert keine Person dazu"; the form and the board say who does not
see the author and link the public page "Wie anonym ist anonym?"."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FALSE_CLAIM = "speichert keine Person"
TRUE_SENTENCE = "Andere Teilnehmende und die Moderation sehen nicht, von wem das Thema stammt."


def test_the_false_sentence_is_gone_from_every_template_and_module():
    sources = [*ROOT.joinpath("templates").rglob("*.html"), *ROOT.joinpath("peerlab").rglob("*.py")]
    assert [str(p) for p in sources if FALSE_CLAIM in p.read_text(encoding="utf-8")] == []


def test_form_and_board_say_the_true_sentence_and_link_the_page(app, make_round, client, login):
    cast = make_round(signed_in=True)
    login(client, cast.users["orga"])
    link = '<a class="kern-link" href="/anonymitaet">Wie anonym ist anonym?</a>'
    for path in ("/runden/neu", f"/runden/{cast.round.id}"):
        page = client.get(path).get_data(as_text=True)
        assert FALSE_CLAIM not in page and "Ausprobieren" not in page
        assert f"{TRUE_SENTENCE} {link}" in page


def test_the_anonymity_page_is_public_in_german_and_english(app, client):
    page = client.get("/anonymitaet")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert '<h1 class="kern-heading-large">Wie anonym ist anonym?</h1>' in text
    assert "Wiedererkennbar" in text and "Unverknüpfbar" in text
    assert 'href="/anonymitaet">Wie anonym ist anonym?</a>' in text  # the footer link
    token = text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    client.post("/sprache", data={"lang": "en", "next": "/anonymitaet", "csrf_token": token})
    english = client.get("/anonymitaet").get_data(as_text=True)
    assert "How anonymous is anonymous?" in english and "Recognisable" in english
