// A circle's weekly meeting, live: renders the server's snapshot (steps, deadline + server time,
// speaking-time accounts, who is here, notes) and sends intentions. The server owns the clock
// and every rule; this module only shows and asks. Built on the shared live modules.
import { LiveChannel } from "../live/connection.js";
import { Countdown, changeAnnouncement, digits, spoken } from "../live/timer.js";
import { createAnnouncer, createAlert } from "../live/announce.js";
import { createConfirm } from "../live/dialog.js";
import { h, setText, show } from "../live/dom.js";
import { loadStrings, t } from "../live/i18n.js";

const root = document.getElementById("cm");
loadStrings("cm-strings");
const circleId = Number(root.dataset.circleId);
const meId = Number(root.dataset.me);
const announce = createAnnouncer(document.getElementById("cm-live"));
const alertBox = createAlert(document.getElementById("cm-alert"), () => t("no_answer"), "cm-alert--shown");
const confirm = createConfirm(document.getElementById("cm-confirm"));
const stepTitle = document.getElementById("cm-step-title");
const notesField = document.getElementById("cm-notes-text");

let snap = null;
let offset = 0;
let notesBase = 0; // the notes version the text in the field is based on
let notesDirty = false;

const channel = new LiveChannel(
  {
    namespace: "/circles",
    subjectKey: "circle_id",
    subjectId: circleId,
    events: { join: "meeting:join", sync: "meeting:sync", state: "meeting:state", me: "meeting:me", removed: "meeting:removed" },
  },
  {
    onSnapshot: (next) => render(next),
    onMe: () => {},
    onStatus: (status) => {
      root.dataset.connection = status;
      setText("cm-connection", t(status === "ended" ? "session_ended" : status));
    },
    onRemoved: () => {},
    onError: (message) => alertBox.show(message),
  },
);

const countdown = new Countdown({
  onTick: (left, timer) => renderClock(left, timer),
  onMinuteLeft: () => announce(t("announce_minute_left")),
});

function person(id) {
  return (snap?.members || []).find((m) => m.user_id === id) || { name: "?" };
}

function current(s) {
  const plan = s.agenda;
  if (!plan || plan.current_index === null || plan.current_index >= plan.items.length) return null;
  return plan.items[plan.current_index];
}

function mayFacilitate(s) {
  return s.facilitator_id === meId || s.timekeeper_id === meId;
}

// --- the step now -----------------------------------------------------------------------
function stepTexts(s, step) {
  if (s.status === "finished") return [t("title_finished"), t("hint_finished")];
  if (!step) return [t("title_open"), t("hint_open")];
  const name = step.holder ? person(step.holder.id).name : "";
  const waiting = s.agenda.status === "waiting";
  if (step.tag === "exercise") return [t("title_exercise"), t(waiting ? "hint_waiting" : "hint_exercise")];
  if (step.tag === "checkin") return [t("title_checkin", { name }), t("hint_checkin", { name })];
  const mine = step.holder && step.holder.id === meId;
  return mine ? [t("title_turn_me"), t("hint_turn_me")] : [t("title_turn", { name }), t("hint_turn", { name })];
}

function stepAnnouncement(s, step) {
  if (s.status === "finished") return t("announce_finished");
  if (!step) return null;
  const time = spoken(step.duration_seconds);
  if (step.tag === "exercise") return t("announce_exercise", { time });
  const name = step.holder ? person(step.holder.id).name : "";
  if (step.tag === "checkin") return t("announce_checkin", { name });
  return step.holder && step.holder.id === meId ? t("announce_turn_me", { time }) : t("announce_turn", { name, time });
}

