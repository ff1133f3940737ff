// Topic cards for the three columns. Everything a person can do is a real button or form.
import { h } from "../live/dom.js";
import { plural, t } from "../live/i18n.js";
import { formatDay, personLabel } from "../live/words.js";

const COLUMNS = { open: "open", discussing: "discussing", discussed: "done", skipped: "done" };

export function columnOf(topic) {
  return COLUMNS[topic.status] || "open";
}

function button(label, action, data = {}, variant = "secondary", context = "") {
  return h(
    "button",
    { type: "button", class: `kern-btn kern-btn--${variant} kern-btn--x-small`, dataset: { action, ...data, key: `${action}:${data.topic || data.item || ""}` } },
    h("span", { class: "kern-label" }, label, context ? h("span", { class: "lc-sr" }, ` – ${context}`) : null),
  );
}

function field(id, label, attrs) {
  return h(
    "div",
    { class: "kern-form-input" },
    h("label", { class: "kern-label", for: id }, label),
    h("input", { class: "kern-form-input__input", id, autocomplete: "off", "data-key": id, ...attrs }),
  );
}

function dots(n, className) {
  return h("span", { class: `lc-dots ${className}`, "aria-hidden": "true" }, "●".repeat(Math.min(n, 30)));
}

function authorLine(topic, me) {
  const mine = me && me.my_topic_ids && me.my_topic_ids.includes(topic.id);
  const who = topic.anonymous || !topic.author ? t("anonymous") : personLabel(topic.author.name, topic.author.guest);
  return h(
    "p",
    { class: "kern-body kern-body--small lc-card__author" },
    who,
    mine ? h("span", { class: "lc-badge" }, t("mine")) : null,
  );
}

function votesLine(topic, phase, me) {
  const mineCount = (me && me.my_votes && me.my_votes[String(topic.id)]) || 0;
  const parts = [];
  if (topic.votes === null || topic.votes === undefined) {
    if (phase === "vote") {
      parts.push(mineCount ? dots(mineCount, "lc-dots--mine") : null, h("span", {}, t("my_dots", { n: mineCount })));
    }
  } else {
    parts.push(topic.votes ? dots(topic.votes, "lc-dots--all") : null, h("span", { class: "lc-votes" }, plural("votes", topic.votes)));
    if (topic.rank && topic.status === "open") parts.push(h("span", { class: "lc-rank" }, t("rank", { n: topic.rank })));
  }
  if (topic.status === "skipped") parts.push(h("span", { class: "lc-badge" }, t("skipped")));
  return parts.length ? h("p", { class: "kern-body kern-body--small lc-card__votes" }, parts) : null;
}

function editForm(topic) {
  const id = `lc-edit-${topic.id}`;
  return h(
    "form",
    { class: "lc-form lc-form--inline", dataset: { form: "topic-edit", topic: topic.id }, novalidate: true },
    field(`${id}-title`, t("title_label"), { name: "title", maxlength: 120, required: true, value: topic.title }),
    field(`${id}-detail`, t("detail_label"), { name: "detail", maxlength: 280, value: topic.detail || "" }),
    h(
      "div",
      { class: "lc-buttons" },
      h("button", { type: "submit", class: "kern-btn kern-btn--primary kern-btn--x-small", "data-key": `${id}-save` }, h("span", { class: "kern-label" }, t("save"))),
      button(t("cancel"), "edit-cancel", { topic: topic.id }, "tertiary"),
    ),
  );
}

/**
 * Who takes an action item: one of the round's signed-in participants (it reaches their
 * "Meine Aufgaben"), or someone else by name. Guests are not listed: their names stay theirs.
 */
function ownerPicker(id, people, me) {
  const pick = `${id}-owner`;
  const options = people.map((person) => h("option", { value: String(person.participant_id) }, person.name));
  // In a confidential round nobody is listed by name: people can still pick themselves.
  if (me && !me.is_guest && !people.some((person) => person.participant_id === me.participant_id)) {
    options.unshift(h("option", { value: String(me.participant_id) }, t("owner_me")));
  }
  return [
    h(
      "div",
      { class: "kern-form-input lc-owner" },
      h("label", { class: "kern-label", for: pick }, t("action_who")),
      h(
        "div",
        { class: "kern-form-input__select-wrapper" },
        h("select", { class: "kern-form-input__select", id: pick, name: "owner", "data-key": pick }, h("option", { value: "" }, t("owner_open")), options, h("option", { value: "other" }, t("owner_other"))),
      ),
    ),
    // Shown only while "someone else" is chosen (CSS), so the values survive a re-render.
    h("div", { class: "lc-owner-other" }, field(`${id}-who`, t("owner_name"), { name: "owner_name", maxlength: 60 })),
  ];
}

