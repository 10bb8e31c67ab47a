/* Trophies — progressive enhancements only; every page works without this file. */
(function () {
  "use strict";

  // Move focus to an error summary so screen-reader users hear what to fix.
  var summary = document.querySelector("[data-autofocus]");
  if (summary) { summary.focus(); }

  // Idle timeout warning (RGAA 13.1): offer to stay logged in before the session ends.
  var body = document.body;
  var timeout = parseInt(body.getAttribute("data-idle-timeout") || "0", 10);
  var warning = parseInt(body.getAttribute("data-idle-warning") || "0", 10);
  var dialog = document.getElementById("idle-warning");
  if (!timeout || !dialog) { return; }
  var form = dialog.querySelector("form");
  var warnTimer, endTimer;

  function schedule() {
    clearTimeout(warnTimer); clearTimeout(endTimer);
    warnTimer = setTimeout(function () {
      dialog.hidden = false;
      var button = dialog.querySelector("button");
      if (button) { button.focus(); }
    }, Math.max(0, (timeout - warning) * 1000));
    endTimer = setTimeout(function () {
      window.location.href = body.getAttribute("data-login-url");
    }, timeout * 1000 + 2000);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    fetch(form.action, {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      if (response.ok) { dialog.hidden = true; schedule(); } else { form.submit(); }
    }).catch(function () { form.submit(); });
  });
  schedule();
})();
