// Own anonymous topics in a group's round: the server does not know whose they are. Adding one
// hands this browser a token (once, in the ack); it is kept here (sessionStorage, per round) and
// sent with round:join / round:sync and with withdraw/edit. When the window ends the token is
// dropped: the topic then looks like anyone else's, for the author too.
const key = (roundId) => `lc-topic-tokens:${roundId}`;

export class TopicTokens {
  constructor(roundId) {
    this.key = key(roundId);
  }

  read() {
    let held = {};
    try {
      held = JSON.parse(window.sessionStorage.getItem(this.key) || "{}") || {};
    } catch {
      held = {};
    }
    const now = Date.now();
    const live = {};
    for (const [id, entry] of Object.entries(held)) {
      if (entry && typeof entry.token === "string" && entry.until > now) live[id] = entry;
    }
    return live;
  }

  write(held) {
    try {
      if (Object.keys(held).length) window.sessionStorage.setItem(this.key, JSON.stringify(held));
      else window.sessionStorage.removeItem(this.key);
    } catch {
      // storage refused (private mode): the token lives only as long as this page
    }
  }

  put(topicId, token, seconds) {
    const held = this.read();
    held[String(topicId)] = { token, until: Date.now() + seconds * 1000 };
    this.write(held);
  }

  drop(topicId) {
    const held = this.read();
    delete held[String(topicId)];
    this.write(held);
  }

  get(topicId) {
    const entry = this.read()[String(topicId)];
    return entry ? entry.token : undefined;
  }

  /** The fields for round:join and round:sync ("<id>:<token> …"), none when nothing is held. */
  joinData() {
    const held = this.read();
    this.write(held); // forget expired ones
    const text = Object.entries(held).map(([id, e]) => `${id}:${e.token}`).join(" ");
    return text ? { tokens: text } : {};
  }

  /** `me` with the topics this browser still holds tokens for among my_topic_ids. */
  merge(me) {
    if (!me) return me;
    const ids = Object.keys(this.read()).map(Number);
    if (!ids.length) return me;
    const mine = new Set([...(me.my_topic_ids || []), ...ids]);
    return { ...me, my_topic_ids: [...mine].sort((a, b) => a - b) };
  }
}
