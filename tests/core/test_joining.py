""" "Jetzt teilnehmen": one window for every format, decided with the clock as a parameter."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from peerlab.core import joining
from peerlab.core.joining import JoinTarget

START = datetime(2031, 3, 4, 15, 0, tzinfo=UTC)
END = START + timedelta(minutes=60)


def target(**changes) -> JoinTarget:
    return JoinTarget(**{"url": "/x", "starts_at": START, "ends_at": END, **changes})


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (START - timedelta(minutes=15, seconds=1), False),  # 15:01 before: not yet
        (START - timedelta(minutes=14, seconds=59), True),
        (START - timedelta(minutes=15), True),  # exactly 15 minutes before: open
        (START, True),
        (END, True),
        (END + timedelta(minutes=29, seconds=59), True),
        (END + timedelta(minutes=30), False),  # 30 minutes past the planned end: over
    ],
)
def test_the_window_opens_15_minutes_before_and_closes_30_minutes_after(moment, expected):
    assert joining.may_join_now(target(), moment) is expected


def test_a_closed_or_cancelled_date_cannot_be_joined_even_inside_the_window():
    assert joining.may_join_now(target(closed=True), START) is False
    assert joining.may_join_now(target(cancelled=True), START - timedelta(minutes=5)) is False


def test_the_cheap_precheck_agrees_with_the_window_start():
    assert joining.may_open_soon(START, START - timedelta(minutes=15)) is True
    assert joining.may_open_soon(START, START - timedelta(minutes=15, seconds=1)) is False


class JoinFeature:
    """A test format registering its way to join (the feature contract's `join_link`)."""

    def __init__(self, found: JoinTarget | None) -> None:
        self.found = found
        self.asked: list = []

    def init_app(self, app, registry) -> None:
        def lookup(subject_id, user):
            self.asked.append((subject_id, user))
            return self.found

        registry.join_link("test.meeting", lookup)


def test_join_url_asks_the_format_registered_for_the_kind(tmp_path):
    from tests.conftest import make_app

    feature = JoinFeature(target(url="/treffen/7"))
    app = make_app(tmp_path / "a", features=[feature])
    person = object()
    with app.app_context():
        assert joining.join_url("test.meeting", 7, person, START) == "/treffen/7"
        assert joining.join_url("test.meeting", 7, person, START - timedelta(hours=1)) is None
        assert joining.join_url("unknown.kind", 7, person, START) is None
    assert feature.asked[0] == (7, person)


def test_a_date_that_is_not_the_persons_has_no_join_url(tmp_path):
    from tests.conftest import make_app

    app = make_app(tmp_path / "b", features=[JoinFeature(None)])
    with app.app_context():
        assert joining.join_url("test.meeting", 7, object(), START) is None


def test_a_kind_is_claimed_once(tmp_path):
    from peerlab.core.registry import RegistryError
    from tests.conftest import make_app

    with pytest.raises(RegistryError, match="registered twice"):
        make_app(tmp_path / "c", features=[JoinFeature(None), JoinFeature(None)])
