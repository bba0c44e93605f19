/* 民情流水线 dashboard: children as bars (click to drill down) and the monthly trend (ECharts). */
(function () {
  "use strict";
  var node = document.getElementById("cw-chart-data");
  if (!node || typeof echarts === "undefined") { return; }
  var data = JSON.parse(node.textContent);
  var charts = [];
  // Heights come from data-height: the content-security policy refuses inline style attributes.
  document.querySelectorAll("[data-height]").forEach(function (el) {
    el.style.height = el.getAttribute("data-height") + "px";
  });
  var barEl = document.getElementById("cw-children-chart");
  if (barEl && data.children.length) {
    var rows = data.children.slice().reverse();
    var bar = echarts.init(barEl, null, { renderer: "canvas" });
    bar.setOption({
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { data: ["受理", "办结", "超期未办结"] },
      grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: "value" },
      yAxis: { type: "category", data: rows.map(function (r) { return r.name; }) },
      series: [
        { name: "受理", type: "bar", data: rows.map(function (r) { return r.received; }), itemStyle: { color: "#1f4e79" } },
        { name: "办结", type: "bar", data: rows.map(function (r) { return r.resolved; }), itemStyle: { color: "#2e7d32" } },
        { name: "超期未办结", type: "bar", data: rows.map(function (r) { return r.overdue_open; }), itemStyle: { color: "#c62828" } }
      ]
    });
    bar.on("click", function (p) { var row = rows[p.dataIndex]; if (row) { window.location.href = row.url; } });
    charts.push(bar);
  }
  var trendEl = document.getElementById("cw-trend-chart");
  if (trendEl) {
    var trend = echarts.init(trendEl, null, { renderer: "canvas" });
    trend.setOption({
      tooltip: { trigger: "axis" },
      legend: { data: ["受理", "办结", "超期"] },
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.trend.map(function (r) { return r.month.slice(5) + "月"; }) },
      yAxis: { type: "value" },
      series: [
        { name: "受理", type: "line", data: data.trend.map(function (r) { return r.received; }) },
        { name: "办结", type: "line", data: data.trend.map(function (r) { return r.resolved; }) },
        { name: "超期", type: "line", data: data.trend.map(function (r) { return r.overdue; }) }
      ]
    });
    charts.push(trend);
  }
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
