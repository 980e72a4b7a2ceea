/* Charts of the dashboard (Chart.js, vendored). Data: #dashboard-charts, written by json_script; every chart has
   its table on the page, so the canvas is decoration for sighted readers (aria-hidden on the canvas itself). */
(function () {
  "use strict";
  var source = document.getElementById("dashboard-charts");
  if (!source || !window.Chart) { return; }
  var data = JSON.parse(source.textContent);
  var common = { animation: false, maintainAspectRatio: false, plugins: { legend: { position: "bottom" } } };

  function draw(id, config) {
    var canvas = document.getElementById(id);
    if (canvas) { new Chart(canvas, config); }
  }

  var curve = data.curve;
  draw("chart-curve", {
    data: {
      labels: curve.labels,
      datasets: [
        { type: "line", label: "Trung bình 7 ngày", data: curve.average, borderColor: "#111827",
          backgroundColor: "#111827", pointRadius: 0, borderWidth: 2, order: 0 },
        { type: "bar", label: "Cộng đồng", data: curve.community, backgroundColor: "#c62828", stack: "day", order: 1 },
        { type: "bar", label: "Đang cách ly / F1", data: curve.quarantine, backgroundColor: "#ef6c00", stack: "day", order: 1 },
        { type: "bar", label: "Tỉnh khác đến", data: curve.other, backgroundColor: "#f9a825", stack: "day", order: 1 },
        { type: "bar", label: "Nhập muộn (tính riêng)", data: curve.late, backgroundColor: "#9e9e9e", stack: "late", order: 1 },
      ],
    },
    options: Object.assign({}, common, { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } }),
  });

  draw("chart-tiers", {
    type: "doughnut",
    data: { labels: data.tiers.labels, datasets: [{ data: data.tiers.values,
      backgroundColor: ["#2e7d32", "#f9a825", "#ef6c00", "#c62828"] }] },
    options: common,
  });

  draw("chart-beds", {
    type: "bar",
    data: {
      labels: data.beds.labels,
      datasets: [
        { label: "Đang điều trị", data: data.beds.occupied, backgroundColor: "#c62828", stack: "beds" },
        { label: "Giường trống", data: data.beds.free, backgroundColor: "#a5d6a7", stack: "beds" },
      ],
    },
    options: Object.assign({}, common, { indexAxis: "y", scales: { x: { stacked: true, beginAtZero: true }, y: { stacked: true } } }),
  });

  draw("chart-coverage", {
    type: "bar",
    data: {
      labels: data.coverage.labels,
      datasets: [
        { label: "Từ 18 tuổi, ≥ 1 mũi (%)", data: data.coverage.first, backgroundColor: "#1d4ed8" },
        { label: "Từ 18 tuổi, đủ liều cơ bản (%)", data: data.coverage.primary, backgroundColor: "#059669" },
      ],
    },
    options: Object.assign({}, common, { scales: { y: { beginAtZero: true, suggestedMax: 100 } } }),
  });
})();
