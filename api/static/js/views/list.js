// 1. The published list (public): government → departments → power items, with search, filters and paging.
// A search lists the best matches first (the service's RELEVANCE order) and marks what matched.
import { badge, clear, dash, errorBox, h, loading, pagerNav, routeHref } from "../dom.js";
import { departmentsByCode, query } from "../graphql.js";
import { citation, citationDialog } from "../citations.js";
import { POWER_TYPES } from "../labels.js";
import { registerExport } from "../export.js";

const PAGE_SIZE = 20;

const DEPARTMENTS = `
  query Departments($after: String) {
    departments(first: 200, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { name government kind code parent { name } } }
    }
  }`;

const DEPARTMENT = `
  query Department($name: String!) {
    department(name: $name) {
      name government kind code
      parent { name }
      units { name }
      functions { code text category }
    }
  }`;

const POWER_ITEMS = `
  query PowerItems(
    $department: String
    $powerType: String
    $text: String
    $sort: PowerItemSort
    $first: Int
    $after: String
  ) {
    powerItems(department: $department, powerType: $powerType, text: $text, sort: $sort, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        node {
          id code name subItem powerType joint
          departments { name }
          unit { name }
          basis
          laws { id law article partsCited rank text }
          duties triggers statutoryDays promisedDays
        }
      }
    }
  }`;

let departments = null; // [{name, government, kind, code, parent}]
let cursors = {}; // filter key -> [after of page 1, after of page 2, …]
let ui = null;
let ticket = 0;

export function mount(container, params) {
  ui = layout();
  container.append(ui.root);
  loadDepartments().then(() => update(params));
}

