// Mends what Swagger UI draws without an accessible structure, as it draws it (it renders on
// the fly): a link nested in each operation's summary button (axe: nested-interactive) becomes
// text, its parameter selects are named by their parameter, and its code panels, which
// scroll, take the keyboard's focus.
(function () {
  "use strict";
  function mend(root) {
    // Code panels scroll sideways: the keyboard must reach them (axe: scrollable-region).
    root.querySelectorAll(".microlight:not([tabindex]), pre.example:not([tabindex])").forEach(
      function (panel) { panel.setAttribute("tabindex", "0"); }
    );
    root.querySelectorAll(".opblock-summary-control a").forEach(function (link) {
      var text = document.createElement("span");
      text.className = link.className;
      text.textContent = link.textContent;
      link.replaceWith(text);
    });
    root.querySelectorAll("tr[data-param-name] select:not([aria-label])").forEach(function (box) {
      box.setAttribute("aria-label", box.closest("tr").getAttribute("data-param-name"));
    });
    root.querySelectorAll("select:not([aria-label]):not([id])").forEach(function (box) {
      var label = box.closest("label, .content-type-wrapper, .servers");
      box.setAttribute("aria-label", label ? label.textContent.trim() || "choice" : "choice");
    });
  }
  new MutationObserver(function () { mend(document); }).observe(document.documentElement, {
    childList: true,
    subtree: true,
  });
  mend(document);
})();
