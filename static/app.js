// Live search helpers on top of htmx: history entries per search, the language switch and the feed
// link following the address, focus after "More talks" and after Back, a visible state while Back
// loads, a message when a request fails, and the video player loaded only when asked for.
(function () {
  "use strict";
  var PAUSE_MS = 1200;
  var BOXES = {q: true, "speaker-q": true};
  var lastKeystroke = 0;
  var valueBeforePause = "";
  var searchStarting = false;
  var moreLoad = null;

  function status() {
    return document.getElementById("result-status");
  }

  // A keystroke after a pause starts a new search: its first answered request pushes a history
  // entry (Back returns to before it), and every later one only replaces that entry. Finishing the
  // word that was being typed ("kub" … "ernetes") is the same search, so it pushes nothing.
  function continuesTheWord(before, now) {
    return before !== "" && now.indexOf(before) === 0 && !/\s/.test(now.slice(before.length - 1));
  }
  document.addEventListener("input", function (event) {
    var box = event.target;
    if (!BOXES[box.id]) {
      return;
    }
    var now = Date.now();
    if (now - lastKeystroke > PAUSE_MS && !continuesTheWord(valueBeforePause, box.value)) {
      searchStarting = true;
    }
    lastKeystroke = now;
    valueBeforePause = box.value;
  });
  document.addEventListener("focusin", function (event) {
    if (BOXES[event.target.id]) {
      valueBeforePause = event.target.value;
    }
  });

  document.addEventListener("htmx:configRequest", function (event) {
    var source = event.detail.elt;
    if (source && BOXES[source.id] && searchStarting) {
      event.detail.headers["X-Search-Start"] = "1";
    }
  });

  // The language switch carries the current address, which live search keeps changing; the page's
  // feed link in the head follows the one beside the count.
  function followAddress() {
    var here = location.pathname + location.search;
    document.querySelectorAll("a.language-switch").forEach(function (link) {
      var target = new URL(link.href, location.href);
      target.searchParams.set("next", here);
      link.href = target.pathname + target.search;
    });
    var shown = document.getElementById("feed-link");
    var head = document.querySelector("link[rel=alternate][type='application/atom+xml']");
    if (shown && head) {
      head.setAttribute("href", shown.getAttribute("href"));
      head.setAttribute("title", shown.dataset.title.trim());
    }
  }
  ["htmx:pushedIntoHistory", "htmx:replacedInHistory", "htmx:historyRestore", "htmx:afterSettle"].forEach(function (name) {
    document.addEventListener(name, followAddress);
  });
  window.addEventListener("popstate", followAddress);

  // Back on a slow network: say at once what is loading (the box shows the query, the results are
  // busy) until the page's answer replaces them. The results still on screen answer the search being
  // left, so they cannot be followed meanwhile, and the indicator carries htmx's in-flight class as
  // for any search: htmx sends this request itself, without its indicators, and nothing else would
  // tell the box's new query apart from a settled one.
  function restoring(loading) {
    var results = document.getElementById("results");
    if (results) {
      if (loading) {
        results.setAttribute("aria-busy", "true");
      } else {
        results.removeAttribute("aria-busy");
      }
      results.toggleAttribute("inert", loading);
    }
    var indicator = document.getElementById("search-indicator");
    if (indicator) {
      indicator.classList.toggle(htmx.config.requestClass, loading);
    }
    document.documentElement.classList.toggle("is-restoring", loading);
  }
  document.addEventListener("htmx:historyCacheMiss", function (event) {
    var params = new URL(event.detail.path, location.href).searchParams;
    var box = document.getElementById("q");
    if (box) {
      box.value = params.get("q") || "";
    }
    restoring(true);
  });
  document.addEventListener("htmx:historyCacheMissLoadError", function () {
    restoring(false);
    showFailure();
  });
  document.addEventListener("htmx:historyRestore", function () {
    document.documentElement.classList.remove("is-restoring");
    focusTheLinkLeftFrom();
  });

  // Back from a talk: focus returns to the link that was followed, not to the top of the page.
  var FOCUS_KEY = "meetup:followed:";
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("main a[href]");
    if (link && !link.hasAttribute("hx-get")) {
      try {
        sessionStorage.setItem(FOCUS_KEY + location.pathname + location.search, link.getAttribute("href"));
      } catch (error) { /* storage refused: focus simply starts at the top */ }
    }
  });
  function focusTheLinkLeftFrom() {
    var key = FOCUS_KEY + location.pathname + location.search;
    var href;
    try {
      href = sessionStorage.getItem(key);
      sessionStorage.removeItem(key);
    } catch (error) {
      return;
    }
    var link = href && Array.prototype.find.call(document.querySelectorAll("main a[href]"), function (a) {
      return a.getAttribute("href") === href;
    });
    if (link) {
      link.focus({preventScroll: true});
    }
  }
  window.addEventListener("pageshow", function (event) {
    var entry = performance.getEntriesByType && performance.getEntriesByType("navigation")[0];
    if (event.persisted || (entry && entry.type === "back_forward")) {
      focusTheLinkLeftFrom();
    }
  });

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

  // A talk's video: the youtube-nocookie player replaces the poster only once the visitor asks.
  document.addEventListener("click", function (event) {
    var poster = event.target.closest && event.target.closest("a.video-poster[data-embed]");
    if (!poster || event.ctrlKey || event.metaKey || event.shiftKey) {
      return;
    }
    event.preventDefault();
    var player = document.createElement("iframe");
    player.src = poster.dataset.embed;
    player.title = poster.dataset.title;
    player.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
    player.allowFullscreen = true;
    player.referrerPolicy = "strict-origin-when-cross-origin";
    poster.replaceWith(player);
    player.focus();
  });
})();
