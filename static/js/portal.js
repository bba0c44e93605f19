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
