// 2. The overlap map (public): department × department heat map, clusters, each overlap's verdict and evidence
// side by side. It shows what the service answers by default (交叉 and 边界未明); `?divided=1` adds 已分工.
// Each overlap shows its review status; a staffing officer with a token reviews it beside its evidence.
import { drawChart, tooltip } from "../charts.js";
import {
  axisNames,
  badge,
  clear,
  errorBox,
  h,
  hashParams,
  highlight,
  html,
  loading,
  routeHref,
  shortName,
} from "../dom.js";
import { allNodes, query } from "../graphql.js";
import { OVERLAP_KINDS, OVERLAP_VERDICTS, label } from "../labels.js";
import { citation, citationDialog } from "../citations.js";
import { REVIEW, REVIEW_HISTORY, reviewLoader, reviewPanel, statusBadge } from "../review.js";
import { tokenPanel } from "../token.js";
import { registerExport } from "../export.js";

const LAW = "id law article partsCited rank text";
// Without $verdicts the service answers its default verdicts (OVERLAP and BOUNDARY).
const OVERLAP_MAP = `
  query OverlapMap($verdicts: [OverlapVerdict!]) {
    overlapMatrix(verdicts: $verdicts) { count a { name government } b { name government } }
    overlapClusters(verdicts: $verdicts) {
      id overlapCount overlapIds
      departments { name government }
      items { code name }
      functions { code text }
    }
  }`;
// The overlaps themselves, highest score first, 50 a page (js/graphql.js allNodes): with its evidence and
// laws an overlap costs about 1,000 of the 50,000 a query may cost (api/limits.py).
const OVERLAPS = `
  query Overlaps($verdicts: [OverlapVerdict!], $after: String) {
    overlapsConnection(verdicts: $verdicts, first: 50, after: $after) {
      pageInfo { hasNextPage endCursor }
      edges {
        node {
          id kinds score evidence sharedWords verdict reason
          overlapCluster { id }
          scores { kind score }
          departments { name government }
          items { code name subItem powerType basis departments { name } laws { ${LAW} } }
          functions { code text category department { name } laws { ${LAW} } }
          sharedArticles { ${LAW} }
          general { code name departments { name } }
          generalFunction { code text department { name } }
          ${REVIEW}
        }
      }
    }
  }`;
const OVERLAP_REVIEW = `
  query OverlapReview($id: ID!) {
    node(id: $id) { ... on Overlap { id ${REVIEW_HISTORY} } }
  }`;
const overlapReview = reviewLoader(OVERLAP_REVIEW);
const EVERY_VERDICT = Object.keys(OVERLAP_VERDICTS);
const VERDICT_STYLES = { OVERLAP: "bad", BOUNDARY: "warn", DIVIDED: "good" };

let data = null;
let ui = null;
let loads = 0; // the latest request for the overlaps: an older answer is dropped

export async function mount(container, params) {
  data = null;
  ui = {
    heat: h("div", {
      class: "chart",
      id: "overlap-heatmap",
      role: "img",
      "aria-label": "部门两两之间职能交叉数量热力图",
    }),
    stats: h("div", { class: "summary-grid" }),
    pairs: h("div"),
    clusters: h("ul", { class: "cluster-list cluster-grid" }),
    overlapHeading: h("h2", { id: "overlaps-heading", tabindex: "-1" }, "交叉事项"),
    overlaps: h("ul", { class: "overlap-list", "aria-labelledby": "overlaps-heading" }),
    evidence: h("section", { class: "evidence", "aria-label": "证据对照", id: "evidence" }),
    body: h("div", {}, loading()),
    divided: h("input", {
      type: "checkbox",
      id: "include-divided",
      onchange: (event) => go({ divided: event.target.checked ? "1" : "" }, null),
    }),
  };
  container.append(
    h(
      "section",
      { class: "view view-overlaps", "aria-labelledby": "view-title" },
      h("h1", { id: "view-title" }, "职能交叉"),
      h(
        "p",
        { class: "lead" },
        "同一事项由多个部门分别列入、联合实施、引用同一条文或表述相近的权力和职能。点击热力图方格、聚类或事项查看证据。",
      ),
      h(
        "p",
        { class: "verdict-filter" },
        h("label", { for: "include-divided" }, ui.divided, " 同时显示已分工的交叉"),
        h(
          "span",
          { class: "muted small" },
          " 默认只列出需要处理的交叉：交叉（两部门做同一件事）和边界未明（一方未写明与另一方的分工）。已分工的双方各有其领域或条款。",
        ),
      ),
      h(
        "details",
        { class: "review-login" },
        h("summary", {}, "审核交叉（编制管理人员）"),
        tokenPanel("审核人员", () => data && render(hashParams()), { checkStored: false }),
      ),
      ui.body,
      citationDialog(),
    ),
  );
  await load(params);
}

