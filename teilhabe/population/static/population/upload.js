// Upload with a progress bar: sends the form with XMLHttpRequest so the browser reports upload progress,
// then follows the server's redirect to the check report. Without JavaScript the form posts normally.
(function () {
  "use strict";
  var form = document.querySelector("form[data-upload-progress]");
  if (!form || !window.XMLHttpRequest || !window.FormData) {
    return;
  }
  var box = document.getElementById("upload-progress");
  var bar = box ? box.querySelector("progress") : null;
  var status = box ? box.querySelector("[data-upload-status]") : null;
  form.addEventListener("submit", function (event) {
    if (!bar) {
      return;
    }
    event.preventDefault();
    var request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.upload.addEventListener("progress", function (progress) {
      if (progress.lengthComputable) {
        bar.value = Math.round((progress.loaded / progress.total) * 100);
        status.textContent = box.dataset.uploading.replace("%s", String(bar.value));
      }
    });
    request.upload.addEventListener("load", function () {
      bar.removeAttribute("value");
      status.textContent = box.dataset.checking;
    });
    request.addEventListener("load", function () {
      if (request.status === 200 && request.responseURL && request.responseURL !== form.action) {
        window.location.assign(request.responseURL);
      } else {
        document.open();
        document.write(request.responseText);
        document.close();
      }
    });
    request.addEventListener("error", function () {
      status.textContent = box.dataset.failed;
    });
    box.hidden = false;
    form.querySelector("button[type=submit]").disabled = true;
    request.send(new FormData(form));
  });
})();