function renderNow(s, before) {
  const step = current(s);
  const [title, hint] = stepTexts(s, step);
  setText("cm-step-title", title);
  setText("cm-hint", hint);
  show("cm-exercise", Boolean(step && step.tag === "exercise"));
  const checkin = step && step.tag === "checkin" ? s.checkins[String(step.holder.id)] : null;
  show("cm-checkin", Boolean(checkin));
  if (checkin) {
    setText("cm-checkin-title", t("checkin_heading", { name: person(step.holder.id).name }));
    setText("cm-checkin-happened", checkin.happened || "–");
    setText("cm-checkin-next", checkin.next_step || "–");
    setText("cm-checkin-help", checkin.need_help || "–");
  }
  const running = s.status === "running" && Boolean(step);
  show("cm-timer", running);
  const facilitates = mayFacilitate(s);
  show("cm-tools", running && facilitates);
  const timer = running ? s.agenda.timer : null;
  const tools = document.getElementById("cm-tools");
  tools.querySelector("[data-action=pause]").hidden = !timer || timer.status !== "running";
  tools.querySelector("[data-action=resume]").hidden = !timer || timer.status !== "paused";
  tools.querySelector("[data-action=end]").hidden = s.facilitator_id !== meId;
  show("cm-start", s.status === "open" && s.facilitator_id === meId);
  const waitingFor = s.status === "open" && s.facilitator_id !== meId;
  show("cm-waiting-for", waitingFor);
  if (waitingFor) setText("cm-waiting-for", `${t("role_facilitator")}: ${person(s.facilitator_id).name}`);
  renderShare(s);

  // What changed, said once: a new step (with the focus on its heading if one's own control
  // went away), or a change of the timer within the step.
  const index = (x) => (x.agenda ? x.agenda.current_index : null);
  const changedStep = before && (before.status !== s.status || index(before) !== index(s));
  if (changedStep) {
    announce(stepAnnouncement(s, step));
    const active = document.activeElement;
    if (!active || active === document.body || active.closest("[hidden]")) stepTitle.focus();
  } else if (before && timer) {
    const mark = (x) => (x ? { ...x, topic_id: before.agenda?.current_index } : x);
    const said = changeAnnouncement(mark(before.agenda?.timer), { ...timer, topic_id: s.agenda.current_index }, countdown.left(), "");
    if (said) announce(said);
  }
  countdown.update(timer, s.server_now);
}

function renderClock(left, timer) {
  if (!timer) return;
  const waiting = snap && snap.agenda && snap.agenda.status === "waiting";
  setText("cm-clock-digits", digits(left));
  setText("cm-clock-text", spoken(left));
  document.getElementById("cm-clock").dataset.status = waiting ? "expired" : timer.status;
  setText("cm-timer-status", t(waiting ? "status_waiting" : timer.status === "paused" ? "status_paused" : "status_running"));
  const step = snap ? current(snap) : null;
  if (step && step.tag === "turn") {
    const used = usedNow(step);
    const over = used - step.duration_seconds;
    setText("cm-speaker-used", `${t("used", { time: digits(used) })}${over > 0 ? ` · ${t("over", { time: digits(over) })}` : ""}`);
    // The speaker's row in the account ticks along (the server's figures plus the time since).
    const acc = snap.accounts.find((a) => a.user_id === step.holder.id);
    const cell = document.getElementById("cm-account-now");
    if (acc && cell) {
      const extra = used - step.used_seconds;
      const text = accountText(acc.planned_seconds, acc.used_seconds + extra);
      if (cell.textContent !== text) cell.textContent = text;
      cell.closest("tr").classList.toggle("cm-accounts__row--over", acc.used_seconds + extra > acc.planned_seconds);
    }
  } else setText("cm-speaker-used", "");
}

/** The current step's used seconds, ticking on locally while the server says it counts. */
function usedNow(step) {
  if (!snap.agenda.counting) return step.used_seconds;
  const since = (Date.now() + offset - Date.parse(snap.server_now)) / 1000;
  return step.used_seconds + Math.max(0, Math.floor(since));
}

function renderShare(s) {
  const total = Number(document.getElementById("cm-total").value) || 0;
  const exercise = Number(document.getElementById("cm-exercise-minutes").value) || 0;
  const here = s.members.filter((m) => m.present || m.user_id === meId).length;
  const read = s.members.filter((m) => !m.present && m.user_id !== meId && m.checked_in).length;
  const share = here ? Math.max(60, Math.floor(((total - exercise) * 60 - 60 * read) / here / 10) * 10) : 0;
  setText("cm-share", t("share_preview", { n: here, time: spoken(share) }));
}

