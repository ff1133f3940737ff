// The Lean Coffee board: renders the server's snapshot, sends intentions, shows every answer.
import { createAlert, createAnnouncer } from "../live/announce.js";
import { createConfirm } from "../live/dialog.js";
import { h, preserving, setText, show } from "../live/dom.js";
import { loadStrings, plural, t } from "../live/i18n.js";
import { Countdown, changeAnnouncement, digits, spoken } from "../live/timer.js";
import { bindActions } from "./actions.js";
import { card, columnOf } from "./cards.js";
import { RoundChannel } from "./channel.js";
import { applyPresence } from "./presence.js";
import { TopicTokens } from "./tokens.js";
import { bindGuests, renderGuests } from "./guests.js";
import { announceRoman, decisionButtons, renderRoman } from "./roman.js";

const PHASES = ["collect", "vote", "discuss", "wrapup", "closed"];
const root = document.getElementById("lc-board");
loadStrings("lc-strings");
const roundId = Number(root.dataset.roundId);
const state = { snapshot: null, me: null, editing: null, offset: 0, advancing: null };
// A group's round: own anonymous topics are known only by the tokens this browser holds.
const tokens = root.dataset.unlinkable ? new TopicTokens(roundId) : null;
const ownView = (me) => (tokens ? tokens.merge(me) : me);

// --- messages to people ----------------------------------------------------------------------
const announce = createAnnouncer(document.getElementById("lc-live"));
const alertBox = createAlert(document.getElementById("lc-alert"), () => t("no_answer"), "lc-alert--visible");
const ask = createConfirm(document.getElementById("lc-confirm")); // the in-page confirmation
const showError = (message) => alertBox.show(message);
const clearError = () => alertBox.clear();

let removedCode = "removed"; // why the server ended this board: "removed" (a guest) or "deleted"

function onStatus(kind) {
  root.dataset.connection = kind;
  const removed = removedCode === "deleted" ? "deleted_status" : "removed_status";
  const key = { connected: "connected", reconnecting: "reconnecting", refused: "refused", ended: "session_ended", removed }[kind] || "connecting";
  setText("lc-connection", t(key));
}

// --- the channel -----------------------------------------------------------------------------
const channel = new RoundChannel(roundId, {
  onSnapshot(snapshot) {
    const before = state.snapshot;
    state.snapshot = snapshot;
    render(before);
  },
  onMe(me) {
    state.me = ownView(me);
    render(state.snapshot);
  },
  onProgress(data) {
    if (!state.snapshot) return;
    state.snapshot.voting = { dots_cast: data.dots_cast, voters: data.voters };
    renderYou();
  },
  onPresence(data) {
    if (!state.snapshot) return;
    applyPresence(state.snapshot, data);
    root.dataset.version = String(data.version);
    renderPresence();
    renderRomanPart();
  },
  onStatus,
  onError(message) {
    showError(message);
  },
  onRemoved(code, message) {
    // Our own text for the code, in this person's language (the server's is German).
    removedCode = code;
    const key = `removed_${code}`;
    showError(t(key) !== key ? t(key) : message);
    onStatus("removed");
  },
}, tokens ? () => tokens.joinData() : null);

async function act(event, payload = {}) {
  clearError();
  const ack = await channel.send(event, payload);
  if (!ack.ok) {
    showError(ack.message || t("no_answer"));
    return ack;
  }
  if (ack.token && tokens) tokens.put(ack.topic_id, ack.token, ack.token_seconds);
  if (ack.me) {
    state.me = ownView(ack.me);
    render(state.snapshot);
  }
  return ack;
}

// --- rendering -------------------------------------------------------------------------------
const isFacilitator = () => Boolean(state.me && ["facilitator", "cofacilitator"].includes(state.me.role));
const topicById = (id) => (state.snapshot ? state.snapshot.topics.find((topic) => topic.id === id) : null);

const countdown = new Countdown({
  onTick(left, timer) {
    setText("lc-clock-digits", digits(left));
    setText("lc-clock-text", t("clock_text", { time: spoken(left) }));
    renderRomanClock();
    root.dataset.timerLeft = String(left);
    if (timer) root.dataset.timerStatus = timer.status;
  },
  onMinuteLeft() {
    announce(t("announce_minute"));
  },
});

// What has the focus, by a name that survives re-rendering (data-key or id).
function focusName() {
  const el = document.activeElement;
  if (!el || el === document.body || !el.isConnected || !el.checkVisibility()) return null;
  return el.dataset.key || el.id || null;
}

