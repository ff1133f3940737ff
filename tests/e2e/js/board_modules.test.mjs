// Unit tests of the board's modules that need no browser: version order, presence, the timer and
// the shared re-render helper (on a tiny stand-in for the DOM).
// Run by tests/e2e/test_board_modules.py with `node --test`.
import assert from "node:assert/strict";
import { mock, test } from "node:test";

import { RoundChannel } from "../../../static/js/lean_coffee/channel.js";
import { applyPresence } from "../../../static/js/lean_coffee/presence.js";
import { preserving } from "../../../static/js/live/dom.js";
import { LiveChannel } from "../../../static/js/live/connection.js";
import { Countdown, changeAnnouncement, digits, secondsLeft } from "../../../static/js/live/timer.js";

function channelWithLog() {
  const log = { snapshots: [], partials: [], sent: [], errors: [] };
  const channel = new RoundChannel(17, {
    onSnapshot: (s) => log.snapshots.push(s.version),
    onMe: () => {},
    onProgress: (d) => log.partials.push(d.version),
    onPresence: (d) => log.partials.push(d.version),
    onStatus: () => {},
    onRemoved: () => {},
    onError: (message) => log.errors.push(message),
  });
  channel.send = (event, payload) => {
    log.sent.push(event);
    return Promise.resolve({ ok: true, snapshot: { round_id: 17, version: 99 }, me: null, payload });
  };
  return { channel, log };
}

test("snapshots apply in version order; older or equal ones are ignored", () => {
  const { channel, log } = channelWithLog();
  channel.applySnapshot({ round_id: 17, version: 5 });
  channel.applySnapshot({ round_id: 17, version: 4 });
  channel.applySnapshot({ round_id: 17, version: 5 });
  channel.applySnapshot({ round_id: 17, version: 6 });
  assert.deepEqual(log.snapshots, [5, 6]);
});

test("the next partial update applies without a resync", () => {
  const { channel, log } = channelWithLog();
  channel.applySnapshot({ round_id: 17, version: 5 });
  channel.applyPartial({ round_id: 17, version: 6 }, log.partials.push.bind(log.partials));
  assert.deepEqual(log.partials.map((d) => d.version), [6]);
  assert.deepEqual(log.sent, []);
});

test("a gap in versions asks the server for a full snapshot", async () => {
  const { channel, log } = channelWithLog();
  channel.applySnapshot({ round_id: 17, version: 5 });
  channel.applyPartial({ round_id: 17, version: 8 }, () => {});
  assert.deepEqual(log.sent, ["round:sync"]);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(channel.version, 99);
  assert.deepEqual(log.snapshots, [5, 99]);
});

test("partial updates of another round or an old version are ignored", () => {
  const { channel } = channelWithLog();
  channel.applySnapshot({ round_id: 17, version: 5 });
  let applied = 0;
  channel.applyPartial({ round_id: 18, version: 6 }, () => applied++);
  channel.applyPartial({ round_id: 17, version: 5 }, () => applied++);
  assert.equal(applied, 0);
});

test("a rejoin after a reconnect applies the snapshot even with the same version", () => {
  const { channel, log } = channelWithLog();
  channel.applySnapshot({ round_id: 17, version: 5 });
  channel.applySnapshot({ round_id: 17, version: 5 }, { force: true });
  assert.deepEqual(log.snapshots, [5, 5]);
});

const SERVER_NOW = "2026-11-24T09:00:00+00:00";
const running = { status: "running", ends_at: "2026-11-24T09:08:00+00:00", remaining_seconds: 480, duration_seconds: 480, extensions: 0, topic_id: 9 };

test("the time left comes from the deadline and the server's clock, not the local one", () => {
  const localNow = Date.parse(SERVER_NOW) - 3 * 3600 * 1000; // the laptop is 3 hours behind
  const offset = Date.parse(SERVER_NOW) - localNow;
  assert.equal(secondsLeft(running, offset, localNow), 480);
  assert.equal(secondsLeft(running, offset, localNow + 90_500), 390);
  assert.equal(secondsLeft(running, offset, localNow + 999_000), 0);
  assert.equal(secondsLeft({ status: "paused", remaining_seconds: 125 }, offset, localNow), 125);
  assert.equal(digits(125), "02:05");
});

