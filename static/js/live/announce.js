// Messages to people on a live page: a polite live region for what changed, an alert box for
// what went wrong. Shared by every live format.
import { h } from "./dom.js";

/** Speak `text` through the live region `element`; sentences of one update are spoken together. */
export function createAnnouncer(element) {
  let pending = [];
  return function announce(text) {
    if (!text || !element) return;
    pending.push(text);
    if (pending.length > 1) return;
    // Emptying first makes a repeated sentence audible again.
    element.textContent = "";
    setTimeout(() => {
      element.textContent = pending.join(" ");
      pending = [];
    }, 60);
  };
}

/**
 * An alert box (role="alert"): `show(message)` (or `fallback()` when the message is empty),
 * `clear()`. `visibleClass` is the page's class that makes the box visible.
 */
export function createAlert(element, fallback, visibleClass) {
  return {
    show(message) {
      element.textContent = "";
      element.append(h("p", { class: "kern-body" }, message || fallback()));
      element.classList.add(visibleClass);
    },
    clear() {
      element.textContent = "";
      element.classList.remove(visibleClass);
    },
  };
}
