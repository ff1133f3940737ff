// The reader's words on live pages: the guest marker from the page's strings, dates in the one
// house format of the page's language. Run by tests/e2e/test_words_module.py with `node --test`.
import assert from "node:assert/strict";
import { test } from "node:test";

import { loadStrings } from "../../../static/js/live/i18n.js";
import { formatDay, personLabel } from "../../../static/js/live/words.js";

function pageStrings(strings) {
  globalThis.document = { getElementById: () => ({ textContent: JSON.stringify(strings) }) };
  loadStrings("lc-strings");
}

test("an English page marks a guest as guest, a German page as Gast", () => {
  pageStrings({ guest_named: "{name} (guest)", guest_unnamed: "guest" });
  assert.equal(personLabel("Gerda", true), "Gerda (guest)");
  assert.equal(personLabel(null, true), "guest");
  assert.equal(personLabel("Anna", false), "Anna");
  pageStrings({ guest_named: "{name} (Gast)", guest_unnamed: "Gast" });
  assert.equal(personLabel("Gerda", true), "Gerda (Gast)");
});

test("a due date reads like the server's dates, not as ISO", () => {
  assert.equal(formatDay("2026-12-01", "de"), "Dienstag, 1. Dezember 2026");
  assert.equal(formatDay("2026-12-01", "en"), "Tuesday, December 1, 2026");
  assert.equal(formatDay("", "de"), "");
});
