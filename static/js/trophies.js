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

  document.addEventListener("trophies:activity", schedule);
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
  var conflictBox = form.querySelector("[data-conflict-box]");
  var total = document.getElementById("sheet-total");
  function text(name) { return (status && (status.getAttribute("data-" + name) || status.getAttribute("data-failed"))) || ""; }
  var timer = null, delay = 2500, retry = 0, busy = false, dirty = false, stopped = false;
  var theirs = null, waitingSubmit = null;

  function say(message, state) {
    if (!status) { return; }
    status.textContent = message;
    status.setAttribute("data-state", state || "ok");
  }
  function finish() {
    busy = false;
    if (waitingSubmit !== null) {
      var button = waitingSubmit; waitingSubmit = null;
      if (form.requestSubmit) { form.requestSubmit(button); } else { form.submit(); }
    } else if (dirty && !stopped) { schedule(); }
  }
  function save(keepalive) {
    if (stopped) { return; }
    if (busy) { dirty = true; return; }
    clearTimeout(timer); timer = null;
    busy = true; dirty = false;
    var data = new FormData(form);
    Array.prototype.forEach.call(form.querySelectorAll("input[type=file]"), function (f) { data.delete(f.name); });
    data.set("action", "autosave");
    fetch(form.getAttribute("action") || window.location.href, {
      method: "POST", body: data, credentials: "same-origin", keepalive: !!keepalive,
      headers: { "Accept": "application/json", "X-Autosave": "1" }
    }).then(function (response) {
      return response.json().then(function (body) { return { status: response.status, body: body }; });
    }).then(function (result) {
      var body = result.body || {};
      if (result.status === 200) {
        retry = 0;
        if (version && body.version) { version.value = body.version; }
        if (conflictBox) { conflictBox.hidden = true; }
        if (total && "total" in body) { showTotal(body.total === null ? null : Number(body.total)); }
        say(text("saved").replace("{time}", body.saved_at));
        document.dispatchEvent(new Event("trophies:activity"));
      } else if (result.status === 409 && body.error === "stale") {
        theirs = body.version;
        say(text("conflict"), "error");
        if (conflictBox) { conflictBox.hidden = false; }
      } else if (result.status === 409) {
        say(text(body.error === "closed" ? "closed" : "conflict"), "error");
        stopped = body.error === "closed";
      } else if (result.status === 401 || (result.status === 400 && body.error === "expired")) {
        say(text("expired"), "error"); stopped = true;
      } else if (result.status === 400) {
        say(text("invalid"), "error");
      } else { busy = false; fail(); return; }
      finish();
    }).catch(function () { busy = false; fail(); });
  }
  function fail() {
    retry = Math.min(retry + 1, 6);
    say(text("failed"), "error");
    timer = setTimeout(save, 2000 * Math.pow(2, retry));
    if (waitingSubmit !== null) { finish(); }
  }
  function schedule() { clearTimeout(timer); timer = setTimeout(save, delay); }

  // Live weighted total of a score sheet: the same rule as the server (domain/scoring.py).
  function showTotal(value) {
    if (!total) { return; }
    if (value === null || !isFinite(value)) { total.textContent = "\u2014"; return; }
    var rounded = Math.round(value * 10 + 1e-9) / 10;
    total.textContent = rounded.toFixed(1).replace(".", total.getAttribute("data-decimal") || ".");
  }
  function liveTotal() {
    var sum = 0, weights = 0;
    Array.prototype.forEach.call(form.querySelectorAll("fieldset[data-criterion]"), function (set) {
      var id = set.getAttribute("data-criterion");
      var weight = Number(set.getAttribute("data-weight"));
      var min = Number(set.getAttribute("data-min")), max = Number(set.getAttribute("data-max"));
      var na = document.getElementById("na-" + id);
      if (na && na.checked) { return; }
      var checked = set.querySelector("input[type=radio]:checked");
      var number = set.querySelector("input[type=number]");
      var raw = checked ? checked.value : (number ? number.value : "");
      if (raw === "" || raw === "na") { return; }
      var value = Number(raw);
      if (!isFinite(value) || value < min || value > max) { return; }
      sum += weight * 100 * (value - min) / (max - min); weights += weight;
    });
    showTotal(weights ? sum / weights : null);
  }

  form.addEventListener("input", function (event) {
    if (event.target && event.target.type === "file") { return; }
    if (total) { liveTotal(); }
    if (!stopped) { schedule(); }
  });
  // A click on "save" while a background save is on its way waits for it (same version).
  form.addEventListener("submit", function (event) {
    clearTimeout(timer); timer = null;
    if (busy) { event.preventDefault(); waitingSubmit = event.submitter || null; }
  });
  var keep = form.querySelector("[data-keep-mine]");
  if (keep) {
    keep.addEventListener("click", function () {
      if (theirs !== null && version) { version.value = theirs; }
      stopped = false; save();
    });
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && timer !== null) { save(true); }
  });
})();

/* The juror's dashboard: the search box filters the rows as one types. */
(function () {
  "use strict";
  function fold(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }
  Array.prototype.forEach.call(document.querySelectorAll("input[data-filter]"), function (input) {
    var area = document.getElementById(input.getAttribute("data-filter"));
    if (!area) { return; }
    input.addEventListener("input", function () {
      var words = fold(input.value).split(/\s+/).filter(Boolean);
      Array.prototype.forEach.call(area.querySelectorAll("table"), function (table) {
        var shown = 0;
        Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
          var hay = fold(row.textContent);
          var match = words.every(function (w) { return hay.indexOf(w) !== -1; });
          row.hidden = !match; if (match) { shown += 1; }
        });
        table.hidden = shown === 0;
      });
    });
  });
})();
