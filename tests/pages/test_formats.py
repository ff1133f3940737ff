"""Only formats that exist appear: landing page, dashboard, navigation and invitation mail read
the feature contract (landing cards, nav entries); nothing promises a format not built yet."""

from __future__ import annotations

from flask_babel import force_locale

from peerlab.accounts import links
from peerlab.core.registry import LandingCard, NavEntry
from peerlab.extensions import db
from peerlab.pages import formats
from tests.accounts.conftest import mails_to, text_of
from tests.conftest import make_app, sign_in

# Words of formats that are not built yet (the old cards, mail and profile promised them).
# Working-Out-Loud circles (issue 9), impulse series (issue 10) and confidential groups (issue 11)
# are built: they may appear.
UNBUILT = ("Coaching",)


class ExtraFormat:
    """A format as a later issue would add it: card, navigation entry, nothing else."""

    def init_app(self, app, registry) -> None:
        registry.landing_card(
            LandingCard("test.format", "Testkreise", "Ein Satz, wie Testkreise funktionieren.")
        )
        registry.nav_entry(NavEntry(label=lambda: "Testkreise", endpoint="pages.privacy"))


def _pages(app) -> dict[str, str]:
    from peerlab.accounts import service

    client = app.test_client()
    pages = {"landing": client.get("/").get_data(as_text=True)}
    with app.app_context():
        clock = app.extensions["peerlab.clock"]
        user = service.create_user(
            email="neu@kommune.example", name="Neu", password="ein-langes-passwort", now=clock.now()
        )
        db.session.commit()
        sign_in(client, user, "ein-langes-passwort")
    pages["dashboard"] = client.get("/").get_data(as_text=True)
    pages["profile"] = client.get("/konto").get_data(as_text=True)
    with app.test_request_context():
        invited = service.create_user(
            email="eingeladen@kommune.example", status="invited", now=clock.now()
        )
        links.send_invitation(invited, now=clock.now(), inviter_name="Olga Orga")
        db.session.commit()
        pages["mail"] = text_of(mails_to("eingeladen@kommune.example")[-1])
    return pages


def test_without_further_formats_nothing_of_unbuilt_formats_appears(tmp_path):
    app = make_app(tmp_path / "a")
    pages = _pages(app)
    for name, html in pages.items():
        for word in UNBUILT:
            assert word not in html, (name, word)
    assert "Lean-Coffee-Runden" in pages["landing"] and "Lean-Coffee-Runden" in pages["dashboard"]
    assert "Working-Out-Loud-Circles" in pages["landing"]
    assert (
        "Derzeit bietet peerlab: Lean-Coffee-Runden, Working-Out-Loud-Circles, "
        "Kurzimpuls-Reihen und Vertrauliche Kleingruppen." in pages["mail"]
    )
    assert "Testkreise" not in pages["dashboard"]


def test_a_registered_format_gets_its_card_entry_and_place_in_the_mail(tmp_path):
    app = make_app(tmp_path / "b", features=[ExtraFormat()])
    pages = _pages(app)
    assert "Ein Satz, wie Testkreise funktionieren." in pages["landing"]
    assert pages["landing"].count('class="kern-card pl-card"') == 5
    assert pages["dashboard"].count('class="kern-card pl-card"') == 5
    assert ">Testkreise</a>" in pages["dashboard"]  # its navigation entry
    assert (
        "Derzeit bietet peerlab: Lean-Coffee-Runden, Working-Out-Loud-Circles, Kurzimpuls-Reihen, "
        "Vertrauliche Kleingruppen und Testkreise."
    ) in pages["mail"]


def test_the_format_list_speaks_the_readers_language(tmp_path):
    app = make_app(tmp_path / "c", features=[ExtraFormat()])
    with app.test_request_context():
        assert formats.names() == [
            "Lean-Coffee-Runden",
            "Working-Out-Loud-Circles",
            "Kurzimpuls-Reihen",
            "Vertrauliche Kleingruppen",
            "Testkreise",
        ]
        with force_locale("en"):
            assert formats.listed() == (
                "Lean Coffee rounds, Working Out Loud circles, Short-impulse series, "
                "Confidential small groups, and Testkreise"
            )
