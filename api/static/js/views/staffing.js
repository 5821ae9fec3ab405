// 5. Staffing (staffing role): quotas (编制) against the people on them, per department, and the staffing gaps,
// each with its review status and the buttons that review it.
import { axisTooltip, drawChart } from "../charts.js";
import { axisNames, badge, clear, dash, errorBox, h, hashParams, loading, routeHref } from "../dom.js";
import { allNodes, getToken, query } from "../graphql.js";
import { STAFFING_GAPS, label } from "../labels.js";
import { REVIEW, loadReview, reviewPanel } from "../review.js";
import { tokenPanel } from "../token.js";

const GAP_KINDS = "[NO_HEAD, VACANT_POST, OVER_QUOTA, GHOST_PAYROLL, MIXED_QUOTA, CONCURRENT_POSTS]";
const STAFFING = `
  query Staffing($at: Date, $after: String) {
    today
    departments(first: 200, after: $after) {
      pageInfo { hasNextPage endCursor }
      edges {
        node {
          name government kind code
          staffing(at: $at) {
            adminQuota institutionQuota onAdminQuota onInstitutionQuota onOtherQuota posts postsHeld peopleAtWork
          }
        }
      }
    }
  }`;
// The staffing gaps, a page at a time (js/graphql.js allNodes), most serious first.
const GAPS = `
  query StaffingGaps($at: Date, $after: String) {
    gapsConnection(kinds: ${GAP_KINDS}, at: $at, first: 500, after: $after) {
      pageInfo { hasNextPage endCursor }
      edges {
        node {
          id kind severity subjectName detail
          department { name }
          evidence { label value }
          ${REVIEW}
        }
      }
    }
  }`;

let ui = null;
let ticket = 0;

export function mount(container, params) {
  const at = h("input", { id: "staffing-at", name: "at", type: "date" });
  ui = { at, body: h("div", {}) };
  container.append(
    h(
      "section",
      { class: "view view-staffing", "aria-labelledby": "view-title" },
      h("h1", { id: "view-title" }, "编制情况"),
      h(
        "p",
        { class: "lead" },
        "各部门核定编制与实有人员对比，岗位空缺、超编、吃空饷、混用编制、兼职等问题清单。仅限编制管理人员。",
      ),
      tokenPanel("编制管理", () => update(hashParams())),
      h(
        "form",
        {
          class: "case-form",
          "aria-label": "统计日期",
          onsubmit(event) {
            event.preventDefault();
            location.hash = routeHref("staffing", { at: at.value });
          },
        },
        h("div", { class: "field" }, h("label", { for: "staffing-at" }, "统计日期"), at),
        h("button", { type: "submit", class: "button" }, "统计"),
      ),
      ui.body,
    ),
  );
  update(params);
}

export async function update(params) {
  if (!ui) return;
  const at = params.get("at") || null;
  const mine = ++ticket;
  if (!getToken()) {
    clear(ui.body, h("p", { class: "alert" }, "编制和人员数据仅对编制管理人员开放。请输入访问令牌。"));
    return;
  }
  clear(ui.body, loading());
  let departments, gaps, today;
  try {
    [{ departments, today }, gaps] = await Promise.all([
      staffingPages(at),
      allNodes(GAPS, "gapsConnection", { at }, { withToken: true }),
    ]);
  } catch (error) {
    if (mine === ticket) clear(ui.body, errorBox(error, "编制管理人员"));
    return;
  }
  if (mine !== ticket) return;
  ui.at.value = at || today;
  render(
    departments.sort((a, b) => (a.code || a.name).localeCompare(b.code || b.name)),
    gaps,
    at || today,
  );
  pickGap(params.get("gap"));
}

// Every department with its staffing on `at`, page after page, and the service's today.
async function staffingPages(at) {
  const departments = [];
  let today = null;
  let after = null;
  do {
    const data = await query(STAFFING, { at, after }, { withToken: true });
    today = data.today;
    departments.push(...data.departments.edges.map((e) => e.node));
    after = data.departments.pageInfo.hasNextPage ? data.departments.pageInfo.endCursor : null;
  } while (after);
  return { departments, today };
}

// The gap a link names (`#/staffing?gap=ID`, from a scorecard's deduction or the ledger): marked and shown.
function pickGap(id) {
  const item = id ? [...ui.body.querySelectorAll(".gap-list > li")].find((li) => li.dataset.finding === id) : null;
  if (!item) return;
  item.classList.add("picked");
  item.setAttribute("aria-current", "true");
  item.scrollIntoView({ block: "center" });
}

function figures(d) {
  const s = d.staffing;
  const quota = (s.adminQuota || 0) + (s.institutionQuota || 0);
  const onQuota = s.onAdminQuota + s.onInstitutionQuota;
  const over =
    Math.max(0, s.onAdminQuota - (s.adminQuota || 0)) + Math.max(0, s.onInstitutionQuota - (s.institutionQuota || 0));
  return { quota, onQuota, over, vacantPosts: s.posts - s.postsHeld, free: quota - onQuota };
}

