/* The e-library's EPUB reader: epub.js (vendored) opens the borrowed book through its signed link,
   pages with buttons, arrow keys and swipes, and saves the position (a CFI) for this reader. */
(function () {
  "use strict";
  var config = document.getElementById("reader-config");
  var saved = JSON.parse(document.getElementById("reader-position").textContent || '""');
  var progress = document.getElementById("progress");
  var book = ePub(config.dataset.book, { openAs: "epub" });
  var rendition = book.renderTo("viewer", { width: "100%", height: "100%", spread: "none", flow: "paginated" });
  var timer = null;
  rendition.themes.default({ body: { "font-family": "Sarabun, 'Noto Sans Thai', sans-serif", "line-height": "1.7" } });
  rendition.display(saved || undefined).catch(function () {
    document.getElementById("reader-error").hidden = false;
  });
  book.ready.then(function () { return book.locations.generate(1200); }).then(function () { report(); });
  function report() {
    var where = rendition.currentLocation();
    if (!where || !where.start) { return; }
    var share = book.locations.length() ? book.locations.percentageFromCfi(where.start.cfi) : 0;
    progress.textContent = Math.round((share || 0) * 100) + "%";
    document.body.dataset.location = where.start.cfi;
    clearTimeout(timer);
    timer = setTimeout(function () { save(where.start.cfi, share || 0); }, 400);
  }
  function save(cfi, share) {
    fetch(config.dataset.save, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": config.dataset.csrf },
      body: JSON.stringify({ location: cfi, progress: share })
    }).then(function (r) { document.body.dataset.saved = r.ok ? cfi : ""; });
  }
  rendition.on("relocated", report);
  rendition.on("rendered", function (section, view) {  // the book's frame is named for screen readers
    var frame = view && (view.iframe || (view.element && view.element.querySelector("iframe")));
    if (frame) { frame.setAttribute("title", document.getElementById("viewer").getAttribute("aria-label")); }
  });
  document.getElementById("next").addEventListener("click", function () { rendition.next(); });
  document.getElementById("prev").addEventListener("click", function () { rendition.prev(); });
  function keys(e) {
    if (e.key === "ArrowRight") { rendition.next(); }
    if (e.key === "ArrowLeft") { rendition.prev(); }
  }
  document.addEventListener("keyup", keys);
  rendition.on("keyup", keys);
  var startX = null;
  rendition.on("touchstart", function (e) { startX = e.changedTouches[0].screenX; });
  rendition.on("touchend", function (e) {
    if (startX === null) { return; }
    var dx = e.changedTouches[0].screenX - startX;
    if (Math.abs(dx) > 40) { if (dx < 0) { rendition.next(); } else { rendition.prev(); } }
    startX = null;
  });
})();
