"""The live formats the benchmark can load, and the room shape each one gives the bare server.

Each format: the peerlab scenario class (module, name) and `shape(participants)` = (people per
room, the positions in a room that act, whether a person's actions go one after the other).
"""

from __future__ import annotations

from importlib import import_module

FORMATS = {
    "lean_coffee": ("bench.peerlab_scenario", "PeerlabScenario"),
    "circle": ("bench.circle_scenario", "CircleScenario"),
    "coaching": ("bench.coaching_scenario", "CoachingScenario"),
    "group": ("bench.group_scenario", "GroupScenario"),
}


def shape(fmt: str, participants: int) -> tuple[int, tuple[int, ...], bool]:
    if fmt == "lean_coffee":
        return participants, tuple(range(participants)), False
    module, _name = FORMATS[fmt]
    return import_module(module).shape(participants)


def scenario_class(fmt: str):
    module, name = FORMATS[fmt]
    return getattr(import_module(module), name)