test("announcements: start, pause, resume, extension, expiry — and nothing when unchanged", () => {
  const paused = { ...running, status: "paused", ends_at: null, remaining_seconds: 300 };
  const resumed = { ...running, ends_at: "2026-11-24T09:10:00+00:00" };
  const extended = { ...running, ends_at: "2026-11-24T09:12:00+00:00", extensions: 1 };
  const expired = { ...running, status: "expired" };
  const nextTopic = { ...running, topic_id: 10, ends_at: "2026-11-24T09:20:00+00:00" };
  assert.equal(changeAnnouncement({ status: "idle" }, running, 480, "A"), "announce_started");
  assert.equal(changeAnnouncement(running, paused, 300, "A"), "announce_paused");
  assert.equal(changeAnnouncement(paused, resumed, 300, "A"), "announce_resumed");
  assert.equal(changeAnnouncement(expired, extended, 240, "A"), "announce_extended");
  assert.equal(changeAnnouncement(running, expired, 0, "A"), "announce_expired");
  assert.equal(changeAnnouncement(expired, nextTopic, 480, "B"), "announce_started");
  assert.equal(changeAnnouncement(running, { ...running }, 400, "A"), null);
  assert.equal(changeAnnouncement(expired, { ...expired }, 0, "A"), null);
});

test("'one minute left' is said once when the minute is crossed, not on every tick", () => {
  mock.timers.enable({ apis: ["setInterval", "Date"], now: Date.parse(SERVER_NOW) });
  try {
    let warnings = 0;
    const countdown = new Countdown({ onTick: () => {}, onMinuteLeft: () => warnings++ });
    countdown.update({ ...running, ends_at: "2026-11-24T09:02:00+00:00" }, SERVER_NOW);
    mock.timers.tick(59_000);
    assert.equal(warnings, 0);
    mock.timers.tick(2_000);
    assert.equal(warnings, 1);
    mock.timers.tick(30_000);
    assert.equal(warnings, 1);
    countdown.update({ status: "expired" }, SERVER_NOW);
  } finally {
    mock.timers.reset();
  }
});

test("joining with less than a minute left does not announce the minute", () => {
  mock.timers.enable({ apis: ["setInterval", "Date"], now: Date.parse(SERVER_NOW) });
  try {
    let warnings = 0;
    const countdown = new Countdown({ onTick: () => {}, onMinuteLeft: () => warnings++ });
    countdown.update({ ...running, ends_at: "2026-11-24T09:00:40+00:00" }, SERVER_NOW);
    mock.timers.tick(10_000);
    assert.equal(warnings, 0);
    countdown.update({ status: "expired" }, SERVER_NOW);
  } finally {
    mock.timers.reset();
  }
});

test("a refused join shows the server's message and applies nothing", async () => {
  const { channel, log } = channelWithLog();
  channel.send = () => Promise.resolve({ ok: false, error: "not_found", message: "Nicht gefunden." });
  await channel.join();
  assert.deepEqual(log.errors, ["Nicht gefunden."]);
  assert.deepEqual(log.snapshots, []);
});

test("a removed guest's board stays 'removed' when the server then closes the socket", () => {
  const listeners = {};
  globalThis.window = { io: () => ({ on: (name, fn) => (listeners[name] = fn) }) };
  const statuses = [];
  const removed = [];
  const channel = new RoundChannel(17, {
    onSnapshot: () => {},
    onMe: () => {},
    onProgress: () => {},
    onPresence: () => {},
    onStatus: (kind) => statuses.push(kind),
    onRemoved: (code, message) => removed.push([code, message]),
    onError: () => {},
  });
  channel.start();
  listeners["round:removed"]({ round_id: 18, code: "removed", message: "andere Runde" });
  assert.deepEqual(removed, []);
  listeners["round:removed"]({ round_id: 17, code: "removed", message: "Sie wurden entfernt." });
  listeners.disconnect("io server disconnect");
  assert.deepEqual(removed, [["removed", "Sie wurden entfernt."]]);
  assert.deepEqual(statuses, ["connecting", "removed"]);
  delete globalThis.window;
});

test("the round's channel connects to Lean Coffee's namespace, not the default one", () => {
  const opened = [];
  globalThis.window = { io: (namespace) => (opened.push(namespace), { on: () => {} }) };
  try {
    const { channel } = channelWithLog();
    channel.start();
    assert.deepEqual(opened, ["/lean-coffee"]);
  } finally {
    delete globalThis.window;
  }
});

