/* Desk scanning: a barcode scanner types digits and Enter, about once a second or faster.
   Each scan clears the field at once (so the next scan is never mixed with the last), is sent in
   order (one request after another) and its one-line answer is put at the top of the list. */
(function () {
  "use strict";
  function csrf() {
    const m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : (document.querySelector("[name=csrfmiddlewaretoken]") || {}).value;
  }
  function bind(form) {
    if (form.dataset.scanBound) return;
    form.dataset.scanBound = "1";
    const input = form.querySelector("input[name=barcode]");
    const results = document.getElementById(form.dataset.results);
    let chain = Promise.resolve();
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      const value = input.value.trim();
      input.value = "";
      input.focus();
      if (!value) return;
      const body = new FormData();
      body.append("barcode", value);
      chain = chain.then(function () {
        return fetch(form.action, { method: "POST", body: body, credentials: "same-origin",
                                    headers: { "X-CSRFToken": csrf(), "HX-Request": "true" } })
          .then(function (r) { return r.text(); })
          .then(function (html) {
            results.insertAdjacentHTML("afterbegin", html);
            const count = document.getElementById("scan-count");
            if (count) count.textContent = results.querySelectorAll("[data-ok=true]").length;
          })
          .catch(function () {
            results.insertAdjacentHTML("afterbegin",
              '<li class="scan scan-error" data-ok="false">' + value + ": " + (form.dataset.offline || "network error") + "</li>");
          });
      });
    });
  }
  function bindAll() { document.querySelectorAll("form[data-scan]").forEach(bind); }
  document.addEventListener("DOMContentLoaded", bindAll);
  document.addEventListener("htmx:afterSwap", function () {
    bindAll();
    const focus = document.querySelector("[data-autofocus]");
    if (focus) focus.focus();
  });
})();
