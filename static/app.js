// Live search: mark the first keystroke after a pause as the start of a new search, so the
// server pushes a history entry for it (Back returns to the previous settled search) while the
// keystrokes that follow only replace the current entry.
(function () {
  "use strict";
  var PAUSE_MS = 1200;
  var lastTyped = 0;

  document.addEventListener("htmx:configRequest", function (event) {
    var source = event.detail.elt;
    if (!source || source.id !== "q") {
      return;
    }
    var now = Date.now();
    if (now - lastTyped > PAUSE_MS) {
      event.detail.headers["X-Search-Start"] = "1";
    }
    lastTyped = now;
  });
})();