function notes(topic, canWrite, me, facilitator, people = []) {
  const mineTakeaways = new Set((me && me.my_takeaway_ids) || []);
  const mineActions = new Set((me && me.my_action_ids) || []);
  const section = h("div", { class: "lc-notes" });
  const takeaways = topic.takeaways || [];
  const actions = topic.actions || [];
  if (!canWrite && !takeaways.length && !actions.length) return null;
  // A heading over what follows: a list or a form (a closed card without takeaways has neither).
  if (canWrite || takeaways.length) section.append(h("h4", { class: "kern-heading-small lc-notes__title" }, t("takeaways")));
  if (takeaways.length) {
    section.append(
      h(
        "ul",
        { class: "lc-plain" },
        takeaways.map((item) =>
          h(
            "li",
            {},
            item.text,
            canWrite && (facilitator || mineTakeaways.has(item.id))
              ? [" ", button(t("delete"), "takeaway-delete", { item: item.id }, "tertiary", item.text)]
              : null,
          ),
        ),
      ),
    );
  }
  if (canWrite) {
    const id = `lc-takeaway-${topic.id}`;
    section.append(
      h(
        "form",
        { class: "lc-form lc-form--inline", dataset: { form: "takeaway", topic: topic.id }, novalidate: true },
        field(id, t("takeaway_label"), { name: "text", maxlength: 280, required: true }),
        h("button", { type: "submit", class: "kern-btn kern-btn--secondary kern-btn--x-small", "data-key": `${id}-add` }, h("span", { class: "kern-label" }, t("takeaway_add"))),
      ),
    );
  }
  if (canWrite || actions.length) section.append(h("h4", { class: "kern-heading-small lc-notes__title" }, t("actions")));
  if (actions.length) {
    section.append(
      h(
        "ul",
        { class: "lc-plain" },
        actions.map((item) =>
          h(
            "li",
            {},
            item.what,
            item.owner || item.owner_guest ? ` – ${personLabel(item.owner, item.owner_guest)}` : "",
            item.due_on ? `, ${t("action_due_on", { date: formatDay(item.due_on) })}` : "",
            canWrite && (facilitator || mineActions.has(item.id))
              ? [" ", button(t("delete"), "action-delete", { item: item.id }, "tertiary", item.what)]
              : null,
          ),
        ),
      ),
    );
  }
  if (canWrite) {
    const id = `lc-action-${topic.id}`;
    section.append(
      h(
        "form",
        { class: "lc-form lc-form--inline", dataset: { form: "action", topic: topic.id }, novalidate: true },
        field(`${id}-what`, t("action_what"), { name: "what", maxlength: 200, required: true }),
        ownerPicker(id, people, me),
        field(`${id}-due`, t("action_due"), { name: "due_on", type: "date" }),
        h("button", { type: "submit", class: "kern-btn kern-btn--secondary kern-btn--x-small", "data-key": `${id}-add` }, h("span", { class: "kern-label" }, t("action_add"))),
      ),
    );
  }
  return section;
}

