// Tribewise's only script: htmx does the work; this file makes boosted navigation behave like loading a
// page, and keeps forms that save as you go honest about what is saved. Such a form has data-autosave, a
// status line with data-save-status and a hidden [data-retry] button. The page's live region (#announce,
// role=status) tells screen readers.
(function () {
  "use strict";

  // Controls only a page without scripts needs (class no-script-only) hide from here on.
  document.documentElement.classList.add("js");

  var UNREACHABLE = "Not saved: the server cannot be reached. What you entered is still here: press Retry when you are back online.";
  var sent = new WeakMap(); // form -> its values (without version and token) when its last save left
  var restore = null; // what to put back after a question is swapped: focus, an open "note and evidence"

  function autosaveForm(element) {
    return element && element.closest ? element.closest("[data-autosave]") : null;
  }

  // The form that sent the request an htmx event is about (htmx sets detail.elt to the element the
  // event fires on, which for swap events is the swap target, not the form).
  function formOf(event) {
    var detail = event.detail || {};
    return autosaveForm((detail.requestConfig && detail.requestConfig.elt) || detail.elt || event.target);
  }

  function values(form) {
    var data = new FormData(form);
    data.delete("expected_version");
    data.delete("_csrf_token");
    return new URLSearchParams(data).toString();
  }

  function announce(text) {
    var region = document.getElementById("announce");
    if (region) region.textContent = text;
  }

  function show(form, state, text) {
    form.setAttribute("data-state", state);
    var line = form.querySelector("[data-save-status]");
    if (line) line.textContent = text;
    var retry = form.querySelector("[data-retry]");
    if (retry) retry.hidden = state !== "unreachable" && state !== "unavailable";
  }

  // A 503 (the server's disk is full) passes: the same answer can be retried as it is, so Retry shows.
  function refusal(status) {
    return status === 503 ? "unavailable" : "failed";
  }

  function numberOf(form) {
    var number = form.querySelector(".q-no");
    return number ? "Question " + number.textContent.replace(".", "") : "Your change";
  }

  // The swapped element's new version in the response, or null when the response is not that fragment
  // (an error page from a proxy or an expired session).
  function fragmentFor(target, response) {
    if (typeof response !== "string") return null;
    var doc = new DOMParser().parseFromString(response, "text/html");
    if (target && target.id) return doc.getElementById(target.id);
    return /<html[\s>]/i.test(response) ? null : doc.body;
  }

  function messageOf(response, status) {
    var doc = typeof response === "string" ? new DOMParser().parseFromString(response, "text/html") : null;
    var lead = doc && doc.querySelector("main .lead, .q-message");
    return lead ? lead.textContent.trim() : "the server answered " + status + ".";
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = formOf(event);
    if (!form) return;
    sent.set(form, values(form));
    show(form, "saving", "Saving…");
  });

  // The network failed (server down, connection lost): nothing was swapped, the answer stays on screen.
  document.addEventListener("htmx:sendError", function (event) {
    var form = formOf(event);
    if (!form) return;
    show(form, "unreachable", UNREACHABLE);
    announce(numberOf(form) + " not saved: the server cannot be reached. Press Retry when you are back online.");
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var detail = event.detail;
    var form = formOf(event);
    if (!form) return;
    var status = detail.xhr.status;
    var fresh = fragmentFor(detail.target, detail.serverResponse);
    if (!fresh) {
      // Not the question (a proxy's error, an expired session): keep the answer on screen, say why.
      if (status >= 400) {
        detail.shouldSwap = false;
        show(form, refusal(status), "Not saved: " + messageOf(detail.serverResponse, status));
        announce(numberOf(form) + " not saved.");
      }
      return;
    }
    if (status !== 409 && values(form) !== sent.get(form)) {
      // Changed again while this save was on its way: keep what is on screen (the next save, queued,
      // carries it) and take only the new version, so that save is not refused as stale.
      detail.swapOverride = "none";
      var version = fresh.querySelector("input[name=expected_version]");
      var mine = form.querySelector("input[name=expected_version]");
      if (status < 300 && version && mine) {
        mine.value = version.value;
        show(form, "saved", "Saved");
      } else if (status >= 400) {
        show(form, refusal(status), "Not saved: " + messageOf(detail.serverResponse, status));
      }
      return;
    }
    var details = form.querySelector("details");
    restore = {
      id: detail.target.id,
      focus: detail.target.contains(document.activeElement),
      open: details ? details.open : false,
    };
  });

  // After the question is swapped: reopen its note and evidence if they were open, and keep the
  // keyboard in the question when the focused control did not come back (Retry, now hidden).
  document.addEventListener("htmx:afterSwap", function () {
    if (!restore || !restore.id) {
      restore = null;
      return;
    }
    var question = document.getElementById(restore.id);
    var wanted = restore;
    restore = null;
    if (!question) return;
    var details = question.querySelector("details");
    if (details && wanted.open) details.open = true;
    var active = document.activeElement;
    if (wanted.focus && (!active || active === document.body || !document.body.contains(active))) {
      var radio = question.querySelector("input[type=radio]:checked") || question.querySelector("input[type=radio]");
      if (radio) radio.focus({ preventScroll: true });
    }
  });

  // Boosted navigation (a link or form that loads another page). While it is on its way the bar at the top
  // shows and the control it started from is busy; when the page arrives it starts at the top (or where Back
  // left it) with the keyboard on the heading the page marks (tabindex=-1), so screen readers announce it.
  var busy = null; // the link or button a boosted navigation started from
  var left = null; // how far down the page that Back or Forward returns to was scrolled

  function done() {
    if (busy) busy.removeAttribute("aria-busy");
    busy = null;
    var bar = document.getElementById("nav-progress");
    if (bar) bar.classList.remove("htmx-request");
  }

  // The keyboard on a place in the page: a closed <details> it is, or lies in, opens first (a level, stage or score
  // that a chart or table links to), and focus goes to the disclosure's summary, else to the place itself.
  function land(place) {
    for (var d = place.closest("details"); d; d = d.parentElement && d.parentElement.closest("details")) d.open = true;
    var summary = place.tagName === "DETAILS" ? place.querySelector(":scope > summary") : null;
    var target = summary || place;
    if (target.tabIndex < 0 && !target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus({ preventScroll: true });
  }

  function arrive(anchor, scroll) {
    var main = document.getElementById("main");
    if (!main) return;
    var place = anchor && document.getElementById(anchor); // the address's #place (htmx misses ids with dots)
    if (place) {
      land(place);
      place.scrollIntoView({ block: "start" });
      return;
    }
    window.scrollTo(0, scroll || 0);
    land(main.querySelector("h1[tabindex='-1'], h2[tabindex='-1']") || main);
  }

  // A place in this page that is, or lies in, a <details> (a level, stage or score a chart or table links to):
  // the browser scrolls to it but neither opens it nor moves the keyboard there.
  function disclosed(hash) {
    var id;
    try {
      id = decodeURIComponent(hash.slice(1));
    } catch (error) {
      return null; // an address with a malformed escape names no place
    }
    var place = id ? document.getElementById(id) : null;
    return place && place.closest("details") ? place : null;
  }

  // On a link's click, before the browser scrolls, so it scrolls to the opened place (htmx leaves such links to
  // the browser; SVG links carry their address in href too); again on Back and Forward and for an address that
  // arrives with one.
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[href^='#']") : null;
    var place = link && disclosed(link.getAttribute("href"));
    if (place) land(place);
  });

  window.addEventListener("hashchange", function () {
    var place = disclosed(location.hash);
    if (place) land(place);
  });

  // Opened at once, so the browser scrolls to it open; the keyboard goes there once the page has loaded, since the
  // browser's own scroll to the address's place then clears the focus (the place itself is not focusable).
  var arrived = disclosed(location.hash);
  if (arrived) {
    land(arrived);
    window.addEventListener("load", function () {
      setTimeout(function () {
        land(arrived);
        arrived.scrollIntoView({ block: "start" });
      }, 0);
    });
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var detail = event.detail;
    if (!detail.boosted) return;
    done();
    var trigger = detail.requestConfig.triggeringEvent;
    busy = (trigger && trigger.submitter) || detail.elt;
    busy.setAttribute("aria-busy", "true");
    var bar = document.getElementById("nav-progress");
    if (bar) bar.classList.add("htmx-request");
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.boosted) done();
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.detail.boosted) arrive(event.detail.pathInfo.anchor);
  });

  // Back and Forward: the page comes again from the server (no copy is kept), scrolled where it was left.
  // htmx replaces the history entry's state before it pushes the next one; the scroll is added to it then.
  document.addEventListener("htmx:beforeHistoryUpdate", function () {
    history.replaceState({ htmx: true, scroll: window.scrollY }, "");
  });

  window.addEventListener("popstate", function (event) {
    left = event.state && event.state.scroll;
  });

  document.addEventListener("htmx:historyRestore", function () {
    arrive(null, left);
  });

  // The page could not be fetched again (its answer was an error): load it whole, so what shows matches the address.
  document.addEventListener("htmx:historyCacheMissLoadError", function () {
    window.location.reload();
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-retry]") : null;
    if (!button) return;
    event.preventDefault();
    var form = autosaveForm(button);
    if (form && window.htmx) window.htmx.trigger(form, "submit");
  });
})();
