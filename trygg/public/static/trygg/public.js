// Quick exit for the public pages. Without JavaScript the button is a plain link to a neutral
// site; with it, the button and the Escape key replace the current history entry, and links
// between public pages replace it too, so that Back cannot return to any of them.
// Loaded in <head> without `defer`: the listeners sit on the document from the first moment, so
// Escape works while the rest of the page is still arriving.
(function () {
  "use strict";
  function exitLink() {
    return document.querySelector("a[data-quick-exit]");
  }
  function leave(event, exit) {
    event.preventDefault();
    if (document.body) {
      document.body.style.visibility = "hidden";
    }
    window.location.replace(exit.href);
  }
  document.addEventListener("keydown", function (event) {
    var exit = exitLink();
    if (exit && (event.key === "Escape" || event.key === "Esc")) {
      leave(event, exit);
    }
  });
  document.addEventListener("click", function (event) {
    if (event.defaultPrevented || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) {
      return;
    }
    var link = event.target.closest ? event.target.closest("a[href]") : null;
    if (!link) {
      return;
    }
    if (link.hasAttribute("data-quick-exit")) {
      leave(event, link);
      return;
    }
    if (link.origin !== window.location.origin || link.hash && link.pathname === window.location.pathname) {
      return;
    }
    event.preventDefault();
    window.location.replace(link.href);
  });
})();
