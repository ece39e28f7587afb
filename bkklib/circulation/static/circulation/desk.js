/* Desk scanning: a barcode scanner types digits and Enter, about once a second or faster.
   Each scan clears the field at once (so the next scan is never mixed with the last), is sent in
   order (one request after another) and its one-line answer is put at the top of the list. */
(function () {
  "use strict";
  function csrf() {
    const m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : (document.querySelector("[name=csrfmiddlewaretoken]") || {}).value;
  }
  // A loan made or renewed by a scan shows in the panel's "On loan" table at once.
  function applyResult(li) {
    const rows = document.getElementById("loan-rows");
    if (!rows || !li || li.dataset.ok !== "true" || !li.dataset.loan) return;
    let row = rows.querySelector('tr[data-loan="' + li.dataset.loan + '"]');
    if (!row) {
      if (li.dataset.code !== "checked_out") return;
      const empty = rows.querySelector("tr[data-empty]");
      if (empty) empty.remove();
      row = document.createElement("tr");
      row.dataset.loan = li.dataset.loan;
      ["title", "barcode", "due", "renewals"].forEach(function (name) {
        const cell = document.createElement("td");
        if (name === "due" || name === "renewals") cell.setAttribute("data-" + name, "");
        cell.textContent = li.dataset[name] || "";
        row.appendChild(cell);
      });
      const cell = document.createElement("td");
      const form = document.createElement("form");
      form.className = "inline-form";
      form.method = "post";
      form.action = rows.dataset.renewUrl.replace("/0/", "/" + li.dataset.loan + "/");
      form.setAttribute("hx-post", form.action);
      form.setAttribute("hx-target", "#scan-results");
      form.setAttribute("hx-swap", "afterbegin");
      form.setAttribute("hx-headers", JSON.stringify({ "X-CSRFToken": csrf() }));
      const button = document.createElement("button");
      button.type = "submit";
      button.className = "btn-secondary";
      button.textContent = rows.dataset.renewLabel || "Renew";
      form.appendChild(button);
      cell.appendChild(form);
      row.appendChild(cell);
      rows.prepend(row);
      if (window.htmx) window.htmx.process(row);
      const count = document.getElementById("loan-count");
      if (count) count.textContent = rows.querySelectorAll("tr[data-loan]").length;
    } else {
      row.querySelector("[data-due]").textContent = li.dataset.due;
      row.querySelector("[data-renewals]").textContent = li.dataset.renewals;
    }
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
            applyResult(results.firstElementChild);
            const count = document.getElementById("scan-count");
            if (count) count.textContent = results.querySelectorAll("[data-ok=true]:not([data-code=renewed])").length;  // scans, not renewals
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
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail && event.detail.target && event.detail.target.id === "scan-results") {
      applyResult(event.detail.target.firstElementChild);  // a renewal from the table
    }
    bindAll();
    const focus = document.querySelector("[data-autofocus]");
    if (focus) focus.focus();
  });
})();
