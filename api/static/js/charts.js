// Apache ECharts, loaded when a view first draws a chart, with the page's fonts and Chinese locale.
import { FONT_FAMILY } from "./dom.js";

let library = null;

export async function loadECharts() {
  library ||= import("../vendor/echarts/echarts.esm.min.js");
  return library;
}

// Draw `option` in `element`; the chart follows the element's size. Returns the ECharts instance.
export async function drawChart(element, option) {
  const echarts = await loadECharts();
  const existing = echarts.getInstanceByDom(element);
  if (existing) existing.dispose();
  const chart = echarts.init(element, null, { renderer: "canvas", locale: "ZH" });
  chart.setOption({ textStyle: { fontFamily: FONT_FAMILY }, animation: false, ...option });
  new ResizeObserver(() => chart.resize()).observe(element);
  element.dataset.rendered = "echarts";
  return chart;
}
