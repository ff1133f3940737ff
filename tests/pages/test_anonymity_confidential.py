"""The anonymity page says, in German and English, what is stored for anonymous posts and
cards of confidential groups, who could re-link what, deletion and how long backups keep it."""

from __future__ import annotations

from tests.conftest import csrf_from


def test_the_page_explains_groups_relinking_deletion_and_backups(app, client):
    text = client.get("/anonymitaet").get_data(as_text=True)
    for heading in (
        "Anonym in vertraulichen Gruppen",
        "Wer könnte was wieder verknüpfen?",
        "Löschen und Sicherungskopien",
    ):
        assert f">{heading}</h2>" in text
    assert "mindestens vier aktive Mitglieder" in text
    assert "nächsten Viertelstunde" in text
    assert "höchstens 30 Tage" in text
    assert "Vertraulicher Termin (peerlab)" in text
    assert "Sobald sie in peerlab verfügbar sind" not in text  # the old promise is gone

    client.post(
        "/sprache", data={"lang": "en", "next": "/anonymitaet", "csrf_token": csrf_from(text)}
    )
    english = client.get("/anonymitaet").get_data(as_text=True)
    assert ">Who could link what back?</h2>" in english
    assert ">Deletion and backups</h2>" in english
    assert "at most 30 days" in english and "at least four active members" in english
    assert "Sicherungskopien" not in english