export function update(params) {
  if (!ui) return;
  if (!data || withDivided(params) !== data.withDivided) {
    load(params);
    return;
  }
  render(params);
}

function withDivided(params) {
  return params.get("divided") === "1";
}

// Ask for the overlaps (with the divided ones when the page says so), then draw them; when done, the
// body's data-verdicts says which were asked for ("default" or "every").
async function load(params) {
  const ticket = ++loads;
  const divided = withDivided(params);
  ui.divided.checked = divided;
  ui.body.setAttribute("aria-busy", "true");
  const variables = divided ? { verdicts: EVERY_VERDICT } : {};
  let answer;
  try {
    const [map, overlaps] = await Promise.all([
      query(OVERLAP_MAP, variables),
      allNodes(OVERLAPS, "overlapsConnection", variables),
    ]);
    answer = { ...map, overlaps };
  } catch (error) {
    if (ticket !== loads) return;
    data = null; // the next answer lays the page out again
    clear(ui.body, errorBox(error));
    return;
  }
  if (ticket !== loads) return;
  const first = !data;
  data = { ...answer, withDivided: divided };
  if (first) layOut();
  renderStats();
  renderPairs();
  await renderHeatmap();
  render(params);
  ui.body.removeAttribute("aria-busy");
  ui.body.dataset.verdicts = divided ? "every" : "default";
}

function layOut() {
  clear(
    ui.body,
    ui.stats,
    h(
      "div",
      { class: "card chart-card" },
      h("h2", { class: "chart-title" }, "部门 × 部门交叉热力图"),
      ui.heat,
      h("p", { class: "figure-note" }, "颜色越深，两部门之间的交叉越多。点击方格筛选该两部门之间的交叉。"),
      ui.pairs,
    ),
    h("h2", {}, "交叉聚类"),
    h("p", { class: "muted small" }, "通过共同事项或职能相互关联的交叉归为一组，宜一并清理。"),
    ui.clusters,
    ui.overlapHeading,
    ui.overlaps,
    ui.evidence,
  );
}

function render(params) {
  const pair = params.get("pair") || "";
  const cluster = params.get("cluster") || "";
  const selected = params.get("overlap") || "";
  highlightPair(pair);
  renderClusters(cluster);
  renderOverlaps(pair, cluster, selected);
  renderEvidence(selected);
  if (ui.focus) {
    const target = document.getElementById(ui.focus);
    ui.focus = null;
    if (target) {
      target.focus({ preventScroll: true });
      target.scrollIntoView({ block: "start" });
    }
  }
}

function go(params, focus) {
  ui.focus = focus;
  location.hash = link(params);
}

// A link within the map, keeping whether it shows the divided overlaps.
function link(params = {}) {
  return routeHref("overlaps", { divided: data && data.withDivided ? "1" : "", ...params });
}

function verdictBadge(verdict) {
  return badge(label(OVERLAP_VERDICTS, verdict), `verdict ${VERDICT_STYLES[verdict] || "plain"}`);
}

function renderStats() {
  const departments = new Set(data.overlaps.flatMap((o) => o.departments.map((d) => d.name)));
  const stat = (labelText, value) =>
    h("div", { class: "stat" }, h("span", { class: "label" }, labelText), h("span", { class: "value" }, value));
  const verdicts = EVERY_VERDICT.filter((v) => v !== "DIVIDED" || data.withDivided).map((v) =>
    stat(label(OVERLAP_VERDICTS, v), `${data.overlaps.filter((o) => o.verdict === v).length} 处`),
  );
  clear(
    ui.stats,
    stat("列出", `${data.overlaps.length} 处`),
    verdicts,
    stat("涉及部门", `${departments.size} 个`),
    stat("部门对", `${data.overlapMatrix.length} 对`),
    stat("聚类", `${data.overlapClusters.length} 组`),
  );
}

