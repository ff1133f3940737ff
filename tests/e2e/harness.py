"""Browser test helpers: axe-core, a record of every request, the cookie rule, live users.

Used by every feature's browser tests through the fixtures in tests/e2e/conftest.py.
"""

from __future__ import annotations

import json
import re
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import pyotp
from playwright.sync_api import BrowserContext, ConsoleMessage, Page, Request, WebSocket

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SESSION_COOKIE = "peerlab_session"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]
# The two windows every journey runs in (a phone and a laptop), as `visitor(**WINDOWS[name])`.
WINDOWS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 768}}
# Schemes that never leave the browser (no network request, nothing to leak).
LOCAL_SCHEMES = {"data", "blob", "about"}


# --- accessibility ---------------------------------------------------------------------------
def _axe_source() -> str:
    if not AXE_JS.exists():
        raise AssertionError(f"axe-core is missing at {AXE_JS}: run `npm ci`")
    return AXE_JS.read_text(encoding="utf-8")


def axe_violations(page: Page) -> list[dict]:
    """Run axe-core (WCAG 2.1 A/AA) on the page as it is now; return the violations."""
    # page.evaluate goes through the DevTools protocol, so the CSP (no inline script) allows it.
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    result = page.evaluate(
        """async (tags) => {
            const r = await window.axe.run(document, {
                runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html,
                                          summary: n.failureSummary}))}));
        }""",
        WCAG_TAGS,
    )
    return result


def format_violations(url: str, violations: list[dict]) -> str:
    lines = [f"axe found {len(violations)} WCAG 2.1 A/AA violation(s) on {url}:"]
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:8]:
            lines.append(f"    at {node['target']}: {node['html'][:160]}")
            summary = (node.get("summary") or "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary[:300]}")
        if len(v["nodes"]) > 8:
            lines.append(f"    … and {len(v['nodes']) - 8} more node(s)")
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    """Zero axe-core violations (WCAG 2.1 A and AA) on the page in its current state."""
    violations = axe_violations(page)
    assert not violations, format_violations(page.url, violations)


def assert_fits_the_window(page: Page) -> None:
    """Nothing makes the page scroll sideways at the window's width (WCAG 1.4.10 Reflow)."""
    sizes = page.evaluate(
        """() => {
            const view = window.innerWidth, root = document.documentElement;
            const wide = [...document.body.querySelectorAll("*")]
                .filter((el) => el.getBoundingClientRect().right > view + 0.5)
                .filter((el) => !el.parentElement
                                || el.parentElement.getBoundingClientRect().right <= view + 0.5)
                .slice(0, 5)
                .map((el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
                             + (el.className && typeof el.className === "string"
                                ? "." + el.className.trim().split(/\\s+/).join(".") : "")
                             + " right=" + Math.round(el.getBoundingClientRect().right));
            return {scroll: root.scrollWidth, view, wide};
        }"""
    )
    assert sizes["scroll"] <= sizes["view"], (
        f"{page.url} scrolls sideways at {sizes['view']} px: the page is {sizes['scroll']} px "
        f"wide; widest elements: {sizes['wide']}"
    )


def assert_page_language(page: Page) -> None:
    """<html lang> names the page's language (WCAG 3.1.1)."""
    lang = page.evaluate("() => document.documentElement.getAttribute('lang') || ''")
    assert re.fullmatch(r"[a-z]{2}(-[A-Za-z]{2})?", lang), f"{page.url}: <html lang={lang!r}>"


