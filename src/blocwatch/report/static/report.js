/* blocwatch report: draws every chart of the page from its JSON, offline.
   Each chart is <div id=ID> plus <script type="application/json" data-chart=ID>; choropleth
   traces get the shared world polygons (assets/world.js) here, so pages do not repeat them.
   Clicking a point whose customdata is a report-relative link opens it. */
(function () {
  "use strict";
  var LINK = /^(\.\.\/)?(actions|docs)\/[a-z0-9-]+\.html(#[a-z0-9-]+)?$/;

  function draw(node) {
    var target = document.getElementById(node.getAttribute("data-chart"));
    if (!target) { return; }
    if (typeof window.Plotly === "undefined") {
      target.textContent = "This chart needs assets/plotly.min.js next to the report pages.";
      return;
    }
    var figure = JSON.parse(node.textContent);
    figure.data.forEach(function (trace) {
      if (trace.type === "choropleth") { trace.geojson = window.BLOCWATCH_WORLD; }
    });
    var config = {responsive: true, displaylogo: false, modeBarButtonsToRemove: ["select2d", "lasso2d"]};
    window.Plotly.newPlot(target, figure.data, figure.layout, config).then(function () {
      target.setAttribute("data-drawn", "1");
    });
    target.on("plotly_click", function (event) {
      var point = event && event.points && event.points[0];
      var link = point && point.customdata;
      if (typeof link === "string" && LINK.test(link)) { window.location.href = link; }
    });
  }

  document.querySelectorAll('script[type="application/json"][data-chart]').forEach(draw);
}());
