// Live word counter for a circle goal: shows the count under the field and, after a short
// pause in typing, tells screen readers politely (one live region). Over the limit it gives
// a hint; saving is never blocked. Texts come from the page (data-one, data-many, data-over).

const PAUSE_MS = 1200;

export function countWords(text) {
  const words = text.trim().split(/\s+/u).filter(Boolean);
  return words.length;
}

export function describe(count, limit, texts) {
  const base = count === 1 ? texts.one : texts.many.replace("{n}", String(count));
  return count > limit ? `${base}. ${texts.over}` : base;
}

function attach(field) {
  const limit = Number(field.dataset.wordLimit);
  const shown = document.getElementById("ziel-count");
  const live = document.getElementById("ziel-live");
  if (!shown || !live || !Number.isFinite(limit)) return;
  const texts = { one: shown.dataset.one, many: shown.dataset.many, over: shown.dataset.over };
  let timer = null;
  let lastSaid = "";
  const update = (announce) => {
    const sentence = describe(countWords(field.value), limit, texts);
    shown.textContent = sentence;
    shown.classList.toggle("pl-circle-count--over", countWords(field.value) > limit);
    if (!announce) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (sentence !== lastSaid) {
        live.textContent = sentence;
        lastSaid = sentence;
      }
    }, PAUSE_MS);
  };
  field.addEventListener("input", () => update(true));
  update(false);
}

document.querySelectorAll("textarea[data-word-limit]").forEach(attach);