test("a second live page reuses the shared channel with its own namespace and names", async () => {
  const listeners = {};
  const emitted = [];
  const socket = {
    on: (name, fn) => (listeners[name] = fn),
    timeout: () => ({ emit: (event, body, done) => (emitted.push([event, body]), done(null, { ok: true, snapshot: { circle_id: 4, version: 2 } })) }),
  };
  const opened = [];
  globalThis.window = { io: (namespace) => (opened.push(namespace), socket) };
  const seen = [];
  try {
    const channel = new LiveChannel(
      {
        namespace: "/circles",
        subjectKey: "circle_id",
        subjectId: 4,
        events: { join: "circle:join", sync: "circle:sync", state: "circle:state", me: "circle:me", removed: "circle:removed" },
        partials: { "turn:changed": (data) => seen.push(["turn", data.version]) },
      },
      { onSnapshot: (s) => seen.push(["snapshot", s.version]), onMe: () => {}, onStatus: () => {}, onRemoved: () => {}, onError: () => {} },
    );
    channel.start();
    await listeners.connect();
    listeners["turn:changed"]({ circle_id: 5, version: 3 }); // another circle: ignored
    listeners["turn:changed"]({ circle_id: 4, version: 3 });
    listeners["circle:state"]({ circle_id: 4, version: 3 }); // not newer: ignored
    assert.deepEqual(opened, ["/circles"]);
    assert.deepEqual(emitted, [["circle:join", { circle_id: 4 }]]);
    assert.deepEqual(seen, [["snapshot", 2], ["turn", 3]]);
  } finally {
    delete globalThis.window;
  }
});

test("presence changes take a version of their own: never dropped, never ahead of a later snapshot", async () => {
  const { channel, log } = channelWithLog();
  channel.applySnapshot({ round_id: 17, version: 5 });
  channel.applyPartial({ round_id: 17, version: 6 }, (d) => log.partials.push(d.version)); // someone joined
  channel.applySnapshot({ round_id: 17, version: 7 }); // the next change: newer than the presence
  channel.applyPartial({ round_id: 17, version: 6 }, (d) => log.partials.push(d.version)); // a replay
  assert.deepEqual(log.snapshots, [5, 7]);
  assert.deepEqual(log.partials, [6]);
  assert.deepEqual(log.sent, []);
  // Our own join: its presence:changed may come before the ack's snapshot of the same version.
  const fresh = channelWithLog();
  fresh.channel.send = () => Promise.resolve({ ok: true, snapshot: { round_id: 17, version: 9 }, me: null });
  fresh.channel.applyPartial({ round_id: 17, version: 9 }, () => {});
  await fresh.channel.join();
  assert.deepEqual(fresh.log.snapshots, [9]);
});

test("a presence update changes everything that derives from presence, the Roman vote's count too", () => {
  const snapshot = {
    version: 5,
    people: [{ participant_id: 3, present: true }, { participant_id: 5, present: false }],
    presence: { people: [3], guests: 1, total: 2 },
    roman: { open: true, thumbs: 1, present: 2 },
  };
  applyPresence(snapshot, { round_id: 17, version: 6, presence: { people: [3, 5], guests: 1, total: 3 } });
  assert.equal(snapshot.version, 6);
  assert.deepEqual(snapshot.people.map((p) => p.present), [true, true]);
  assert.equal(snapshot.presence.total, 3);
  assert.equal(snapshot.roman.present, 3); // "1 of 3 thumbs", not "1 of 2"
  const closed = { version: 1, people: [], presence: { people: [], guests: 0, total: 0 }, roman: { open: false, present: 4, result: {} } };
  applyPresence(closed, { round_id: 17, version: 2, presence: { people: [], guests: 0, total: 1 } });
  assert.equal(closed.roman.present, 4); // a closed vote keeps the count it closed with
});

// --- preserving(): a tiny stand-in for the few DOM calls it makes --------------------------
class El {
  constructor(tag, attrs = {}, ...children) {
    this.tagName = tag.toUpperCase();
    this.attrs = new Map(Object.entries(attrs).map(([k, v]) => [k, String(v)]));
    this.value = attrs.value ?? "";
    this.type = attrs.type ?? "";
    this.disabled = false;
    this.tabIndex = ["INPUT", "BUTTON"].includes(this.tagName) ? 0 : -1;
    this.parent = null;
    this.children = [];
    this.append(...children);
  }
  get dataset() {
    const data = {};
    for (const [name, value] of this.attrs) {
      if (name.startsWith("data-")) data[name.slice(5).replace(/-([a-z])/g, (_m, c) => c.toUpperCase())] = value;
    }
    return data;
  }
  getAttribute(name) {
    return this.attrs.has(name) ? this.attrs.get(name) : null;
  }
  hasAttribute(name) {
    return this.attrs.has(name);
  }
  append(...children) {
    for (const child of children) {
      child.parent = this;
      this.children.push(child);
    }
  }
  replaceChildren(...children) {
    this.children = [];
    this.append(...children);
  }
  *all() {
    for (const child of this.children) {
      yield child;
      yield* child.all();
    }
  }
  querySelectorAll(selector) {
    const name = /^\[([\w-]+)\]$/.exec(selector)[1]; // only "[attribute]" is used
    return [...this.all()].filter((el) => el.hasAttribute(name));
  }
  closest(selector) {
    const name = /^\[([\w-]+)\]$/.exec(selector)[1];
    for (let el = this; el; el = el.parent) if (el.hasAttribute(name)) return el;
    return null;
  }
  contains(other) {
    for (let el = other; el; el = el.parent) if (el === this) return true;
    return false;
  }
  focus() {
    globalThis.document.activeElement = this;
  }
}

