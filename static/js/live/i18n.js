// Texts of a live page come translated from the page (a JSON data block, never executed).
let strings = {};

export function loadStrings(id) {
  const node = document.getElementById(id);
  strings = node ? JSON.parse(node.textContent) : {};
}

/** The text for `key` with `{name}` placeholders filled in. */
export function t(key, vars = {}) {
  const text = strings[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole));
}

/** Singular or plural text: keys `<base>_one` and `<base>_other`, `{n}` filled in. */
export function plural(base, n) {
  return t(n === 1 ? `${base}_one` : `${base}_other`, { n });
}
