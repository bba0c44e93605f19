/* Data-entry pages: small behaviours without inline scripts (the CSP allows only 'self'). */
(function () {
  "use strict";

  // A check box marked data-check-all="name" ticks or clears every box of that name.
  document.addEventListener("change", function (event) {
    var master = event.target.closest("[data-check-all]");
    if (!master) {
      return;
    }
    var name = master.getAttribute("data-check-all");
    document.querySelectorAll('input[type="checkbox"][name="' + name + '"]').forEach(function (box) {
      box.checked = master.checked;
    });
  });
})();