function facilitatorTools(topic, view) {
  const { phase, facilitator, topics } = view;
  if (!facilitator) return null;
  const tools = [];
  if (topic.status === "open" && ["collect", "vote"].includes(phase)) {
    const others = topics.filter((o) => o.id !== topic.id && o.status === "open");
    if (others.length) {
      const id = `lc-merge-${topic.id}`;
      tools.push(
        h(
          "form",
          { class: "lc-form lc-form--inline", dataset: { form: "merge", topic: topic.id }, novalidate: true },
          h(
            "div",
            { class: "kern-form-input" },
            h("label", { class: "kern-label", for: id }, t("merge_label")),
            h(
              "select",
              { class: "kern-form-input__select", id, name: "into", "data-key": id },
              others.map((o) => h("option", { value: o.id }, o.title)),
            ),
          ),
          h("button", { type: "submit", class: "kern-btn kern-btn--secondary kern-btn--x-small", "data-key": `${id}-go` }, h("span", { class: "kern-label" }, t("merge"))),
        ),
      );
    }
  }
  const buttons = [];
  if (topic.status === "open" && phase === "discuss") {
    const tied = topics.filter((o) => o.status === "open" && o.votes === topic.votes);
    if (tied.length > 1) {
      buttons.push(button(t("move_up"), "reorder-up", { topic: topic.id }, "tertiary", topic.title));
      buttons.push(button(t("move_down"), "reorder-down", { topic: topic.id }, "tertiary", topic.title));
    }
    buttons.push(button(t("skip"), "skip", { topic: topic.id }, "tertiary", topic.title));
  }
  if (topic.status === "discussing" && phase === "discuss") {
    buttons.push(button(t("skip"), "skip", { topic: topic.id }, "tertiary", topic.title));
  }
  const removable = ["collect", "vote", "discuss"].includes(phase) && topic.status === "open";
  if (removable) buttons.push(button(t("remove"), "remove", { topic: topic.id }, "tertiary", topic.title));
  if (buttons.length) tools.push(h("div", { class: "lc-buttons" }, buttons));
  if (!tools.length) return null;
  return h(
    "details",
    { class: "lc-tools", "data-key": `lc-tools-${topic.id}` },
    h("summary", { class: "kern-body kern-body--small" }, t("tools"), h("span", { class: "lc-sr" }, ` – ${topic.title}`)),
    tools,
  );
}

/** One topic card. `view`: {phase, me, facilitator, editing, topics}. */
export function card(topic, view) {
  const { phase, me, facilitator, editing } = view;
  const mine = me && me.my_topic_ids && me.my_topic_ids.includes(topic.id);
  const headingId = `lc-topic-${topic.id}`;
  const item = h("li", { class: `lc-card lc-card--${topic.status}`, dataset: { topicId: topic.id, key: `card:${topic.id}` } });
  if (editing === topic.id && mine && phase === "collect") {
    item.append(editForm(topic));
    return item;
  }
  item.append(h("h3", { class: "kern-heading-small lc-card__title", id: headingId }, topic.title));
  if (topic.detail) item.append(h("p", { class: "kern-body lc-card__detail" }, topic.detail));
  item.append(authorLine(topic, me));
  const votes = votesLine(topic, phase, me);
  if (votes) item.append(votes);
  const buttons = [];
  let why = null;
  if (phase === "vote" && topic.status === "open") {
    const mineCount = (me && me.my_votes && me.my_votes[String(topic.id)]) || 0;
    // No dot can be given: the button says so by being off, a line next to it says why.
    const reason = me && me.votes_left <= 0 ? "vote_none_left" : !view.multipleDots && mineCount > 0 ? "vote_one_per_topic" : null;
    const give = button(t("vote_add"), "vote", { topic: topic.id }, "primary", topic.title);
    if (reason) {
      const whyId = `lc-why-${topic.id}`;
      give.disabled = true;
      give.setAttribute("aria-describedby", whyId);
      why = h("p", { class: "kern-body kern-body--small lc-card__why", id: whyId }, t(reason));
    }
    buttons.push(give);
    if (mineCount > 0) buttons.push(button(t("vote_remove"), "unvote", { topic: topic.id }, "secondary", topic.title));
  }
  if (phase === "collect" && mine) {
    buttons.push(button(t("edit"), "edit", { topic: topic.id }, "secondary", topic.title));
    buttons.push(button(t("withdraw"), "withdraw", { topic: topic.id }, "tertiary", topic.title));
  }
  if (buttons.length) item.append(h("div", { class: "lc-buttons" }, buttons));
  if (why) item.append(why);
  const writable = ["discuss", "wrapup"].includes(phase) && topic.status !== "open";
  const noteBlock = notes(topic, writable, me, facilitator, view.people);
  if (noteBlock) item.append(noteBlock);
  const tools = facilitatorTools(topic, view);
  if (tools) item.append(tools);
  return item;
}
