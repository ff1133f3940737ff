// Small DOM helpers of every live page: build elements without innerHTML, keep focus and typed text across renders.

/** Create an element; `text` sets textContent, `on<event>` adds listeners, null/false skip. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") el.className = value;
    else if (name === "text") el.textContent = value;
    else if (name === "dataset") Object.assign(el.dataset, value);
    else if (name.startsWith("on") && typeof value === "function") {
      el.addEventListener(name.slice(2), value);
    } else el.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function setText(id, text) {
  const el = document.getElementById(id);
  if (el && el.textContent !== text) el.textContent = text;
}

export function show(id, visible) {
  const el = document.getElementById(id);
  if (el) el.hidden = !visible;
}

/**
 * Re-render `root` with `render()` without losing what a person is doing: the values of
 * controls marked with data-key, open <details>, and the focused control (and its caret).
 *
 * `itemAttribute` (optional) names the attribute that identifies the items a control sits in,
 * e.g. "data-card-id": when the focused control is gone after the render (or disabled), the
 * focus moves to the item with the same value of that attribute, so the person keeps their
 * place. Without it, a vanished control leaves the focus where the render left it.
 */
export function preserving(root, render, { itemAttribute = null } = {}) {
  const saved = new Map();
  for (const el of root.querySelectorAll("[data-key]")) {
    if (el.tagName === "DETAILS") saved.set(el.dataset.key, { open: el.open });
    else if (el.type === "checkbox") saved.set(el.dataset.key, { checked: el.checked });
    else if (["INPUT", "SELECT", "TEXTAREA"].includes(el.tagName)) saved.set(el.dataset.key, { value: el.value });
  }
  const active = document.activeElement;
  const focusKey = active && root.contains(active) ? active.dataset.key : null;
  const holder = focusKey && itemAttribute ? active.closest(`[${itemAttribute}]`) : null;
  const itemId = holder ? holder.getAttribute(itemAttribute) : null;
  let caret = null;
  if (focusKey && typeof active.selectionStart === "number") {
    caret = [active.selectionStart, active.selectionEnd];
  }
  render();
  for (const el of root.querySelectorAll("[data-key]")) {
    const state = saved.get(el.dataset.key);
    if (!state) continue;
    if ("open" in state) el.open = state.open;
    else if ("checked" in state) el.checked = state.checked;
    else if ("value" in state && el.value !== state.value) el.value = state.value;
  }
  if (!focusKey) return;
  const again = [...root.querySelectorAll("[data-key]")].find((el) => el.dataset.key === focusKey);
  if (!again || again.disabled) {
    // The control is gone (e.g. the last dot was taken back): keep the focus on its item.
    const item = itemId === null ? null : [...root.querySelectorAll(`[${itemAttribute}]`)].find((el) => el.getAttribute(itemAttribute) === itemId);
    if (item) {
      item.tabIndex = -1;
      item.focus({ preventScroll: true });
    }
    return;
  }
  // An item that held the focus before keeps it (it is focusable by script only).
  if (!again.hasAttribute("tabindex") && again.tabIndex < 0) again.tabIndex = -1;
  again.focus({ preventScroll: true });
  if (caret && typeof again.setSelectionRange === "function") {
    try {
      again.setSelectionRange(caret[0], caret[1]);
    } catch {
      // some input types (date) have no caret
    }
  }
}
