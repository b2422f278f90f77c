/* Draws every chart on a performance page from its json_script data (no inline script).
 * On a narrow screen a long title is broken into lines (Plotly does not wrap titles),
 * so it is not cut off at the chart's edges. */
(function () {
  "use strict";
  function wrap(text, width) {
    var perLine = Math.max(20, Math.floor(width / 9));
    var lines = [], line = "";
    text.split(" ").forEach(function (word) {
      if (line && (line + " " + word).length > perLine) { lines.push(line); line = word; }
      else { line = line ? line + " " + word : word; }
    });
    if (line) { lines.push(line); }
    return lines;
  }
  function fit(layout, width) {
    var title = layout.title && layout.title.text;
    if (!title) { return layout; }
    var lines = wrap(title, width);
    if (lines.length > 1) {
      layout.title.text = lines.join("<br>");
      layout.margin = layout.margin || {};
      layout.margin.t = (layout.margin.t || 60) + 18 * (lines.length - 1);
    }
    return layout;
  }
  function draw() {
    if (typeof window.Plotly === "undefined") { return; }
    document.querySelectorAll("[data-chart]").forEach(function (element) {
      var source = document.getElementById(element.getAttribute("data-chart"));
      if (!source) { return; }
      var figure = JSON.parse(source.textContent);
      window.Plotly.newPlot(element, figure.data, fit(figure.layout, element.clientWidth), {
        displayModeBar: false,
        responsive: true
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