function renderPairs() {
  clear(
    ui.pairs,
    h(
      "details",
      {},
      h("summary", {}, `以表格查看部门对（${data.overlapMatrix.length} 对）`),
      h(
        "div",
        { class: "table-wrap" },
        h(
          "table",
          {},
          h("thead", {}, h("tr", {}, h("th", {}, "部门"), h("th", {}, "部门"), h("th", { class: "num" }, "交叉数"))),
          h(
            "tbody",
            {},
            data.overlapMatrix.map((p) =>
              h(
                "tr",
                {},
                h("td", {}, p.a.name),
                h("td", {}, p.b.name),
                h(
                  "td",
                  { class: "num", dataset: { value: p.count } },
                  h("a", { href: link({ pair: `${p.a.name}|${p.b.name}` }) }, `${p.count} 处`),
                ),
              ),
            ),
          ),
        ),
      ),
    ),
  );
}

async function renderHeatmap() {
  // departments with the most overlaps first
  const totals = new Map();
  for (const p of data.overlapMatrix) {
    for (const name of [p.a.name, p.b.name]) totals.set(name, (totals.get(name) || 0) + p.count);
  }
  const names = [...totals.keys()].sort((a, b) => totals.get(b) - totals.get(a) || a.localeCompare(b, "zh-CN"));
  const government = Object.fromEntries(
    data.overlapMatrix.flatMap((p) => [
      [p.a.name, p.a.government],
      [p.b.name, p.b.government],
    ]),
  );
  const index = Object.fromEntries(names.map((n, i) => [n, i]));
  const cells = [];
  for (const p of data.overlapMatrix) {
    cells.push([index[p.a.name], index[p.b.name], p.count]);
    cells.push([index[p.b.name], index[p.a.name], p.count]);
  }
  const max = Math.max(1, ...data.overlapMatrix.map((p) => p.count));
  const narrow = ui.heat.clientWidth < 560;
  ui.heat.style.height = `${Math.max(320, names.length * (narrow ? 24 : 30) + (narrow ? 40 : 170))}px`;
  const labels = axisNames(names.map((name) => ({ name, government: government[name] })));
  const chart = await drawChart(ui.heat, {
    tooltip: tooltip((p) => html`${names[p.value[0]]}<br>${names[p.value[1]]}<br>交叉 <b>${p.value[2]}</b> 处`),
    // on a phone the columns are numbered and the rows carry the numbers with the names
    grid: { left: 8, right: 12, top: 10, bottom: 8, containLabel: true },
    xAxis: {
      type: "category",
      data: narrow ? labels.map((_, i) => String(i + 1)) : labels,
      axisLabel: { rotate: narrow ? 0 : 50, interval: 0, fontSize: narrow ? 10 : 12 },
      splitArea: { show: true },
    },
    yAxis: {
      type: "category",
      inverse: true,
      data: narrow ? labels.map((name, i) => `${i + 1} ${name}`) : labels,
      axisLabel: { interval: 0, fontSize: narrow ? 11 : 12 },
      splitArea: { show: true },
    },
    visualMap: { min: 0, max, show: false, inRange: { color: ["#e8f0fb", "#5b8fd0", "#b8202a"] } },
    series: [
      {
        type: "heatmap",
        data: cells,
        label: { show: true, fontSize: narrow ? 10 : 12 },
        emphasis: { itemStyle: { borderColor: "#f0a500", borderWidth: 2 } },
        itemStyle: { borderColor: "#fff", borderWidth: 1 },
      },
    ],
  });
  ui.chart = chart;
  ui.cellIndex = (a, b) => cells.findIndex(([x, y]) => x === index[a] && y === index[b]);
  chart.on("click", (p) => {
    const [x, y] = p.value;
    go({ pair: `${names[x]}|${names[y]}` }, "overlaps-heading");
  });
}

