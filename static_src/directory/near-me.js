// "Near me": fills the latitude/longitude filters from the browser's location, then submits the search.
(function () {
  "use strict";
  var button = document.getElementById("near-me");
  if (!button || !navigator.geolocation) { return; }
  button.hidden = false;
  button.addEventListener("click", function () {
    var status = document.getElementById("near-me-status");
    navigator.geolocation.getCurrentPosition(function (position) {
      document.getElementById("id_lat").value = position.coords.latitude.toFixed(5);
      document.getElementById("id_lon").value = position.coords.longitude.toFixed(5);
      button.form.submit();
    }, function () {
      if (status) { status.textContent = button.getAttribute("data-error"); }
    }, {timeout: 10000, maximumAge: 600000});
  });
})();
