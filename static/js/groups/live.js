// A confidential group's live room: no presence, typing or read events exist. The server only
// says "something changed" (at most a random thread id); this page then fetches what its
// reader may see (the thread's posts) or offers to reload (the group page).

import { setupAnonymous } from "./anonymous.js";

const root = document.getElementById("pl-group");

async function refreshPosts(url, target) {
  const resp = await fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } });
  if (!resp.ok) return;
  target.innerHTML = await resp.text();
}

if (root && window.io) {
  const groupId = Number(root.dataset.group);
  const thread = root.dataset.thread || "";
  const socket = window.io("/groups", { reconnectionDelayMax: 5000 });
  // On every (re)connect: watch again, then catch up on what changed while away.
  socket.on("connect", () =>
    socket.emit("group:watch", { group_id: groupId }, (ack) => {
      if (!ack || !ack.ok) return;
      root.dataset.live = "on";
      if (thread) refreshPosts(root.dataset.posts, document.getElementById("pl-group-posts"));
    }),
  );
  socket.on("disconnect", () => {
    root.dataset.live = "off";
  });
  if (thread) setupAnonymous(socket, groupId, thread);
  socket.on("group:changed", (data) => {
    if (thread) {
      if (data && data.thread === thread) {
        refreshPosts(root.dataset.posts, document.getElementById("pl-group-posts"));
      }
      return;
    }
    const note = root.querySelector("[data-live-note]");
    if (note) note.hidden = false;
  });
}
