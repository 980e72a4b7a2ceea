/* The ward map of the dashboards: Leaflet without any tile layer (works offline), one polygon per ward coloured
   by its epidemic level or by the indicator picked in #ward-map-indicator; a click opens the ward's list.
   Data: #ward-map-data (GeoJSON FeatureCollection) and #ward-map-legend, both written by json_script. */
(function () {
  "use strict";

function init() {
  var root = document.getElementById("ward-map");
  if (!root || !window.L || root.getAttribute("data-ready")) { return; }
  var data = JSON.parse(document.getElementById("ward-map-data").textContent);
  var legend = JSON.parse(document.getElementById("ward-map-legend").textContent);
  var select = document.getElementById("ward-map-indicator");
  var PALETTE = ["#f1eef6", "#bdc9e1", "#74a9cf", "#2b8cbe", "#045a8d"];
  var ZERO = "#ffffff";
  var levelColour = {};
  legend.levels.forEach(function (l) { levelColour[l.level] = l.colour; });
  var labels = {};
  legend.indicators.forEach(function (i) { labels[i.key] = i; });
  var indicator = select ? select.value : "level";
  var scale = [];

  function format(value) {
    if (value === null || value === undefined) { return "—"; }
    return Number(value).toLocaleString("vi-VN", { maximumFractionDigits: 1 });
  }

  // Class breaks: quintiles of the positive values, so that a few large wards don't wash out the rest.
  function breaks(key) {
    var values = data.features.map(function (f) { return f.properties.values[key]; })
      .filter(function (v) { return v !== null && v !== undefined && v > 0; })
      .sort(function (a, b) { return a - b; });
    if (!values.length) { return []; }
    var result = [];
    for (var i = 1; i < PALETTE.length; i++) {
      var cut = values[Math.min(values.length - 1, Math.floor(values.length * i / PALETTE.length))];
      if (!result.length || cut > result[result.length - 1]) { result.push(cut); }
    }
    return result;
  }

  function colour(props) {
    var value = props.values[indicator];
    if (indicator === "level") { return levelColour[value] || legend.none; }
    if (value === null || value === undefined) { return legend.none; }
    if (value <= 0) { return ZERO; }
    var index = 0;
    while (index < scale.length && value >= scale[index]) { index++; }
    return PALETTE[Math.min(index, PALETTE.length - 1)];
  }

  function tooltip(props) {
    var box = document.createElement("div");
    var title = document.createElement("strong");
    title.textContent = props.name + " · " + props.district;
    box.appendChild(title);
    var line = document.createElement("div");
    var info = labels[indicator];
    var value = props.values[indicator];
    if (indicator === "level") {
      line.textContent = info.label + ": " + (value ? "cấp " + value : "chưa đánh giá") +
        (props.level_cell ? " (" + props.level_cell + ")" : "");
    } else {
      line.textContent = info.label + ": " + format(value) + (info.unit ? " " + info.unit : "");
    }
    box.appendChild(line);
    if (props.schematic) {
      var note = document.createElement("div");
      note.className = "muted";
      note.textContent = props.placed ? "Ô sơ đồ; vị trí phường/xã ước lượng" : "Ô sơ đồ, không phải ranh giới thật";
      box.appendChild(note);
    }
    return box;
  }

  function style(feature) {
    return {
      color: "#4b5563", weight: 0.7, opacity: 0.9, fillOpacity: 0.85, fillColor: colour(feature.properties),
      className: "ward-cell ward-" + feature.properties.code,
    };
  }

  var map = L.map(root, { attributionControl: false, zoomSnap: 0.25, minZoom: 7, maxZoom: 16 });
  var layer = L.geoJSON(data, {
    style: style,
    onEachFeature: function (feature, path) {
      path.bindTooltip(function () { return tooltip(feature.properties); }, { sticky: true });
      path.on("click", function () { window.location.href = feature.properties.urls[indicator]; });
      path.on("mouseover", function () { path.setStyle({ weight: 2.5, color: "#111827" }); });
      path.on("mouseout", function () { layer.resetStyle(path); });
    },
  }).addTo(map);
  if (data.features.length) { map.fitBounds(layer.getBounds(), { padding: [8, 8] }); }

  var legendBox = L.control({ position: "bottomright" });
  legendBox.onAdd = function () {
    var div = L.DomUtil.create("div", "map-legend");
    div.id = "ward-map-legend-box";
    return div;
  };
  legendBox.addTo(map);

  function swatch(parent, fill, text) {
    var row = document.createElement("div");
    var box = document.createElement("span");
    box.className = "swatch";
    box.style.background = fill;
    row.appendChild(box);
    row.appendChild(document.createTextNode(text));
    parent.appendChild(row);
  }

  function drawLegend() {
    var div = document.getElementById("ward-map-legend-box");
    div.textContent = "";
    var title = document.createElement("strong");
    var info = labels[indicator];
    title.textContent = info.label + (info.unit ? " (" + info.unit + ")" : "");
    div.appendChild(title);
    if (indicator === "level") {
      legend.levels.forEach(function (l) { swatch(div, l.colour, "Cấp " + l.level); });
    } else {
      swatch(div, ZERO, "0");
      var low = 0;
      scale.forEach(function (cut, i) { swatch(div, PALETTE[i], "> " + format(low) + " – < " + format(cut)); low = cut; });
      if (scale.length) { swatch(div, PALETTE[Math.min(scale.length, PALETTE.length - 1)], "≥ " + format(low)); }
    }
    swatch(div, legend.none, "Không có số liệu");
  }

  function redraw() {
    scale = indicator === "level" ? [] : breaks(indicator);
    layer.setStyle(style);
    drawLegend();
  }

  if (select) {
    select.addEventListener("change", function () { indicator = select.value; redraw(); });
  }
  redraw();
  root.wardMap = map;  // for the browser test: where a ward's centre is on the screen
  root.setAttribute("data-ready", "1");
}

  init();
  // On the dashboards the map arrives after the page (htmx).
  document.body.addEventListener("htmx:afterSettle", init);
})();