export async function update(params) {
  if (!ui) return;
  const filters = {
    dept: params.get("dept") || "",
    type: params.get("type") || "",
    q: params.get("q") || "",
  };
  const page = Math.max(1, Number(params.get("page")) || 1);
  ui.form.elements.q.value = filters.q;
  ui.form.elements.type.value = filters.type;
  ui.form.elements.dept.value = filters.dept;
  markDepartment(filters.dept);

  const key = JSON.stringify(filters);
  const pages = (cursors[key] ||= [null]);
  const after = page > 1 ? (pages[page - 1] ?? params.get("after")) : null;

  const mine = ++ticket;
  showDepartment(filters.dept, mine);
  clear(ui.results, loading());
  ui.heading.textContent = "正在查询…";
  ui.pager.hidden = true;
  let data;
  let mark;
  try {
    [data, mark] = await Promise.all([
      query(POWER_ITEMS, {
        department: filters.dept || null,
        powerType: filters.type || null,
        text: filters.q || null,
        sort: filters.q ? "RELEVANCE" : "CODE",
        first: PAGE_SIZE,
        after,
      }),
      matchMarker(filters.q),
    ]);
  } catch (error) {
    if (mine !== ticket) return;
    ui.heading.textContent = "查询失败";
    clear(ui.results, errorBox(error));
    return;
  }
  if (mine !== ticket) return;
  const connection = data.powerItems;
  pages[page - 1] = after;
  if (connection.pageInfo.hasNextPage) pages[page] = connection.pageInfo.endCursor;

  const total = connection.totalCount;
  const pageCount = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const scope = [filters.dept, filters.type, filters.q && `“${filters.q}”`].filter(Boolean).join(" · ");
  const order = filters.q && total > 1 ? "（按匹配程度排列）" : "";
  ui.heading.textContent = `${scope ? `${scope}：` : ""}共 ${total} 项${order}`;
  ui.heading.dataset.total = String(total);
  if (!connection.edges.length) {
    clear(ui.results, h("p", { class: "empty" }, "没有符合条件的事项。"));
  } else {
    clear(
      ui.results,
      h(
        "ol",
        { class: "items", start: (page - 1) * PAGE_SIZE + 1 },
        connection.edges.map(({ node }) => itemCard(node, mark)),
      ),
    );
  }
  registerExport(() => [itemSheet(connection.edges, (page - 1) * PAGE_SIZE)], ui.results.firstElementChild);
  ui.pager.hidden = total <= PAGE_SIZE;
  ui.pageInfo.textContent = `第 ${page} 页 / 共 ${pageCount} 页`;
  setLink(ui.prev, page > 1 ? routeHref("list", { ...filters, page: page - 1, after: pages[page - 2] }) : null);
  setLink(
    ui.next,
    connection.pageInfo.hasNextPage
      ? routeHref("list", { ...filters, page: page + 1, after: connection.pageInfo.endCursor })
      : null,
  );
  if (ui.focusResults) {
    ui.focusResults = false;
    ui.heading.focus();
  }
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
  const typeOptions = [h("option", { value: "" }, "全部类型"), POWER_TYPES.map((t) => h("option", { value: t }, t))];
  const form = h(
    "form",
    { class: "filters", role: "search", "aria-label": "查询权责事项" },
    h(
      "div",
      { class: "field grow" },
      h("label", { for: "filter-q" }, "搜索事项（简体、繁体均可）"),
      h("input", {
        id: "filter-q",
        name: "q",
        type: "search",
        placeholder: "事项名称、编码或依据，如：建筑垃圾",
        autocomplete: "off",
      }),
    ),
    h(
      "div",
      { class: "field" },
      h("label", { for: "filter-type" }, "权力类型"),
      h("select", { id: "filter-type", name: "type" }, typeOptions),
    ),
    h(
      "div",
      { class: "field" },
      h("label", { for: "filter-dept" }, "实施部门"),
      h("select", { id: "filter-dept", name: "dept" }, h("option", { value: "" }, "全部部门")),
    ),
    h(
      "div",
      { class: "field actions" },
      h("button", { type: "submit", class: "button" }, "查询"),
      h("button", { type: "button", class: "button secondary", id: "filter-reset" }, "重置"),
    ),
  );
  const heading = h(
    "h2",
    { class: "results-heading", id: "results-heading", tabindex: "-1", "aria-live": "polite" },
    "",
  );
  const results = h("div", { class: "results" });
  const { pager, prev, next, pageInfo } = pagerNav();
  const tree = h("div", { class: "dept-tree" }, loading("正在加载部门…"));
  const browser = h(
    "details",
    { class: "dept-browser", open: window.innerWidth > 860 },
    h("summary", {}, "按政府和部门浏览"),
    tree,
  );
  const deptInfo = h("div", { class: "dept-info" });
  const root = h(
    "section",
    { class: "view view-list", "aria-labelledby": "view-title" },
    h("h1", { id: "view-title" }, "权责清单"),
    h(
      "p",
      { class: "lead" },
      "各部门依法实施的权力事项：权力类型、设定依据（点击条文可查看原文）、责任事项和追责情形。",
    ),
    form,
    h(
      "div",
      { class: "with-sidebar" },
      h("aside", { class: "sidebar", "aria-label": "政府和部门" }, browser),
      h("div", { class: "main-column" }, deptInfo, heading, results, pager),
    ),
    citationDialog(),
  );

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    ui.focusResults = true;
    location.hash = routeHref("list", { q: data.get("q").trim(), type: data.get("type"), dept: data.get("dept") });
  });
  form.elements.type.addEventListener("change", () => form.requestSubmit());
  form.elements.dept.addEventListener("change", () => form.requestSubmit());
  form.querySelector("#filter-reset").addEventListener("click", () => {
    location.hash = routeHref("list");
  });
  for (const link of [prev, next]) link.addEventListener("click", () => (ui.focusResults = true));
  return { root, form, heading, results, pager, prev, next, pageInfo, tree, browser, deptInfo, focusResults: false };
}

async function loadDepartments() {
  if (!departments) {
    try {
      departments = await departmentsByCode(DEPARTMENTS);
    } catch (error) {
      clear(ui.tree, errorBox(error));
      return;
    }
  }
  const select = ui.form.elements.dept;
  const byGovernment = groupBy(departments, (d) => d.government);
  for (const [government, list] of byGovernment) {
    select.append(
      h(
        "optgroup",
        { label: government },
        list.map((d) => h("option", { value: d.name }, d.name)),
      ),
    );
  }
  clear(
    ui.tree,
    [...byGovernment].map(([government, list]) =>
      h(
        "section",
        { class: "government" },
        h("h2", {}, government, " ", h("span", { class: "count" }, `${list.length} 个部门`)),
        [...groupBy(list, (d) => d.kind || "其他")].map(([kind, members]) => [
          h("h3", {}, kind),
          h(
            "ul",
            {},
            members.map((d) =>
              h(
                "li",
                {},
                h("a", { href: routeHref("list", { dept: d.name }), dataset: { department: d.name } }, d.name),
              ),
            ),
          ),
        ]),
      ),
    ),
  );
}

function markDepartment(name) {
  for (const link of ui.tree.querySelectorAll("a[data-department]")) {
    if (link.dataset.department === name) link.setAttribute("aria-current", "true");
    else link.removeAttribute("aria-current");
  }
}

