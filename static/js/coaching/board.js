// The live board of a peer-coaching session (protocol: docs/coaching.md). The server owns the
// state, the clock and the rules; this module renders snapshots and sends intentions.
import { LiveChannel } from "../live/connection.js";
import { createAnnouncer } from "../live/announce.js";
import { createConfirm } from "../live/dialog.js";
import { h, preserving } from "../live/dom.js";
import { loadStrings, t } from "../live/i18n.js";
import { Countdown, digits } from "../live/timer.js";

loadStrings("co-strings");
const S = JSON.parse(document.getElementById("co-strings").textContent);
const root = document.getElementById("co-board");
const sessionId = Number(root.dataset.sessionId);
const $ = (id) => document.getElementById(id);
const announce = createAnnouncer($("co-live"));
let snap = null;
let me = null;
let lastPhase;
let lastStatus;
const ask = createConfirm($("co-confirm"));
const tokens = JSON.parse(sessionStorage.getItem(`co-tokens-${sessionId}`) || "{}");

const countdown = new Countdown({
  onTick: (left) => {
    $("co-clock").textContent = digits(left);
  },
  onMinuteLeft: () => announce(t("minutes_seconds", { m: 1, s: 0 })),
});

function alertError(message) {
  const box = $("co-alert");
  box.textContent = "";
  box.append(h("p", { class: "kern-body" }, message || S.error));
}

async function send(event, payload = {}) {
  $("co-alert").textContent = "";
  const ack = await channel.send(event, payload);
  if (!ack.ok) alertError(ack.message);
  else if (ack.me) applyMe(ack.me);
  return ack;
}

function renderNow() {
  const a = snap.agenda;
  const phase = snap.phase;
  const title = $("co-phase-title");
  if (a.status === "idle") title.textContent = S.not_started;
  else if (a.status === "finished") title.textContent = S.finished;
  else title.textContent = t("phase_now", { phase: S.phases[phase] || phase });
  $("co-hint").textContent = phase ? S.hints[phase] : "";
  const roles = (snap.writers || []).map((r) => S.roles[r]).join(", ");
  $("co-writers").textContent = phase ? t("writers", { roles: roles || S.nobody }) : "";
  $("co-expired").hidden = a.status !== "waiting";
  countdown.update(a.timer, snap.server_now);
  if (lastPhase !== undefined && phase !== lastPhase) {
    announce(title.textContent + ". " + $("co-hint").textContent);
    if (!root.contains(document.activeElement) || document.activeElement === document.body) title.focus();
  }
  if (a.status === "waiting" && lastStatus !== "waiting") announce(S.waiting);
  lastPhase = phase;
  lastStatus = a.status;
  $("co-key-text").textContent = snap.key_question || S.no_key;
  $("co-notes-text").textContent = snap.notes || S.no_notes;
}

function renderCards() {
  for (const list of root.querySelectorAll(".co-cards")) {
    list.textContent = "";
    const cards = snap.cards.filter((c) => c.phase === list.dataset.phase);
    if (!cards.length) list.append(h("li", { class: "co-empty" }, S.no_cards));
    for (const card of cards) {
      const who = card.anonymous ? S.anonymous : card.author.name;
      const item = h("li", { class: card.marked ? "co-marked" : "", "data-card-id": String(card.id) },
        h("span", {}, card.text), h("span", { class: "co-card__meta" }, who + (card.marked ? ` · ${S.marked}` : "")));
      if (me && me.may.mark) {
        const button = h("button", { type: "button", class: "kern-btn kern-btn--secondary", "data-key": `mark-${card.id}`, "aria-pressed": String(card.marked) },
          h("span", { class: "kern-label" }, S.mark));
        button.addEventListener("click", () => send("card:mark", { card_id: card.id, marked: !card.marked }));
        item.append(button);
      }
      const mine = (card.author && me && card.author.membership_id === me.membership_id) || tokens[card.id];
      if (mine && me.may.card && snap.phase === card.phase) {
        const back = h("button", { type: "button", class: "kern-btn kern-btn--tertiary", "data-key": `withdraw-${card.id}` }, h("span", { class: "kern-label" }, S.withdraw));
        back.addEventListener("click", () => send("card:withdraw", tokens[card.id] ? { card_id: card.id, token: tokens[card.id] } : { card_id: card.id }));
        item.append(back);
      }
      list.append(item);
    }
  }
}