function render(before) {
  const snap = state.snapshot;
  if (!snap) return;
  const focusedBefore = focusName();
  const round = snap.round;
  root.dataset.version = String(snap.version);
  root.dataset.phase = round.phase;
  setText("lc-phase-name", round.cancelled ? t("phase_cancelled") : t(`phase_${round.phase}`));
  const hint = phaseHint(round);
  setText("lc-phase-hint", round.cancelled ? t("round_cancelled") : hint);
  for (const step of root.querySelectorAll(".lc-steps__item")) {
    if (step.dataset.phase === round.phase && !round.cancelled) step.setAttribute("aria-current", "step");
    else step.removeAttribute("aria-current");
  }
  const phaseChanged = Boolean(before) && before.round.phase !== round.phase;
  if (before && !before.round.cancelled && round.cancelled) announce(t("round_cancelled"));
  else if (phaseChanged) {
    // An error of the last phase (e.g. "no dots left") means nothing in the new one, and a
    // question still open (another facilitator was quicker) is about the old phase.
    clearError();
    ask.dismiss();
    const revealed = before.round.phase === "vote" && round.phase === "discuss";
    announce(t("announce_phase", { phase: t(`phase_${round.phase}`), hint }) + (revealed ? ` ${t("announce_revealed")}` : ""));
  }
  renderTimer(before);
  renderRomanPart(before);
  renderYou();
  renderAdd();
  renderColumns();
  renderClosing();
  renderFacilitation();
  renderPresence();
  renderGuests(snap, state.me);
  if (phaseChanged) focusNewPhase(round.phase, focusedBefore);
}

// The new phase's heading takes the focus for whoever moved the round on, and for everyone
// whose focused control went away with the old phase (it would drop to the page's body or
// to a card); someone typing in a field that stays keeps it.
function focusNewPhase(phase, focusedBefore) {
  const mine = state.advancing === phase;
  state.advancing = null;
  const now = focusName();
  if (mine || now === null || now !== focusedBefore) document.getElementById("lc-phase-title").focus();
}

// The sentence in this person's language (from the page); the broadcast's one as a fallback.
function phaseHint(round) {
  const key = `hint_${round.phase}`;
  const local = t(key);
  return local !== key ? local : round.phase_hint;
}

function renderTimer(before) {
  const snap = state.snapshot;
  const timer = snap.timer;
  const current = topicById(snap.current_topic_id);
  const visible = snap.round.phase === "discuss" || Boolean(timer && timer.status !== "idle" && snap.round.phase !== "closed" && snap.round.phase !== "wrapup");
  show("lc-timer", visible);
  setText("lc-current-topic", current ? t("current_topic", { title: current.title }) : t("no_current"));
  const clock = document.getElementById("lc-clock");
  clock.dataset.endsAt = timer && timer.status === "running" ? timer.ends_at : "";
  clock.dataset.status = timer ? timer.status : "idle";
  countdown.update(timer, (timer && timer.server_now) || snap.server_now);
  state.offset = countdown.offset;
  const status = timer ? timer.status : "idle";
  setText("lc-timer-status", t(`timer_${status}`));
  if (before && visible) {
    const text = changeAnnouncement(before.timer, timer, countdown.left(), current ? current.title : "");
    if (text && !(timer.status === "expired" && snap.roman && snap.roman.result)) announce(text);
  }
  const tools = document.getElementById("lc-timer-tools");
  preserving(tools, () => {
    tools.textContent = "";
    if (!isFacilitator() || snap.round.phase !== "discuss") return;
    // While the thumbs are out, the facilitator decides in the bar of next steps.
    if (snap.roman && snap.roman.open) return;
    if (status === "running") tools.append(toolButton(t("timer_pause"), "timer-pause"));
    if (status === "paused") tools.append(toolButton(t("timer_resume"), "timer-resume"));
    if (current) tools.append(toolButton(t("timer_extend"), "timer-extend"));
  });
}

function toolButton(label, action, extra = {}, variant = "secondary") {
  return h("button", { type: "button", class: `kern-btn kern-btn--${variant}`, dataset: { action, key: `tool:${action}:${extra.value || ""}`, ...extra } }, h("span", { class: "kern-label" }, label));
}

function renderRomanPart(before) {
  const snap = state.snapshot;
  if (!snap) return;
  renderRoman(snap, state.me);
  if (before) announceRoman(before.roman, snap.roman, announce);
  renderRomanClock();
}

