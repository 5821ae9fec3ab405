// 3. Approval chains (public): a split approval or a prerequisite chain drawn as a flow across departments
// (the "approval long march"): stages in department lanes, days, and the suggested lead department; each
// with its review status, reviewed by a staffing officer with a token.
import { badge, clear, dash, errorBox, h, hashParams, loading, routeHref, shortName, FONT_FAMILY } from "../dom.js";
import { allNodes } from "../graphql.js";
import { scrollingTable } from "../scroll.js";
import { ROLES, SPLIT_KINDS, label } from "../labels.js";
import { REVIEW, REVIEW_HISTORY, reviewLoader, reviewPanel, statusBadge } from "../review.js";
import { tokenPanel } from "../token.js";

// The split approvals, most departments first, 100 a page (js/graphql.js allNodes): with its items and
// stages a split costs about 500 of the 50,000 a query may cost (api/limits.py).
const SPLITS = `
  query SplitApprovals($after: String) {
    splitApprovalsConnection(first: 100, after: $after) {
      pageInfo { hasNextPage endCursor }
      edges {
        node {
          id kind detail stageCount totalDays savedDays
          leadDepartment { name government }
          departments { name government }
          items {
            code name subItem powerType statutoryDays promisedDays
            departments { name }
            stages { step name days role department { name government } unit { name } post { name } }
          }
          ${REVIEW}
        }
      }
    }
  }`;
const SPLIT_REVIEW = `
  query SplitReview($id: ID!) {
    node(id: $id) { ... on SplitApproval { id ${REVIEW_HISTORY} } }
  }`;
const splitReview = reviewLoader(SPLIT_REVIEW);

const KIND_ORDER = ["CHAIN", "STAGES", "SAME_MATTER"];
const KIND_NOTES = {
  CHAIN: "办理一个事项之前须先取得其他部门的审批，前后串联。",
  STAGES: "一个事项的环节分在多个部门办理。",
  SAME_MATTER: "同一许可事项由多个部门分别审批。",
};
// How the service counts a split's total days (its longest path: what an applicant waits at most).
const TOTAL_NOTES = {
  CHAIN: "法定时限按最长路径计：前置审批依次办理，同时需要的几项并行办理，只计其中最长的一项。",
  STAGES: "法定时限按最长路径计：各环节依次办理，时限相加。",
  SAME_MATTER: "法定时限按最长路径计：各部门并行审批，只计其中最长的一项，不相加。",
};
const ROLE_COLORS = { HANDLE: "#1d4f91", REVIEW: "#9a5b00", APPROVE: "#b8202a" };

let splits = null;
let ui = null;
let cytoscapeLibrary = null;

export async function mount(container, params) {
  ui = {
    list: h("nav", { class: "split-nav", "aria-label": "审批链条列表" }),
    detail: h("section", { class: "split-detail", "aria-live": "polite" }),
    body: h("div", {}, loading()),
  };
  container.append(
    h(
      "section",
      { class: "view view-chains", "aria-labelledby": "view-title" },
      h("h1", { id: "view-title" }, "审批链条"),
      h(
        "p",
        { class: "lead" },
        "跨部门、多环节的审批（“审批长征”）：每个环节在哪个部门办理、限时几天，以及建议的牵头部门。",
      ),
      h(
        "details",
        { class: "review-login" },
        h("summary", {}, "审核审批链条（编制管理人员）"),
        tokenPanel("审核人员", () => splits && update(hashParams()), { checkStored: false }),
      ),
      ui.body,
    ),
  );
  try {
    splits = await allNodes(SPLITS, "splitApprovalsConnection");
  } catch (error) {
    clear(ui.body, errorBox(error));
    return;
  }
  clear(
    ui.body,
    h(
      "div",
      { class: "with-sidebar" },
      h("aside", { class: "sidebar plain" }, ui.list),
      h("div", { class: "main-column" }, ui.detail),
    ),
  );
  update(params);
}

