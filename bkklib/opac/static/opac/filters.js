// Search results: the filter panel is a <details> closed by default (a phone shows results first and a
// "Filters" button); on a wide screen it is the open sidebar. Without JavaScript the button still works.
(function () {
  var wide = window.matchMedia("(min-width: 60rem)");
  function place() {
    var panel = document.getElementById("filters");
    if (panel && wide.matches) panel.open = true;
  }
  document.addEventListener("DOMContentLoaded", place);
  wide.addEventListener("change", place);
})();