def assert_buttons_hold_their_labels(page: Page, selector: str = "main .kern-btn") -> None:
    """Every visible KERN button's label lies inside the button (KERN sizes a button holding a
    `.kern-sr-only` as an icon-only square, and its text then spills out)."""
    spilled = page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)]
            .filter((b) => b.checkVisibility() && b.querySelector(".kern-label"))
            .map((b) => {
                const own = b.getBoundingClientRect();
                const label = b.querySelector(".kern-label").getBoundingClientRect();
                return {text: b.textContent.trim().slice(0, 40),
                        button: [Math.round(own.left), Math.round(own.right)],
                        label: [Math.round(label.left), Math.round(label.right)],
                        out: label.left < own.left - 1 || label.right > own.right + 1};
            })
            .filter((b) => b.out)""",
        selector,
    )
    assert not spilled, f"button labels wider than their buttons on {page.url}: {spilled}"


# Per fieldset: where its legend, its first control and its body sit; every check box and radio
# button's size; every check box hint's width against the space beside its box.
FORM_LAYOUT = """() => {
  const box = (el) => el.getBoundingClientRect();
  const fieldsets = [...document.querySelectorAll("main form fieldset")].map((fs) => {
    const legend = box(fs.querySelector("legend"));
    const control = fs.querySelector("input:not([type=hidden]), select, textarea, button");
    const label = fs.querySelector("label");
    return {legend: fs.querySelector("legend").textContent.trim(),
            legendBottom: legend.bottom, fieldsetLeft: box(fs).left,
            controlTop: control ? box(control).top : null,
            controlLeft: control ? box(control).left : null,
            labelTop: label ? box(label).top : null};
  });
  const checks = [...document.querySelectorAll(
      "main input[type=checkbox], main input[type=radio]")].map((el) => ({
    id: el.id, width: box(el).width, height: box(el).height}));
  const hints = [...document.querySelectorAll("main .kern-form-check .kern-hint")].map((el) => {
    const label = el.parentElement.querySelector("label");
    return {text: el.textContent.trim().slice(0, 30), width: box(el).width,
            labelLeft: box(label).left, left: box(el).left,
            room: box(el.parentElement).right - box(label).left};
  });
  return {fieldsets, checks, hints};
}"""


def assert_form_layout(page: Page) -> None:
    """Forms in KERN's patterns, measured: a legend above its group (not beside its first
    field), check boxes and radio buttons of at least 24×24 px, hints under their label and as
    wide as it."""
    layout = page.evaluate(FORM_LAYOUT)
    assert layout["fieldsets"], "no fieldset on the form"
    for fs in layout["fieldsets"]:
        if fs["controlTop"] is None:
            continue
        if fs["labelTop"] is not None:
            assert fs["labelTop"] >= fs["legendBottom"] - 1, f"label beside the legend: {fs}"
        assert fs["controlTop"] >= fs["legendBottom"] - 1, f"field beside the legend: {fs}"
        assert abs(fs["controlLeft"] - fs["fieldsetLeft"]) <= 1, f"field pushed sideways: {fs}"
    small = [c for c in layout["checks"] if c["width"] < 24 or c["height"] < 24]
    assert not small, f"check boxes/radio buttons smaller than 24 px: {small}"
    for hint in layout["hints"]:
        assert abs(hint["left"] - hint["labelLeft"]) <= 1, f"hint not under its label: {hint}"
        assert hint["width"] >= 0.8 * hint["room"], f"hint squeezed: {hint}"


FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  const shadow = Boolean(style.boxShadow) && style.boxShadow !== "none";
  const rect = el.getBoundingClientRect();
  return {name: (el.getAttribute("aria-label") || el.textContent || el.name || el.id || el.tagName)
                  .trim().replace(/\\s+/g, " ").slice(0, 60),
          visible: outline || shadow, onScreen: rect.right > 0 && rect.bottom > 0,
          last: el === [...document.querySelectorAll("footer a[href]")].pop()};
}"""


def tab_walk(page: Page, limit: int = 300) -> list[dict]:
    """Press Tab from the top of the page to the footer's last link; what got the focus."""
    page.bring_to_front()  # a page in the background shows no focus styles
    page.evaluate(
        "() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }"
    )
    seen: list[dict] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        info = page.evaluate(FOCUSED)
        if info is None:
            continue
        seen.append(info)
        if info["last"]:
            return seen
    raise AssertionError(f"Tab never reached the footer: {[i['name'] for i in seen]}")


def assert_focus_visible(page: Page) -> None:
    """Every element reached with Tab shows where the focus is (WCAG 2.4.7) and is on screen."""
    hidden = [i["name"] for i in tab_walk(page) if not (i["visible"] and i["onScreen"])]
    assert not hidden, f"focus not visible on {page.url}: {hidden}"


# --- privacy: requests, sockets, CSP, cookies ------------------------------------------------
def origin_of(url: str) -> str:
    parts = urlsplit(url)
    scheme = {"ws": "http", "wss": "https"}.get(parts.scheme, parts.scheme)
    return f"{scheme}://{parts.netloc}"


@dataclass
class RequestRecorder:
    """Every request, WebSocket and CSP complaint of one browser context."""

    origin: str
    urls: list[str] = field(default_factory=list)
    csp_errors: list[str] = field(default_factory=list)
    script_errors: list[str] = field(default_factory=list)

    def attach(self, context: BrowserContext) -> RequestRecorder:
        context.on("request", self._on_request)
        context.on("page", self._on_page)
        for page in context.pages:
            self._on_page(page)
        return self

    def _on_page(self, page: Page) -> None:
        page.on("websocket", self._on_websocket)
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.script_errors.append(str(error)))

    def _on_request(self, request: Request) -> None:
        self.urls.append(request.url)

    def _on_websocket(self, ws: WebSocket) -> None:
        self.urls.append(ws.url)

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.csp_errors.append(message.text)

    def foreign(self) -> list[str]:
        """Requests that went anywhere but the app's own origin."""
        return [
            url
            for url in self.urls
            if urlsplit(url).scheme not in LOCAL_SCHEMES and origin_of(url) != self.origin
        ]

    def assert_same_origin(self) -> None:
        assert self.urls, "no request was recorded: is the recorder attached?"
        foreign = self.foreign()
        assert not foreign, f"requests to other origins than {self.origin}: {foreign}"
        assert not self.csp_errors, f"Content-Security-Policy violations: {self.csp_errors}"
        assert not self.script_errors, f"uncaught script errors: {self.script_errors}"


