// Quick exit for the public pages. Without JavaScript the button is a plain link to a neutral
// site; with it, the button and the Escape key replace the current history entry, and links
// between public pages replace it too, so that Back cannot return to any of them.
(function () {
  "use strict";
  var exit = document.querySelector("a[data-quick-exit]");
  if (!exit) {
    return;
  }
  function leave(event) {
    if (event) {
      event.preventDefault();
    }
    document.body.style.visibility = "hidden";
    window.location.replace(exit.href);
  }
  exit.addEventListener("click", leave);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" || event.key === "Esc") {
      leave(event);
    }
  });
  document.addEventListener("click", function (event) {
    if (event.defaultPrevented || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) {
      return;
    }
    var link = event.target.closest ? event.target.closest("a[href]") : null;
    if (!link || link === exit || link.origin !== window.location.origin || link.hash && link.pathname === window.location.pathname) {
      return;
    }
    event.preventDefault();
    window.location.replace(link.href);
  });
})();