// --- the plan, the accounts, the people ---------------------------------------------------
function renderPlan(s) {
  const list = document.getElementById("cm-plan");
  const items = s.agenda ? s.agenda.items : [];
  show("cm-plan-empty", items.length === 0);
  list.replaceChildren(
    ...items.map((item) => {
      const now = s.status === "running" && item.index === s.agenda.current_index;
      const done = s.agenda.current_index !== null && item.index < s.agenda.current_index;
      const name = item.tag === "exercise" ? t("title_exercise") : person(item.holder?.id).name;
      return h(
        "li",
        { class: `cm-plan__item${now ? " cm-plan__item--now" : ""}${done ? " cm-plan__item--done" : ""}`, "aria-current": now ? "step" : null },
        h("span", { class: "kern-body kern-body--bold", text: name }),
        " ",
        h("span", { class: "kern-body", text: `${t(`kind_${item.tag}`)} · ${t("step_minutes", { time: digits(item.duration_seconds) })}` }),
        now ? h("span", { class: "kern-badge kern-badge--info" }, h("span", { class: "kern-label kern-label--small", text: t("step_now") })) : null,
        done ? h("span", { class: "kern-badge kern-badge--success" }, h("span", { class: "kern-label kern-label--small", text: t("step_done") })) : null,
      );
    }),
  );
  const onPlan = new Set(items.filter((i) => i.holder).map((i) => i.holder.id));
  const skipped = s.agenda ? s.members.filter((m) => !onPlan.has(m.user_id)).map((m) => m.name) : [];
  setText("cm-skipped", skipped.length ? t("skipped", { names: skipped.join(", ") }) : "");
}

function renderAccounts(s) {
  const body = document.getElementById("cm-accounts");
  const step = current(s);
  show("cm-accounts-table", s.accounts.length > 0);
  show("cm-accounts-empty", s.accounts.length === 0);
  body.replaceChildren(
    ...s.accounts.map((acc) => {
      const speaking = s.status === "running" && step && step.tag === "turn" && step.holder.id === acc.user_id;
      return h(
        "tr",
        { class: `kern-table__row${speaking ? " cm-accounts__row--now" : ""}${acc.overrun_seconds > 0 ? " cm-accounts__row--over" : ""}` },
        h("th", { class: "kern-table__header", scope: "row", text: person(acc.user_id).name }),
        h("td", { class: "kern-table__cell kern-table__cell--numeric", text: digits(acc.planned_seconds) }),
        h("td", { class: "kern-table__cell", id: speaking ? "cm-account-now" : null, text: accountText(acc.planned_seconds, acc.used_seconds) }),
      );
    }),
  );
}

function accountText(planned, used) {
  if (!used) return t("none_used");
  const over = used - planned;
  const spokenPart = t("used", { time: digits(used) });
  if (over > 0) return `${spokenPart} · ${t("over", { time: digits(over) })}`;
  return snap && snap.status === "finished" ? spokenPart : `${spokenPart} · ${t("left", { time: digits(planned - used) })}`;
}

function badge(text, kind) {
  return h("span", { class: `kern-badge kern-badge--${kind}` }, h("span", { class: "kern-label kern-label--small", text }));
}

function renderPeople(s) {
  document.getElementById("cm-people").replaceChildren(
    ...s.members.map((m) =>
      h(
        "li",
        { class: "pl-list__item" },
        h("span", { class: "kern-body kern-body--bold", text: m.user_id === meId ? `${m.name} ${t("you")}` : m.name }),
        " ",
        badge(t(m.present ? "present" : "absent"), m.present ? "success" : "info"),
        " ",
        badge(t(m.checked_in ? "checked_in" : "no_checkin"), m.checked_in ? "success" : "info"),
        m.user_id === s.facilitator_id ? [" ", badge(t("role_facilitator"), "warning")] : null,
        m.user_id === s.timekeeper_id ? [" ", badge(t("role_timekeeper"), "warning")] : null,
      ),
    ),
  );
  const facilitatorHere = s.members.some((m) => m.user_id === s.facilitator_id && m.present);
  show("cm-take", s.status !== "finished" && s.facilitator_id !== meId && !facilitatorHere);
  const roles = document.getElementById("cm-roles");
  roles.hidden = s.status === "finished" || s.facilitator_id !== meId;
  if (!roles.hidden && !roles.contains(document.activeElement)) {
    const options = (selected, none) => [
      ...(none ? [h("option", { value: "0", text: t("no_timekeeper"), selected: !selected })] : []),
      ...s.members.map((m) => h("option", { value: String(m.user_id), text: m.name, selected: m.user_id === selected })),
    ];
    document.getElementById("cm-role-facilitator").replaceChildren(...options(s.facilitator_id, false));
    document.getElementById("cm-role-timekeeper").replaceChildren(...options(s.timekeeper_id, true));
  }
}

