// 8. Warnings (staffing, investigator, admin): the findings sorted into red (合规), yellow (履职) and blue
// (效益) by the office's rules, by level and department, a page at a time; each with the finding it is about
// and its review, reviewed with the buttons the other findings have.
import { badge, clear, errorBox, h, hashParams, loading, pagerNav, routeHref } from "../dom.js";
import { departmentsByCode, getToken, query } from "../graphql.js";
import { WARNING_LEVELS, label } from "../labels.js";
import { REVIEW, findingHref, kindName, loadReview, reviewPanel } from "../review.js";
import { tokenPanel } from "../token.js";

const PAGE_SIZE = 50;

// One more than a page is asked for: whether there is a next page.
const WARNINGS = `
  query Warnings($levels: [WarningLevel!], $department: String, $at: Date, $first: Int!, $offset: Int! = 0) {
    today
    warnings(levels: $levels, department: $department, at: $at, first: $first, offset: $offset) {
      id level rule finding detail evidence reviewStatus
      departments { id name }
      ${REVIEW}
    }
  }`;

let ui = null;
let departments = null; // [{id, name, code}]
let ticket = 0;

export function mount(container, params) {
  ui = layout();
  container.append(ui.root);
  loadDepartments().then(() => update(params));
}

export async function update(params) {
  if (!ui) return;
  const filters = {
    level: params.get("level") || "",
    dept: params.get("dept") || "",
    at: params.get("at") || "",
  };
  const page = Math.max(1, Number(params.get("page")) || 1);
  const form = ui.form.elements;
  form.level.value = filters.level;
  form.dept.value = filters.dept;
  const mine = ++ticket;
  ui.pager.hidden = true;
  delete ui.heading.dataset.filters;
  if (!getToken()) {
    ui.heading.textContent = "";
    clear(
      ui.results,
      h(
        "p",
        { class: "alert", id: "warnings-locked" },
        "预警含各部门编制和人员数据，仅对编制管理人员、调查人员和管理员开放。请输入编制管理访问令牌。",
      ),
    );
    return;
  }
  clear(ui.results, loading());
  ui.heading.textContent = "正在查询…";
  let data;
  try {
    const variables = {
      levels: filters.level ? [filters.level] : null,
      department: filters.dept || null,
      at: filters.at || null,
      first: PAGE_SIZE + 1,
      offset: (page - 1) * PAGE_SIZE,
    };
    data = await query(WARNINGS, variables, { withToken: true });
  } catch (error) {
    if (mine !== ticket) return;
    ui.heading.textContent = "查询失败";
    clear(ui.results, errorBox(error, "编制管理人员、调查人员或管理员"));
    return;
  }
  if (mine !== ticket) return;
  form.at.value = filters.at || data.today;
  const shown = data.warnings.slice(0, PAGE_SIZE);
  render(filters, page, shown, data.warnings.length > PAGE_SIZE);
}

function render(filters, page, warnings, more) {
  const department = departments.find((d) => d.id === filters.dept);
  const scope = [filters.level && label(WARNING_LEVELS, filters.level), department && department.name].filter(Boolean);
  ui.heading.textContent = `${scope.length ? `${scope.join(" · ")}：` : ""}本页 ${warnings.length} 条预警`;
  ui.heading.dataset.filters = JSON.stringify(filters); // what is shown, for a reader that waits for it
  if (!warnings.length) {
    clear(ui.results, h("p", { class: "empty" }, "没有符合条件的预警。"));
  } else {
    clear(
      ui.results,
      Object.keys(WARNING_LEVELS).map((level) => {
        const of = warnings.filter((w) => w.level === level);
        return of.length ? levelSection(level, of) : null;
      }),
    );
  }
  ui.pager.hidden = page === 1 && !more;
  ui.pageInfo.textContent = `第 ${page} 页`;
  setLink(ui.prev, page > 1 ? routeHref("warnings", { ...filters, page: page - 1 }) : null);
  setLink(ui.next, more ? routeHref("warnings", { ...filters, page: page + 1 }) : null);
}

