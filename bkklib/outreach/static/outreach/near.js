/* "Next visit near me": ask the browser for the position and let the server find the nearest stops.
   No map service is called; the position goes only to our own /mobile-libraries/near/. */
(function () {
  "use strict";
  var button = document.getElementById("near-me");
  if (!button || !("geolocation" in navigator)) { return; }
  var status = document.getElementById("near-status");
  button.addEventListener("click", function (event) {
    event.preventDefault();
    if (status) { status.textContent = button.getAttribute("data-wait") || "…"; }
    navigator.geolocation.getCurrentPosition(function (pos) {
      var url = button.getAttribute("data-near-url") + "?lat=" + pos.coords.latitude.toFixed(5) +
        "&lon=" + pos.coords.longitude.toFixed(5);
      window.location.assign(url);
    }, function () {
      window.location.assign(button.getAttribute("data-near-url") + "?lat=&lon=");
    }, { enableHighAccuracy: false, timeout: 15000, maximumAge: 300000 });
  });
})();
