/* 填报进度: one bar pair per child (上报率, 审核率); clicking a bar opens that unit. */
(function () {
  "use strict";

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function draw() {
    var el = document.getElementById("progress-bars");
    var source = document.getElementById("progress-bar-data");
    if (!el || !source || el.hasAttribute("data-ready") || typeof echarts === "undefined") { return; }
    var bars = JSON.parse(source.textContent).bars;
    el.style.height = Math.max(300, bars.length * 40 + 80) + "px";
    var chart = echarts.init(el, null, { renderer: "canvas", locale: "ZH" });
    chart.setOption({
      animationDuration: 400,
      legend: { top: 0 },
      grid: { left: 8, right: 48, top: 32, bottom: 24, containLabel: true },
      tooltip: {
        trigger: "axis",
        axisPointer: { type: "shadow" },
        formatter: function (items) {
          var b = bars[items[0].dataIndex];
          return escapeHtml(b.name) + "<br>" + escapeHtml(b.label);
        }
      },
      xAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
      yAxis: {
        type: "category",
        inverse: true,
        data: bars.map(function (b) { return b.name; }),
        axisLabel: { width: 140, overflow: "truncate" },
        axisTick: { show: false }
      },
      series: [
        { name: "上报率", type: "bar", barMaxWidth: 14, itemStyle: { color: "#0b4f8a" },
          data: bars.map(function (b) { return Math.round(b.submitted * 10) / 10; }), cursor: "pointer" },
        { name: "审核率", type: "bar", barMaxWidth: 14, itemStyle: { color: "#198754" },
          data: bars.map(function (b) { return Math.round(b.approved * 10) / 10; }), cursor: "pointer" }
      ]
    });
    chart.on("click", function (p) {
      var b = bars[p.dataIndex];
      if (b && b.url) { window.location.assign(b.url); }
    });
    el.setAttribute("data-ready", "1");
    window.addEventListener("resize", function () { chart.resize(); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