function renderPeople() {
  const list = $("co-people");
  list.textContent = "";
  for (const p of snap.people) {
    const deputy = p.membership_id === snap.deputy_id ? ` (${S.deputy})` : "";
    list.append(h("li", {}, `${S.roles[p.role]}: ${p.name}${deputy} – ${p.present ? S.present : S.absent}`));
  }
  const select = $("co-deputy");
  const chosen = String(snap.deputy_id || "");
  select.textContent = "";
  select.append(h("option", { value: "" }, S.nobody));
  for (const p of snap.people.filter((x) => x.role === "adviser")) select.append(h("option", { value: String(p.membership_id) }, p.name));
  select.value = chosen;
}

function render() {
  if (!snap) return;
  renderNow();
  preserving(root.querySelector(".co-columns"), renderCards, { itemAttribute: "data-card-id" });
  renderPeople();
  renderControls();
}

function renderControls() {
  if (!me || !snap) return;
  const status = snap.agenda.status;
  const timer = snap.agenda.timer || {};
  $("co-controls").hidden = !me.may.facilitate;
  const show = {
    start: status === "idle",
    advance: status === "running" || status === "waiting",
    pause: status === "running" && timer.status === "running",
    resume: timer.status === "paused",
    extend: status === "running" || status === "waiting",
    end: true,
  };
  for (const [action, visible] of Object.entries(show)) root.querySelector(`[data-action="${action}"]`).hidden = !visible;
  if ($("co-method-link")) $("co-method-link").hidden = status !== "idle";
  $("co-take-box").hidden = !(me.is_deputy && me.role === "adviser");
  $("co-card-form").hidden = !me.may.card;
  $("co-anon-box").hidden = !me.anonymous_possible;
  $("co-key-form").hidden = !me.may.key;
  $("co-notes-form").hidden = !me.may.notes;
  if (me.may.notes && document.activeElement !== $("co-notes-input")) $("co-notes-input").value = snap.notes || "";
  if ($("co-try-input") && me.try_line !== null && document.activeElement !== $("co-try-input")) $("co-try-input").value = me.try_line;
}

function applyMe(data) {
  me = data;
  render();
}

root.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-action]");
  if (!button || !snap) return;
  if (button.dataset.action === "end" || button.dataset.action === "take") {
    const which = button.dataset.action;
    const fallback = $("co-phase-title");
    const ok = await ask({ title: S[`${which}_title`], text: S[`${which}_text`], confirm: S[`${which}_yes`], opener: button, fallback });
    if (ok) send(which === "end" ? "session:end" : "moderation:take");
    return;
  }
  const action = button.dataset.action;
  if (action === "start") send("agenda:start");
  if (action === "advance") send("agenda:advance", { expected_index: snap.agenda.current_index });
  if (action === "pause") send("agenda:pause");
  if (action === "resume") send("agenda:resume");
  if (action === "extend") send("agenda:extend", { seconds: 120 });
});
$("co-deputy").addEventListener("change", (e) => send("deputy:set", e.target.value ? { deputy_id: Number(e.target.value) } : {}));
$("co-card-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const text = $("co-card-input").value.trim();
  if (!text) return;
  const anonymous = !$("co-anon-box").hidden && $("co-card-anon").checked;
  const ack = await send("card:add", { text, anonymous });
  if (ack.ok) {
    $("co-card-input").value = "";
    if (ack.token) {
      tokens[ack.card_id] = ack.token;
      sessionStorage.setItem(`co-tokens-${sessionId}`, JSON.stringify(tokens));
    }
    announce(S.saved);
  }
});
for (const [form, input, event] of [["co-key-form", "co-key-input", "key:set"], ["co-notes-form", "co-notes-input", "notes:set"], ["co-try-form", "co-try-input", "try:set"]]) {
  const node = $(form);
  if (!node) continue;
  node.addEventListener("submit", async (e) => {
    e.preventDefault();
    const ack = await send(event, { text: $(input).value });
    if (ack.ok) announce(S.saved);
  });
}

const channel = new LiveChannel(
  {
    namespace: "/coaching",
    subjectKey: "session_id",
    subjectId: sessionId,
    events: { join: "session:join", sync: "session:sync", state: "session:state", me: "session:me", removed: "session:removed" },
  },
  {
    onSnapshot: (data) => {
      snap = data;
      render();
    },
    onMe: applyMe,
    onStatus: (status) => {
      if (status === "ended") {
        $("co-status").textContent = S.ended;
        if (root.dataset.role === "case_giver") {
          $("co-status").append(" ", h("a", { class: "kern-link", href: S.keeps_url }, S.to_keeps));
        }
        for (const node of root.querySelectorAll("form, .co-controls, .co-now, .co-columns")) node.hidden = true;
      }
    },
    onRemoved: () => {},
    onError: alertError,
  },
);
channel.start();