function render(departments, gaps, at) {
  const rows = departments.map((d) => ({ d, f: figures(d) }));
  const totals = rows.reduce(
    (t, { f }) => ({
      quota: t.quota + f.quota,
      onQuota: t.onQuota + f.onQuota,
      over: t.over + (f.over > 0 ? 1 : 0),
      vacant: t.vacant + f.vacantPosts,
    }),
    { quota: 0, onQuota: 0, over: 0, vacant: 0 },
  );
  const stat = (text, value, extra = "") =>
    h(
      "div",
      { class: `stat ${extra}`.trim() },
      h("span", { class: "label" }, text),
      h("span", { class: "value" }, value),
    );
  const chart = h("div", {
    class: "chart",
    id: "staffing-chart",
    role: "img",
    "aria-label": "各部门编制数与在编人数对比图",
  });
  const governments = [...new Set(departments.map((d) => d.government))];
  clear(
    ui.body,
    h("p", { class: "muted small" }, `统计日期：${at}`),
    h(
      "div",
      { class: "summary-grid" },
      stat("核定编制", `${totals.quota} 名`),
      stat("在编人数", `${totals.onQuota} 人`),
      stat("超编部门", `${totals.over} 个`, totals.over ? "lead-dept" : ""),
      stat("空缺岗位", `${totals.vacant} 个`),
      stat("问题", `${gaps.length} 项`, gaps.length ? "lead-dept" : ""),
    ),
    h("h2", {}, `问题清单（${gaps.length}）`),
    gaps.length ? gapList(gaps) : h("p", { class: "badge good" }, "未发现问题"),
    h(
      "div",
      { class: "card chart-card" },
      h("h2", { class: "chart-title" }, "编制数与在编人数"),
      chart,
      h("p", { class: "figure-note" }, "编制数为行政编制与事业编制之和；在编人数为占用这两类编制的人员。红色为超编。"),
    ),
    h("h2", {}, "各部门明细"),
    governments.map((government) =>
      staffingTable(
        government,
        rows.filter(({ d }) => d.government === government),
      ),
    ),
  );
  drawStaffing(chart, rows);
}

function gapList(gaps) {
  return h(
    "ul",
    { class: "gap-list" },
    gaps.map((g) =>
      h(
        "li",
        {
          class: `gap card severity-${g.severity}`,
          dataset: { kind: g.kind, department: g.department ? g.department.name : "", finding: g.id },
        },
        h(
          "div",
          { class: "gap-head" },
          badge(label(STAFFING_GAPS, g.kind), g.severity >= 4 ? "bad" : "warn"),
          h(
            "span",
            { class: "severity", title: `严重程度 ${g.severity} / 5`, "aria-label": `严重程度 ${g.severity} / 5` },
            "●".repeat(g.severity),
            h("span", { class: "dim" }, "●".repeat(5 - g.severity)),
          ),
          h("strong", { class: "gap-subject" }, g.subjectName),
          h("span", { class: "gap-department muted" }, g.department ? g.department.name : ""),
        ),
        h("p", { class: "gap-detail" }, g.detail),
        reviewPanel(g, loadReview),
      ),
    ),
  );
}

function staffingTable(government, rows) {
  const head = [
    "部门",
    "类型",
    "行政编制",
    "在编（行政）",
    "事业编制",
    "在编（事业）",
    "其他人员",
    "岗位",
    "在岗",
    "编制余缺",
  ];
  return h(
    "div",
    { class: "table-wrap staffing-table" },
    h(
      "table",
      {},
      h("caption", {}, government),
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          head.map((t, i) => h("th", { class: i >= 2 ? "num" : "" }, t)),
        ),
      ),
      h(
        "tbody",
        {},
        rows.map(({ d, f }) => {
          const s = d.staffing;
          return h(
            "tr",
            { class: f.over > 0 ? "bad" : "", dataset: { department: d.name } },
            h("td", {}, d.name),
            h("td", {}, dash(d.kind)),
            h("td", { class: "num" }, dash(s.adminQuota)),
            h("td", { class: "num" }, s.onAdminQuota),
            h("td", { class: "num" }, dash(s.institutionQuota)),
            h("td", { class: "num" }, s.onInstitutionQuota),
            h("td", { class: "num" }, s.onOtherQuota),
            h("td", { class: "num" }, s.posts),
            h("td", { class: "num" }, s.postsHeld),
            h("td", { class: "num" }, f.over > 0 ? `超编 ${f.over}` : f.free > 0 ? `空余 ${f.free}` : "持平"),
          );
        }),
      ),
    ),
  );
}

async function drawStaffing(element, rows) {
  const shown = rows.filter(({ f }) => f.quota > 0 || f.onQuota > 0);
  const narrow = element.clientWidth < 560;
  element.style.height = `${shown.length * (narrow ? 22 : 24) + 80}px`;
  await drawChart(element, {
    tooltip: axisTooltip((index) => shown[index].d.name),
    legend: { data: ["编制数", "在编人数"], top: 0 },
    grid: { left: 8, right: 36, top: 30, bottom: 8, containLabel: true },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: {
      type: "category",
      inverse: true,
      data: axisNames(shown.map(({ d }) => d)),
      axisLabel: { interval: 0, fontSize: narrow ? 10 : 12, width: narrow ? 124 : 200, overflow: "truncate" },
    },
    series: [
      {
        name: "编制数",
        type: "bar",
        barGap: "10%",
        barMaxWidth: 10,
        itemStyle: { color: "#9fb6d6" },
        data: shown.map(({ f }) => f.quota),
      },
      {
        name: "在编人数",
        type: "bar",
        barMaxWidth: 10,
        itemStyle: { color: "#1d4f91" },
        data: shown.map(({ f }) => ({ value: f.onQuota, itemStyle: f.over > 0 ? { color: "#b8202a" } : undefined })),
      },
    ],
  });
}
