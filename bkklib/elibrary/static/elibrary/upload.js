/* Staff upload form: refuse a file over the limit before sending it (the server refuses it too). */
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  if (!form) { return; }
  var input = form.querySelector("input[type=file]");
  var note = document.getElementById("upload-too-large");
  var limit = parseInt(form.dataset.maxBytes, 10);
  function check() {
    var file = input.files && input.files[0];
    var tooLarge = !!file && file.size > limit;
    note.hidden = !tooLarge;
    input.setCustomValidity(tooLarge ? note.textContent : "");
    return !tooLarge;
  }
  input.addEventListener("change", check);
  form.addEventListener("submit", function (event) { if (!check()) { event.preventDefault(); } });
})();
