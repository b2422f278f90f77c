// Disclosure menus (<details data-disclosure-menu>): keyboard users open them with Enter
// or Space on the summary, as the browser provides; this adds what a menu needs beyond
// that: Escape closes it and puts focus back on its summary, opening one closes the
// others, a click elsewhere closes it, and focus moves into it when it opens.
(function () {
  "use strict";
  var menus = Array.prototype.slice.call(document.querySelectorAll("details[data-disclosure-menu]"));
  function firstControl(menu) {
    return menu.querySelector(".disclosure-menu-panel button, .disclosure-menu-panel a[href]");
  }
  menus.forEach(function (menu) {
    var summary = menu.querySelector("summary");
    menu.addEventListener("toggle", function () {
      if (!menu.open) return;
      menus.forEach(function (other) { if (other !== menu) other.open = false; });
      var first = firstControl(menu);
      if (first) first.focus();
    });
    menu.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && menu.open) {
        event.preventDefault();
        menu.open = false;
        summary.focus();
      }
    });
  });
  document.addEventListener("click", function (event) {
    menus.forEach(function (menu) {
      if (menu.open && !menu.contains(event.target)) menu.open = false;
    });
  });
})();
