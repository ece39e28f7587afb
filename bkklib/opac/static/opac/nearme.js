/* "Near me" for the library directory: ask the browser for the position (only when the visitor
   presses the button), put it into the filter form and submit; the server sorts by distance.
   Without JavaScript or geolocation the button stays hidden and the directory works as before. */
(function () {
  "use strict";
  var button = document.getElementById("near-me");
  var form = document.getElementById("directory-filters");
  var status = document.getElementById("near-me-status");
  if (!button || !form || !("geolocation" in navigator)) { return; }
  button.hidden = false;
  button.addEventListener("click", function () {
    status.textContent = button.getAttribute("data-locating");
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(function (pos) {
      document.getElementById("id_lat").value = pos.coords.latitude.toFixed(5);
      document.getElementById("id_lng").value = pos.coords.longitude.toFixed(5);
      form.submit();
    }, function () {
      status.textContent = button.getAttribute("data-denied");
      button.disabled = false;
    }, { enableHighAccuracy: false, timeout: 10000, maximumAge: 300000 });
  });
}());
