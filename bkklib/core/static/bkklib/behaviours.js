/* Page behaviours that used to be inline handlers (onclick=, onsubmit=, hx-on, hx-vals="js:"),
   moved here so that the Content-Security-Policy allows no inline script and no eval
   (docs/admin/security.md). Each behaviour is a data- attribute:
     <a href="/fallback/" data-back>            goes back in the browser's history
     <form data-confirm="Question?">            asks before sending the form
     <button data-print>                        prints the page
     <form data-reset-after-request>            empties the form after its htmx request
     <button data-count-into="id_x-TOTAL_FORMS"> sends the input's value as "index" with its htmx
                                                request, then adds one to it (formset rows)   */
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.dataset.confirm)) { event.preventDefault(); }
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) { window.print(); }
    if (event.target.closest("a[data-back]") && window.history.length > 1) {
      event.preventDefault();
      window.history.back();
    }
  });
  document.addEventListener("htmx:configRequest", function (event) {
    var id = event.detail.elt.dataset && event.detail.elt.dataset.countInto;
    if (id) { event.detail.parameters.index = document.getElementById(id).value; }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var elt = event.detail.elt;
    if (!elt.dataset) { return; }
    if (elt.hasAttribute("data-reset-after-request") && elt.reset) { elt.reset(); }
    if (elt.dataset.countInto && event.detail.successful) {
      var total = document.getElementById(elt.dataset.countInto);
      total.value = parseInt(total.value, 10) + 1;
    }
  });
})();