function renderRomanClock() {
  const snap = state.snapshot;
  const roman = snap && snap.roman;
  if (!roman || !roman.open || !roman.closes_at) return;
  const left = Math.max(0, Math.ceil((Date.parse(roman.closes_at) - (Date.now() + countdown.offset)) / 1000));
  setText("lc-roman-clock", t("roman_closes", { s: left }));
}

function renderYou() {
  const snap = state.snapshot;
  const me = state.me;
  const phase = snap.round.phase;
  const budget = snap.round.settings.vote_budget;
  const used = me ? me.votes_used : 0;
  const left = me ? me.votes_left : budget;
  const line = document.getElementById("lc-budget");
  line.textContent = "";
  if (phase === "collect" || phase === "vote") {
    line.append(
      h("span", { class: "lc-dots lc-dots--budget", "aria-hidden": "true" }, h("span", { class: "lc-dots--left" }, "●".repeat(left)), h("span", { class: "lc-dots--used" }, "○".repeat(Math.max(0, budget - left)))),
      " ",
      t("budget", { left, budget }),
      left === 0 && phase === "vote" ? ` ${t("budget_empty")}` : "",
    );
  } else if (used > 0) {
    line.append(t("budget_used", { used, budget }));
  }
  root.dataset.votesLeft = String(left);
  const voting = snap.voting || { dots_cast: 0, voters: 0 };
  setText("lc-voting", phase === "vote" ? t("voting_progress", { dots: plural("votes", voting.dots_cast), voters: plural("people", voting.voters) }) : "");
  show("lc-you", Boolean(line.textContent || phase === "vote"));
}

function renderAdd() {
  const snap = state.snapshot;
  show("lc-add", snap.round.phase === "collect" && !snap.round.cancelled);
  show("lc-add-anon-wrap", Boolean(snap.round.settings.anonymous_allowed));
  show("lc-anonymity-note", Boolean(snap.round.settings.anonymous_allowed));
}

function renderColumns() {
  const snap = state.snapshot;
  const view = { phase: snap.round.phase, me: state.me, facilitator: isFacilitator(), editing: state.editing, topics: snap.topics, people: snap.people || [], multipleDots: snap.round.settings.multiple_dots };
  const lists = { open: "lc-list-open", discussing: "lc-list-discussing", done: "lc-list-done" };
  const board = root.querySelector(".lc-columns");
  const early = ["collect", "vote"].includes(snap.round.phase); // nothing discussed yet
  show("lc-column-discussing", snap.round.phase === "discuss"); // only then is a topic current
  show("lc-column-done", !early);
  // After the discussion the queue's topics stay undiscussed: the column says so (as the summary).
  const over = ["wrapup", "closed"].includes(snap.round.phase);
  setText("lc-col-open-name", t(over ? "col_left_over" : "col_open"));
  preserving(board, () => {
    const groups = { open: [], discussing: [], done: [] };
    for (const topic of snap.topics) groups[columnOf(topic)].push(topic);
    for (const [name, id] of Object.entries(lists)) {
      const list = document.getElementById(id);
      list.textContent = "";
      for (const topic of groups[name]) list.append(card(topic, view));
      const empty = name === "discussing" ? t("no_current") : over ? t("empty_left_over") : t("empty_column");
      if (!groups[name].length) list.append(h("li", { class: "lc-empty kern-body" }, empty));
      setText(`lc-count-${name}`, `(${groups[name].length})`);
    }
  }, { itemAttribute: "data-topic-id" }); // a card keeps the focus when its control goes
}

function renderClosing() {
  const snap = state.snapshot;
  const phase = snap.round.phase;
  show("lc-closing", phase === "wrapup" || (phase === "closed" && (snap.closing || []).length > 0));
  show("lc-summary-now", phase === "closed");
  show("lc-closing-form", phase === "wrapup");
  const list = document.getElementById("lc-closing-list");
  list.textContent = "";
  for (const line of snap.closing || []) list.append(h("li", {}, line));
  if (!list.childElementCount) list.append(h("li", { class: "lc-empty" }, t("closing_none")));
  const input = document.getElementById("lc-closing-input");
  if (state.me && state.me.my_closing && document.activeElement !== input && !input.value) {
    input.value = state.me.my_closing;
  }
}

