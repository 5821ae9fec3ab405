// 4. Case trace (investigator role): a timeline of a case's stages — who did each, who held the post then,
// the unit head, the deputy in charge and the department head — working days against the limit, the waits
// between stages (a gap before a stage, with the working days waited and, over the tolerance, who held the
// post while the case waited), and findings, each with its review status and, for an investigator, the
// buttons that review it.
import { caseSearch } from "../case_search.js";
import { axisTooltip, drawChart } from "../charts.js";
import { badge, clear, dash, errorBox, h, hashParams, loading, routeHref } from "../dom.js";
import { getToken, query } from "../graphql.js";
import { scrollingTable } from "../scroll.js";
import { FINDINGS, ROLES, label } from "../labels.js";
import { REVIEW, loadReview, reviewPanel } from "../review.js";
import { tokenPanel } from "../token.js";
import { registerExport } from "../export.js";

const TRACE = `
  query Trace($caseId: ID!) {
    trace(caseId: $caseId) {
      caseId accepted closed outcome totalWorkingDays statutoryDays promisedDays overdue calendarKnown
      item { code name powerType departments { name } }
      stages {
        step name role on
        department { name }
        unit { name }
        post { code name }
        performer { id name }
        holderThen { id name }
        unitHead { name }
        deputyInCharge { name }
        departmentHead { name }
        started finished limitDays workingDays overdue waitedFrom waitedDays
      }
      findings { id kind step detail people { part person { id name } } ${REVIEW} }
      accountability { recordId person { name } fault responsibility sanction date raisedBy }
    }
  }`;

let ui = null;
let ticket = 0;

export function mount(container, params) {
  const input = h("input", {
    id: "case-input",
    name: "case",
    autocomplete: "off",
    placeholder: "如：BJ20241126001",
    spellcheck: "false",
  });
  ui = {
    input,
    cases: caseSearch({ onPick: () => (ui.focus = true) }),
    trace: h("section", { class: "trace", "aria-live": "polite" }),
  };
  container.append(
    h(
      "section",
      { class: "view view-trace", "aria-labelledby": "view-title" },
      h("h1", { id: "view-title" }, "办件追溯"),
      h(
        "p",
        { class: "lead" },
        "按办件编号追溯每个环节：经办人、当时在岗人员、科室负责人、分管领导和主要负责人，用时与时限，以及发现的问题。仅限调查人员。",
      ),
      tokenPanel("调查人员", () => {
        ui.cases.reload();
        update(hashParams());
      }),
      h(
        "form",
        {
          class: "case-form",
          role: "search",
          "aria-label": "按办件编号追溯",
          onsubmit(event) {
            event.preventDefault();
            const value = input.value.trim();
            if (value) {
              ui.focus = true;
              location.hash = routeHref("trace", { case: value });
            }
          },
        },
        h("div", { class: "field" }, h("label", { for: "case-input" }, "办件编号"), input),
        h("button", { type: "submit", class: "button" }, "追溯"),
      ),
      ui.cases.root,
      ui.trace,
      h("div", {}),
    ),
  );
  update(params);
}

export async function update(params) {
  if (!ui) return;
  const caseId = params.get("case") || "";
  ui.input.value = caseId;
  ui.cases.update(params);
  const mine = ++ticket;
  if (!caseId) {
    clear(ui.trace);
    return;
  }
  if (!getToken()) {
    clear(ui.trace, h("p", { class: "alert" }, "请先输入调查人员访问令牌。"));
    return;
  }
  clear(ui.trace, loading(`正在追溯 ${caseId}…`));
  let data;
  try {
    data = await query(TRACE, { caseId }, { withToken: true });
  } catch (error) {
    if (mine === ticket) clear(ui.trace, errorBox(error, "调查人员"));
    return;
  }
  if (mine !== ticket) return;
  if (!data.trace) {
    clear(ui.trace, h("p", { class: "alert" }, `没有找到办件 ${caseId}。`));
    return;
  }
  renderTrace(data.trace);
  if (ui.focus) {
    ui.focus = false;
    document.getElementById("trace-title")?.focus();
  }
}

