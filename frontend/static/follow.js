// A participant's phone following the facilitator (presenter mode). The page polls /join/{code}/now every
// second; the answer carries the current question and its reveal as out-of-band pieces, each with a
// data-key. A piece whose key is the one on screen is left alone: after a 304 the browser hands htmx its
// cached copy, and swapping that in again would take the text and focus from a participant typing a note.
(function () {
  "use strict";
  if (window.twFollow) return; // a boosted navigation may run this file again
  window.twFollow = true;

  var refocus = false;

  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    var detail = event.detail;
    var target = detail.target;
    var fresh = detail.fragment && detail.fragment.firstElementChild;
    if (!target || !fresh || !target.hasAttribute("data-key")) return;
    if (fresh.getAttribute("data-key") === target.getAttribute("data-key")) {
      detail.shouldSwap = false;
      return;
    }
    if (target.id === "ws-current") refocus = target.contains(document.activeElement);
  });

  document.addEventListener("htmx:oobAfterSwap", function (event) {
    var current = document.getElementById("ws-current");
    if (!current || !current.contains(event.target)) return;
    var heading = document.getElementById("ws-current-title");
    var region = document.getElementById("announce");
    if (heading && region) region.textContent = heading.textContent.trim();
    // The question the participant was in has gone: the keyboard starts again at the new one's heading.
    if (heading && refocus) heading.focus();
    refocus = false;
  });
})();
