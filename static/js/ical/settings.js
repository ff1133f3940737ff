// Kalender page: "Kopieren" buttons next to the feed links (the links stay selectable without JS).
const status = document.getElementById("feed-copy-status");

for (const button of document.querySelectorAll("[data-copy-target]")) {
  const input = document.getElementById(button.dataset.copyTarget);
  if (!input || !navigator.clipboard) continue;
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(input.value);
      if (status) status.textContent = button.dataset.copied;
    } catch {
      input.select();
      if (status) status.textContent = button.dataset.failed;
    }
  });
}