function renderFacilitation() {
  const snap = state.snapshot;
  const facilitator = isFacilitator();
  show("lc-facilitate", facilitator);
  // The bar of next steps: the next topic (or the decision while the thumbs are out), then
  // the next phase.
  const tools = document.getElementById("lc-phase-tools");
  preserving(tools, () => {
    tools.textContent = "";
    const next = PHASES[PHASES.indexOf(snap.round.phase) + 1];
    if (!facilitator || !next || snap.round.cancelled) return;
    if (snap.round.phase === "discuss") {
      const decision = decisionButtons(snap, toolButton);
      if (decision.length) tools.append(...decision);
      else tools.append(toolButton(t("topic_next"), "topic-next"));
    }
    tools.append(toolButton(t(`advance_${next}`), "advance", { value: next }, "primary"));
  });
  show("lc-bar", tools.childElementCount > 0);
  const link = document.getElementById("lc-link");
  const share = document.getElementById("lc-share");
  preserving(link, () => {
    link.textContent = "";
    const linkRound = facilitator && snap.round.access === "link";
    if (!linkRound || snap.round.phase === "closed") {
      if (linkRound && share) share.dispatchEvent(new CustomEvent("peerlab:share-url", { detail: { url: "" } }));
      return;
    }
    const url = state.me && state.me.join_url ? new URL(state.me.join_url, window.location.origin).href : "";
    // The "Link teilen" box (static/js/shell/share.js) follows a renewed or revoked link.
    if (share) share.dispatchEvent(new CustomEvent("peerlab:share-url", { detail: { url } }));
    if (url) {
      link.append(
        h("div", { class: "kern-form-input" }, h("label", { class: "kern-label", for: "lc-join-url" }, t("link_label")), h("input", { class: "kern-form-input__input", id: "lc-join-url", readonly: true, value: url, "data-key": "lc-join-url" })),
        h("div", { class: "lc-buttons" }, toolButton(t("link_revoke"), "link-revoke"), toolButton(t("link_renew"), "link-renew")),
      );
    } else {
      link.append(h("p", { class: "kern-body" }, t("link_none")), toolButton(t("link_renew"), "link-renew"));
    }
  });
}

function renderPresence() {
  const snap = state.snapshot;
  const presence = snap.presence || { people: [], guests: 0, total: 0 };
  if (snap.round.confidential) {
    setText("lc-presence", t(presence.total === 1 ? "present_one" : "present_total", { n: presence.total }));
    show("lc-roles", false);
    return;
  }
  const roleLabel = (person) => (person.role === "facilitator" || person.role === "cofacilitator" ? ` (${t(`role_${person.role}`)})` : "");
  const names = (snap.people || []).filter((person) => person.present).map((person) => person.name + roleLabel(person));
  if (presence.guests) names.push(plural("guests", presence.guests));
  setText("lc-presence", t("presence", { names: names.length ? names.join(", ") : t("nobody") }));
  renderRoles(roleLabel);
}

// The facilitator hands the role over or appoints co-facilitators (signed-in people only).
function renderRoles(roleLabel) {
  const snap = state.snapshot;
  const me = state.me;
  const lead = Boolean(me && me.role === "facilitator") && snap.round.phase !== "closed";
  const others = (snap.people || []).filter((person) => !me || person.participant_id !== me.participant_id);
  show("lc-roles", lead && others.length > 0);
  const list = document.getElementById("lc-roles-list");
  preserving(list, () => {
    list.textContent = "";
    if (!lead) return;
    for (const person of others) {
      const id = person.participant_id;
      const buttons = [];
      if (person.role === "participant") buttons.push(roleButton(t("appoint"), "appoint", id, person.name));
      if (person.role === "cofacilitator") buttons.push(roleButton(t("unappoint"), "unappoint", id, person.name));
      buttons.push(roleButton(t("handover"), "handover", id, person.name));
      list.append(h("li", {}, person.name + roleLabel(person), person.present ? "" : ` – ${t("absent")}`, h("div", { class: "lc-buttons" }, buttons)));
    }
  });
}

function roleButton(label, action, participantId, name) {
  return h(
    "button",
    { type: "button", class: "kern-btn kern-btn--tertiary kern-btn--x-small", dataset: { action, participant: participantId, name, key: `${action}:${participantId}` } },
    h("span", { class: "kern-label" }, label, h("span", { class: "lc-sr" }, ` – ${name}`)),
  );
}

// --- what people do --------------------------------------------------------------------------
bindActions({ root, state, act, announce, renderColumns, ask, tokens });
bindGuests({ act, current: () => ({ snap: state.snapshot, me: state.me }) });
channel.start();
