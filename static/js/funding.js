/* The 资金投入 page's chart (ECharts): budgeted (own and below) as stacked bars, spent and the
 * own fiscal 专项经费 as lines, over the years. Data comes from a json_script block. */
(function () {
  "use strict";

  function draw() {
    var el = document.getElementById("funding-chart");
    var source = document.getElementById("funding-data");
    if (!el || !source || typeof echarts === "undefined" || el.hasAttribute("data-ready")) { return; }
    var data = JSON.parse(source.textContent);
    var chart = echarts.init(el, null, { renderer: "canvas", locale: "ZH" });
    chart.setOption({
      animationDuration: 400,
      color: ["#0b4f8a", "#7fb3e0", "#198754", "#d9a21b"],
      legend: { bottom: 0, textStyle: { fontSize: 11 } },
      grid: { left: 8, right: 16, top: 24, bottom: 40, containLabel: true },
      tooltip: {
        trigger: "axis",
        formatter: function (items) {
          var rows = [items[0].axisValue + "年"];
          items.forEach(function (it) {
            var v = it.value === null || it.value === undefined ? "—" : Number(it.value).toFixed(2) + " 万元";
            rows.push(it.seriesName + "：" + v);
          });
          return rows.join("<br>");
        }
      },
      xAxis: { type: "category", data: data.years },
      yAxis: { type: "value", name: "万元", splitLine: { lineStyle: { color: "#eef0f3" } } },
      series: [
        { name: "本级预算安排", type: "bar", stack: "budget", data: data.own, barMaxWidth: 28 },
        { name: "下级预算安排", type: "bar", stack: "budget", data: data.below, barMaxWidth: 28 },
        { name: "已支出（含设施资金）", type: "line", data: data.spent, symbolSize: 6 },
        { name: "本级专项经费（财政）", type: "line", data: data.special_fund, symbolSize: 6, lineStyle: { type: "dashed" } }
      ]
    });
    el.setAttribute("data-ready", "1");
    window.addEventListener("resize", function () { chart.resize(); });
  }

  document.addEventListener("DOMContentLoaded", draw);
}());
