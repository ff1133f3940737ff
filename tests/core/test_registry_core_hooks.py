"""The core layer's own hooks (due-item kinds, expiry handlers, space policies, presence-change
handlers, subject references and kinds) live on the app like the feature slots: an app built
without a feature knows none of its hooks, and one app cannot register a name twice."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from peerlab.core import due, presence, registry, spaces, subjects, timebox
from peerlab.core.registry import RegistryError
from tests.conftest import make_app

KIND = "test.hooks"


class _TestBase(DeclarativeBase):
    """Kept out of the app's metadata, so migrations and models still agree."""


class HookRow(_TestBase):
    __tablename__ = "test_hook_rows"
    id: Mapped[int] = mapped_column(primary_key=True)


def _nothing(*args) -> int:
    return 0


class Hooks:
    """A test feature registering one hook of each core kind under KIND."""

    def init_app(self, app, reg) -> None:
        spaces.register(spaces.MembershipPolicy(KIND, HookRow))
        timebox.register_expiry(KIND, _nothing)
        due.register_kind(KIND, _nothing)
        presence.on_change(KIND, _nothing)
        subjects.register_kind(KIND, also=("test.hooks.alias",))
        subjects.register_action(KIND, ("test_hook_rows",), _nothing)


def _hooks(app) -> dict:
    """What the app knows about KIND, read the way the core readers read it."""
    with app.app_context():
        reg = registry.current()
        return {
            "space policy": KIND in spaces.kinds(),
            "expiry handler": reg.get("expiry_handlers", KIND) is not None,
            "due kind": KIND in due.kinds(),
            "presence handler": reg.get("presence_handlers", KIND) is not None,
            "subject reference": KIND in subjects.references(),
            "subject kind": subjects.kinds_of(KIND) != {KIND},
        }


def test_two_apps_in_one_process_do_not_share_core_hooks(tmp_path):
    with_hooks = make_app(tmp_path / "a", features=(Hooks(),))
    without = make_app(tmp_path / "b")
    # a second app with the same feature registers again without a clash
    again = make_app(tmp_path / "c", features=(Hooks(),))
    assert all(_hooks(with_hooks).values())
    assert all(_hooks(again).values())
    assert not any(_hooks(without).values()), _hooks(without)
    with without.app_context(), pytest.raises(LookupError):
        spaces.policy(KIND)


@pytest.mark.parametrize(
    "register",
    [
        lambda: spaces.register(spaces.MembershipPolicy(KIND, HookRow)),
        lambda: timebox.register_expiry(KIND, _nothing),
        lambda: due.register_kind(KIND, _nothing),
        lambda: presence.on_change(KIND, _nothing),
        lambda: subjects.register_kind(KIND),
        lambda: subjects.register_action(KIND, ("test_hook_rows",), _nothing),
    ],
    ids=["space-policy", "expiry", "due-kind", "presence", "subject-kind", "subject-action"],
)
def test_one_app_refuses_a_core_hook_registered_twice(tmp_path, register):
    class Twice:
        def init_app(self, app, reg) -> None:
            register()
            register()

    with pytest.raises(RegistryError, match="registered twice"):
        make_app(tmp_path, features=(Twice(),))


def test_core_hooks_are_refused_after_startup(app):
    with pytest.raises(registry.RegistryFrozen):
        due.register_kind(KIND, _nothing)
