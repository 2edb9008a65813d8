// Live search helpers on top of htmx: history entries per search, the language switch following
// the address, focus and announcements for "More talks", and a visible message when a request fails.
(function () {
  "use strict";
  var PAUSE_MS = 1200;
  var lastKeystroke = 0;
  var searchStarting = false;
  var moreLoad = null;

  function status() {
    return document.getElementById("result-status");
  }

  // A keystroke after a pause starts a new search: its first answered request pushes a history
  // entry (Back returns to before it), and every later one only replaces that entry. Measured
  // between keystrokes, not requests, so a short pause inside a word never splits the search.
  document.addEventListener("input", function (event) {
    if (event.target.id !== "q") {
      return;
    }
    var now = Date.now();
    if (now - lastKeystroke > PAUSE_MS) {
      searchStarting = true;
    }
    lastKeystroke = now;
  });

  document.addEventListener("htmx:configRequest", function (event) {
    var source = event.detail.elt;
    if (source && source.id === "q" && searchStarting) {
      event.detail.headers["X-Search-Start"] = "1";
    }
  });

  // The language switch carries the current address, which live search keeps changing.
  function followAddress() {
    var here = location.pathname + location.search;
    document.querySelectorAll("a.language-switch").forEach(function (link) {
      var target = new URL(link.href, location.href);
      target.searchParams.set("next", here);
      link.href = target.pathname + target.search;
    });
  }
  ["htmx:pushedIntoHistory", "htmx:replacedInHistory", "htmx:historyRestore"].forEach(function (name) {
    document.addEventListener(name, followAddress);
  });
  window.addEventListener("popstate", followAddress);

  // "More talks": remember whether the link had focus, then hand focus to the first new talk.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (target && target.id === "more-results" && event.detail.shouldSwap) {
      var next = new URL(target.href, location.href).hash.slice(1);
      moreLoad = {anchor: next, hadFocus: document.activeElement === target};
    }
  });
  document.addEventListener("htmx:load", function () {
    if (!moreLoad) {
      return;
    }
    var heading = moreLoad.anchor && document.getElementById(moreLoad.anchor);
    if (!heading) {
      return;  // another part of the same answer (the status line, swapped out of band) loaded first
    }
    var load = moreLoad;
    moreLoad = null;
    var link = heading.querySelector("a");
    if (link && load.hadFocus) {
      link.focus();
    }
  });

  // A failed request says so where the result count is (a polite live region); the next
  // keystroke or filter change simply asks again and its answer replaces the message.
  function showFailure() {
    var region = status();
    if (region && region.dataset.failed) {
      region.textContent = region.dataset.failed;
      region.classList.add("is-error");
    }
  }
  document.addEventListener("htmx:sendError", showFailure);
  document.addEventListener("htmx:responseError", showFailure);
  document.addEventListener("htmx:timeout", showFailure);
  document.addEventListener("htmx:afterRequest", function (event) {
    if (!event.detail.successful) {
      return;
    }
    var headers = event.detail.requestConfig && event.detail.requestConfig.headers;
    if (headers && headers["X-Search-Start"]) {
      searchStarting = false;
    }
    var region = status();
    if (region) {
      region.classList.remove("is-error");
    }
  });
})();
