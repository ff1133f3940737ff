from peerlab.extensions import db


def test_healthz_reports_database(client):
    resp = client.get("/healthz")
    assert resp.status_code == 200
    assert resp.get_json()["checks"]["database"] == "ok"


def test_healthz_is_503_when_database_is_gone(app, client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(db.session, "execute", broken)
    resp = client.get("/healthz")
    assert resp.status_code == 503
    assert resp.get_json()["checks"]["database"] == "error"


def test_landing_page_is_german_by_default(client):
    html = client.get("/").get_data(as_text=True)
    assert 'lang="de"' in html
    assert "Anmelden" in html
