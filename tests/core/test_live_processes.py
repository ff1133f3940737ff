"""Two web processes on one database and the local Redis: a sign-out or a removal handled by
process A ends the person's socket held by process B."""

from __future__ import annotations

import pytest

from tests.lean_coffee.live_support import Client, join_as_guest, seed, sign_in
from tests.support.services import need_redis


@pytest.fixture
def two_processes(tmp_path, live_factory):
    queue = need_redis()
    db_url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    first = live_factory(db_url=db_url, queue=queue, scheduler="external")
    second = live_factory(db_url=db_url, queue=queue, scheduler="external")
    return first, second


def _post_form(http, url: str, page_url: str) -> None:
    import re

    page = http.get(page_url, timeout=10).text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    resp = http.post(url, data={"csrf_token": token}, allow_redirects=False, timeout=10)
    assert resp.status_code == 302, resp.text[:300]


def test_sign_out_on_one_process_ends_the_socket_on_the_other(two_processes):
    a, b = two_processes
    info = seed(a)
    http = sign_in(a, "ben@auental.example")  # the session cookie is valid on both
    ben = Client(b, http, "ben-on-b")
    try:
        assert ben.call("round:join", round_id=info["round_id"])["ok"]
        mark = ben.mark()
        _post_form(http, a.url + "/abmelden", a.url + "/")
        ben.wait_for("session:ended", after=mark)
        ben.wait_for("disconnect", after=mark)
    finally:
        ben.close()


def test_guest_removed_on_one_process_loses_the_socket_on_the_other(two_processes):
    a, b = two_processes
    info = seed(a)
    rid = info["round_id"]
    anna = Client(a, sign_in(a, "anna@lindenau.example"), "anna-on-a")
    guest = Client(b, join_as_guest(b, info["link"], "Gerda Gast"), "guest-on-b")
    try:
        anna.call("round:join", round_id=rid)
        gerda = guest.call("round:join", round_id=rid)["me"]["participant_id"]
        mark = guest.mark()
        assert anna.call("participant:remove", round_id=rid, participant_id=gerda)["ok"]
        guest.wait_for("round:removed", after=mark)
        guest.wait_for("disconnect", after=mark)
        presence = anna.call("round:sync", round_id=rid)["snapshot"]["presence"]
        assert presence["guests"] == 0
    finally:
        anna.close()
        guest.close()