function withDocument(fn) {
  globalThis.document = { activeElement: null };
  try {
    fn();
  } finally {
    delete globalThis.document;
  }
}

test("preserving keeps typed text and the focus across a re-render", () => {
  withDocument(() => {
    const root = new El("div", {}, new El("input", { "data-key": "title" }));
    const typing = root.children[0];
    typing.value = "Haushalt";
    typing.focus();
    preserving(root, () => root.replaceChildren(new El("input", { "data-key": "title" })));
    const again = root.children[0];
    assert.notEqual(again, typing);
    assert.equal(again.value, "Haushalt");
    assert.equal(document.activeElement, again);
  });
});

test("a vanished control hands the focus to its item, named by the caller's attribute", () => {
  withDocument(() => {
    const item = (withButton) => new El("li", { "data-step-id": "3" }, ...(withButton ? [new El("button", { "data-key": "undo:3" })] : []));
    const root = new El("ul", {}, new El("li", { "data-step-id": "2" }), item(true));
    root.children[1].children[0].focus();
    preserving(root, () => root.replaceChildren(new El("li", { "data-step-id": "2" }), item(false)), { itemAttribute: "data-step-id" });
    assert.equal(document.activeElement, root.children[1]);
    assert.equal(root.children[1].tabIndex, -1);
  });
});

test("without an item attribute the shared helper assumes no format's markup (no Lean Coffee cards)", () => {
  withDocument(() => {
    const card = (withButton) => new El("li", { "data-topic-id": "9" }, ...(withButton ? [new El("button", { "data-key": "vote:9" })] : []));
    const root = new El("ul", {}, card(true));
    const button = root.children[0].children[0];
    button.focus();
    preserving(root, () => root.replaceChildren(card(false)));
    assert.equal(document.activeElement, button); // not moved to a [data-topic-id] element
    // Lean Coffee passes its own attribute and gets its card focused.
    const board = new El("ul", {}, card(true));
    board.children[0].children[0].focus();
    preserving(board, () => board.replaceChildren(card(false)), { itemAttribute: "data-topic-id" });
    assert.equal(document.activeElement, board.children[0]);
  });
});

test("an action carries an id and is sent again with the same id after a reconnect", async () => {
  const listeners = {};
  const emitted = [];
  let connected = true;
  let dropNext = true;
  const socket = {
    get connected() {
      return connected;
    },
    on: (name, fn) => (listeners[name] = fn),
    timeout: () => ({
      emit: (event, body, done) => {
        emitted.push([event, { ...body }]);
        if (event === "round:join") done(null, { ok: true, snapshot: { round_id: 17, version: 5 }, me: null });
        else if (dropNext) {
          dropNext = false;
          connected = false; // the connection dropped before the ack came
          setTimeout(() => done(new Error("timeout")), 0);
        } else done(null, { ok: true, repeated: true, topic_id: 9 });
      },
    }),
  };
  globalThis.window = { io: () => socket, crypto: globalThis.crypto };
  try {
    const channel = new RoundChannel(17, {
      onSnapshot: () => {}, onMe: () => {}, onProgress: () => {}, onPresence: () => {},
      onStatus: () => {}, onRemoved: () => {}, onError: () => {},
    });
    channel.start();
    await listeners.connect();
    const pending = channel.send("topic:add", { title: "Haushalt", anonymous: false });
    await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal(emitted.filter(([name]) => name === "topic:add").length, 1); // waits for the join
    connected = true;
    await listeners.connect(); // reconnected: joins, then sends the action again
    const ack = await pending;
    assert.deepEqual(ack, { ok: true, repeated: true, topic_id: 9 });
    const adds = emitted.filter(([name]) => name === "topic:add").map(([, body]) => body);
    assert.equal(adds.length, 2);
    assert.match(adds[0].request_id, /^[0-9a-f]{32}$/);
    assert.equal(adds[1].request_id, adds[0].request_id); // the same action, not a new one
    const joins = emitted.filter(([name]) => name === "round:join").map(([, body]) => body);
    assert.ok(joins.every((body) => !("request_id" in body))); // reads carry no id
    await channel.send("round:leave", {});
    assert.ok(!("request_id" in emitted.at(-1)[1]));
    const other = channel.send("topic:add", { title: "Noch eins", anonymous: false });
    await other;
    assert.notEqual(emitted.at(-1)[1].request_id, adds[0].request_id); // a new action, a new id
  } finally {
    delete globalThis.window;
  }
});
