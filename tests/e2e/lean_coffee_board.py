"""Helpers for driving the Lean Coffee board in the browser (tests/e2e/test_lean_coffee.py)."""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import Locator, Page, expect

from tests.e2e.harness import LiveUser, Visitor, server_time

TAB_LIMIT = 150


def create_round(person: Visitor, member: LiveUser) -> int:
    """The organizer creates a link round through the form, inviting `member` (picked by
    account, not by name: the shared live database may hold two people of one name)."""
    page = person.goto("/runden/neu")
    person.check_page(signed_in=True)
    page.get_by_label("Titel").fill("Lean Coffee Integration")
    today = server_time(person.base_url).astimezone(ZoneInfo("Europe/Berlin"))
    tomorrow = today + timedelta(days=1)
    page.get_by_label("Datum").fill(tomorrow.date().isoformat())
    page.get_by_label("Beginn (Uhrzeit in Deutschland)").fill("09:00")
    page.get_by_label("Zusätzlich alle mit dem Link (auch als Gast ohne Konto)").check()
    page.locator(f'input[name="invitees"][value="{member.id}"]').check()
    page.get_by_role("button", name="Runde anlegen").click()
    page.wait_for_url(re.compile(r"/runden/\d+$"))
    return int(page.url.rsplit("/", 1)[1])


def board(page: Page) -> Locator:
    return page.locator("#lc-board")


def wait_connected(person: Visitor, timeout_ms: float = 5000) -> None:
    expect(board(person.page)).to_have_attribute("data-connection", "connected", timeout=timeout_ms)


def wait_phase(person: Visitor, phase: str) -> None:
    expect(board(person.page)).to_have_attribute("data-phase", phase)


def column(page: Page, name: str) -> Locator:
    """name: open | discussing | done"""
    return page.locator(f"#lc-list-{name}")


def topic_card(page: Page, title: str) -> Locator:
    return page.locator(".lc-card").filter(
        has=page.get_by_role("heading", level=3, name=title, exact=True)
    )


def tab_to(page: Page, target: Locator, *, limit: int = TAB_LIMIT) -> None:
    """Press Tab (only the keyboard) until `target` has the focus."""
    expect(target).to_be_visible()
    page.bring_to_front()  # keyboard focus belongs to the page in front
    for _ in range(limit):
        # Resolved afresh each time: a broadcast may re-render the card meanwhile.
        if target.evaluate("(el) => document.activeElement === el"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{target} cannot be reached with the Tab key")


def press(page: Page, target: Locator, key: str = "Enter") -> None:
    """Reach `target` by keyboard and press `key` on it."""
    tab_to(page, target)
    page.keyboard.press(key)


def type_into(page: Page, field: Locator, text: str) -> None:
    """Reach a text field by keyboard and type into it."""
    tab_to(page, field)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def assert_no_horizontal_scroll(page: Page) -> None:
    sizes = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, view: window.innerWidth})"
    )
    assert sizes["scroll"] <= sizes["view"], f"the page scrolls sideways: {sizes}"


def clock_deadline(page: Page) -> str:
    return page.locator("#lc-clock").get_attribute("data-ends-at") or ""


def seconds_left(page: Page) -> int:
    return int(board(page).get_attribute("data-timer-left") or "-1")