export function update(params) {
  if (!splits || !ui) return;
  const wanted = params.get("id");
  const chosen = splits.find((s) => s.id === wanted) || splits.find((s) => s.kind === "CHAIN") || splits[0];
  renderList(chosen);
  if (!chosen) {
    clear(ui.detail, h("p", { class: "empty" }, "没有跨部门的审批。"));
    return;
  }
  renderDetail(chosen);
  if (ui.focus) {
    ui.focus = false;
    document.getElementById("split-title")?.focus();
  }
}

function renderList(chosen) {
  const groups = KIND_ORDER.map((kind) => [kind, splits.filter((s) => s.kind === kind)]).filter(
    ([, list]) => list.length,
  );
  const open = ui.list.firstElementChild ? ui.list.firstElementChild.open : window.innerWidth > 860;
  clear(
    ui.list,
    h(
      "details",
      { class: "split-browser", open },
      h("summary", {}, `选择审批（${splits.length} 项）`),
      h(
        "div",
        { class: "split-groups" },
        groups.map(([kind, list]) => [
          h("h2", { class: "group-title" }, label(SPLIT_KINDS, kind), h("span", { class: "count" }, ` ${list.length}`)),
          h(
            "ul",
            { class: "split-list" },
            list.map((s) =>
              h(
                "li",
                {},
                h(
                  "a",
                  {
                    class: "choice",
                    href: routeHref("chains", { id: s.id }),
                    "aria-current": s === chosen ? "true" : null,
                    dataset: { split: s.id },
                    onclick: () => (ui.focus = true),
                  },
                  h("span", { class: "title" }, statusBadge(s.id, s.review), " ", title(s)),
                  h(
                    "span",
                    { class: "sub" },
                    `${s.departments.length} 个部门 · ${s.stageCount} 个环节${s.totalDays !== null ? ` · ${s.totalDays} 个工作日` : ""}`,
                  ),
                ),
              ),
            ),
          ),
        ]),
      ),
    ),
  );
}

function title(split) {
  if (split.kind === "CHAIN")
    return [...split.items]
      .reverse()
      .map((i) => i.name)
      .join(" → ");
  return split.items[0].name;
}

function renderDetail(split) {
  const flow = h("div", {
    class: "flow",
    id: "chain-flow",
    role: "img",
    "aria-label": `${title(split)}：各环节在部门之间的流转图`,
  });
  const stat = (text, value, extra = "") =>
    h(
      "div",
      { class: `stat ${extra}`.trim() },
      h("span", { class: "label" }, text),
      h("span", { class: "value" }, value),
    );
  clear(
    ui.detail,
    h(
      "p",
      {},
      badge(label(SPLIT_KINDS, split.kind), split.kind === "CHAIN" ? "bad" : "warn"),
      " ",
      h("span", { class: "muted small" }, KIND_NOTES[split.kind]),
    ),
    h("h2", { id: "split-title", tabindex: "-1", class: "split-title" }, title(split)),
    reviewPanel(split, splitReview),
    h(
      "div",
      { class: "summary-grid" },
      stat("环节", `${split.stageCount} 个`),
      stat("涉及部门", `${split.departments.length} 个`),
      stat(
        "法定时限（最长路径）",
        split.totalDays === null ? "未全部载明" : `${split.totalDays} 个工作日`,
        "total-days",
      ),
      stat("由一个部门办理可节省", split.savedDays === null ? "—" : `${split.savedDays} 个工作日`),
      stat("建议牵头部门", split.leadDepartment ? split.leadDepartment.name : "—", "lead-dept"),
    ),
    h("p", { class: "muted small", id: "total-days-note" }, TOTAL_NOTES[split.kind]),
    h("div", { class: "card chart-card" }, flow, legend()),
    h("h3", {}, "各环节"),
    split.items.length > 1
      ? h(
          "p",
          { class: "muted small" },
          split.kind === "CHAIN" ? "按办理先后排列：先取得前置审批，再办理后一事项。" : "各部门分别审批同一事项。",
        )
      : null,
    orderedItems(split).map((item, index) => stageTable(item, index, split)),
    h("p", { class: "muted small" }, split.detail),
  );
  drawFlow(flow, split);
}

