// The Roman vote (thumbs): real toggle buttons, progress, the result revealed for everyone.
import { h, setText, show } from "../live/dom.js";
import { t } from "../live/i18n.js";

function resultText(result) {
  if (!result) return "";
  const parts = [t("roman_result", { up: result.up, side: result.side, down: result.down })];
  if (result.outcome === "extend") {
    const seconds = result.extension_seconds || 0;
    parts.push(t("outcome_extend", { time: t("minutes_seconds", { m: Math.floor(seconds / 60), s: seconds % 60 }) }));
  } else {
    parts.push(t("outcome_next"));
  }
  if (result.overridden) parts.push(t("overridden"));
  return parts.join(" ");
}

/**
 * Show the vote of the current topic: thumbs while open, the result once it closed. The vote
 * of a topic that is over (the round moved on) is not shown under the next topic's timer; its
 * result was announced when it closed.
 */
export function renderRoman(snap, me) {
  const roman = snap.roman;
  const visible = Boolean(roman) && snap.round.phase === "discuss" && roman.topic_id === snap.current_topic_id;
  show("lc-roman", visible);
  const root = document.getElementById("lc-roman");
  root.dataset.open = String(Boolean(roman && roman.open));
  if (!visible) return;
  show("lc-thumbs", roman.open);
  for (const thumb of document.querySelectorAll("#lc-thumbs [data-action=thumb]")) {
    thumb.setAttribute("aria-pressed", String(Boolean(me && me.my_thumb === thumb.dataset.value)));
  }
  const status = document.getElementById("lc-roman-status");
  status.textContent = "";
  if (roman.open) {
    status.append(
      h("span", {}, t("roman_progress", { n: roman.thumbs, m: roman.present })),
      " ",
      h("span", { id: "lc-roman-clock" }),
    );
  }
  setText("lc-roman-result", resultText(roman.result));
}

/** The facilitator's decision while the thumbs are out (it goes into the bar of next steps). */
export function decisionButtons(snap, toolButton) {
  const roman = snap.roman;
  if (!roman || !roman.open || roman.topic_id !== snap.current_topic_id) return [];
  return [toolButton(t("decide_extend"), "decide-extend"), toolButton(t("decide_next"), "decide-next")];
}

/** Announce the result once, when it first appears. */
export function announceRoman(before, after, announce) {
  if (!after || !after.result) return;
  if (before && before.id === after.id && before.result) return;
  announce(resultText(after.result));
}
