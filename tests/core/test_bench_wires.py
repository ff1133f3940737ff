"""How the benchmark ties each format's action to the update it caused (bench/*_scenario.py),
without servers: a wrong tie would hide losses or invent them."""

from __future__ import annotations

from bench import coaching_scenario, formats
from bench.circle_scenario import CircleWire
from bench.coaching_scenario import CoachingWire
from bench.group_scenario import SLOT, GroupWire
from bench.outcome import compute


def _circle_state(version: int, duration: int) -> dict:
    return {"circle_id": 7, "version": version, "agenda": {"timer": {"duration_seconds": duration}}}


def test_a_circle_extension_is_the_snapshot_whose_timer_grew_by_its_seconds():
    wire = CircleWire()
    seen = [
        _circle_state(4, 1800),  # before the run (a join)
        _circle_state(8, 1861),  # the timekeeper's first (+61)
        _circle_state(6, 1800),  # a presence change, arriving out of order
        _circle_state(10, 1921),  # the facilitator's first (+60)
        _circle_state(12, 1982),  # the timekeeper's second (+61)
    ]
    private = {"meeting:state": seen}
    assert wire.resolve(private, 61, 0) == 8
    assert wire.resolve(private, 61, 1) == 12
    assert wire.resolve(private, 60, 0) == 10
    assert wire.resolve(private, 60, 1) is None  # never seen: the action counts as an error


def test_a_card_belongs_to_the_first_snapshot_that_holds_it():
    wire = CoachingWire()
    states = [
        {"session_id": 3, "version": 6, "cards": []},
        {"session_id": 3, "version": 8, "cards": [{"id": 1}, {"id": 2}]},  # overtook 7
    ]
    private = {"session:state": states}
    assert wire.resolve(private, 1) is None  # 7 may still come: not tied to 8 yet
    assert wire.resolve(private, 2) is None
    states.append({"session_id": 3, "version": 7, "cards": [{"id": 1}]})
    assert wire.resolve(private, 1) == 7
    assert wire.resolve(private, 2) == 8
    assert wire.resolve(private, 5) is None
    assert wire.ack_tag({"ok": False, "error": "not_allowed_now"}) is None


def test_group_notices_are_numbered_per_thread_and_a_surplus_one_counts_as_duplicated():
    wire = GroupWire()
    wire.threads = {"t-a": (1, 0), "t-b": (1, 1)}
    state: dict = {}
    keys = [wire.update_key({"thread": t}, state) for t in ("t-a", "t-b", "t-a", "t-a")]
    assert keys == [(1, 1), (1, SLOT + 1), (1, 2), (1, 3)]
    assert wire.update_key({}, state) is None  # a member joined: not a reply

    class Member:  # what bench.outcome reads of a client
        def __init__(self, received):
            self.p = type("P", (), {"round_key": 1})()
            self.received = received
            self.expected = {1, 2, SLOT + 1}
            self.votes = []
            self.foreign = 0

    outcome = compute(
        [Member({1: [0.1], 2: [0.2], 3: [0.3], SLOT + 1: [0.1]})], [], 0.0, 0.0, True, counted=True
    )
    assert outcome.duplicated == 1


def test_the_format_shapes_respect_each_formats_limits():
    assert formats.shape("circle", 12) == (8, (0, 1), True)
    size, acting, sequential = formats.shape("coaching", 12)
    assert (size, sequential) == (12, False)
    assert [coaching_scenario.roles(12)[i] for i in acting] == ["adviser"] * 8
    assert coaching_scenario.roles(12)[-2:] == ["secretary", "observer"]
    assert formats.shape("coaching", 2)[0] == 5
    assert formats.shape("group", 40) == (30, tuple(range(30)), True)
    assert formats.shape("lean_coffee", 4) == (4, (0, 1, 2, 3), False)