function legend() {
  return h(
    "div",
    { class: "legend" },
    Object.entries(ROLES).map(([role, name]) =>
      h("span", {}, h("i", { style: `background:${ROLE_COLORS[role]}` }), name),
    ),
    h("span", {}, h("i", { style: "background:#fdecec;border:2px solid #b8202a" }), "建议牵头部门"),
    h("span", {}, "虚线：前置审批"),
  );
}

// Prerequisites first, so the table reads in the order an applicant goes through them.
function orderedItems(split) {
  return split.kind === "CHAIN" ? [...split.items].reverse() : split.items;
}

function stageTable(item, index, split) {
  const total = item.stages.reduce((sum, s) => sum + (s.days || 0), 0);
  return scrollingTable(
    h(
      "table",
      {},
      h(
        "caption",
        {},
        split.items.length > 1 ? `${index + 1}. ` : "",
        item.name,
        " ",
        h("code", { class: "muted" }, item.code),
        h(
          "span",
          { class: "muted small" },
          ` 法定 ${dash(item.statutoryDays)} · 承诺 ${dash(item.promisedDays)} 个工作日`,
        ),
      ),
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          h("th", { class: "num col-step" }, "步骤"),
          h("th", { class: "col-stage" }, "环节"),
          h("th", { class: "col-dept" }, "部门"),
          h("th", {}, "内设机构 / 岗位"),
          h("th", { class: "col-role" }, "职责"),
          h("th", { class: "num col-days" }, "时限"),
        ),
      ),
      h(
        "tbody",
        {},
        item.stages.map((s) =>
          h(
            "tr",
            { class: split.leadDepartment && s.department.name === split.leadDepartment.name ? "lead" : "" },
            h("td", { class: "num" }, s.step),
            h("td", {}, s.name),
            h("td", {}, s.department.name),
            h("td", {}, [s.unit && s.unit.name, s.post && s.post.name].filter(Boolean).join(" / ") || "—"),
            h("td", {}, label(ROLES, s.role) || "—"),
            h("td", { class: "num" }, s.days === null ? "—" : `${s.days} 日`),
          ),
        ),
        h(
          "tr",
          { class: "total" },
          h("td", { colspan: "5" }, "环节时限合计"),
          h("td", { class: "num" }, `${total} 日`),
        ),
      ),
    ),
    `${item.name}的各环节`,
    "stage-table",
  );
}

async function drawFlow(element, split) {
  cytoscapeLibrary ||= import("../../vendor/cytoscape/cytoscape.esm.min.js");
  const cytoscape = (await cytoscapeLibrary).default;
  const layout = flowLayout(split, element.clientWidth);
  element.style.height = `${layout.height}px`;
  const cy = cytoscape({
    container: element,
    elements: layout.elements,
    layout: { name: "preset", fit: true, padding: 20 },
    userZoomingEnabled: false,
    userPanningEnabled: false,
    boxSelectionEnabled: false,
    autoungrabify: true,
    style: flowStyle(layout),
  });
  // as tall as the drawing needs at the zoom that fits its width (never enlarged past 1:1)
  const box = cy.elements().boundingBox();
  const zoom = Math.min(1, (element.clientWidth - 40) / box.w);
  element.style.height = `${Math.ceil(box.h * zoom + 40)}px`;
  cy.resize();
  cy.fit(undefined, 20);
  if (cy.zoom() > 1) {
    cy.zoom(1);
    cy.center();
  }
  element.dataset.rendered = "cytoscape";
  element.dataset.layout = layout.mode;
  element.dataset.stages = String(cy.nodes(".stage").length);
}

