// Apache ECharts, loaded when a view first draws a chart, with the page's fonts and Chinese locale.
// A tooltip is HTML that ECharts puts in the page as it is: every chart's tooltip comes from `tooltip`
// or `axisTooltip` below, whose formatters build it with `html` (dom.js), so names from the data are
// escaped, and with classes (app.css), since the page's CSP refuses the inline styles of ECharts' own.
import { FONT_FAMILY, html } from "./dom.js";

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

// A tooltip option: `formatter(params)` returns HTML built with `html` (dom.js).
export function tooltip(formatter, options = {}) {
  return { className: "chart-tip", renderMode: "html", formatter, ...options };
}

// The tooltip of a bar chart over categories: the category's title (`title(dataIndex)`, e.g. the full name
// where the axis shows a short one), then each series' value with `unit`.
export function axisTooltip(title, unit = "") {
  return tooltip(
    (items) => {
      const list = Array.isArray(items) ? items : [items];
      if (!list.length) return "";
      const head = html`<strong class="chart-tip-title">${title(list[0].dataIndex)}</strong>`;
      const rows = list.map(
        (item) => html`<span class="chart-tip-row">${item.seriesName}：${valueText(item.value, unit)}</span>`,
      );
      return [head, ...rows].join("<br>");
    },
    { trigger: "axis", axisPointer: { type: "shadow" } },
  );
}

function valueText(value, unit) {
  const number = value && typeof value === "object" ? value.value : value;
  return number === null || number === undefined || number === "" ? "—" : `${number}${unit ? ` ${unit}` : ""}`;
}
