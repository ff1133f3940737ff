// The header's menu on narrow screens (a <details> in base.html, usable without this script):
// Escape closes it and returns the focus to its button; a click or focus elsewhere closes it.
// Browsers that cannot show a closed <details>' content by CSS get it opened on wide screens.
const menu = document.getElementById("pl-menu");
const wide = window.matchMedia("(min-width: 62rem)");

if (menu) {
  const button = menu.querySelector("summary");
  const shownByCss = CSS.supports("selector(::details-content)");
  const narrow = () => !wide.matches;
  const close = () => {
    if (narrow()) menu.open = false;
  };
  menu.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && menu.open && narrow()) {
      close();
      button.focus();
    }
  });
  document.addEventListener("click", (event) => {
    if (menu.open && !menu.contains(event.target)) close();
  });
  menu.addEventListener("focusout", (event) => {
    if (menu.open && event.relatedTarget && !menu.contains(event.relatedTarget)) close();
  });
  if (!shownByCss) {
    const follow = () => {
      menu.open = wide.matches;
    };
    wide.addEventListener("change", follow);
    follow();
  }
}