FOCUS_WALK = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow && style.boxShadow !== "none";
  return {key: el.id || el.dataset.key || el.textContent.trim().slice(0, 40),
          inBoard: Boolean(el.closest("#lc-board")), visibleFocus: outline || shadow,
          style: [style.outlineStyle, style.outlineWidth, style.boxShadow, el.matches(":focus")],
          last: Boolean(el.closest("footer")) && !el.closest("li").nextElementSibling};
}"""

CONTROLS = """() => [...document.querySelectorAll(
  '#lc-board button, #lc-board input, #lc-board select, #lc-board a[href], #lc-board summary')]
  .filter((el) => el.checkVisibility({contentVisibilityAuto: true}) && !el.disabled
                  && el.type !== 'hidden')
  .map((el) => el.id || el.dataset.key || el.textContent.trim().slice(0, 40))"""


def assert_keyboard_reaches_every_control(page: Page) -> None:
    """Tab through the page once (to the footer's last link): every visible board control
    gets the focus, and the focus can be seen (outline or shadow)."""
    page.bring_to_front()  # a page in the background has no :focus styles
    page.locator("body").click(position={"x": 1, "y": 1})
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    wanted = set(page.evaluate(CONTROLS))
    reached: set[str] = set()
    order: list[str] = []
    invisible: list[str] = []
    for _ in range(TAB_LIMIT * 2):
        page.keyboard.press("Tab")
        info = page.evaluate(FOCUS_WALK)
        if info is None:
            continue
        if info["last"]:
            break
        if info["inBoard"]:
            if info["key"] not in reached:
                order.append(info["key"])
            reached.add(info["key"])
            if not info["visibleFocus"]:
                invisible.append((info["key"], info["style"]))
    missing = wanted - reached
    assert not missing, f"not reachable with Tab: {sorted(missing)}; order: {order}"
    assert not invisible, f"focus is not visible on: {invisible}"


TWELVE_TOPICS = [
    ("Kommunale Wärmeplanung", "Wer rechnet die Netze durch?"),
    ("Ganztag in der Grundschule", "Wie finanzieren wir die Betreuung?"),
    ("Hass im Netz", ""),
    ("Fachkräfte im Bauamt", "Ausschreibungen bleiben ohne Bewerbung."),
    ("Digitale Ratssitzungen", ""),
    ("Starkregenvorsorge", "Kataster, Rückhaltung, Haftung"),
    ("Bürgerbeteiligung online", ""),
    ("Interkommunale Zusammenarbeit", "Gemeinsamer Bauhof mit den Nachbarn?"),
    ("Schwimmbad sanieren oder schließen", ""),
    ("ÖPNV im ländlichen Raum", "Rufbus, Bürgerbus, On-Demand"),
    ("Leerstand in der Innenstadt", ""),
    ("Haushaltssicherung", "Freiwillige Leistungen unter Druck"),
]


def seed_round(live_users, organizer, members, *, topics=TWELVE_TOPICS, **settings) -> int:
    """A link round made straight in the live server's database: the organizer facilitates,
    `members` are invited; the topics are written by the members in turn (phase collect)."""
    from peerlab.accounts.models import User
    from peerlab.extensions import db
    from peerlab.lean_coffee.models import Participant
    from peerlab.lean_coffee.service import rounds
    from peerlab.lean_coffee.service import topics as topic_service

    now = server_time(live_users.base_url)
    with live_users.app_context():
        orga = db.session.get(User, organizer.id)
        people = [db.session.get(User, m.id) for m in members]
        data = {"title": "Bürgermeisterrunde Nord", "starts_at": now + timedelta(minutes=5)}
        rnd = rounds.create_round(
            rounds.RoundSettings(**{**data, "access": "link", **settings}),
            creator=orga,
            invitees=people,
            now=now,
        )
        authors = [
            db.session.query(Participant).filter_by(round_id=rnd.id, user_id=u.id).one()
            for u in (people or [orga])
        ]
        for i, (title, detail) in enumerate(topics):
            topic_service.add_topic(rnd, authors[i % len(authors)], title, detail, now=now)
        db.session.commit()
        round_id = rnd.id
        db.session.remove()
    return round_id


def confirm_dialog(page: Page, confirm: str) -> None:
    """The in-page confirmation (a modal <dialog>): press its `confirm` button."""
    dialog = page.locator("#lc-confirm")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name=confirm, exact=True).click()
    expect(dialog).to_be_hidden()


def advance(person: Visitor, button: str, confirm: str | None = None) -> None:
    """The facilitator moves the round on: the phase button, then the dialog's confirmation."""
    person.page.locator("#lc-phase-tools").get_by_role("button", name=button, exact=True).click()
    confirm_dialog(person.page, confirm or button)
