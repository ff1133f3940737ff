// The facilitators' list of the round's guests. Guests' names reach only facilitators, in their
// private `me.guests` (broadcasts count guests, they never name them). Removing a guest takes
// two steps (ask, confirm); the result is said in the list's status line (role="status").
import { h, preserving, show } from "../live/dom.js";
import { t } from "../live/i18n.js";

const LEADS = ["facilitator", "cofacilitator"];
let confirming = null; // participant id of the guest whose removal is being confirmed

/** The guest's display name; confidential rounds send none, so the list numbers them. */
export function guestName(guest, index) {
  return guest.name || t("guest_numbered", { n: index + 1 });
}

export function renderGuests(snap, me) {
  const lead = Boolean(snap && me && LEADS.includes(me.role) && Array.isArray(me.guests)) && snap.round.phase !== "closed";
  show("lc-guests", lead);
  const list = document.getElementById("lc-guests-list");
  preserving(list, () => {
    list.textContent = "";
    if (!lead) return;
    if (!me.guests.some((guest) => guest.participant_id === confirming)) confirming = null;
    if (!me.guests.length) {
      list.append(h("li", {}, t("guests_none")));
      return;
    }
    me.guests.forEach((guest, index) => {
      const id = guest.participant_id;
      const name = guestName(guest, index);
      const line = h("li", { class: "lc-guest", dataset: { guestId: id } }, name, guest.present ? "" : ` – ${t("absent")}`);
      if (confirming === id) {
        const question = `lc-guest-question-${id}`;
        line.append(
          h("p", { class: "kern-body lc-guest__question", id: question }, t("guest_confirm", { name })),
          h("div", { class: "lc-buttons", role: "group", "aria-labelledby": question }, button(t("guest_remove_yes"), "confirm", id, name, "primary"), button(t("cancel"), "cancel", id, name, "secondary")),
        );
      } else {
        line.append(h("div", { class: "lc-buttons" }, button(t("remove"), "ask", id, name, "tertiary")));
      }
      list.append(line);
    });
  });
}

function button(label, step, id, name, variant) {
  return h(
    "button",
    { type: "button", class: `kern-btn kern-btn--${variant} kern-btn--x-small`, dataset: { guestStep: step, participant: id, name, key: `guest-${step}:${id}` } },
    h("span", { class: "kern-label" }, label, step === "ask" ? h("span", { class: "lc-sr" }, ` – ${name}`) : null),
  );
}

function focusKey(key) {
  const el = document.querySelector(`#lc-guests [data-key="${key}"]`);
  if (el) el.focus();
  return Boolean(el);
}

/** ctx: {act(event, payload) -> Promise<ack>, current() -> {snap, me}} */
export function bindGuests(ctx) {
  const box = document.getElementById("lc-guests");
  const status = document.getElementById("lc-guests-status");
  const rerender = () => {
    const { snap, me } = ctx.current();
    renderGuests(snap, me);
  };
  box.addEventListener("click", async (event) => {
    const el = event.target.closest("[data-guest-step]");
    if (!el || !box.contains(el)) return;
    const id = Number(el.dataset.participant);
    const step = el.dataset.guestStep;
    if (step === "ask") {
      confirming = id;
      status.textContent = "";
      rerender();
      focusKey(`guest-confirm:${id}`);
    } else if (step === "cancel") {
      confirming = null;
      rerender();
      focusKey(`guest-ask:${id}`);
    } else if (step === "confirm") {
      const name = el.dataset.name;
      el.disabled = true;
      const ack = await ctx.act("participant:remove", { participant_id: id });
      confirming = null;
      rerender();
      if (ack.ok) {
        status.textContent = t("guest_removed", { name });
        document.getElementById("lc-guests-title").focus();
      } else if (!focusKey(`guest-ask:${id}`)) {
        document.getElementById("lc-guests-title").focus();
      }
    }
  });
}