async function showDepartment(name, mine) {
  if (!name) {
    clear(ui.deptInfo);
    return;
  }
  let data;
  try {
    data = await query(DEPARTMENT, { name });
  } catch (error) {
    if (mine === ticket) clear(ui.deptInfo, errorBox(error));
    return;
  }
  if (mine !== ticket) return;
  const d = data.department;
  if (!d) {
    clear(ui.deptInfo, h("p", { class: "alert" }, `没有找到部门“${name}”。`));
    return;
  }
  clear(
    ui.deptInfo,
    h(
      "article",
      { class: "card dept-card" },
      h("h2", {}, d.name),
      h(
        "p",
        { class: "meta" },
        [
          d.government,
          d.kind,
          d.parent && `主管部门：${d.parent.name}`,
          d.code && `机构代码 ${d.code}`,
          `内设机构 ${d.units.length} 个`,
        ]
          .filter(Boolean)
          .join(" · "),
      ),
      d.functions.length
        ? h(
            "details",
            {},
            h("summary", {}, `部门职能（${d.functions.length} 项）`),
            h(
              "ol",
              { class: "functions" },
              d.functions.map((f) =>
                h("li", {}, f.text, f.category ? h("span", { class: "muted small" }, ` （${f.category}）`) : null),
              ),
            ),
          )
        : null,
    ),
  );
}

// The page of items shown, as a sheet of the export (js/export.js): the list is cards, not a table.
function itemSheet(edges, before) {
  return {
    name: "权力事项",
    columns: [
      "序号",
      "事项编码",
      "事项名称",
      "子项",
      "权力类型",
      "实施主体",
      "承办机构",
      "法定时限（工作日）",
      "承诺时限（工作日）",
      "设定依据",
    ],
    rows: edges.map(({ node: item }, i) => [
      before + i + 1,
      item.code,
      item.name,
      item.subItem,
      item.powerType,
      item.departments.map((d) => d.name).join("、"),
      item.unit && item.unit.name,
      item.statutoryDays,
      item.promisedDays,
      item.basis,
    ]),
  };
}

// What marks the matches of the search `q` in a searched text (name, sub-item, code): nothing without one.
// The marker and its table of characters are loaded when a search first asks for them.
async function matchMarker(q) {
  if (!q) return (text) => text;
  const { marked, normalise } = await import("../highlight.js");
  const wanted = normalise(q);
  return (text) => marked(text, wanted);
}

function itemCard(item, mark) {
  return h(
    "li",
    { class: "item card", dataset: { code: item.code } },
    h(
      "div",
      { class: "item-head" },
      badge(item.powerType, "type"),
      item.joint ? badge("联合实施", "warn") : null,
      h("code", { class: "item-code" }, mark(item.code)),
    ),
    h("h3", { class: "item-name" }, mark(item.name)),
    item.subItem ? h("p", { class: "sub-item" }, "子项：", mark(item.subItem)) : null,
    h(
      "dl",
      { class: "facts" },
      fact(
        "实施主体",
        item.departments.map((d, i) => [i ? "、" : "", h("a", { href: routeHref("list", { dept: d.name }) }, d.name)]),
      ),
      fact("承办机构", dash(item.unit && item.unit.name)),
      item.statutoryDays !== null || item.promisedDays !== null
        ? fact("办理时限", `法定 ${dash(item.statutoryDays)} 个工作日 · 承诺 ${dash(item.promisedDays)} 个工作日`)
        : null,
      fact("设定依据", basis(item)),
    ),
    item.duties
      ? h("details", { class: "text-block" }, h("summary", {}, "责任事项"), h("p", { class: "pre" }, item.duties))
      : null,
    item.triggers
      ? h("details", { class: "text-block" }, h("summary", {}, "追责情形"), h("p", { class: "pre" }, item.triggers))
      : null,
  );
}

function fact(term, ...value) {
  return [h("dt", {}, term), h("dd", {}, ...value)];
}

function basis(item) {
  const written = item.basis
    ? h("p", { class: "basis-written" }, item.basis)
    : h("p", { class: "muted" }, "清单未写明依据");
  if (!item.laws.length) return written;
  return [
    written,
    h(
      "ul",
      { class: "citations", "aria-label": "所引条文（点击查看原文）" },
      item.laws.map((law) => h("li", {}, citation(law))),
    ),
  ];
}

function groupBy(list, key) {
  const groups = new Map();
  for (const entry of list) {
    const k = key(entry);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k).push(entry);
  }
  return groups;
}
