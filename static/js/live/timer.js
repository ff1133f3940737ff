// Timers of every live page are rendered from the server's deadline (`ends_at`) and the server's time
// (`server_now`) sent with it; the browser only counts down locally, corrected by the offset.
import { t } from "./i18n.js";

/** Milliseconds to add to the local clock to get the server's clock. */
export function offsetFrom(serverNow, receivedAt = Date.now()) {
  const server = Date.parse(serverNow);
  return Number.isNaN(server) ? 0 : server - receivedAt;
}

/** Seconds left on `timer` at local time `localNow`, given the clock offset. */
export function secondsLeft(timer, offset, localNow = Date.now()) {
  if (!timer) return 0;
  if (timer.status === "running" && timer.ends_at) {
    const left = (Date.parse(timer.ends_at) - (localNow + offset)) / 1000;
    return Math.max(0, Math.ceil(left));
  }
  if (timer.status === "paused") return Math.max(0, timer.remaining_seconds ?? 0);
  if (timer.status === "idle") return timer.duration_seconds ?? 0;
  return 0;
}

export function digits(seconds) {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return `${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}`;
}

/** Spoken form, e.g. "7 Min. 42 Sek." */
export function spoken(seconds) {
  return t("minutes_seconds", { m: Math.floor(seconds / 60), s: seconds % 60 });
}

/**
 * What to announce when the timer changes from `before` to `after` (both as sent by the
 * server): start, pause, resume, extension, expiry. Returns a text or null. Never per second.
 */
export function changeAnnouncement(before, after, left, topicTitle) {
  if (!after) return null;
  const prev = before || { status: "idle" };
  if (after.status === "expired" && prev.status !== "expired") return t("announce_expired");
  if (after.status === "paused" && prev.status === "running") {
    return t("announce_paused", { time: spoken(left) });
  }
  if (after.status !== "running") return null;
  if (prev.status === "paused" && prev.topic_id === after.topic_id) {
    return t("announce_resumed", { time: spoken(left) });
  }
  const sameTopic = prev.topic_id === after.topic_id;
  if (sameTopic && prev.status === "running" && prev.ends_at === after.ends_at) return null;
  if (sameTopic && (after.extensions ?? 0) > (prev.extensions ?? 0)) {
    return t("announce_extended", { time: spoken(left) });
  }
  return t("announce_started", { time: spoken(left), title: topicTitle || "" });
}

/** Local ticking (once per second): renders digits and says "one minute left" once. */
export class Countdown {
  constructor({ onTick, onMinuteLeft }) {
    this.timer = null;
    this.offset = 0;
    this.onTick = onTick;
    this.onMinuteLeft = onMinuteLeft;
    this.warnedFor = null;
    this.handle = null;
  }

  update(timer, serverNow) {
    this.timer = timer;
    if (serverNow) this.offset = offsetFrom(serverNow);
    const deadline = timer && timer.status === "running" ? timer.ends_at : null;
    // Starting (or extending) with a minute or less left must not count as "crossing" it.
    if (deadline && this.warnedFor !== deadline && this.left() <= 60) this.warnedFor = deadline;
    this.tick();
    if (deadline && !this.handle) this.handle = setInterval(() => this.tick(), 250);
    if (!deadline && this.handle) {
      clearInterval(this.handle);
      this.handle = null;
    }
  }

  left() {
    return secondsLeft(this.timer, this.offset);
  }

  tick() {
    const left = this.left();
    const timer = this.timer;
    if (timer && timer.status === "running" && left <= 60 && left > 0) {
      if (this.warnedFor !== timer.ends_at) {
        this.warnedFor = timer.ends_at;
        this.onMinuteLeft();
      }
    }
    this.onTick(left, timer);
  }
}
