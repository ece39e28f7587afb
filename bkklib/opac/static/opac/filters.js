// Search results: the filter panel is a <details> closed by default (a phone shows results first and a
// "Filters" button); on a wide screen it is the open sidebar, and it closes again when the window
// becomes narrow. Without JavaScript the button still opens and closes it.
(function () {
  var wide = window.matchMedia("(min-width: 60rem)");
  function panel() { return document.getElementById("filters"); }
  document.addEventListener("DOMContentLoaded", function () {
    if (panel() && wide.matches) panel().open = true;
  });
  wide.addEventListener("change", function () {
    if (panel()) panel().open = wide.matches;
  });
})();
