// An in-page confirmation on a native modal <dialog> (KERN UX dialog: header, body, footer).
// The dialog says what will happen; the focus starts on "Cancel" (the safe choice), Escape
// cancels, and when it closes the focus goes back to where it came from.

/**
 * `dialog`: the <dialog> element with #…-title, #…-text, #…-yes and buttons marked
 * data-dialog="cancel" / "confirm". Returns `ask({title, text, confirm, opener, fallback})`,
 * which resolves true (confirmed) or false (cancelled, Escape, `ask.dismiss()`).
 */
export function createConfirm(dialog) {
  const title = dialog.querySelector("[id$='-title']");
  const text = dialog.querySelector("[id$='-text']");
  const yes = dialog.querySelector("[id$='-yes']");
  const cancelButton = dialog.querySelector("[data-dialog=cancel]");
  let settle = null;
  let returnTo = null;

  function finish(confirmed) {
    if (!settle) return;
    const done = settle;
    settle = null;
    if (dialog.open) dialog.close();
    const { opener, fallback } = returnTo || {};
    const target = opener && opener.isConnected && opener.checkVisibility() ? opener : fallback;
    if (target) target.focus();
    done(confirmed);
  }

  dialog.addEventListener("click", (event) => {
    const button = event.target.closest("[data-dialog]");
    if (button) finish(button.dataset.dialog === "confirm");
  });
  // Escape (the dialog's own "cancel") and any other way of closing count as "no".
  dialog.addEventListener("close", () => finish(false));

  function ask({ title: heading, text: body, confirm, opener = null, fallback = null }) {
    if (settle) finish(false);
    title.textContent = heading;
    text.textContent = body;
    yes.textContent = confirm;
    returnTo = { opener, fallback };
    return new Promise((resolve) => {
      settle = resolve;
      dialog.showModal();
      cancelButton.focus();
    });
  }
  /** Close an open question as "no" (what it asked about has changed meanwhile). */
  ask.dismiss = () => finish(false);
  return ask;
}