function renderTrace(trace) {
  const flagged = new Map();
  for (const finding of trace.findings) {
    if (finding.step === null || finding.step === undefined) continue;
    if (!flagged.has(finding.step)) flagged.set(finding.step, []);
    flagged.get(finding.step).push(finding);
  }
  const limit = trace.promisedDays ?? trace.statutoryDays;
  const chart = h("div", { class: "chart", id: "trace-chart", role: "img", "aria-label": "各环节用时与时限对比图" });
  const stat = (text, value, extra = "") =>
    h(
      "div",
      { class: `stat ${extra}`.trim() },
      h("span", { class: "label" }, text),
      h("span", { class: "value" }, value),
    );
  clear(
    ui.trace,
    h("h2", { id: "trace-title", tabindex: "-1", class: "trace-title" }, `办件 ${trace.caseId}：${trace.item.name}`),
    h(
      "p",
      { class: "meta" },
      badge(trace.item.powerType, "type"),
      " ",
      h("code", {}, trace.item.code),
      ` · ${trace.item.departments.map((d) => d.name).join("、")}`,
    ),
    h(
      "div",
      { class: "summary-grid" },
      stat("受理日期", trace.accepted),
      stat("办结日期", dash(trace.closed)),
      stat("办理结果", dash(trace.outcome)),
      stat(
        "实际用时",
        trace.totalWorkingDays === null ? "—" : `${trace.totalWorkingDays} 个工作日`,
        trace.overdue ? "lead-dept" : "",
      ),
      stat("时限（承诺 / 法定）", `${dash(trace.promisedDays)} / ${dash(trace.statutoryDays)} 个工作日`),
    ),
    trace.overdue
      ? h(
          "p",
          { class: "finding" },
          h("strong", {}, "办件超期"),
          `实际用时超过${trace.promisedDays !== null ? "承诺" : "法定"}时限 ${limit} 个工作日。`,
        )
      : null,
    trace.calendarKnown
      ? null
      : h("p", { class: "alert" }, "部分日期所在年份的法定节假日未知，工作日按周一至周五计算。"),
    h("h3", {}, `发现的问题（${trace.findings.length}）`),
    trace.findings.length
      ? h(
          "ul",
          { class: "findings", "aria-label": "发现的问题" },
          trace.findings.map(findingItem),
        )
      : h("p", { class: "badge good" }, "未发现问题"),
    h("div", { class: "card chart-card" }, h("h3", { class: "chart-title" }, "各环节用时与时限（工作日）"), chart),
    h("h3", {}, "办理时间线"),
    h(
      "ol",
      { class: "timeline" },
      trace.stages.map((stage) => stageItem(stage, flagged.get(stage.step) || [])),
    ),
    trace.accountability.length ? accountabilityTable(trace.accountability) : null,
  );
  registerExport(() => traceSheets(trace), chart);
  drawDays(chart, trace);
}

function findingItem(f) {
  return h(
    "li",
    { class: "finding", dataset: { kind: f.kind, finding: f.id } },
    h("strong", {}, label(FINDINGS, f.kind)),
    f.step !== null && f.step !== undefined
      ? h("a", { href: `#stage-${f.step}`, onclick: jumpToStage(f.step) }, `第 ${f.step} 步`)
      : null,
    " ",
    h("span", { class: "detail" }, f.detail),
    reviewPanel(f, loadReview),
  );
}

function jumpToStage(step) {
  return (event) => {
    event.preventDefault();
    const target = document.getElementById(`stage-${step}`);
    if (target) {
      target.scrollIntoView({ block: "center" });
      target.focus();
    }
  };
}

function stageItem(stage, findings) {
  const mismatch = stage.performer && stage.holderThen && stage.performer.id !== stage.holderThen.id;
  const vacant = stage.performer && !stage.holderThen;
  const person = (role, who, extra = "") =>
    h(
      "div",
      {},
      h("span", { class: "role-label" }, role),
      h("span", { class: `who ${extra}`.trim() }, who ? who.name : "—"),
    );
  const share = stage.limitDays ? Math.min(100, Math.round(((stage.workingDays || 0) / stage.limitDays) * 100)) : 0;
  return h(
    "li",
    { class: findings.length ? "flagged" : "" },
    waitGap(stage, findings.find((f) => f.kind === "IDLE_BETWEEN_STAGES")),
    h(
      "article",
      {
        class: `card stage-card ${findings.length ? "flagged" : ""}`.trim(),
        id: `stage-${stage.step}`,
        tabindex: "-1",
        dataset: { step: stage.step },
      },
      h(
        "div",
        { class: "stage-head" },
        h("h4", { class: "stage-name" }, `第 ${stage.step} 步 · ${stage.name}`),
        stage.role ? badge(label(ROLES, stage.role), "plain") : null,
        stage.overdue ? badge("超时", "bad") : null,
        findings.map((f) => badge(label(FINDINGS, f.kind), "bad")),
      ),
      h(
        "p",
        { class: "meta" },
        [stage.department.name, stage.unit && stage.unit.name, stage.post && `${stage.post.name}（${stage.post.code}）`]
          .filter(Boolean)
          .join(" · "),
      ),
      h(
        "div",
        { class: "people" },
        person("经办人", stage.performer, mismatch || vacant ? "mismatch" : ""),
        person("当时在岗人员", stage.holderThen, mismatch || vacant ? "mismatch" : ""),
        person("科室负责人", stage.unitHead),
        person("分管领导", stage.deputyInCharge),
        person("主要负责人", stage.departmentHead),
      ),
      h(
        "p",
        { class: "small" },
        `${dash(stage.started)} → ${dash(stage.finished)} · 用时 ${dash(stage.workingDays)} / 时限 ${dash(stage.limitDays)} 个工作日`,
      ),
      stage.limitDays
        ? h(
            "div",
            { class: `days-bar ${stage.overdue ? "over" : ""}`.trim(), "aria-hidden": "true" },
            h("span", { style: `width:${share}%` }),
          )
        : null,
      findings.map((f) => h("p", { class: "finding" }, h("strong", {}, label(FINDINGS, f.kind)), f.detail)),
    ),
  );
}