// Where each stage goes. Three drawings of one flow:
//  "lanes-across": a lane (row) per department, stages left to right: a short flow on a wide screen;
//  "lanes-down": a lane (column) per department, stages top to bottom: a long chain on a wide screen;
//  "single": one column of stages (one per item when they run side by side), each naming its department: a phone.
function flowLayout(split, width) {
  const lanes = split.departments.map((d) => d.name);
  const government = Object.fromEntries(split.departments.map((d) => [d.name, d.government]));
  const lead = split.leadDepartment && split.leadDepartment.name;
  const items = orderedItems(split);
  const parallel = split.kind === "SAME_MATTER";
  const columns = parallel
    ? Math.max(...items.map((i) => i.stages.length))
    : items.reduce((n, i) => n + i.stages.length, 0);
  const mode = width < 600 ? "single" : columns <= 8 ? "lanes-across" : "lanes-down";

  const elements = [];
  const place = { "lanes-across": [150, 100], "lanes-down": [156, 66], single: [0, 66] }[mode];
  const [LANE_STEP, STAGE_STEP] = mode === "lanes-across" ? [place[1], place[0]] : place;
  const singleWidth = parallel ? Math.max(96, Math.floor((width - 40) / items.length) - 12) : Math.min(320, width - 40);
  let row = 0;
  let last = 0;
  items.forEach((item, itemIndex) => {
    const start = parallel ? 0 : row;
    item.stages.forEach((stage, stageIndex) => {
      const lane = lanes.indexOf(stage.department.name);
      const at = start + stageIndex;
      last = Math.max(last, at);
      const id = `s${itemIndex}-${stageIndex}`;
      const daysText = stage.days === null ? "时限未载明" : `${stage.days} 个工作日`;
      let position;
      let text = `${stage.step} ${stage.name}\n${daysText}`;
      if (mode === "lanes-across") position = { x: at * STAGE_STEP, y: lane * LANE_STEP };
      else if (mode === "lanes-down") position = { x: lane * LANE_STEP, y: at * STAGE_STEP };
      else {
        position = { x: parallel ? itemIndex * (singleWidth + 12) : 0, y: at * STAGE_STEP };
        text = `${stage.step} ${stage.name} · ${daysText}\n${shortName(stage.department.name, government[stage.department.name])}`;
      }
      elements.push({
        data: {
          id,
          parent: mode === "single" ? undefined : `lane${lane}`,
          label: text,
          color: ROLE_COLORS[stage.role] || "#5c6470",
          width: mode === "single" ? singleWidth : mode === "lanes-down" ? 116 : 124,
        },
        position,
        classes: `stage${stage.department.name === lead ? " in-lead" : ""}`,
      });
      if (stageIndex > 0)
        elements.push({ data: { id: `e${id}`, source: `s${itemIndex}-${stageIndex - 1}`, target: id } });
    });
    if (!parallel && itemIndex > 0) {
      elements.push({
        data: {
          id: `link${itemIndex}`,
          source: `s${itemIndex - 1}-${items[itemIndex - 1].stages.length - 1}`,
          target: `s${itemIndex}-0`,
          label: mode === "single" ? "" : "取得后办理",
        },
        classes: "prerequisite",
      });
    }
    if (items.length > 1 && mode !== "lanes-across") {
      // the item's name beside its first stage (above its column when items run side by side)
      const name = `${parallel ? "" : ordinal(itemIndex)}${item.name}`;
      const position =
        mode === "single"
          ? parallel
            ? { x: itemIndex * (singleWidth + 12), y: -STAGE_STEP * 0.75 }
            : { x: 0, y: start * STAGE_STEP - STAGE_STEP * 0.6 }
          : parallel
            ? { x: lanes.indexOf(item.stages[0].department.name) * LANE_STEP, y: -STAGE_STEP }
            : { x: lanes.length * LANE_STEP - LANE_STEP * 0.35, y: start * STAGE_STEP };
      elements.push({
        data: { id: `title${itemIndex}`, label: name, width: mode === "single" ? singleWidth : 180 },
        position,
        classes: `item-title ${mode}`,
      });
    }
    row = start + item.stages.length + (parallel || mode === "lanes-across" ? 0 : mode === "single" ? 1.2 : 0.3);
  });

  if (mode !== "single") {
    lanes.forEach((name, lane) => {
      elements.push({
        data: { id: `lane${lane}`, label: `${name === lead ? "★ " : ""}${shortName(name, government[name])}` },
        classes: name === lead ? "lane lead" : "lane",
      });
      for (const [suffix, at] of [
        ["a", 0],
        ["b", last],
      ]) {
        // invisible ends, so every lane spans the whole flow
        const position =
          mode === "lanes-across"
            ? { x: at * STAGE_STEP, y: lane * LANE_STEP }
            : { x: lane * LANE_STEP, y: at * STAGE_STEP };
        elements.push({ data: { id: `lane${lane}${suffix}`, parent: `lane${lane}` }, position, classes: "anchor" });
      }
    });
  }
  const height =
    mode === "lanes-across"
      ? Math.max(300, lanes.length * LANE_STEP + 90)
      : Math.max(360, (last + 1) * STAGE_STEP + 80 + (items.length > 1 ? items.length * 30 : 0));
  return { mode, elements, height };
}

