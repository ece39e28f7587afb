/* A search box for long branch selects (select[data-filter]): typing part of a library's Thai or
   English name or its district keeps only the matching options; the chosen option always stays.
   Without JavaScript the select works as it is, its first group being the home and nearby
   branches. Options are removed and re-added rather than hidden: mobile Safari shows hidden ones. */
(function () {
  "use strict";
  function norm(text) { return (text || "").normalize("NFC").toLowerCase().replace(/\s+/g, " ").trim(); }

  function enhance(select) {
    var groups = [];  // [{label, options: [{node, text}]}] in the original order
    Array.prototype.forEach.call(select.children, function (child) {
      var opts = child.tagName === "OPTGROUP" ? child.children : [child];
      var group = { node: child.tagName === "OPTGROUP" ? child : null, options: [] };
      Array.prototype.forEach.call(opts, function (o) {
        group.options.push({ node: o, text: norm(o.textContent + " " + (o.getAttribute("data-search") || "")) });
      });
      groups.push(group);
    });
    var input = document.createElement("input");
    input.type = "search";
    input.autocomplete = "off";
    input.className = "branch-filter";
    input.id = select.id + "-filter";
    input.placeholder = select.getAttribute("data-filter-placeholder") || "";
    input.setAttribute("aria-label", select.getAttribute("data-filter-label") || input.placeholder);
    input.setAttribute("aria-controls", select.id);
    var count = document.createElement("span");
    count.className = "sr-only";
    count.setAttribute("role", "status");
    select.parentNode.insertBefore(input, select);
    select.parentNode.insertBefore(count, select);

    input.addEventListener("input", function () {
      var words = norm(input.value).split(" ").filter(Boolean);
      var chosen = select.value, firstMatch = null, chosenMatches = false, shown = 0;
      function matches(o) { return words.every(function (w) { return o.text.indexOf(w) !== -1; }); }
      while (select.firstChild) { select.removeChild(select.firstChild); }
      groups.forEach(function (group) {
        var keep = group.options.filter(function (o) { return o.node.value === chosen || matches(o); });
        if (!keep.length) { return; }
        var parent = select;
        if (group.node) {
          while (group.node.firstChild) { group.node.removeChild(group.node.firstChild); }
          select.appendChild(group.node);
          parent = group.node;
        }
        keep.forEach(function (o) {
          parent.appendChild(o.node);
          if (!matches(o)) { return; }
          shown += 1;
          if (o.node.value === chosen) { chosenMatches = true; }
          if (firstMatch === null) { firstMatch = o.node.value; }
        });
      });
      // Keep the choice while it matches; otherwise take the first match, so the button takes what was found.
      select.value = (chosenMatches || firstMatch === null) ? chosen : firstMatch;
      count.textContent = (select.getAttribute("data-filter-count") || "{n}").replace("{n}", shown);
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("select[data-filter]"), enhance);
}());
