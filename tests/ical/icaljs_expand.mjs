// Parse an iCalendar stream with ical.js (Thunderbird's parser) and print what it understood as
// JSON: calendar properties, every VEVENT, and the expanded occurrences of each UID.
// Usage: node icaljs_expand.mjs < file.ics      (at most 500 occurrences per UID)
import ICAL from "ical.js";
import { readFileSync } from "node:fs";

const text = readFileSync(0, "utf8");
const root = new ICAL.Component(ICAL.parse(text));

for (const zone of root.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(new ICAL.Timezone(zone));
}

const utc = (time) => time.convertToZone(ICAL.Timezone.utcTimezone).toString();
const local = (time) => time.toString();
const prop = (comp, name) => {
  const value = comp.getFirstPropertyValue(name);
  return value === null || value === undefined ? null : String(value);
};

const vevents = root.getAllSubcomponents("vevent");
const events = vevents.map((comp) => ({
  uid: prop(comp, "uid"),
  summary: prop(comp, "summary"),
  description: prop(comp, "description"),
  location: prop(comp, "location"),
  status: prop(comp, "status"),
  sequence: comp.getFirstPropertyValue("sequence"),
  dtstart_utc: utc(comp.getFirstPropertyValue("dtstart")),
  dtstart_tzid: comp.getFirstProperty("dtstart").getParameter("tzid") || null,
  recurrence_id_utc: comp.hasProperty("recurrence-id")
    ? utc(comp.getFirstPropertyValue("recurrence-id"))
    : null,
  attendees: comp.getAllProperties("attendee").map((p) => String(p.getFirstValue())),
  organizer: prop(comp, "organizer"),
}));

const occurrences = [];
const masters = vevents.filter((c) => !c.hasProperty("recurrence-id"));
for (const masterComp of masters) {
  const master = new ICAL.Event(masterComp);
  for (const other of vevents) {
    if (other.hasProperty("recurrence-id") && prop(other, "uid") === master.uid) {
      master.relateException(new ICAL.Event(other));
    }
  }
  if (!master.isRecurring()) {
    occurrences.push({
      uid: master.uid, summary: master.summary, start_utc: utc(master.startDate),
      start_local: local(master.startDate), end_utc: utc(master.endDate),
    });
    continue;
  }
  const it = master.iterator();
  let next;
  let n = 0;
  while ((next = it.next()) && n < 500) {
    n += 1;
    const details = master.getOccurrenceDetails(next);
    occurrences.push({
      uid: master.uid, summary: details.item.summary, start_utc: utc(details.startDate),
      start_local: local(details.startDate), end_utc: utc(details.endDate),
      status: details.item.component.getFirstPropertyValue("status"),
    });
  }
}

process.stdout.write(JSON.stringify({
  method: prop(root, "method"),
  name: prop(root, "name"),
  calname: prop(root, "x-wr-calname"),
  timezones: root.getAllSubcomponents("vtimezone").map((z) => prop(z, "tzid")),
  events,
  occurrences,
}));
