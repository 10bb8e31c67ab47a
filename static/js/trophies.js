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

/* Application form: live character counters and autosave after a pause in typing. */
(function () {
  "use strict";
  var counters = document.querySelectorAll("textarea[data-counter], input[maxlength]");
  Array.prototype.forEach.call(counters, function (field) {
    var hint = document.getElementById(field.id + "-limit");
    if (!hint) { return; }
    var limit = parseInt(hint.getAttribute("data-limit"), 10);
    var template = hint.getAttribute("data-template") || "{n} / {limit}";
    function update() {
      var n = field.value.replace(/\r\n/g, "\n").length;
      hint.textContent = template.replace("{n}", n).replace("{limit}", limit);
      if (n > limit) { hint.setAttribute("data-over", ""); } else { hint.removeAttribute("data-over"); }
    }
    field.addEventListener("input", update);
    update();
  });

  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch || !window.FormData) { return; }
  var status = form.querySelector("[data-autosave-status]");
  var version = form.querySelector("input[name=version]");
  function text(name) { return (status && status.getAttribute("data-" + name)) || ""; }
  var timer = null, delay = 2500, retry = 0, busy = false, dirty = false;

  function say(text) { if (status) { status.textContent = text; } }
  function save() {
    if (busy) { dirty = true; return; }
    busy = true; dirty = false;
    var data = new FormData(form);
    Array.prototype.forEach.call(form.querySelectorAll("input[type=file]"), function (f) { data.delete(f.name); });
    data.set("action", "autosave");
    fetch(form.action || window.location.href, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "Accept": "application/json", "X-Autosave": "1" }
    }).then(function (response) {
      return response.json().then(function (body) { return { status: response.status, body: body }; });
    }).then(function (result) {
      busy = false;
      if (result.status === 200) {
        retry = 0;
        if (version && result.body.version) { version.value = result.body.version; }
        say(text("saved").replace("{time}", result.body.saved_at));
        if (dirty) { schedule(); }
      } else if (result.status === 409) {
        say(text("conflict"));
      } else if (result.status === 400) {
        say(text("invalid"));
      } else { fail(); }
    }).catch(function () { busy = false; fail(); });
  }
  function fail() {
    retry = Math.min(retry + 1, 6);
    say(text("failed"));
    timer = setTimeout(save, 2000 * Math.pow(2, retry));
  }
  function schedule() { clearTimeout(timer); timer = setTimeout(save, delay); }
  form.addEventListener("input", function (event) {
    if (event.target && event.target.type === "file") { return; }
    schedule();
  });
})();
