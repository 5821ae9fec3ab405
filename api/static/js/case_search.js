// The case search of the trace view (investigator role): the cases of a department, an item, a period, an
// outcome, overdue or not, newest first or by delay, a page at a time, each linking to its trace. The search
// is kept in the hash beside the case shown (dept, item, from, to, outcome, overdue, sort, page, after), so a
// link gives the same result, and opening a trace keeps the list.
import { clear, dash, errorBox, h, loading, pagerNav, routeHref } from "./dom.js";
import { departmentsByCode, getToken, query } from "./graphql.js";
import { scrollingTable } from "./scroll.js";

const PAGE_SIZE = 20;
const OUTCOMES = ["准予", "不予", "退回", "逾期", "撤回"];
const SORTS = { accepted: "按受理日期（新的在前）", delay: "按超期天数（多的在前）" };
export const SEARCH_KEYS = ["dept", "item", "from", "to", "outcome", "overdue", "sort", "page", "after"];

const CASES = `
  query CaseSearch(
    $department: String, $item: String, $from: Date, $to: Date, $outcome: String, $overdue: Boolean,
    $sort: CaseSort, $first: Int, $after: String
  ) {
    cases(department: $department, item: $item, from: $from, to: $to, outcome: $outcome, overdue: $overdue,
          sort: $sort, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        node {
          id accepted closed outcome overdue workingDays limitDays delayDays
          item { code name }
          departments { name }
        }
      }
    }
  }`;

// The search's part of the hash: {dept, item, …} with only what is set.
export function searchOf(params) {
  const found = {};
  for (const key of SEARCH_KEYS) if (params.get(key)) found[key] = params.get(key);
  return found;
}

// The search form, its results and pager; `update(params)` shows the search the hash names and marks the case
// shown, `reload()` asks again (a token entered); `onPick` runs when a case of the results is opened.
export function caseSearch({ onPick = () => {} } = {}) {
  const ui = layout();
  const cursors = {}; // filters -> [after of page 1, after of page 2, …]
  let departments = null;
  let shownKey = null;
  let ticket = 0;

  async function update(params) {
    const search = searchOf(params);
    const selected = params.get("case") || "";
    fill(ui.form, search);
    const key = JSON.stringify([search, getToken()]);
    if (key !== shownKey) {
      shownKey = key;
      await load(search, selected);
    }
    markSelected(ui.results, selected);
  }

  function reload() {
    shownKey = null;
  }

  async function load(search, selected) {
    const mine = ++ticket;
    ui.pager.hidden = true;
    delete ui.heading.dataset.total;
    if (!getToken()) {
      ui.heading.textContent = "";
      clear(ui.results, h("p", { class: "alert" }, "本页内容涉及个人信息，仅对调查人员开放。请输入访问令牌。"));
      return;
    }
    if (!departments) {
      try {
        departments = await departmentsByCode();
      } catch (error) {
        clear(ui.results, errorBox(error));
        return;
      }
      ui.form.elements.dept.append(...departments.map((d) => h("option", { value: d.name }, d.name)));
      fill(ui.form, search);
    }
    const filters = { ...search };
    delete filters.page;
    delete filters.after;
    const page = Math.max(1, Number(search.page) || 1);
    const pages = (cursors[JSON.stringify(filters)] ||= [null]);
    const after = page > 1 ? (pages[page - 1] ?? search.after ?? null) : null;
    ui.heading.textContent = "正在查找…";
    clear(ui.results, loading("正在查找办件…"));
    let connection;
    try {
      connection = (await query(CASES, variables(filters, after), { withToken: true })).cases;
    } catch (error) {
      if (mine !== ticket) return;
      ui.heading.textContent = "查找失败";
      // with a case asked for, the trace shows the same refusal; once is enough
      if (selected && ["FORBIDDEN", "UNAUTHENTICATED"].includes(error.code)) clear(ui.results);
      else clear(ui.results, errorBox(error, "调查人员"));
      return;
    }
    if (mine !== ticket) return;
    pages[page - 1] = after;
    if (connection.pageInfo.hasNextPage) pages[page] = connection.pageInfo.endCursor;
    render(ui, filters, page, connection, pages, selected, onPick);
  }

  ui.form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(ui.form);
    const search = {};
    for (const key of ["dept", "item", "from", "to", "outcome", "overdue", "sort"]) {
      const value = String(data.get(key) || "").trim();
      if (value && !(key === "sort" && value === "accepted")) search[key] = value;
    }
    location.hash = routeHref("trace", search);
  });
  return { root: ui.root, update, reload };
}

function variables(filters, after) {
  return {
    department: filters.dept || null,
    item: filters.item || null,
    from: filters.from || null,
    to: filters.to || null,
    outcome: filters.outcome || null,
    overdue: filters.overdue === "1" ? true : filters.overdue === "0" ? false : null,
    sort: filters.sort === "delay" ? "DELAY" : "ACCEPTED",
    first: PAGE_SIZE,
    after,
  };
}

