// The round's Socket.IO channel: join on every (re)connect, acks as promises, version order.
// Protocol: docs/realtime.md. The socket.io client is loaded by a classic script tag (window.io).

const ACK_TIMEOUT_MS = 10000;

export class RoundChannel {
  /**
   * handlers: onSnapshot(snapshot), onMe(me), onProgress(data), onPresence(data),
   * onStatus("connecting"|"connected"|"reconnecting"|"refused"|"ended"|"removed"),
   * onRemoved(code, message) when a facilitator removed this guest,
   * onError(message) when joining is refused
   */
  constructor(roundId, handlers) {
    this.roundId = roundId;
    this.handlers = handlers;
    this.version = -1;
    this.meVersion = -1;
    this.syncing = false;
    this.socket = null;
    this.removed = false;
  }

  start() {
    const socket = window.io({ reconnectionDelayMax: 5000 });
    this.socket = socket;
    this.handlers.onStatus("connecting");
    socket.on("connect", () => this.join());
    socket.on("disconnect", (reason) => {
      // "io server disconnect": the server ended it (sign-out, removal): no automatic retry.
      if (this.removed) this.handlers.onStatus("removed");
      else this.handlers.onStatus(reason === "io server disconnect" ? "ended" : "reconnecting");
    });
    socket.on("connect_error", () => {
      this.handlers.onStatus(socket.active ? "reconnecting" : "refused");
    });
    socket.on("round:state", (snapshot) => {
      if (snapshot && snapshot.round_id === this.roundId) this.applySnapshot(snapshot);
    });
    socket.on("vote:progress", (data) => this.applyPartial(data, this.handlers.onProgress));
    socket.on("presence:changed", (data) => this.applyPartial(data, this.handlers.onPresence));
    socket.on("round:me", (data) => {
      if (!data || data.round_id !== this.roundId || data.version < this.meVersion) return;
      this.meVersion = data.version;
      this.handlers.onMe(data.me);
    });
    socket.on("round:removed", (data) => {
      if (!data || data.round_id !== this.roundId) return;
      this.removed = true;
      this.handlers.onRemoved(data.code || "removed", data.message || "");
    });
    socket.on("session:ended", () => this.handlers.onStatus("ended"));
  }

  async join() {
    const ack = await this.send("round:join", {});
    if (ack.ok) {
      this.handlers.onStatus("connected");
      this.applySnapshot(ack.snapshot, { force: true });
      if (ack.me) this.handlers.onMe(ack.me);
    } else {
      // Not (or no longer) admitted to this round: say why, in the server's words.
      this.handlers.onStatus("refused");
      this.handlers.onError(ack.message);
    }
    return ack;
  }

  /** Ask for a full snapshot (after a gap in the version sequence). */
  async sync() {
    if (this.syncing) return;
    this.syncing = true;
    try {
      const ack = await this.send("round:sync", {});
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
    if (!data || data.round_id !== this.roundId || data.version <= this.version) return;
    const gap = this.version >= 0 && data.version > this.version + 1;
    this.version = data.version;
    handler(data);
    if (gap) this.sync();
  }

  /** Emit `event` with round_id added; resolves with the ack (or a local timeout error). */
  send(event, payload) {
    const body = { round_id: this.roundId, ...payload };
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
