/* The summaries page's enhancement (summarizer.htmlview): everything reads without it. Hovering a record row
   marks its highlights "active"; clicking it pins them ("pinned") and scrolls the first to the centre; hovering a
   highlight marks its record rows. Links to other records keep their default behaviour. */
(function () {
  "use strict";
  function each(list, fn) { Array.prototype.forEach.call(list, fn); }
  function toggle(els, cls, on) { each(els || [], function (el) { el.classList.toggle(cls, on); }); }
  each(document.querySelectorAll("section.article"), function (art) {
    var rows = Object.create(null), marks = Object.create(null);
    each(art.querySelectorAll("tr.record"), function (row) {
      var id = row.getAttribute("data-record");
      (rows[id] = rows[id] || []).push(row);
    });
    each(art.querySelectorAll("mark.ev"), function (mark) {
      each((mark.getAttribute("data-records") || "").split(" "), function (id) {
        if (id) { (marks[id] = marks[id] || []).push(mark); }
      });
    });
    each(art.querySelectorAll("tr.record"), function (row) {
      var id = row.getAttribute("data-record");
      row.addEventListener("mouseenter", function () { toggle(marks[id], "active", true); });
      row.addEventListener("mouseleave", function () { toggle(marks[id], "active", false); });
      row.addEventListener("click", function (event) {
        if (event.target.closest("a.link")) { return; }
        event.preventDefault();
        toggle(document.querySelectorAll(".pinned"), "pinned", false);
        toggle(marks[id], "pinned", true);
        row.classList.add("pinned");
        if (marks[id] && marks[id].length) { marks[id][0].scrollIntoView({ block: "center", behavior: "smooth" }); }
      });
    });
    each(art.querySelectorAll("mark.ev"), function (mark) {
      var ids = (mark.getAttribute("data-records") || "").split(" ");
      mark.addEventListener("mouseenter", function () { each(ids, function (id) { toggle(rows[id], "active", true); }); });
      mark.addEventListener("mouseleave", function () { each(ids, function (id) { toggle(rows[id], "active", false); }); });
    });
  });
})();