function render(ui, filters, page, connection, pages, selected, onPick) {
  const total = connection.totalCount;
  ui.heading.textContent = `共 ${total} 件办件${filters.sort === "delay" ? "（按超期天数排序）" : ""}`;
  ui.heading.dataset.total = String(total);
  ui.heading.dataset.search = JSON.stringify(filters); // what is shown, for a reader that waits for it
  const cases = connection.edges.map((edge) => edge.node);
  if (!cases.length) {
    clear(ui.results, h("p", { class: "empty" }, "没有符合条件的办件。"));
  } else {
    const heads = ["办件编号", "事项", "部门", "受理日期", "办结日期", "结果", "用时", "时限", "超期"];
    clear(
      ui.results,
      scrollingTable(
        h(
          "table",
          { class: "case-table" },
          h("thead", {}, h("tr", {}, heads.map((head) => h("th", { scope: "col" }, head)))),
          h(
            "tbody",
            { class: "case-list" },
            cases.map((c) => row(c, filters, page, pages, selected, onPick)),
          ),
        ),
        "办件",
      ),
    );
  }
  const pageCount = Math.max(1, Math.ceil(total / PAGE_SIZE));
  ui.pager.hidden = total <= PAGE_SIZE;
  ui.pageInfo.textContent = `第 ${page} 页 / 共 ${pageCount} 页`;
  setLink(ui.prev, page > 1 ? routeHref("trace", { ...filters, page: page - 1, after: pages[page - 2] }) : null);
  setLink(
    ui.next,
    connection.pageInfo.hasNextPage
      ? routeHref("trace", { ...filters, page: page + 1, after: connection.pageInfo.endCursor })
      : null,
  );
}

function row(c, filters, page, pages, selected, onPick) {
  const here = page > 1 ? { page, after: pages[page - 1] } : {};
  return h(
    "tr",
    { class: c.overdue ? "bad" : null, dataset: { case: c.id, delay: c.delayDays ?? "" } },
    h(
      "td",
      {},
      h(
        "a",
        {
          href: routeHref("trace", { ...filters, ...here, case: c.id }),
          dataset: { case: c.id },
          "aria-current": c.id === selected ? "true" : null,
          onclick: onPick,
        },
        c.id,
      ),
    ),
    h("td", {}, `${c.item.code} ${c.item.name}`),
    h("td", {}, dash(c.departments.map((d) => d.name).join("、"))),
    h("td", { class: "num" }, c.accepted),
    h("td", { class: "num" }, dash(c.closed)),
    h("td", {}, dash(c.outcome)),
    h("td", { class: "num" }, dash(c.workingDays)),
    h("td", { class: "num" }, dash(c.limitDays)),
    h("td", { class: "num" }, c.overdue ? `${c.delayDays} 个工作日` : c.delayDays === null ? "—" : "否"),
  );
}

function markSelected(results, selected) {
  for (const link of results.querySelectorAll("a[data-case]")) {
    if (link.dataset.case === selected) link.setAttribute("aria-current", "true");
    else link.removeAttribute("aria-current");
  }
}

function fill(form, search) {
  const fields = form.elements;
  for (const key of ["dept", "item", "from", "to", "outcome", "overdue"]) fields[key].value = search[key] || "";
  fields.sort.value = search.sort === "delay" ? "delay" : "accepted";
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
  const field = (id, text, control) => h("div", { class: "field" }, h("label", { for: id }, text), control);
  const choices = (all, entries) => [
    h("option", { value: "" }, all),
    entries.map(([value, name]) => h("option", { value }, name)),
  ];
  const form = h(
    "form",
    { class: "filters case-search", role: "search", "aria-label": "查找办件" },
    field("case-dept", "部门", h("select", { id: "case-dept", name: "dept" }, h("option", { value: "" }, "全部部门"))),
    field(
      "case-item",
      "事项编码",
      h("input", { id: "case-item", name: "item", autocomplete: "off", spellcheck: "false", placeholder: "如：XK-511900017-003" }),
    ),
    field("case-from", "受理日期自", h("input", { id: "case-from", name: "from", type: "date" })),
    field("case-to", "至", h("input", { id: "case-to", name: "to", type: "date" })),
    field(
      "case-outcome",
      "办理结果",
      h("select", { id: "case-outcome", name: "outcome" }, choices("全部结果", OUTCOMES.map((o) => [o, o]))),
    ),
    field(
      "case-overdue",
      "是否超期",
      h(
        "select",
        { id: "case-overdue", name: "overdue" },
        choices("全部", [
          ["1", "超期"],
          ["0", "未超期"],
        ]),
      ),
    ),
    field(
      "case-sort",
      "排序",
      h(
        "select",
        { id: "case-sort", name: "sort" },
        Object.entries(SORTS).map(([value, name]) => h("option", { value }, name)),
      ),
    ),
    h("div", { class: "field actions" }, h("button", { type: "submit", class: "button" }, "查找")),
  );
  const heading = h("h2", { class: "results-heading", id: "case-heading", "aria-live": "polite" }, "");
  const results = h("div", { class: "results case-results" });
  const { pager, prev, next, pageInfo } = pagerNav();
  const root = h("div", { class: "case-picker" }, form, heading, results, pager);
  return { root, form, heading, results, pager, prev, next, pageInfo };
}
