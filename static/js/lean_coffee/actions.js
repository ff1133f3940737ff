// What people do on the board: every button and form becomes one protocol event.
// `ctx`: {root, state, act(event, payload) -> Promise<ack>, announce(text), renderColumns(),
// ask({title, text, confirm, opener, fallback}) -> Promise<bool> (the confirmation dialog)}.
import { t } from "../live/i18n.js";

const focusLost = () => {
  const el = document.activeElement;
  return !el || el === document.body || !el.checkVisibility();
};

export function bindActions(ctx) {
  const { root, state, act, announce, renderColumns, ask, tokens } = ctx;
  // The token of an own anonymous topic in a group's round (none elsewhere): sent along.
  const withToken = (topicId, payload) => {
    const token = tokens ? tokens.get(topicId) : undefined;
    return token ? { ...payload, token } : payload;
  };
  async function withdraw(el) {
    const topicId = Number(el.dataset.topic);
    const ack = await act("topic:withdraw", withToken(topicId, { topic_id: topicId }));
    if (ack.ok && tokens) tokens.drop(topicId);
  }
  const phaseTitle = document.getElementById("lc-phase-title");
  const peopleTitle = document.getElementById("lc-people-title");

  // Moving the round on cannot be undone: the dialog says what happens, then the event goes.
  async function advance(el) {
    const to = el.dataset.value;
    const sure = await ask({ title: t(`confirm_${to}_title`), text: t(`confirm_${to}_text`), confirm: t(`advance_${to}`), opener: el, fallback: phaseTitle });
    if (!sure) return;
    state.advancing = to; // the new phase's heading takes the focus (board.js)
    const ack = await act("phase:advance", { to });
    if (!ack.ok) state.advancing = null;
  }

  async function handover(el) {
    const name = el.dataset.name;
    const sure = await ask({ title: t("confirm_handover_title", { name }), text: t("confirm_handover_text", { name }), confirm: t("handover"), opener: el, fallback: peopleTitle });
    if (!sure) return;
    await act("facilitator:handover", { participant_id: Number(el.dataset.participant) });
    if (focusLost()) peopleTitle.focus();
  }

  const clickActions = {
    vote: (el) => act("vote:cast", { topic_id: Number(el.dataset.topic) }),
    unvote: (el) => act("vote:retract", { topic_id: Number(el.dataset.topic) }),
    withdraw,
    remove: (el) => act("topic:remove", { topic_id: Number(el.dataset.topic) }),
    skip: (el) => act("topic:skip", { topic_id: Number(el.dataset.topic) }),
    "reorder-up": (el) => act("topic:reorder", { topic_id: Number(el.dataset.topic), direction: "up" }),
    "reorder-down": (el) => act("topic:reorder", { topic_id: Number(el.dataset.topic), direction: "down" }),
    thumb: (el) => act("roman:thumb", { value: el.dataset.value }),
    "takeaway-delete": (el) => act("takeaway:delete", { takeaway_id: Number(el.dataset.item) }),
    "action-delete": (el) => act("action:delete", { action_id: Number(el.dataset.item) }),
    advance,
    "timer-pause": () => act("timer:pause"),
    "timer-resume": () => act("timer:resume"),
    "timer-extend": () => act("timer:extend"),
    "topic-next": () => act("topic:next"),
    "decide-extend": () => act("roman:decide", { decision: "extend" }),
    "decide-next": () => act("roman:decide", { decision: "next" }),
    "link-revoke": () => act("link:revoke"),
    "link-renew": () => act("link:renew"),
    appoint: (el) => act("facilitator:appoint", { participant_id: Number(el.dataset.participant), cofacilitator: true }),
    unappoint: (el) => act("facilitator:appoint", { participant_id: Number(el.dataset.participant), cofacilitator: false }),
    handover,
    edit(el) {
      state.editing = Number(el.dataset.topic);
      renderColumns();
      const input = document.getElementById(`lc-edit-${state.editing}-title`);
      if (input) input.focus();
    },
    "edit-cancel"(el) {
      state.editing = null;
      renderColumns();
      focusCardButton(Number(el.dataset.topic), "edit");
    },
  };

  function focusCardButton(topicId, action) {
    const target = root.querySelector(`[data-action="${action}"][data-topic="${topicId}"]`);
    if (target) target.focus();
  }

  root.addEventListener("click", (event) => {
    const el = event.target.closest("[data-action]");
    if (!el || !root.contains(el)) return;
    const handler = clickActions[el.dataset.action];
    if (handler) handler(el);
  });

  // A broadcast may have re-rendered the card while we waited: reset the form that is there now.
  function liveForm(form) {
    const selector = `form[data-form="${form.dataset.form}"]${form.dataset.topic ? `[data-topic="${form.dataset.topic}"]` : ""}`;
    return root.querySelector(selector) || form;
  }

  function formValue(form, name) {
    const el = form.elements.namedItem(name);
    return el ? el.value.trim() : "";
  }

  const formActions = {
    async "topic-add"(form) {
      const payload = { title: formValue(form, "title") };
      const detail = formValue(form, "detail");
      if (detail) payload.detail = detail;
      if (form.elements.namedItem("anonymous").checked) payload.anonymous = true;
      const ack = await act("topic:add", payload);
      if (ack.ok) {
        form.reset();
        announce(t("topic_added"));
        form.elements.namedItem("title").focus();
      }
    },
    async "topic-edit"(form) {
      const topicId = Number(form.dataset.topic);
      const payload = { topic_id: topicId, title: formValue(form, "title") };
      const detail = formValue(form, "detail");
      if (detail) payload.detail = detail;
      const ack = await act("topic:edit", withToken(topicId, payload));
      if (ack.ok) {
        state.editing = null;
        renderColumns();
        focusCardButton(topicId, "edit");
      }
    },
    async takeaway(form) {
      const ack = await act("takeaway:add", { topic_id: Number(form.dataset.topic), text: formValue(form, "text") });
      if (ack.ok) {
        liveForm(form).reset();
        announce(t("saved"));
      }
    },
    async action(form) {
      const payload = { topic_id: Number(form.dataset.topic), what: formValue(form, "what") };
      // The owner: a participant of the round (their "Meine Aufgaben"), or a name as written.
      const owner = formValue(form, "owner");
      const name = formValue(form, "owner_name");
      const due = formValue(form, "due_on");
      if (owner === "other" && name) payload.owner_name = name;
      else if (/^\d+$/.test(owner)) payload.owner_participant_id = Number(owner);
      if (due) payload.due_on = due;
      const ack = await act("action:add", payload);
      if (ack.ok) {
        liveForm(form).reset();
        announce(t("saved"));
      }
    },
    merge: (form) => act("topic:merge", { topic_id: Number(form.dataset.topic), into_topic_id: Number(formValue(form, "into")) }),
    async closing(form) {
      const ack = await act("closing:set", { text: formValue(form, "text") });
      if (ack.ok) announce(t("closing_saved"));
    },
  };

  root.addEventListener("submit", (event) => {
    const form = event.target.closest("form[data-form]");
    if (!form || !root.contains(form)) return;
    event.preventDefault();
    const handler = formActions[form.dataset.form];
    if (handler) handler(form);
  });
}