def assert_only_session_cookie(context: BrowserContext, *, signed_in: bool = False) -> None:
    """No cookie but peerlab's session cookie (HttpOnly, SameSite=Lax); present when signed in."""
    cookies = context.cookies()
    names = sorted(c["name"] for c in cookies)
    assert set(names) <= {SESSION_COOKIE}, f"cookies other than {SESSION_COOKIE}: {names}"
    assert len(names) == len(set(names)), f"duplicate cookies: {names}"
    for cookie in cookies:
        assert cookie["httpOnly"], "the session cookie must be HttpOnly"
        assert cookie["sameSite"] == "Lax", f"SameSite is {cookie['sameSite']}, not Lax"
    if signed_in:
        assert names == [SESSION_COOKIE], "signed in, but there is no session cookie"


# --- people of the browser tests ------------------------------------------------------------
@dataclass(frozen=True)
class LiveUser:
    id: int
    email: str
    name: str
    password: str
    role: str
    totp_secret: str | None

    def totp_at(self, when: datetime) -> str:
        assert self.totp_secret, f"{self.email} has no second factor"
        return pyotp.TOTP(self.totp_secret).at(when)


def server_time(base_url: str) -> datetime:
    """The live server's clock (the test clock moves, the wall clock does not)."""
    with urllib.request.urlopen(base_url + "/healthz", timeout=10) as resp:
        return datetime.fromisoformat(json.loads(resp.read())["time"])


@dataclass
class Visitor:
    """One person: a browser context with its page, its request record and the app's URL."""

    base_url: str
    context: BrowserContext
    page: Page
    recorder: RequestRecorder

    def url(self, path: str) -> str:
        return self.base_url + path

    def goto(self, path: str, *, status: int | None = None) -> Page:
        """Open `path`; it must answer `status` (default: any success)."""
        response = self.page.goto(self.url(path))
        assert response is not None, f"{path} answered nothing"
        if status is None:
            assert response.status < 400, f"{path} answered {response.status}"
        else:
            assert response.status == status, f"{path} answered {response.status}, not {status}"
        return self.page

    def check_page(self, *, signed_in: bool | None = None) -> None:
        """The page's rules at the window's size: axe clean, no sideways scrolling, a page
        language, requests to the own origin only, no cookie but the session cookie."""
        assert_accessible(self.page)
        assert_fits_the_window(self.page)
        assert_page_language(self.page)
        self.recorder.assert_same_origin()
        assert_only_session_cookie(self.context, signed_in=bool(signed_in))

    def is_narrow(self) -> bool:
        """The header shows its menu button (navigation, language and sign-out behind it)."""
        return self.page.locator("#pl-menu > summary").is_visible()

    def open_menu(self) -> None:
        """Open the header's menu where the window is narrow (on wide ones it is always open)."""
        if self.is_narrow() and not self.page.locator("#pl-menu[open]").count():
            self.page.locator("#pl-menu > summary").click()
            self.page.locator("#pl-menu[open]").wait_for()

    def close_menu(self) -> None:
        if self.is_narrow() and self.page.locator("#pl-menu[open]").count():
            self.page.locator("#pl-menu > summary").click()
            self.page.locator("#pl-menu:not([open])").wait_for()

    def session_cookie(self) -> dict | None:
        return next((c for c in self.context.cookies() if c["name"] == SESSION_COOKIE), None)


def links_in_mail(message, base_url: str) -> list[str]:
    """The links to the app in a mail's plain-text part."""
    part = message.get_body(preferencelist=("plain",))
    text = part.get_content() if part is not None else ""
    return re.findall(re.escape(base_url) + r"/[^\s<>\"')]+", text)


# --- signing in -----------------------------------------------------------------------------
def submit_password(page: Page, email: str, password: str) -> None:
    """Fill in and send the sign-in form on the current page (first factor only)."""
    main = page.locator("main")
    main.get_by_label("E-Mail-Adresse").fill(email)
    main.get_by_label("Passwort", exact=True).fill(password)
    main.get_by_role("button", name="Anmelden").click()


def sign_in(person: Visitor, user: LiveUser) -> None:
    """Sign in through the real form, with the second factor when the account has one."""
    page = person.goto("/anmelden")
    submit_password(page, user.email, user.password)
    if user.totp_secret:
        code = page.locator("main input[name=code]")
        code.wait_for()
        code.fill(user.totp_at(server_time(person.base_url)))
        code.press("Enter")
    page.wait_for_url(person.url("/"))
    person.open_menu()
    assert page.get_by_role("button", name=re.compile("^(Abmelden|Sign out)$")).is_visible()
    person.close_menu()
