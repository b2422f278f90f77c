// The idle-session warning (csp_portal/idle_timeout.py). A signed-in page's <body>
// carries data-idle-timeout and data-idle-warning (seconds). Before the session ends the
// user is warned and may stay signed in; someone typing is kept signed in without being
// asked. If the session ends anyway, what was typed in the page's forms is kept in this
// tab's sessionStorage and put back when the page is opened again after signing in.
(function () {
  "use strict";
  var body = document.body;
  var DRAFT = "csp-draft:" + window.location.pathname + window.location.search;
  var SKIP = { csrfmiddlewaretoken: true, password: true, otp_token: true };

  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && !SKIP[el.name] && el.type !== "file" && el.type !== "password" &&
        el.type !== "submit" && el.type !== "button" && el.type !== "hidden";
    });
  }

  function restoreDraft() {
    var saved = window.sessionStorage.getItem(DRAFT);
    if (!saved) { return; }
    window.sessionStorage.removeItem(DRAFT);
    var forms = JSON.parse(saved);
    var restored = false;
    Array.prototype.forEach.call(document.forms, function (form, index) {
      var values = forms[index];
      if (!values) { return; }
      fields(form).forEach(function (el) {
        if (!(el.name in values)) { return; }
        var value = values[el.name];
        if (el.type === "checkbox" || el.type === "radio") {
          el.checked = value.indexOf(el.value) !== -1;
        } else if (el.multiple) {
          Array.prototype.forEach.call(el.options, function (o) { o.selected = value.indexOf(o.value) !== -1; });
        } else if (value.length) {
          el.value = value[0];
        }
        restored = true;
      });
    });
    if (restored) {
      var note = document.createElement("div");
      note.className = "alert alert-info";
      note.setAttribute("role", "status");
      note.textContent = "What you typed before your session ended has been put back. Check it, then save.";
      var main = document.getElementById("main");
      if (main) { main.insertBefore(note, main.firstChild); }
    }
  }

  function saveDraft() {
    var forms = {};
    var any = false;
    Array.prototype.forEach.call(document.forms, function (form, index) {
      if ((form.method || "get").toLowerCase() !== "post") { return; }
      var values = {};
      fields(form).forEach(function (el) {
        var list = values[el.name] || (values[el.name] = []);
        if (el.type === "checkbox" || el.type === "radio") {
          if (el.checked) { list.push(el.value); }
        } else if (el.multiple) {
          Array.prototype.forEach.call(el.selectedOptions, function (o) { list.push(o.value); });
        } else {
          list.push(el.value);
          if (el.value) { any = true; }
        }
      });
      forms[index] = values;
    });
    if (any) { window.sessionStorage.setItem(DRAFT, JSON.stringify(forms)); }
  }

  restoreDraft();
  var timeout = parseInt(body.dataset.idleTimeout || "", 10);
  var warning = parseInt(body.dataset.idleWarning || "", 10);
  if (!timeout) { return; }

  var lastContact = Date.now();
  var lastInput = 0;
  var banner = null;
  var timers = [];
  document.addEventListener("input", function () { lastInput = Date.now(); }, true);

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) { return input.value; }
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function hideBanner() {
    if (banner) { banner.remove(); banner = null; }
  }

  function end() {
    saveDraft();
    var here = window.location.pathname + window.location.search;
    window.location.assign(body.dataset.loginUrl + "?next=" + encodeURIComponent(here));
  }

  function keepAlive() {
    return window.fetch(body.dataset.keepAliveUrl, {
      method: "POST",
      credentials: "same-origin",
      redirect: "manual",
      headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" }
    }).then(function (response) {
      if (response.ok) {
        lastContact = Date.now();
        hideBanner();
        schedule();
      } else {
        end();
      }
    }, end);
  }

  function warn() {
    if (lastInput > lastContact) { keepAlive(); return; }  // someone is typing: not idle
    if (banner) { return; }
    banner = document.createElement("div");
    banner.className = "alert alert-warning session-timeout-warning";
    banner.setAttribute("role", "alertdialog");
    banner.setAttribute("aria-labelledby", "session-timeout-text");
    var text = document.createElement("p");
    text.id = "session-timeout-text";
    var minutes = Math.max(1, Math.round(warning / 60));
    text.textContent = "You will be signed out in about " + minutes + " minute" +
      (minutes === 1 ? "" : "s") + " because nothing has happened on this page.";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-primary";
    button.textContent = "Stay signed in";
    button.addEventListener("click", keepAlive);
    banner.appendChild(text);
    banner.appendChild(button);
    document.body.appendChild(banner);
    button.focus();
  }

  function schedule() {
    timers.forEach(window.clearTimeout);
    timers = [
      window.setTimeout(warn, Math.max(0, (timeout - warning) * 1000)),
      window.setTimeout(end, timeout * 1000)
    ];
  }
  schedule();
}());
