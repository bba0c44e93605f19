/* Excel upload page: show that a large file is being checked (no inline scripts under the CSP). */
(function () {
  "use strict";
  document.querySelectorAll("form.excel-upload").forEach(function (form) {
    form.addEventListener("submit", function () {
      var button = form.querySelector("[data-busy-text]");
      if (button) {
        button.disabled = true;
        button.textContent = button.getAttribute("data-busy-text");
      }
    });
  });
})();
