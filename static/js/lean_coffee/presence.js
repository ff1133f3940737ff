// Applying a `presence:changed` message to the board's snapshot. Presence is versioned with the
// round (docs/realtime.md §6): the channel hands this over only when the message is newer than
// what the board shows, and everything in the snapshot that derives from presence changes with
// it, so the board never shows presence older than its version.

/** Update `snapshot` in place from `data` ({round_id, version, presence}). */
export function applyPresence(snapshot, data) {
  snapshot.presence = data.presence;
  snapshot.version = data.version;
  const present = new Set(data.presence.people || []);
  for (const person of snapshot.people || []) person.present = present.has(person.participant_id);
  // An open Roman vote closes when every present person has given a thumb: "n of m" follows.
  if (snapshot.roman && snapshot.roman.open) snapshot.roman.present = data.presence.total;
  return snapshot;
}
