"""A calendar app that polls without If-None-Match gets an unchanged feed from memory: the same
bytes as a fresh build, a changed source builds again, nobody gets another person's feed, a
revoked link is 404 whatever is kept, and the memory is bounded (ical/feed_cache.py)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from peerlab.accounts.models import User
from peerlab.extensions import db
from peerlab.ical import builder, feed_cache, feeds, routes, service
from peerlab.ical.feed_cache import FeedCache, FeedKey
from peerlab.impulses.feed import SERIES_KIND
from peerlab.impulses.service import registrations
from peerlab.lean_coffee.models import Round
from tests.ical.feed_world import row, url
from tests.impulses.conftest import make_series


@pytest.fixture
def fixed_now(now, monkeypatch):
    """Requests see one moment, so a fresh build is comparable byte for byte (DTSTAMP)."""
    monkeypatch.setattr(routes, "utcnow", lambda: now)
    return now


@pytest.fixture
def builds(monkeypatch) -> list[str]:
    """The names of the feeds rendered during the test."""
    seen: list[str] = []
    real = builder.build_feed

    def counting(events, *, name, now):
        seen.append(name)
        return real(events, name=name, now=now)

    monkeypatch.setattr(builder, "build_feed", counting)
    return seen


def user(name: str) -> User:
    return db.session.scalars(select(User).where(User.name == name)).one()


def fresh(person: User, now) -> bytes:
    return feeds.personal_feed_of(person, now, routes._feed_name(person)).build()


def test_unchanged_feed_without_if_none_match_is_the_fresh_build_from_memory(
    app, client, world, fixed_now, builds
):
    first = client.get(url(world))
    second = client.get(url(world))  # no If-None-Match, as many calendar apps poll
    assert first.status_code == second.status_code == 200
    assert len(builds) == 1
    assert second.data == first.data == fresh(db.session.get(User, world["uta"]), fixed_now)
    assert second.headers["ETag"] == first.headers["ETag"]
    for header in ("Content-Type", "Content-Disposition", "Cache-Control", "X-Robots-Tag"):
        assert second.headers[header] == first.headers[header]


def test_a_changed_round_time_is_served_at_once(app, client, world, fixed_now, builds):
    before = client.get(url(world))
    rnd = row(Round, id=world["round"])
    rnd.starts_at = rnd.starts_at + timedelta(hours=3)
    db.session.commit()
    after = client.get(url(world))
    assert len(builds) == 2
    assert after.headers["ETag"] != before.headers["ETag"]
    assert after.data != before.data
    assert client.get(url(world)).data == after.data and len(builds) == 2
    assert after.data == fresh(db.session.get(User, world["uta"]), fixed_now)


def test_another_persons_token_never_gets_the_cached_feed(app, client, world, fixed_now, builds):
    uta_feed = client.get(url(world)).data
    anna = user("Anna")
    anna_token = service.regenerate_feed_token(anna, fixed_now)
    db.session.commit()
    anna_feed = client.get(f"/kalender/feed/{anna_token}.ics")
    assert anna_feed.status_code == 200 and len(builds) == 2
    assert client.get(url(world)).data == uta_feed and len(builds) == 2
    assert b"Impuls 1" in uta_feed and b"Impuls 1" not in anna_feed.data  # only Uta registered
    assert anna_feed.data == fresh(anna, fixed_now) != uta_feed


def test_a_revoked_or_replaced_token_is_404_even_when_cached(app, client, world, fixed_now):
    assert client.get(url(world)).status_code == 200
    assert len(feed_cache.current()) == 1
    uta = db.session.get(User, world["uta"])
    service.revoke_feed_token(uta)
    db.session.commit()
    assert client.get(url(world)).status_code == 404
    new = service.regenerate_feed_token(uta, fixed_now)
    db.session.commit()
    assert client.get(f"/kalender/feed/{new}.ics").status_code == 200
    service.regenerate_feed_token(uta, fixed_now)
    db.session.commit()
    assert client.get(f"/kalender/feed/{new}.ics").status_code == 404


def test_an_owner_no_longer_active_is_404_even_when_cached(app, client, world):
    assert client.get(url(world)).status_code == 200
    db.session.get(User, world["uta"]).status = "invited"  # any status but "active"
    db.session.commit()
    assert client.get(url(world)).status_code == 404


@pytest.fixture
def series_people(app, now, quick_user):
    """A network series: Anna has a confirmed place (video link), Ben waits (none)."""
    orga = quick_user("organizer", name="Olga")
    made = make_series(now, orga, capacity=1, dates=2, audience="network")
    anna, ben = quick_user(name="Anna"), quick_user(name="Ben")
    registrations.register_series(made, anna, now=now)
    registrations.register(made.impulses[0], ben, now=now)
    tokens = {
        p.name: service.regenerate_series_feed_token(p, SERIES_KIND, made.id, now)
        for p in (anna, ben)
    }
    db.session.commit()
    return made.id, tokens


def series_url(series_id: int, token: str) -> str:
    return f"/kalender/reihe/{SERIES_KIND}/{series_id}/{token}.ics"


def test_series_feeds_are_kept_per_person(app, client, series_people, fixed_now, builds):
    series_id, tokens = series_people
    anna_first = client.get(series_url(series_id, tokens["Anna"]))
    assert b"meet.example.org" in anna_first.data
    ben = client.get(series_url(series_id, tokens["Ben"]))
    assert ben.status_code == 200 and b"meet.example.org" not in ben.data
    anna_again = client.get(series_url(series_id, tokens["Anna"]))
    assert anna_again.data == anna_first.data and len(builds) == 2
    fresh_ben = feeds.series_feed_of(SERIES_KIND, series_id, user("Ben"), fixed_now).build()
    assert client.get(series_url(series_id, tokens["Ben"])).data == ben.data == fresh_ben
    assert len(builds) == 3  # the fresh build above; the request came from memory


def test_a_revoked_series_token_is_404_even_when_cached(app, client, series_people):
    series_id, tokens = series_people
    assert client.get(series_url(series_id, tokens["Anna"])).status_code == 200
    service.revoke_series_feed_token(user("Anna"), SERIES_KIND, series_id)
    db.session.commit()
    assert client.get(series_url(series_id, tokens["Anna"])).status_code == 404


# --- the cache itself -------------------------------------------------------------------------

PERSONAL_1, PERSONAL_2 = FeedKey("personal", None, 1), FeedKey("personal", None, 2)


def test_a_body_is_found_only_for_its_feed_owner_and_fingerprint():
    cache = FeedCache()
    cache.put(PERSONAL_1, "tag-a", b"uta")
    assert cache.get(PERSONAL_1, "tag-a") == b"uta"
    assert cache.get(PERSONAL_1, "tag-b") is None
    assert cache.get(PERSONAL_2, "tag-a") is None  # same fingerprint, another person
    assert cache.get(FeedKey("series", ("impulses.series", 1), 1), "tag-a") is None


def test_a_new_fingerprint_replaces_the_feeds_old_body():
    cache = FeedCache()
    cache.put(PERSONAL_1, "old", b"x" * 100)
    cache.put(PERSONAL_1, "new", b"y" * 10)
    assert len(cache) == 1 and cache.size_bytes == 10
    assert cache.get(PERSONAL_1, "old") is None and cache.get(PERSONAL_1, "new") == b"y" * 10


def test_the_cache_is_bounded_by_entries_least_recently_used_out_first():
    cache = FeedCache(max_entries=3, max_bytes=1000)
    keys = [FeedKey("personal", None, n) for n in range(4)]
    for key in keys[:3]:
        cache.put(key, "t", b"body")
    assert cache.get(keys[0], "t") == b"body"  # now the most recently used
    cache.put(keys[3], "t", b"body")
    assert len(cache) == 3
    assert cache.get(keys[1], "t") is None
    assert all(cache.get(k, "t") == b"body" for k in (keys[0], keys[2], keys[3]))


def test_the_cache_is_bounded_by_bytes():
    cache = FeedCache(max_entries=100, max_bytes=1000)
    for n in range(10):
        cache.put(FeedKey("personal", None, n), "t", b"z" * 200)
        assert cache.size_bytes <= 1000
    assert len(cache) == 5
    cache.put(FeedKey("personal", None, 99), "t", b"z" * 251)  # over a quarter: not kept
    assert cache.get(FeedKey("personal", None, 99), "t") is None and len(cache) == 5


def test_bad_limits_are_refused():
    with pytest.raises(ValueError):
        FeedCache(max_entries=-1)


def test_the_app_cache_takes_its_limits_from_the_config(tmp_path):
    from tests.conftest import make_app

    small = make_app(tmp_path, ICAL_FEED_CACHE_ENTRIES=2, ICAL_FEED_CACHE_BYTES=4096)
    cache = small.extensions[feed_cache.EXTENSION]
    assert (cache.max_entries, cache.max_bytes) == (2, 4096)


def test_concurrent_use_keeps_the_bounds_and_the_byte_count():
    cache = FeedCache(max_entries=16, max_bytes=16 * 4 * 64)
    errors: list[BaseException] = []

    def work(worker: int) -> None:
        try:
            for n in range(400):
                key = FeedKey("personal", None, (worker * 7 + n) % 40)
                body = bytes([key.owner_id]) * (1 + n % 64)
                got = cache.body(key, f"t{n % 3}", lambda body=body: body)
                assert got[:1] == bytes([key.owner_id])  # never another owner's body
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(cache) <= 16
    assert cache.size_bytes == sum(len(body) for _tag, body in cache._entries.values())
