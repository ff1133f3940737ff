// The round's channel: the shared live connection on Lean Coffee's namespace (protocol 3,
// docs/realtime.md) with the round's event names.
import { LiveChannel } from "../live/connection.js";

export const NAMESPACE = "/lean-coffee";

export class RoundChannel extends LiveChannel {
  /**
   * handlers: onSnapshot(snapshot), onMe(me), onProgress(data), onPresence(data),
   * onStatus(kind), onRemoved(code, message), onError(message) — see LiveChannel.
   * joinData(): extra fields of round:join and round:sync (the tokens of own anonymous topics).
   */
  constructor(roundId, handlers, joinData = null) {
    super(
      {
        namespace: NAMESPACE,
        subjectKey: "round_id",
        subjectId: roundId,
        events: { join: "round:join", sync: "round:sync", state: "round:state", me: "round:me", removed: "round:removed" },
        reads: ["round:leave"],
        joinData,
        partials: {
          "vote:progress": (data) => handlers.onProgress(data),
          "presence:changed": (data) => handlers.onPresence(data),
        },
      },
      handlers,
    );
    this.roundId = roundId;
  }
}
