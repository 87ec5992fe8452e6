// Live ageing of due times: every 30 s each [data-due] element is rewritten from its ISO time, using the
// server's "now" (body[data-now]) so a skewed workstation clock does not move the deadlines. The page is
// fully usable without this script; it only keeps the words true while the page stays open.
(function () {
  "use strict";
  var serverNow = Date.parse(document.body.getAttribute("data-now") || "");
  var skew = isNaN(serverNow) ? 0 : serverNow - Date.now();

  function span(ms) {
    var minutes = Math.floor(Math.abs(ms) / 60000);
    var days = Math.floor(minutes / 1440), hours = Math.floor((minutes % 1440) / 60), mins = minutes % 60;
    if (days) return days + " d " + hours + " h";
    if (hours) return hours + " h " + mins + " min";
    return mins ? mins + " min" : "under 1 min";
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    e.textContent = text;
    return e;
  }

  function refresh() {
    var now = Date.now() + skew;
    var items = document.querySelectorAll("[data-due]");
    for (var i = 0; i < items.length; i++) {
      var node = items[i], at = Date.parse(node.getAttribute("data-due"));
      if (isNaN(at)) continue;
      var what = node.getAttribute("data-what") || "";
      var left = at - now;
      node.textContent = "";
      node.classList.remove("overdue", "soon", "ok");
      if (left < 0) {
        node.classList.add("overdue");
        node.appendChild(el("b", "icon", "\u26a0"));
        node.appendChild(document.createTextNode(" "));
        node.appendChild(el("b", "word", "OVERDUE"));
        node.appendChild(document.createTextNode(" "));
        node.appendChild(el("span", "text", what + " overdue by " + span(left)));
        var row = node.closest("tr");
        if (row) row.classList.add("late");
      } else {
        node.classList.add(left < 30 * 60000 ? "soon" : "ok");
        node.appendChild(el("b", "icon", "\u25f7"));
        node.appendChild(document.createTextNode(" "));
        node.appendChild(el("span", "text", what + " due in " + span(left)));
      }
    }
  }

  refresh();
  window.setInterval(refresh, 30000);
  window.PackGate = { refreshDue: refresh };  // for the browser test, which cannot wait 30 s
})();
