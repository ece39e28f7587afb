/* Share a record's link: the phone's share sheet when there is one, else copy to the clipboard.
   Without JavaScript the link stays visible in a read-only field to copy by hand. */
(function () {
  "use strict";
  var button = document.getElementById("share-button");
  var field = document.getElementById("share-url");
  var status = document.getElementById("share-status");
  if (!button || !field) { return; }
  button.hidden = false;
  button.addEventListener("click", function () {
    if (navigator.share) {
      navigator.share({ title: button.getAttribute("data-title"), url: field.value }).catch(function () {});
      return;
    }
    field.select();
    var done = function () { status.textContent = button.getAttribute("data-copied"); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, function () { document.execCommand("copy"); done(); });
    } else {
      document.execCommand("copy");
      done();
    }
  });
}());
