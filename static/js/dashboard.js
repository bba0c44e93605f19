/* The dashboard's charts (ECharts): bars of the next level down, the yearly progress line.
 * Data comes from json_script blocks; clicking a bar opens that unit (drill-down). */
(function () {
  "use strict";

  var COLOURS = { green: "#198754", amber: "#d48806", red: "#c0392b", grey: "#adb5bd" };
  var LINE_COLOURS = ["#0b4f8a", "#d9a21b", "#198754", "#7b61ff"];
  var charts = [];

  function readJson(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  // Forget charts whose element htmx has swapped out of the page.
  function disposeDetached() {
    charts = charts.filter(function (c) {
      if (document.body.contains(c.getDom())) { return true; }
      c.dispose();
      return false;
    });
  }

  function barChart() {
    var el = document.getElementById("bar-chart");
    var data = readJson("bar-data");
    if (!el || !data || el.hasAttribute("data-ready")) { return; }
    var bars = data.bars;
    // One row per unit: tall enough for long Chinese names.
    el.style.height = Math.max(300, bars.length * 28 + 60) + "px";
    var chart = echarts.init(el, null, { renderer: "canvas", locale: "ZH" });
    chart.setOption({
      animationDuration: 400,
      grid: { left: 8, right: 64, top: 16, bottom: 24, containLabel: true },
      tooltip: {
        trigger: "item",
        formatter: function (p) {
          var b = bars[p.dataIndex];
          return escapeHtml(b.name) + "<br>达标率：" + escapeHtml(b.label) + "<br>" + escapeHtml(b.detail);
        }
      },
      xAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" }, splitLine: { lineStyle: { color: "#eef0f3" } } },
      yAxis: {
        type: "category",
        inverse: true,
        data: bars.map(function (b) { return b.name; }),
        axisLabel: { width: 140, overflow: "truncate", color: "#343a40" },
        axisTick: { show: false }
      },
      series: [{
        type: "bar",
        barMaxWidth: 22,
        data: bars.map(function (b) {
          return { value: b.value, itemStyle: { color: COLOURS[b.colour] || COLOURS.grey, borderRadius: [0, 3, 3, 0] } };
        }),
        label: {
          show: true,
          position: "right",
          color: "#495057",
          formatter: function (p) { return bars[p.dataIndex].label; }
        },
        cursor: "pointer"
      }]
    });
    chart.on("click", function (p) {
      var b = bars[p.dataIndex];
      if (b && b.url) { window.location.assign(b.url); }
    });
    // Clicking a category name drills down as well.
    chart.getZr().on("click", function (event) {
      if (event.target) { return; }
      var point = [event.offsetX, event.offsetY];
      if (!chart.containPixel("grid", point)) { return; }
      var index = chart.convertFromPixel({ seriesIndex: 0 }, point)[1];
      var b = bars[index];
      if (b && b.url) { window.location.assign(b.url); }
    });
    el.setAttribute("data-ready", "1");
    charts.push(chart);
  }

  // The map of the next level down, coloured by the chosen indicator's rate. Boundaries are
  // fetched once per file; each feature is renamed to our code, so areas match by code.
  var geoRequests = {};

  function geoJson(url) {
    if (!geoRequests[url]) {
      geoRequests[url] = fetch(url, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) { throw new Error("map " + response.status); }
        return response.json();
      });
      geoRequests[url].catch(function () { delete geoRequests[url]; });
    }
    return geoRequests[url];
  }

  function mapChart() {
    var el = document.getElementById("map-chart");
    var data = readJson("map-data");
    if (!el || !data || el.hasAttribute("data-ready")) { return; }
    geoJson(data.url).then(function (geo) {
      if (!document.body.contains(el)) { return; }
      var shapes = JSON.parse(JSON.stringify(geo));
      shapes.features.forEach(function (f) {
        var code = data.key === "id4" ? String(f.id || "").slice(0, 4) : data.names[f.properties.name];
        f.properties.name = code || ("-" + f.properties.name);
      });
      echarts.registerMap(data.map, shapes);
      var byCode = {};
      data.areas.forEach(function (a) { byCode[a.code] = a; });
      var chart = echarts.init(el, null, { renderer: "canvas", locale: "ZH" });
      chart.setOption({
        animationDuration: 300,
        tooltip: {
          trigger: "item",
          formatter: function (p) {
            var a = byCode[p.name];
            if (!a) { return ""; }
            return escapeHtml(a.name) + "<br>达标率：" + escapeHtml(a.label) + "<br>" + escapeHtml(a.detail);
          }
        },
        series: [{
          type: "map",
          map: data.map,
          roam: false,
          selectedMode: false,
          labelLayout: { hideOverlap: true },
          label: {
            show: true,
            fontSize: 11,
            color: "#212529",
            formatter: function (p) { var a = byCode[p.name]; return a ? a.name : ""; }
          },
          emphasis: { label: { show: true }, itemStyle: { areaColor: "#ffe58f" } },
          itemStyle: { borderColor: "#ffffff", borderWidth: 1, areaColor: "#e9ecef" },
          data: data.areas.map(function (a) {
            return { name: a.code, value: a.value, itemStyle: { areaColor: COLOURS[a.colour] || COLOURS.grey } };
          }),
          cursor: "pointer"
        }]
      });
      chart.on("click", function (p) {
        var a = byCode[p.name];
        if (a && a.url) { window.location.assign(a.url); }
      });
      el.setAttribute("data-ready", "1");
      charts.push(chart);
    }).catch(function () {
      el.classList.add("chart-empty");
      el.textContent = "地图边界加载失败，请查看柱状图。";
      el.setAttribute("data-ready", "1");
    });
  }

  // The progress data covers every indicator; fetch it once per address and keep it.
  var progressRequests = {};

  function progressData(url) {
    if (!progressRequests[url]) {
      progressRequests[url] = fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.json();
        });
      progressRequests[url].catch(function () { delete progressRequests[url]; });
    }
    return progressRequests[url];
  }

  function progressChart() {
    var el = document.getElementById("progress-chart");
    if (!el || el.hasAttribute("data-ready") || el.hasAttribute("data-loading")) { return; }
    el.setAttribute("data-loading", "1");
    var loading = document.getElementById("progress-loading");
    progressData(el.getAttribute("data-url")).then(function (data) {
      if (!document.body.contains(el)) { return; }
      if (loading) { loading.classList.add("d-none"); }
      el.classList.remove("d-none");
      drawProgress(el, data);
    }).catch(function () {
      if (loading) { loading.textContent = "历年进展暂时无法计算，请稍后刷新页面。"; }
      el.removeAttribute("data-loading");
    });
  }

  function drawProgress(el, data) {
    var ind = data.indicators[el.getAttribute("data-indicator")];
    var lines = [{ name: ind.rate_name, data: ind.rates }];
    if (ind.values) { lines.push({ name: ind.value_name, data: ind.values }); }
    lines.push({ name: data.full_name, data: data.full });
    // The year's target path beside the actual (set targets, else the straight line).
    if (ind.targets) { lines.push({ name: ind.target_name, data: ind.targets, dashed: true }); }
    var chart = echarts.init(el, null, { renderer: "canvas", locale: "ZH" });
    var series = lines.map(function (s, i) {
      var line = {
        name: s.name,
        type: "line",
        data: s.data,
        connectNulls: false,
        symbolSize: 6,
        lineStyle: { width: i === 0 ? 3 : 2, type: s.dashed ? "dashed" : "solid" },
        itemStyle: { color: s.dashed ? "#6c757d" : LINE_COLOURS[i % LINE_COLOURS.length] }
      };
      if (i === 0) {
        line.markLine = {
          silent: true,
          symbol: "none",
          lineStyle: { color: "#adb5bd", type: "dashed" },
          label: { formatter: "目标年" },
          data: [{ xAxis: data.target_year }]
        };
      }
      return line;
    });
    chart.setOption({
      animationDuration: 400,
      color: LINE_COLOURS,
      legend: { bottom: 0, type: "scroll", textStyle: { fontSize: 11 } },
      grid: { left: 8, right: 16, top: 24, bottom: 40, containLabel: true },
      tooltip: {
        trigger: "axis",
        formatter: function (items) {
          var rows = [escapeHtml(items[0].axisValue) + "年"];
          items.forEach(function (it) {
            var v = it.value === null || it.value === undefined ? "—" : Number(it.value).toFixed(2) + "%";
            rows.push(escapeHtml(it.seriesName) + "：" + v);
          });
          return rows.join("<br>");
        }
      },
      xAxis: { type: "category", data: data.years, boundaryGap: false },
      yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" }, splitLine: { lineStyle: { color: "#eef0f3" } } },
      series: series
    });
    el.removeAttribute("data-loading");
    el.setAttribute("data-ready", "1");
    charts.push(chart);
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function markSelected() {
    var panel = document.getElementById("indicator-panel");
    if (!panel) { return; }
    var code = panel.getAttribute("data-indicator");
    document.querySelectorAll(".indicator-card").forEach(function (card) {
      card.classList.toggle("is-selected", card.getAttribute("data-indicator") === code);
    });
    // Keep the year form's hidden indicator in step with the panel.
    var hidden = document.querySelector(".page-head input[name=indicator]");
    if (hidden) { hidden.value = code; }
  }

  function init() {
    if (typeof echarts === "undefined") { return; }
    disposeDetached();
    mapChart();
    barChart();
    progressChart();
    markSelected();
  }

  document.addEventListener("DOMContentLoaded", init);
  document.addEventListener("htmx:afterSettle", function (event) {
    init();
    var source = event.detail && event.detail.requestConfig && event.detail.requestConfig.elt;
    var panel = document.getElementById("indicator-panel");
    if (panel && source && source.hasAttribute && source.hasAttribute("data-select-indicator")) {
      panel.scrollIntoView({ behavior: "smooth", block: "start" });
    }
  });
  window.addEventListener("resize", function () {
    charts.forEach(function (c) { c.resize(); });
  });
  // Printing: redraw at the width of an A4 page (the print style sheet scales what remains).
  window.addEventListener("beforeprint", function () {
    charts.forEach(function (c) { c.resize({ width: 700 }); });
  });
  window.addEventListener("afterprint", function () {
    charts.forEach(function (c) { c.resize(); });
  });
})();
