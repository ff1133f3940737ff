// "Link teilen" boxes (templates/pages/_share.html): copy the link and say so in the box's
// live region; when a page announces a new link (event "peerlab:share-url" on the box, e.g. a
// renewed guest link), show it and reload its QR code; an empty link hides the box. Without script the field stays
// selectable and the QR code is still there.

function setUp(box) {
  const field = box.querySelector("[data-share-url]");
  const button = box.querySelector("[data-share-copy]");
  const status = box.querySelector("[data-share-status]");
  const qr = box.querySelector("[data-share-qr]");
  if (!field) return;

  if (button && navigator.clipboard) {
    button.hidden = false;
    button.addEventListener("click", async () => {
      status.textContent = "";
      try {
        await navigator.clipboard.writeText(field.value);
        status.textContent = button.dataset.copied;
      } catch {
        field.select();
        status.textContent = button.dataset.failed;
      }
    });
  }

  // A new link (renewed) replaces the old one; no link (revoked) hides the box.
  box.addEventListener("peerlab:share-url", (event) => {
    const url = (event.detail && event.detail.url) || "";
    box.hidden = !url;
    if (!url || (url === field.value && qr && qr.getAttribute("src"))) return;
    field.value = url;
    if (status) status.textContent = "";
    if (qr) qr.src = `${box.dataset.qrUrl}?v=${Date.now()}`;
  });
}

for (const box of document.querySelectorAll("[data-share]")) setUp(box);
