// Material upload: a file above the limit is refused before it travels (the server checks
// again and answers with the same message). The message sits in the field's error slot.
for (const form of document.querySelectorAll("form[data-size-limit]")) {
  const limit = Number(form.dataset.sizeLimit);
  const input = form.querySelector('input[type="file"]');
  if (!input || !limit) continue;
  form.addEventListener("submit", (event) => {
    const file = input.files && input.files[0];
    const old = form.querySelector(".pl-size-error");
    if (old) old.remove();
    if (!file || file.size <= limit) return;
    event.preventDefault();
    const error = document.createElement("p");
    error.className = "kern-error pl-size-error";
    error.id = `${input.id}-size-error`;
    error.setAttribute("role", "alert");
    const text = document.createElement("span");
    text.className = "kern-body";
    text.textContent = form.dataset.sizeMessage;
    error.append(text);
    input.before(error);
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("aria-describedby", `${input.getAttribute("aria-describedby") || ""} ${error.id}`.trim());
    input.focus();
  });
}
