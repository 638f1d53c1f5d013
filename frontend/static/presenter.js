// The presenter screen's keys: → next question, ← previous, R reveal or hide, L close or reopen the answers.
// Each presses one of the page's key buttons (plain forms that htmx posts), so the keyboard and the buttons do
// the same thing, with or without this script. Keys typed into a field, or with a modifier, are left alone.
(function () {
  "use strict";

  var KEYS = { ArrowRight: "next", ArrowLeft: "previous", r: "reveal", R: "reveal", l: "lock", L: "lock" };
  var last = null; // the screen's last HTML, so an unchanged poll (the browser's 304 served from its cache) is not swapped

  function typing(element) {
    if (!element) return false;
    var tag = element.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || element.isContentEditable;
  }

  function message(text) {
    var line = document.getElementById("pr-message");
    if (line) line.textContent = text;
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.repeat || typing(event.target)) return;
    var key = KEYS[event.key];
    if (!key) return;
    var button = document.querySelector('button[data-key="' + key + '"]');
    if (!button) return;
    event.preventDefault();
    button.click();
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var detail = event.detail;
    if (!detail.target || detail.target.id !== "screen") return;
    if (detail.isError) {
      detail.shouldSwap = false;
      if (detail.requestConfig && detail.requestConfig.verb === "post") {
        message(detail.xhr.responseText || "That did not work: the server answered " + detail.xhr.status + ".");
      }
      return;
    }
    if (detail.requestConfig && detail.requestConfig.verb === "post") message("");
    if (detail.serverResponse === last) detail.shouldSwap = false;
    last = detail.serverResponse;
  });

  document.addEventListener("htmx:sendError", function (event) {
    var config = event.detail.requestConfig;
    if (config && config.verb === "post") message("Not sent: the server cannot be reached. Press the key again once it is back.");
  });

  document.addEventListener("DOMContentLoaded", function () {
    var screen = document.getElementById("screen");
    if (screen) last = screen.innerHTML;
  });
})();
