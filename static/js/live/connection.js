// The Socket.IO channel of one live subject (a round, a circle meeting, a session): connects to
// the format's namespace, joins on every (re)connect, turns acks into promises and applies room
// messages in version order. Protocol rules: docs/realtime.md §1–2, §6. The socket.io client is
// loaded by a classic script tag (window.io).

const ACK_TIMEOUT_MS = 10000;
const SEND_ATTEMPTS = 3; // an unanswered action is sent again (same id) after the next join

/** A client-chosen action id (docs/realtime.md §2): 32 hex digits, random. */
export function newActionId() {
  const bytes = new Uint8Array(16);
  window.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export class LiveChannel {
  /**
   * spec: {
   *   namespace: "/lean-coffee",
   *   subjectKey: "round_id", subjectId: 17   (sent with every event, checked on every message),
   *   events: { join, sync, state, me, removed }  (event names of the format),
   *   reads: ["<event>", …]  (events besides join and sync that change nothing: sent without id),
   *   partials: { "<event>": handler(data) }      (room messages carrying absolute values),
   * }
   * handlers: onSnapshot(snapshot), onMe(me), onStatus("connecting"|"connected"|"reconnecting"|
   * "refused"|"ended"|"removed"), onRemoved(code, message), onError(message) when joining is refused
   */
  constructor(spec, handlers) {
    this.spec = spec;
    this.handlers = handlers;
    this.version = -1;
    this.meVersion = -1;
    this.syncing = false;
    this.socket = null;
    this.removed = false;
    this.joinWaiters = [];
  }

  ours(data) {
    return Boolean(data) && data[this.spec.subjectKey] === this.spec.subjectId;
  }

  start() {
    const { namespace, events, partials = {} } = this.spec;
    const socket = window.io(namespace, { reconnectionDelayMax: 5000 });
    this.socket = socket;
    this.handlers.onStatus("connecting");
    socket.on("connect", () => this.join());
    socket.on("disconnect", (reason) => {
      // "io server disconnect": the server ended it (sign-out, removal): no automatic retry.
      if (this.removed) this.handlers.onStatus("removed");
      else this.handlers.onStatus(reason === "io server disconnect" ? "ended" : "reconnecting");
    });
    socket.on("connect_error", () => {
      // err.message "unauthenticated" ends retries (socket.active is false): refused.
      this.handlers.onStatus(socket.active ? "reconnecting" : "refused");
    });
    socket.on(events.state, (snapshot) => {
      if (this.ours(snapshot)) this.applySnapshot(snapshot);
    });
    for (const [name, handler] of Object.entries(partials)) {
      socket.on(name, (data) => this.applyPartial(data, handler));
    }
    socket.on(events.me, (data) => {
      if (!this.ours(data) || data.version < this.meVersion) return;
      this.meVersion = data.version;
      this.handlers.onMe(data.me);
    });
    socket.on(events.removed, (data) => {
      if (!this.ours(data)) return;
      this.removed = true;
      this.handlers.onRemoved(data.code || "removed", data.message || "");
    });
    socket.on("session:ended", () => this.handlers.onStatus("ended"));
    // The server lost its message queue for a while (core/live/queue.py): room messages of
    // other processes may be missing, and no version gap may ever show it. Catch up.
    socket.on("live:resync", () => {
      if (this.version >= 0 && !this.removed) this.sync();
    });
  }

  async join() {
    const ack = await this.send(this.spec.events.join, this.extra());
    if (ack.ok) {
      this.handlers.onStatus("connected");
      this.applySnapshot(ack.snapshot, { force: true });
      if (ack.me) this.handlers.onMe(ack.me);
      for (const wake of this.joinWaiters.splice(0)) wake();
    } else {
      // Not (or no longer) admitted: say why, in the server's words.
      this.handlers.onStatus("refused");
      this.handlers.onError(ack.message);
    }
    return ack;
  }

  /** What the format adds to join and sync (spec.joinData(), e.g. tokens the browser holds). */
  extra() {
    return this.spec.joinData ? this.spec.joinData() : {};
  }

  /** Ask for a full snapshot (after a gap in the version sequence). */
  async sync() {
    if (this.syncing) return;
    this.syncing = true;
    try {
      const ack = await this.send(this.spec.events.sync, this.extra());
      if (ack.ok) {
        this.applySnapshot(ack.snapshot);
        if (ack.me) this.handlers.onMe(ack.me);
      }
    } finally {
      this.syncing = false;
    }
  }

  applySnapshot(snapshot, { force = false } = {}) {
    if (!snapshot) return;
    if (!force && snapshot.version <= this.version) return;
    if (force && snapshot.version < this.version) return;
    this.version = snapshot.version;
    this.handlers.onSnapshot(snapshot);
  }

  applyPartial(data, handler) {
    if (!this.ours(data) || data.version <= this.version) return;
    const gap = this.version >= 0 && data.version > this.version + 1;
    this.version = data.version;
    handler(data);
    if (gap) this.sync();
  }

  /** Resolves once the channel is joined (at once while connected). */
  joined() {
    if (this.socket && this.socket.connected) return Promise.resolve();
    return new Promise((resolve) => this.joinWaiters.push(resolve));
  }

  /**
   * Emit `event` with the subject id added; resolves with the ack (or a local error). An action
   * carries an `request_id`; if its ack does not come (the connection dropped), it is sent again
   * with the same id after the next join, and the server applies it once (`repeated: true`).
   */
  send(event, payload) {
    const body = { [this.spec.subjectKey]: this.spec.subjectId, ...payload };
    const { events, reads = [] } = this.spec;
    const isRead = event === events.join || event === events.sync || reads.includes(event);
    if (isRead) return this.emitOnce(event, body);
    body.request_id = newActionId();
    return this.deliver(event, body, SEND_ATTEMPTS);
  }

  async deliver(event, body, attempts) {
    const ack = await this.emitOnce(event, body);
    if (ack.error !== "timeout" || attempts <= 1 || this.removed) return ack;
    await this.joined();
    return this.deliver(event, body, attempts - 1);
  }

  emitOnce(event, body) {
    return new Promise((resolve) => {
      if (!this.socket) {
        resolve({ ok: false, error: "offline", message: "" });
        return;
      }
      this.socket.timeout(ACK_TIMEOUT_MS).emit(event, body, (err, ack) => {
        if (err) resolve({ ok: false, error: "timeout", message: "" });
        else resolve(ack && typeof ack === "object" ? ack : { ok: false, error: "bad_ack", message: "" });
      });
    });
  }
}