function highlightPair(pair) {
  if (!ui.chart) return;
  ui.chart.dispatchAction({ type: "downplay", seriesIndex: 0 });
  if (!pair) return;
  const [a, b] = pair.split("|");
  const cells = [ui.cellIndex(a, b), ui.cellIndex(b, a)].filter((i) => i >= 0);
  if (cells.length) ui.chart.dispatchAction({ type: "highlight", seriesIndex: 0, dataIndex: cells });
}

function renderClusters(selected) {
  clear(
    ui.clusters,
    data.overlapClusters.map((c) => {
      const subjects = [...c.items.map((i) => i.name), ...c.functions.map((f) => f.text)];
      return h(
        "li",
        {},
        h(
          "a",
          {
            class: "choice",
            href: link({ cluster: c.id }),
            "aria-current": c.id === selected ? "true" : null,
            dataset: { cluster: c.id },
            onclick: () => (ui.focus = "overlaps-heading"),
          },
          h("span", { class: "title" }, c.departments.map((d) => shortName(d.name, d.government)).join(" · ")),
          h(
            "span",
            { class: "sub" },
            `${c.overlapCount} 处交叉 · ${[...new Set(subjects)].slice(0, 2).join("；")}${subjects.length > 2 ? "…" : ""}`,
          ),
        ),
      );
    }),
  );
}

function renderOverlaps(pair, cluster, selected) {
  let list = data.overlaps;
  let scope = "全部";
  if (pair) {
    const [a, b] = pair.split("|");
    list = list.filter((o) => {
      const names = o.departments.map((d) => d.name);
      return names.includes(a) && names.includes(b);
    });
    scope = `${a} 与 ${b}`;
  } else if (cluster) {
    list = list.filter((o) => o.overlapCluster.id === cluster);
    scope = "所选聚类";
  }
  registerExport(() => [overlapSheet(list)], ui.overlaps);
  clear(
    ui.overlapHeading,
    `交叉事项：${scope}（${list.length} 处）`,
    pair || cluster ? h("a", { href: link(), class: "small clear-filter" }, " 显示全部") : null,
  );
  clear(
    ui.overlaps,
    list.map((o) =>
      h(
        "li",
        {},
        h(
          "a",
          {
            class: "choice",
            href: link({ pair, cluster, overlap: o.id }),
            "aria-current": o.id === selected ? "true" : null,
            dataset: { overlap: o.id },
            onclick: () => (ui.focus = "evidence-heading"),
          },
          h(
            "span",
            { class: "title" },
            verdictBadge(o.verdict),
            " ",
            statusBadge(o.id, o.review),
            " ",
            o.kinds.map((k) => [badge(label(OVERLAP_KINDS, k), "plain"), " "]),
            subjectTitle(o),
          ),
          h("span", { class: "sub" }, `${o.departments.map((d) => d.name).join(" · ")} · 置信度 ${o.score.toFixed(2)}`),
        ),
      ),
    ),
  );
}

// The overlaps listed, as a sheet of the export (js/export.js): the list is links, not a table.
function overlapSheet(list) {
  return {
    name: "交叉事项",
    columns: ["判定", "交叉类型", "事项或职能", "部门", "置信度"],
    rows: list.map((o) => [
      label(OVERLAP_VERDICTS, o.verdict),
      o.kinds.map((k) => label(OVERLAP_KINDS, k)).join("、"),
      subjectTitle(o),
      o.departments.map((d) => d.name).join("、"),
      Number(o.score.toFixed(2)),
    ]),
  };
}

function subjectTitle(o) {
  const names = [...new Set([...o.items.map((i) => i.name), ...o.functions.map((f) => f.text)])];
  return names.join(" ／ ");
}