function renderNotes(s) {
  if (!notesDirty && document.activeElement !== notesField) {
    notesField.value = s.notes.text;
    notesBase = s.notes.version;
  } else if (s.notes.version !== notesBase && notesDirty) {
    setText("cm-notes-status", t("notes_changed"));
  }
}

function render(next) {
  const before = snap;
  snap = next;
  root.dataset.status = next.status;
  root.dataset.step = next.agenda && next.agenda.current_index !== null ? String(next.agenda.current_index) : "";
  offset = Date.parse(next.server_now) - Date.now();
  renderPeople(next);
  renderPlan(next);
  renderAccounts(next);
  renderNotes(next);
  renderNow(next, before);
  if (before) {
    const had = new Set((before.agenda?.items || []).filter((i) => i.tag === "turn").map((i) => i.holder.id));
    const late = (next.agenda?.items || []).filter((i) => i.tag === "turn" && !had.has(i.holder.id));
    if (before.agenda && late.length) announce(t("announce_latecomer", { name: person(late[0].holder.id).name }));
  }
}

// --- intentions -----------------------------------------------------------------------------
async function send(event, payload = {}) {
  const ack = await channel.send(event, payload);
  if (ack.ok) alertBox.clear();
  else alertBox.show(ack.message);
  return ack;
}

document.getElementById("cm-tools").addEventListener("click", async (event) => {
  const button = event.target.closest("[data-action]");
  if (!button || !snap) return;
  const action = button.dataset.action;
  if (action === "next") await send("turn:next", { index: snap.agenda.current_index });
  else if (action === "pause") await send("timer:pause");
  else if (action === "resume") await send("timer:resume");
  else if (action === "extend") await send("timer:extend", { seconds: 60 });
  else if (action === "end") {
    const yes = await confirm({ title: t("end"), text: t("end_confirm"), confirm: t("end"), opener: button, fallback: stepTitle });
    if (yes) await send("meeting:end");
  }
});

document.getElementById("cm-start").addEventListener("submit", async (event) => {
  event.preventDefault();
  const total = Number(document.getElementById("cm-total").value);
  const exercise = Number(document.getElementById("cm-exercise-minutes").value);
  const ack = await send("meeting:start", { total_minutes: Math.trunc(total) || 0, exercise_minutes: Math.trunc(exercise) || 0 });
  if (ack.ok) stepTitle.focus();
});
for (const id of ["cm-total", "cm-exercise-minutes"]) {
  document.getElementById(id).addEventListener("input", () => snap && renderShare(snap));
}

document.getElementById("cm-take").addEventListener("click", async () => {
  const ack = await send("meeting:take");
  if (ack.ok) announce(t("took_over"));
});

document.getElementById("cm-roles").addEventListener("submit", async (event) => {
  event.preventDefault();
  const ack = await send("meeting:roles", {
    facilitator_id: Number(document.getElementById("cm-role-facilitator").value),
    timekeeper_id: Number(document.getElementById("cm-role-timekeeper").value),
  });
  if (ack.ok) announce(t("roles_saved"));
});

notesField.addEventListener("input", () => {
  notesDirty = true;
});
document.getElementById("cm-notes").addEventListener("submit", async (event) => {
  event.preventDefault();
  const ack = await send("notes:save", { text: notesField.value, version: notesBase });
  if (ack.ok) {
    notesDirty = false;
    notesBase = ack.version;
    setText("cm-notes-status", t("notes_saved"));
    announce(t("notes_saved"));
  }
});

channel.start();
