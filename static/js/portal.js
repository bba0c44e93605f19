/* Behaviour shared by every portal page (no inline scripts: the CSP allows only 'self'). */
(function () {
  "use strict";

  // Widths of bars come from data-width="42.5" (a percentage): styles set from JS are allowed.
  function applyWidths(root) {
    root.querySelectorAll("[data-width]").forEach(function (el) {
      var w = parseFloat(el.getAttribute("data-width"));
      if (!isNaN(w)) {
        el.style.width = Math.max(0, Math.min(100, w)) + "%";
      }
    });
  }

  // Rows and cards with data-href open that page when clicked (links inside keep their own target).
  function onClick(event) {
    var row = event.target.closest("[data-href]");
    if (!row || event.target.closest("a, button, input, select, label")) {
      return;
    }
    window.location.assign(row.getAttribute("data-href"));
  }

  function onKey(event) {
    if (event.key !== "Enter") {
      return;
    }
    var row = event.target.closest("[data-href]");
    if (row && event.target === row) {
      window.location.assign(row.getAttribute("data-href"));
    }
  }

  // Selects marked data-autosubmit submit their form on change (year selector and the like).
  function onChange(event) {
    var el = event.target;
    if (el.matches("[data-autosubmit]") && el.form) {
      el.form.requestSubmit ? el.form.requestSubmit() : el.form.submit();
    }
  }

  // Buttons marked data-confirm="…" ask before submitting.
  function onSubmit(event) {
    var btn = event.submitter;
    var msg = (btn && btn.getAttribute("data-confirm")) || event.target.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) {
      event.preventDefault();
    }
  }

  // ---------------------------------------------------------------------------------------
  // The session: a warning before the idle timeout, a clear notice once it has ended (also
  // for htmx, whose 401 is never swapped into a panel), and a form kept through the login.
  var body = document.body;
  var sessionSeconds = parseInt(body.getAttribute("data-session-seconds"), 10);
  var warnSeconds = parseInt(body.getAttribute("data-session-warning-seconds"), 10) || 120;
  var warnTimer = null;
  var endTimer = null;
  var countdownTimer = null;
  var endsAt = 0;

  function banner(id) {
    return document.querySelector('[data-testid="' + id + '"]');
  }

  function entryForm() {
    return document.querySelector("main form[method='post']:not([data-no-restore])");
  }

  function loginHref() {
    var next = window.location.pathname + window.location.search;
    return body.getAttribute("data-login-url") + "?next=" + encodeURIComponent(next);
  }

  function showExpired() {
    clearTimers();
    var warning = banner("session-warning");
    var expired = banner("session-expired");
    if (warning) { warning.hidden = true; }
    if (!expired) { return; }
    var link = expired.querySelector("[data-session-login]");
    if (link) { link.setAttribute("href", loginHref()); }
    expired.hidden = false;
    expired.scrollIntoView({ block: "nearest" });
  }

  function showCountdown() {
    var left = Math.max(0, Math.round((endsAt - Date.now()) / 1000));
    var el = document.querySelector("[data-session-countdown]");
    if (el) {
      el.textContent = left >= 60 ? Math.ceil(left / 60) + "分钟" : left + "秒";
    }
  }

  function showWarning() {
    var warning = banner("session-warning");
    if (!warning) { return; }
    showCountdown();
    warning.hidden = false;
    countdownTimer = window.setInterval(showCountdown, 1000);
  }

  function clearTimers() {
    window.clearTimeout(warnTimer);
    window.clearTimeout(endTimer);
    window.clearInterval(countdownTimer);
  }

  function restartTimers() {
    if (!sessionSeconds) { return; }
    clearTimers();
    var warning = banner("session-warning");
    if (warning) { warning.hidden = true; }
    endsAt = Date.now() + sessionSeconds * 1000;
    warnTimer = window.setTimeout(showWarning, Math.max(0, sessionSeconds - warnSeconds) * 1000);
    endTimer = window.setTimeout(showExpired, sessionSeconds * 1000);
  }

  function keepAlive() {
    fetch(body.getAttribute("data-keep-alive-url"), { credentials: "same-origin", redirect: "manual" })
      .then(function (response) {
        if (response.status === 204) {
          restartTimers();
        } else {
          showExpired();
        }
      })
      .catch(showExpired);
  }

  function onSessionClick(event) {
    if (event.target.closest("[data-session-keep]")) {
      keepAlive();
      return;
    }
    var login = event.target.closest("[data-session-login]");
    var form = entryForm();
    if (login && form) {
      // Posting the form lets the server keep its fields through the login.
      event.preventDefault();
      form.submit();
    }
  }

  // After a login, the fields typed before the session ended come back.
  function restorePendingForm() {
    var data = document.getElementById("pending-form");
    var form = entryForm();
    if (!data || !form) { return; }
    var pairs = JSON.parse(data.textContent);
    var seen = {};
    pairs.forEach(function (pair) {
      var name = pair[0];
      var value = pair[1];
      var fields = form.querySelectorAll('[name="' + CSS.escape(name) + '"]');
      fields.forEach(function (field) {
        if (field.type === "checkbox" || field.type === "radio") {
          if (!seen[name]) { field.checked = false; }
          if (field.value === value) { field.checked = true; }
        } else if (field.tagName === "SELECT" && field.multiple) {
          Array.prototype.forEach.call(field.options, function (option) {
            if (!seen[name]) { option.selected = false; }
            if (option.value === value) { option.selected = true; }
          });
        } else if (field.type !== "file" && field.type !== "hidden") {
          field.value = value;
        } else if (field.type === "hidden" && name === "version") {
          field.value = value;  // the version the user started from: a concurrent edit still shows
        }
      });
      seen[name] = true;
    });
    var restored = banner("form-restored");
    if (restored) { restored.hidden = false; }
  }

  document.addEventListener("DOMContentLoaded", function () {
    restartTimers();
    restorePendingForm();
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.xhr && event.detail.xhr.status !== 401) {
      restartTimers();
    }
  });
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr && event.detail.xhr.status === 401) {
      event.detail.shouldSwap = false;
      event.detail.isError = false;
      showExpired();
    }
  });
  document.addEventListener("click", onSessionClick);

  document.addEventListener("DOMContentLoaded", function () {
    applyWidths(document);
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    applyWidths(event.target);
  });
  document.addEventListener("click", onClick);
  document.addEventListener("keydown", onKey);
  document.addEventListener("change", onChange);
  document.addEventListener("submit", onSubmit);

  window.portal = { applyWidths: applyWidths };
})();