function ordinal(index) {
  return index < 20 ? String.fromCodePoint(0x2460 + index) : `${index + 1}、`;
}

function flowStyle(layout) {
  const across = layout.mode === "lanes-across";
  return [
    { selector: "node", style: { "font-family": FONT_FAMILY, "font-size": 13, color: "#1f2329" } },
    {
      selector: "node.stage",
      style: {
        shape: "round-rectangle",
        width: "data(width)",
        height: layout.mode === "single" ? 50 : 48,
        "background-color": "data(color)",
        label: "data(label)",
        color: "#fff",
        "text-wrap": "wrap",
        "text-valign": "center",
        "text-halign": "center",
        "font-size": 13,
        "line-height": 1.35,
      },
    },
    {
      selector: "node.stage.in-lead",
      style: layout.mode === "single" ? { "border-width": 3, "border-color": "#f5b3b3" } : {},
    },
    {
      selector: "node.lane",
      style: {
        shape: "round-rectangle",
        "background-color": "#eef2f8",
        "border-width": 1,
        "border-color": "#c5cfdc",
        label: "data(label)",
        "text-valign": "top",
        "text-halign": across ? "left" : "center",
        "text-wrap": "wrap",
        "text-max-width": across ? 170 : 140,
        "font-size": 14,
        "font-weight": "bold",
        "text-margin-x": across ? -6 : 0,
        "text-margin-y": across ? 44 : -4,
        padding: 14,
        color: "#163d70",
      },
    },
    {
      selector: "node.lane.lead",
      style: { "background-color": "#fdecec", "border-color": "#b8202a", "border-width": 2, color: "#b8202a" },
    },
    {
      selector: "node.anchor",
      style: { width: layout.mode === "lanes-down" ? 116 : 124, height: 48, opacity: 0, events: "no" },
    },
    {
      selector: "node.item-title",
      style: {
        shape: "rectangle",
        width: "data(width)",
        height: 20,
        "background-opacity": 0,
        label: "data(label)",
        "text-wrap": "ellipsis",
        "text-max-width": "data(width)",
        "text-valign": "center",
        "text-halign": "center",
        "font-size": 13,
        "font-weight": "bold",
        color: "#5c6470",
        events: "no",
      },
    },
    {
      selector: "node.item-title.single",
      style: { "background-color": "#fbfcfe", "background-opacity": 1, "z-index": 10 },
    },
    {
      selector: "node.item-title.lanes-down",
      style: { "text-halign": "right", "text-wrap": "wrap", "text-max-width": 200, width: 1 },
    },
    {
      selector: "edge",
      style: {
        width: 2,
        "line-color": "#7a8799",
        "target-arrow-color": "#7a8799",
        "target-arrow-shape": "triangle",
        "curve-style": "bezier",
      },
    },
    {
      selector: "edge.prerequisite",
      style: {
        "line-style": "dashed",
        "line-color": "#b8202a",
        "target-arrow-color": "#b8202a",
        label: "data(label)",
        "font-family": FONT_FAMILY,
        "font-size": 12,
        color: "#b8202a",
        "text-background-color": "#fff",
        "text-background-opacity": 1,
        "text-background-padding": 2,
      },
    },
  ];
}