function levelSection(level, warnings) {
  return h(
    "section",
    { class: "warning-level", dataset: { level } },
    h("h2", {}, levelBadge(level), ` 预警（${warnings.length}）`),
    h("ul", { class: "warning-list" }, warnings.map(warningItem)),
  );
}

// "红色 · 合规", its colour a second sign beside the text
export function levelBadge(level) {
  return badge(label(WARNING_LEVELS, level), `warning-badge level-${level.toLowerCase()}`);
}

function warningItem(w) {
  const href = w.finding ? findingHref(w.finding) : null;
  return h(
    "li",
    { class: `warning card level-${w.level.toLowerCase()}`, dataset: { warning: w.id, level: w.level } },
    h(
      "div",
      { class: "warning-head" },
      levelBadge(w.level),
      " ",
      h("strong", { class: "warning-rule" }, w.rule),
      " ",
      h("span", { class: "warning-department muted" }, w.departments.map((d) => d.name).join("、")),
    ),
    h("p", { class: "warning-detail" }, w.detail),
    w.evidence.length
      ? h(
          "details",
          { class: "warning-evidence" },
          h("summary", {}, `依据（${w.evidence.length}）`),
          h("ul", {}, w.evidence.map((line) => h("li", {}, line))),
        )
      : null,
    w.finding
      ? h(
          "p",
          { class: "warning-finding" },
          h("span", { class: "muted small" }, `所涉${kindName(w.finding)}：`),
          href ? h("a", { href }, w.finding) : h("span", { class: "code" }, w.finding),
        )
      : null,
    reviewPanel(w, loadReview),
  );
}

function setLink(link, href) {
  if (href) {
    link.setAttribute("href", href);
    link.removeAttribute("aria-disabled");
  } else {
    link.removeAttribute("href");
    link.setAttribute("aria-disabled", "true");
  }
}

function layout() {
  const form = h(
    "form",
    { class: "filters", "aria-label": "筛选预警" },
    h(
      "div",
      { class: "field" },
      h("label", { for: "warnings-level" }, "预警等级"),
      h(
        "select",
        { id: "warnings-level", name: "level" },
        h("option", { value: "" }, "全部等级"),
        Object.entries(WARNING_LEVELS).map(([value, name]) => h("option", { value }, name)),
      ),
    ),
    h(
      "div",
      { class: "field" },
      h("label", { for: "warnings-dept" }, "涉及部门"),
      h("select", { id: "warnings-dept", name: "dept" }, h("option", { value: "" }, "全部部门")),
    ),
    h(
      "div",
      { class: "field" },
      h("label", { for: "warnings-at" }, "预警日期"),
      h("input", { id: "warnings-at", name: "at", type: "date" }),
    ),
    h("div", { class: "field actions" }, h("button", { type: "submit", class: "button" }, "筛选")),
  );
  const heading = h("h2", { class: "results-heading", id: "warnings-heading", "aria-live": "polite" }, "");
  const results = h("div", { class: "results" });
  const { pager, prev, next, pageInfo } = pagerNav();
  const root = h(
    "section",
    { class: "view view-warnings", "aria-labelledby": "view-title" },
    h("h1", { id: "view-title" }, "预警"),
    h(
      "p",
      { class: "lead" },
      "按预警规则把问题分为红色（合规：超编、吃空饷、超职数、职责缺位等）、黄色（履职：问责集中、分段审批等）和蓝色（效益：编制闲置、业务量偏低、职能交叉等）三级；每条预警可确认、排除或交办整改。",
    ),
    tokenPanel("编制管理", () => update(hashParams())),
    form,
    heading,
    results,
    pager,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    location.hash = routeHref("warnings", { level: data.get("level"), dept: data.get("dept"), at: data.get("at") });
  });
  for (const select of form.querySelectorAll("select")) {
    select.addEventListener("change", () => form.requestSubmit());
  }
  return { root, form, heading, results, pager, prev, next, pageInfo };
}

async function loadDepartments() {
  if (!departments) {
    try {
      departments = await departmentsByCode();
    } catch (error) {
      departments = [];
      clear(ui.results, errorBox(error));
      return;
    }
  }
  ui.form.elements.dept.append(...departments.map((d) => h("option", { value: d.id }, d.name)));
}
