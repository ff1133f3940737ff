// Anonymous replies: sent as a socket event (never a form POST). Only this browser gets the
// token that can delete the post for 15 minutes; it lives in this page's memory and in
// sessionStorage of this tab, and the post is shown here as "erscheint um 10:15" until the
// quarter-hour when everyone sees it.

const WINDOW_MS = 15 * 60 * 1000;

export function setupAnonymous(socket, groupId, threadId) {
  const box = document.querySelector("[data-anonymous]");
  const words = document.getElementById("pl-anon-words");
  if (!box || !words) return;
  box.hidden = false;
  const form = box.querySelector("[data-anonymous-form]");
  const status = box.querySelector("[data-anonymous-status]");
  const list = box.querySelector("[data-anonymous-mine]");
  const zone = box.dataset.zone || "Europe/Berlin";
  const clock = new Intl.DateTimeFormat(document.documentElement.lang || "de", {
    hour: "2-digit",
    minute: "2-digit",
    timeZone: zone,
  });
  const key = `pl-anon-${groupId}-${threadId}`;
  const mine = JSON.parse(sessionStorage.getItem(key) || "[]").filter(
    (item) => Date.now() - item.sent < WINDOW_MS,
  );

  function save() {
    sessionStorage.setItem(key, JSON.stringify(mine));
  }

  function render() {
    list.replaceChildren();
    for (const item of mine) {
      const li = document.createElement("li");
      li.className = "pl-list__item";
      const text = document.createElement("span");
      text.className = "kern-body";
      // Published once the server's list of posts (not this computer's clock) holds it.
      const state = document.getElementById(`beitrag-${item.post_id}`)
        ? words.dataset.appeared
        : words.dataset.appears.replace("{time}", clock.format(new Date(item.appears_at)));
      text.textContent = state + " „" + item.preview + "“";
      const button = document.createElement("button");
      button.type = "button";
      button.className = "kern-btn kern-btn--secondary kern-btn--x-small";
      const label = document.createElement("span");
      label.className = "kern-label";
      label.textContent = words.dataset.delete;
      button.append(label);
      button.addEventListener("click", () => remove(item));
      li.append(text, " ", button);
      list.append(li);
    }
  }

  function remove(item) {
    socket.emit(
      "group:anonymous_delete",
      { group_id: groupId, post_id: item.post_id, token: item.token },
      (ack) => {
        status.textContent = ack && ack.ok ? words.dataset.deleted : (ack && ack.message) || "";
        mine.splice(mine.indexOf(item), 1);
        save();
        render();
      },
    );
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const body = form.elements.body.value.trim();
    if (!body) {
      status.textContent = words.dataset.empty;
      return;
    }
    socket.emit("group:anonymous", { group_id: groupId, thread_id: threadId, body }, (ack) => {
      if (!ack || !ack.ok) {
        status.textContent = (ack && ack.message) || "";
        return;
      }
      mine.push({
        post_id: ack.post_id,
        token: ack.token,
        appears_at: ack.appears_at,
        sent: Date.now(),
        preview: body.length > 60 ? body.slice(0, 60) + "…" : body,
      });
      save();
      form.reset();
      status.textContent = words.dataset.appears.replace(
        "{time}",
        clock.format(new Date(ack.appears_at)),
      );
      render();
    });
  });
  render();
  // At the quarter-hour the page fetches the posts again: "erscheint um" becomes "ist erschienen".
  const posts = document.getElementById("pl-group-posts");
  if (posts) new MutationObserver(() => render()).observe(posts, { childList: true });
}
