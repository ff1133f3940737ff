// Unit tests of the board's modules that need no browser: version order and the timer.
// Run by tests/e2e/test_board_modules.py with `node --test`.
import assert from "node:assert/strict";
import { mock, test } from "node:test";

import { RoundChannel } from "../../../static/js/lean_coffee/channel.js";
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
