// Tribewise's only script: htmx does the work; this file says so when a save cannot reach the server.
(function () {
  "use strict";

  // A form that saves as you go marks itself with data-autosave; its status line has data-save-status.
  function statusOf(element) {
    var form = element && element.closest ? element.closest("[data-autosave]") : null;
    return form ? { form: form, line: form.querySelector("[data-save-status]") } : null;
  }

  function show(target, state, text) {
    if (!target || !target.line) return;
    target.form.setAttribute("data-state", state);
    target.line.textContent = text;
    var retry = target.form.querySelector("[data-retry]");
    if (retry) retry.hidden = state !== "failed";
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    show(statusOf(event.target), "saving", "Saving…");
  });

  // The network failed (server down, connection lost): nothing was swapped, the answer stays on screen.
  document.addEventListener("htmx:sendError", function (event) {
    show(statusOf(event.target), "failed", "Not saved: the server cannot be reached. Your answer is still here; retry when you are back online.");
  });

  // The server answered with an error page that is not a fragment (a timeout at a proxy, say).
  document.addEventListener("htmx:responseError", function (event) {
    var target = statusOf(event.target);
    if (target && !event.detail.shouldSwap) {
      show(target, "failed", "Not saved: the server answered " + event.detail.xhr.status + ". Your answer is still here; retry.");
    }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-retry]") : null;
    if (!button) return;
    event.preventDefault();
    var form = button.closest("[data-autosave]");
    if (form && window.htmx) window.htmx.trigger(form, "submit");
  });
})();
