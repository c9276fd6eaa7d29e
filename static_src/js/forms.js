// Moves focus to the first form error summary after a failed submit, so screen readers announce it
// (templates/includes/form.html renders the summary; no inline script under the CSP).
(function () {
  "use strict";
  function focusSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusSummary);
  } else {
    focusSummary();
  }
})();