function renderEvidence(selected) {
  const o = data.overlaps.find((x) => x.id === selected);
  if (!o) {
    clear(ui.evidence, h("p", { class: "alert" }, "选择一处交叉，查看两侧事项、共同依据和相同表述的对照。"));
    return;
  }
  const shared = new Set(o.sharedArticles.map((a) => a.id));
  const sides = o.items.length
    ? o.items.map((item) => itemSide(item, o, shared))
    : o.functions.map((f) => functionSide(f, o, shared));
  clear(
    ui.evidence,
    h("h2", { id: "evidence-heading", tabindex: "-1" }, "证据对照"),
    h(
      "div",
      { class: "scores" },
      o.scores.map((s) => badge(`${label(OVERLAP_KINDS, s.kind)} ${s.score.toFixed(2)}`, "plain")),
      badge(`综合 ${o.score.toFixed(2)}`, "type"),
    ),
    h(
      "div",
      { class: "verdict-box" },
      h("h3", {}, "结论 ", verdictBadge(o.verdict)),
      o.reason ? h("p", { class: "verdict-reason" }, o.reason) : null,
      generalSide(o),
    ),
    reviewPanel(o, overlapReview),
    o.items.length === 1 && o.items[0].departments.length > 1
      ? h("p", { class: "muted" }, "同一事项由以下部门联合实施（实施主体列有多个部门）：")
      : null,
    h("div", { class: sides.length > 1 ? "two-columns" : "" }, sides),
    o.sharedArticles.length
      ? [
          h("h3", {}, `共同依据（${o.sharedArticles.length} 条，越少见越靠前）`),
          o.sharedArticles.map((a) =>
            h(
              "div",
              { class: "article-box" },
              h(
                "h4",
                {},
                `《${a.law}》${a.article || ""}`,
                a.rank ? h("span", { class: "muted small" }, ` ${a.rank}`) : null,
              ),
              a.text ? h("p", { class: "pre" }, a.text) : h("p", { class: "muted" }, "法规库未收录该条文原文。"),
            ),
          ),
        ]
      : null,
    o.sharedWords.length
      ? [
          h("h3", {}, "相同表述"),
          h(
            "ul",
            { class: "shared-words" },
            o.sharedWords.map((w) => h("li", {}, h("mark", {}, w))),
          ),
        ]
      : null,
    h("h3", {}, "发现依据"),
    h(
      "ul",
      { class: "evidence-list" },
      o.evidence.filter((e) => e !== o.reason).map((e) => h("li", {}, e)),
    ),
  );
}

// Who should state the boundary: the general side's departments, and its item or function.
function generalSide(o) {
  const item = o.general;
  const f = o.generalFunction;
  if (!item && !f) return null;
  const departments = item ? item.departments.map((d) => d.name) : [f.department.name];
  return h(
    "p",
    { class: "general-side" },
    `边界应由${departments.join("、")}写明：`,
    h("strong", {}, item ? item.name : f.text),
    " ",
    h("code", {}, item ? item.code : f.code),
  );
}

function itemSide(item, overlap, shared) {
  return h(
    "article",
    { class: "card evidence-side" },
    h("p", { class: "meta" }, item.departments.map((d) => d.name).join("、")),
    h("h4", {}, highlight(item.name, overlap.sharedWords)),
    item.subItem ? h("p", { class: "sub-item" }, "子项：", highlight(item.subItem, overlap.sharedWords)) : null,
    h("p", { class: "small" }, badge(item.powerType, "type"), " ", h("code", {}, item.code)),
    h("p", { class: "small" }, h("span", { class: "muted" }, "设定依据："), item.basis || "—"),
    item.laws.length
      ? h(
          "ul",
          { class: "citations" },
          item.laws.map((law) =>
            h(
              "li",
              { class: shared.has(law.id) ? "shared" : "" },
              shared.has(law.id) ? h("mark", {}, citation(law)) : citation(law),
            ),
          ),
        )
      : null,
  );
}

function functionSide(f, overlap, shared) {
  return h(
    "article",
    { class: "card evidence-side" },
    h("p", { class: "meta" }, f.department.name, f.category ? ` · ${f.category}` : ""),
    h("h4", {}, "部门职能 ", h("code", {}, f.code)),
    h("p", {}, highlight(f.text, overlap.sharedWords)),
    f.laws.length
      ? h(
          "ul",
          { class: "citations" },
          f.laws.map((law) => h("li", {}, shared.has(law.id) ? h("mark", {}, citation(law)) : citation(law))),
        )
      : null,
  );
}