// The wait before a stage, as a dashed segment above its card: the working days from the stage before's
// finish to this one's start and, when the trace found it too long, who held the post meanwhile and why.
function waitGap(stage, idle) {
  if (!stage.waitedDays) return null;
  const holders = idle
    ? idle.people.filter((p) => p.part === "等待期间在岗人员").map((p) => p.person.name)
    : [];
  return h(
    "div",
    {
      class: `wait-gap ${idle ? "finding" : "small"}`,
      dataset: { waited: stage.waitedDays, idle: idle ? "true" : "false" },
      style: `border-left: 4px dashed ${idle ? "var(--red)" : "var(--line)"}; padding: 4px 12px; margin: 0 0 8px;`,
    },
    idle ? h("strong", {}, label(FINDINGS, idle.kind)) : null,
    `等待 ${stage.waitedDays} 个工作日（${stage.waitedFrom} → ${stage.started}）`,
    holders.length ? ` · 等待期间在岗：${holders.join("、")}` : "",
  );
}

// The timeline and the findings, as sheets of the export (js/export.js): they are cards, not tables (the
// accountability decisions are a table, exported as it is).
function traceSheets(trace) {
  const name = (who) => (who ? who.name : null);
  const stages = {
    name: "办理环节",
    columns: [
      "步骤",
      "环节",
      "职责",
      "部门",
      "内设机构",
      "岗位",
      "经办人",
      "当时在岗人员",
      "科室负责人",
      "分管领导",
      "主要负责人",
      "开始日期",
      "完成日期",
      "用时（工作日）",
      "时限（工作日）",
      "环节前等待（工作日）",
      "是否超时",
    ],
    rows: trace.stages.map((s) => [
      s.step,
      s.name,
      s.role && label(ROLES, s.role),
      s.department.name,
      s.unit && s.unit.name,
      s.post && `${s.post.name}（${s.post.code}）`,
      name(s.performer),
      name(s.holderThen),
      name(s.unitHead),
      name(s.deputyInCharge),
      name(s.departmentHead),
      s.started,
      s.finished,
      s.workingDays,
      s.limitDays,
      s.waitedDays,
      s.overdue ? "超时" : "否",
    ]),
  };
  const findings = {
    name: "发现的问题",
    columns: ["问题", "步骤", "说明"],
    rows: trace.findings.map((f) => [label(FINDINGS, f.kind), f.step ?? null, f.detail]),
  };
  return [stages, findings];
}

function accountabilityTable(records) {
  return [
    h("h3", {}, `问责决定（${records.length}）`),
    scrollingTable(
      h(
        "table",
        {},
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            ["编号", "被问责人", "过错情形", "责任", "问责方式", "日期", "提出机关"].map((t) => h("th", {}, t)),
          ),
        ),
        h(
          "tbody",
          {},
          records.map((r) =>
            h(
              "tr",
              {},
              h("td", {}, r.recordId),
              h("td", {}, r.person ? r.person.name : "—"),
              h("td", {}, dash(r.fault)),
              h("td", {}, dash(r.responsibility)),
              h("td", {}, dash(r.sanction)),
              h("td", { class: "num" }, r.date),
              h("td", {}, dash(r.raisedBy)),
            ),
          ),
        ),
      ),
      "问责决定",
    ),
  ];
}

async function drawDays(element, trace) {
  const stages = trace.stages;
  element.style.height = `${Math.max(240, stages.length * 58 + 90)}px`;
  await drawChart(element, {
    tooltip: axisTooltip((index) => `${stages[index].step} ${stages[index].name}`, "个工作日"),
    legend: { data: ["实际用时", "时限", "环节前等待"], top: 0 },
    grid: { left: 8, right: 48, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: "value", minInterval: 1, name: "工作日", nameLocation: "end", nameGap: 6 },
    yAxis: { type: "category", inverse: true, data: stages.map((s) => `${s.step} ${s.name}`) },
    series: [
      {
        name: "实际用时",
        type: "bar",
        barMaxWidth: 16,
        itemStyle: { color: "#1f7a3f" },
        data: stages.map((s) => ({
          value: s.workingDays,
          itemStyle: { color: s.overdue ? "#b8202a" : "#1f7a3f" },
        })),
        label: { show: true, position: "right" },
      },
      {
        name: "时限",
        type: "bar",
        barMaxWidth: 16,
        itemStyle: { color: "#c5cfdc" },
        data: stages.map((s) => s.limitDays),
        label: { show: true, position: "right", color: "#5c6470" },
      },
      {
        name: "环节前等待",
        type: "bar",
        barMaxWidth: 16,
        itemStyle: { color: "#c98a12" },
        data: stages.map((s) => s.waitedDays || null),
        label: { show: true, position: "right", color: "#8a5a00" },
      },
    ],
  });
}
