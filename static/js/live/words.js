// Names and dates as the reader reads them. Broadcasts are the same for everyone, so they carry
// plain names with a `guest` flag and ISO dates; the page renders both in its own language.
import { t } from "./i18n.js";

/** A name as shown: a guest's always with the guest marker ("Gerda (Gast)" / "Gerda (guest)"),
 *  a guest whose name stays hidden as the marker alone. Keys: guest_named, guest_unnamed. */
export function personLabel(name, guest) {
  if (!guest) return name || "";
  return name ? t("guest_named", { name }) : t("guest_unnamed");
}

/** A calendar date ("2026-12-01") in peerlab's one date format, the same as the server's
 *  (Babel's "full" date: "Dienstag, 1. Dezember 2026" / "Tuesday, December 1, 2026"). A day
 *  has no time zone: it is shown as written. `lang` defaults to the page's <html lang>. */
export function formatDay(iso, lang) {
  const parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
  if (!parts) return iso || "";
  const day = new Date(Date.UTC(Number(parts[1]), Number(parts[2]) - 1, Number(parts[3])));
  const locale = lang || (typeof document !== "undefined" && document.documentElement.lang) || "de";
  const format = { weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: "UTC" };
  return new Intl.DateTimeFormat(locale, format).format(day);
}
