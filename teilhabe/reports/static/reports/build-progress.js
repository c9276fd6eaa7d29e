// Polls the status of running report builds and updates their progress bars; reloads when one finishes.
(function () {
  "use strict";
  function poll(box) {
    var url = box.getAttribute("data-status-url");
    var bar = box.querySelector("progress");
    var label = box.querySelector(".report-progress__label");
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        bar.value = data.progress;
        bar.textContent = data.progress + " %";
        label.textContent = data.status_label + (data.step ? " – " + data.step : "");
        if (data.finished) { window.location.reload(); } else { window.setTimeout(function () { poll(box); }, 1500); }
      })
      .catch(function () { window.setTimeout(function () { poll(box); }, 5000); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".report-progress[data-status-url]").forEach(poll);
  });
})();
