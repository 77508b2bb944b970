/**
 * The browser-side script of the HTML report (plain ES2017, no modules): it
 * reads the embedded JSON and draws the charts with the inlined Chart.js.
 */
export const CLIENT_SCRIPT = `
(function () {
  var data = JSON.parse(document.getElementById("kindred-data").textContent);
  var palette = ["#3366cc", "#dc3912", "#ff9900", "#109618", "#990099", "#0099c6", "#dd4477", "#66aa00", "#b82e2e", "#316395", "#994499", "#22aa99"];
  var color = function (i, alpha) {
    var hex = palette[i % palette.length];
    if (alpha === undefined) return hex;
    var n = parseInt(hex.slice(1), 16);
    return "rgba(" + (n >> 16) + "," + ((n >> 8) & 255) + "," + (n & 255) + "," + alpha + ")";
  };
  var names = data.algorithms.map(function (a) { return a.algorithm; });
  var finite = function (v) { return typeof v === "number" && isFinite(v) ? v : null; };

  // Each metric: a bar per algorithm (mean) and a dot per fold.
  var grid = document.getElementById("metric-charts");
  data.metrics.forEach(function (m) {
    var box = document.createElement("div");
    box.className = "chart";
    var canvas = document.createElement("canvas");
    canvas.id = "metric-" + m.name;
    canvas.setAttribute("data-chart", "bar");
    box.appendChild(canvas);
    grid.appendChild(box);
    var folds = [];
    data.algorithms.forEach(function (a) {
      a.folds.forEach(function (f) {
        var v = finite(f.metrics[m.name]);
        if (v !== null) folds.push({ x: a.algorithm, y: v });
      });
    });
    new Chart(canvas, {
      data: {
        labels: names,
        datasets: [
          { type: "bar", label: "mean", data: data.algorithms.map(function (a) { return finite(a.metrics[m.name]); }),
            backgroundColor: names.map(function (_, i) { return color(i, 0.45); }) },
          { type: "scatter", label: "folds", data: folds, backgroundColor: "#1d2330", pointRadius: 3 }
        ]
      },
      options: { maintainAspectRatio: false, animation: false,
        plugins: { title: { display: true, text: m.label + (m.higherIsBetter ? " (higher is better)" : " (lower is better)") } },
        scales: { x: { type: "category" }, y: { beginAtZero: false } } }
    });
  });

  // Accuracy against fit time: RMSE when measured, else the first ranking metric.
  var accuracy = data.metrics.filter(function (m) { return m.name === "rmse"; })[0] ||
    data.metrics.filter(function (m) { return m.name === "ndcg"; })[0] || data.metrics[0];
  if (accuracy) {
    new Chart(document.getElementById("accuracy-vs-time"), {
      type: "scatter",
      data: { datasets: data.algorithms.map(function (a, i) {
        return { label: a.algorithm, data: [{ x: Math.max(a.fitSeconds, 1e-3), y: finite(a.metrics[accuracy.name]) }],
          backgroundColor: color(i), pointRadius: 7 };
      }) },
      options: { maintainAspectRatio: false, animation: false,
        plugins: { title: { display: true, text: accuracy.label + " against fit seconds per fold" } },
        scales: { x: { type: "logarithmic", title: { display: true, text: "fit seconds (log scale)" } },
          y: { title: { display: true, text: accuracy.label } } } }
    });
  }

  // The learning-relationship curve.
  var curve = function (id, key, label) {
    var sets = data.algorithms.map(function (a, i) {
      return { label: a.algorithm, data: a.curve.map(function (p) { return finite(p[key]); }),
        borderColor: color(i), backgroundColor: color(i), spanGaps: true, tension: 0.2 };
    }).filter(function (s) { return s.data.some(function (v) { return v !== null; }); });
    new Chart(document.getElementById(id), {
      type: "line",
      data: { labels: data.buckets, datasets: sets },
      options: { maintainAspectRatio: false, animation: false,
        plugins: { title: { display: true, text: label } },
        scales: { x: { title: { display: true, text: "items the customer had in training" } },
          y: { title: { display: true, text: label } } } }
    });
  };
  curve("curve-error", "rmse", "RMSE of the customer's held-out ratings");
  curve("curve-hit-rate", "hitRate", "hit rate@" + data.k);
})();
`;
