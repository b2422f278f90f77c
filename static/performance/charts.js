/* Draws every chart on a performance page from its json_script data (no inline script).
 * On a narrow screen a long title is broken into lines (Plotly does not wrap titles),
 * so it is not cut off at the chart's edges, and the plot is pushed down until the
 * legend's rows are clear of the title. */
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
  /* On a narrow screen the legend wraps onto rows, which grow upwards from the plot
   * towards the title (pinned to the top): push the plot down until they are clear. */
  function clearLegend(element, layout) {
    var title = element.querySelector(".gtitle"), legend = element.querySelector(".legend");
    if (!title || !legend) { return; }
    var overlap = title.getBoundingClientRect().bottom - legend.getBoundingClientRect().top;
    if (overlap > 0) {
      var top = (layout.margin && layout.margin.t) || 60;
      window.Plotly.relayout(element, {"margin.t": top + overlap + 6});
    }
  }
  function draw() {
    if (typeof window.Plotly === "undefined") { return; }
    document.querySelectorAll("[data-chart]").forEach(function (element) {
      var source = document.getElementById(element.getAttribute("data-chart"));
      if (!source) { return; }
      var figure = JSON.parse(source.textContent);
      var layout = fit(figure.layout, element.clientWidth);
      window.Plotly.newPlot(element, figure.data, layout, {
        displayModeBar: false,
        responsive: true
      }).then(function () { clearLegend(element, layout); });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
