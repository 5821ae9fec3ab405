// 6. The ledger (staffing, investigator, admin): the current review of every finding reviewed so far, by
// status, kind, department and overdue rectification, a page at a time, and the page exported as CSV.
import { clear, dash, errorBox, h, hashParams, loading, pagerNav, routeHref } from "../dom.js";
import { csvText, download } from "../csv.js";
import { departmentsByCode, getToken, query } from "../graphql.js";
import { FINDING_KINDS, REVIEW_STATUSES, label } from "../labels.js";
import { findingHref, kindName, statusBadge } from "../review.js";
import { tokenPanel } from "../token.js";

const PAGE_SIZE = 20;

// Asked with a token only (the ledger is not for the public): the notes and reviewers with the statuses,
// and the departments each finding names, that a row shows beside its id.
const LEDGER = `
  query Ledger(
    $status: [ReviewStatus!], $kinds: [FindingKind!], $department: String, $overdue: Boolean,
    $first: Int, $after: String
  ) {
    ledger(status: $status, kinds: $kinds, department: $department, overdue: $overdue, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        node {
          findingId kind status at deadline overdue edition note reviewer
          departments { id name }
        }
      }
    }
  }`;

// The columns of the table and of its CSV: header, and the cell of a review as text.
const COLUMNS = [
  ["问题编号", (r) => r.findingId],
  ["涉及部门", (r) => departmentNames(r)],
  ["类别", (r) => label(FINDING_KINDS, r.kind)],
  ["审核状态", (r) => label(REVIEW_STATUSES, r.status)],
  ["整改期限", (r) => r.deadline || ""],
  ["逾期", (r) => (r.overdue ? "是" : "否")],
  ["记录时间", (r) => recordedAt(r)],
  ["核验版次", (r) => r.edition || ""],
  ["审核人", (r) => r.reviewer || ""],
  ["说明", (r) => r.note || ""],
];

let ui = null;
let departments = null; // [{name, code}]
const cursors = {}; // filter key -> [after of page 1, after of page 2, …]
let ticket = 0;
let shown = []; // the reviews of the page shown, for the export

export function mount(container, params) {
  ui = layout();
  container.append(ui.root);
  loadDepartments().then(() => update(params));
}

export async function update(params) {
  if (!ui) return;
  const filters = {
    status: params.get("status") || "",
    kind: params.get("kind") || "",
    dept: params.get("dept") || "",
    overdue: params.get("overdue") === "1" ? "1" : "",
  };
  const page = Math.max(1, Number(params.get("page")) || 1);
  const form = ui.form.elements;
  form.status.value = filters.status;
  form.kind.value = filters.kind;
  form.dept.value = filters.dept;
  form.overdue.checked = Boolean(filters.overdue);
  const mine = ++ticket;
  shown = [];
  delete ui.heading.dataset.filters;
  ui.exportButton.disabled = true;
  ui.pager.hidden = true;
  if (!getToken()) {
    ui.heading.textContent = "";
    clear(
      ui.results,
      h(
        "p",
        { class: "alert" },
        "审核台账（审核人、说明、整改期限）仅对编制管理人员、调查人员和管理员开放，请输入访问令牌。各问题的审核状态在职能交叉、审批链条等页面公开显示。",
      ),
    );
    return;
  }
  const key = JSON.stringify(filters);
  const pages = (cursors[key] ||= [null]);
  const after = page > 1 ? (pages[page - 1] ?? params.get("after")) : null;
  clear(ui.results, loading());
  ui.heading.textContent = "正在查询…";
  let connection;
  try {
    const variables = {
      status: filters.status ? [filters.status] : null,
      kinds: filters.kind ? [filters.kind] : null,
      department: filters.dept || null,
      overdue: filters.overdue ? true : null,
      first: PAGE_SIZE,
      after,
    };
    connection = (await query(LEDGER, variables, { withToken: true })).ledger;
  } catch (error) {
    if (mine !== ticket) return;
    ui.heading.textContent = "查询失败";
    clear(ui.results, errorBox(error, "编制管理人员、调查人员或管理员"));
    return;
  }
  if (mine !== ticket) return;
  pages[page - 1] = after;
  if (connection.pageInfo.hasNextPage) pages[page] = connection.pageInfo.endCursor;
  shown = connection.edges.map((edge) => edge.node);
  render(filters, page, connection);
}

function render(filters, page, connection) {
  const total = connection.totalCount;
  const scope = [
    filters.status && label(REVIEW_STATUSES, filters.status),
    filters.kind && label(FINDING_KINDS, filters.kind),
    filters.dept,
    filters.overdue && "逾期整改",
  ].filter(Boolean);
  ui.heading.textContent = `${scope.length ? `${scope.join(" · ")}：` : ""}共 ${total} 条审核记录`;
  ui.heading.dataset.total = String(total);
  ui.heading.dataset.filters = JSON.stringify(filters); // what is shown, for a reader that waits for it
  ui.exportButton.disabled = !shown.length;
  if (!shown.length) {
    clear(ui.results, h("p", { class: "empty" }, "没有符合条件的审核记录。"));
  } else {
    clear(
      ui.results,
      h(
        "div",
        { class: "table-wrap" },
        h(
          "table",
          { class: "ledger-table" },
          h("thead", {}, h("tr", {}, COLUMNS.map(([header]) => h("th", { scope: "col" }, header)))),
          h("tbody", {}, shown.map(row)),
        ),
      ),
    );
  }
  const pageCount = Math.max(1, Math.ceil(total / PAGE_SIZE));
  ui.pager.hidden = total <= PAGE_SIZE;
  ui.pageInfo.textContent = `第 ${page} 页 / 共 ${pageCount} 页`;
  const pages = cursors[JSON.stringify(filters)];
  setLink(ui.prev, page > 1 ? routeHref("ledger", { ...filters, page: page - 1, after: pages[page - 2] }) : null);
  setLink(
    ui.next,
    connection.pageInfo.hasNextPage
      ? routeHref("ledger", { ...filters, page: page + 1, after: connection.pageInfo.endCursor })
      : null,
  );
}

function row(review) {
  const href = findingHref(review.findingId);
  return h(
    "tr",
    { dataset: { finding: review.findingId, status: review.status }, class: review.overdue ? "bad" : null },
    h("td", { class: "finding-id" }, href ? h("a", { href }, review.findingId) : review.findingId),
    h("td", { class: "finding-departments" }, dash(departmentNames(review))),
    h("td", {}, kindName(review.findingId)),
    h("td", {}, statusBadge(review.findingId, review)),
    h("td", { class: "num" }, dash(review.deadline)),
    h("td", {}, review.overdue ? "是" : "否"),
    h("td", { class: "num" }, recordedAt(review)),
    h("td", {}, dash(review.edition)),
    h("td", { class: "review-reviewer" }, dash(review.reviewer)),
    h("td", { class: "review-note" }, dash(review.note)),
  );
}

function exportShown() {
  const rows = [COLUMNS.map(([header]) => header), ...shown.map((r) => COLUMNS.map(([, cell]) => cell(r)))];
  download(`审核台账-${new Date().toISOString().slice(0, 10)}.csv`, csvText(rows));
}

// The departments a finding names in the current answers ("" for one gone from them, such as a RECTIFIED one).
function departmentNames(review) {
  return review.departments.map((d) => d.name).join("、");
}

// "2025-03-01T09:30:00+08:00" -> "2025-03-01 09:30", as the service recorded it
function recordedAt(review) {
  return review.at.slice(0, 16).replace("T", " ");
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
  const options = (table, all) => [
    h("option", { value: "" }, all),
    Object.entries(table).map(([value, name]) => h("option", { value }, name)),
  ];
  const form = h(
    "form",
    { class: "filters", "aria-label": "筛选审核记录" },
    h(
      "div",
      { class: "field" },
      h("label", { for: "ledger-status" }, "审核状态"),
      h("select", { id: "ledger-status", name: "status" }, options(REVIEW_STATUSES, "全部状态")),
    ),
    h(
      "div",
      { class: "field" },
      h("label", { for: "ledger-kind" }, "问题类别"),
      h("select", { id: "ledger-kind", name: "kind" }, options(FINDING_KINDS, "全部类别")),
    ),
    h(
      "div",
      { class: "field" },
      h("label", { for: "ledger-dept" }, "涉及部门"),
      h("select", { id: "ledger-dept", name: "dept" }, h("option", { value: "" }, "全部部门")),
    ),
    h(
      "label",
      { class: "check" },
      h("input", { type: "checkbox", id: "ledger-overdue", name: "overdue", value: "1" }),
      " 仅看逾期未整改",
    ),
    h("div", { class: "field actions" }, h("button", { type: "submit", class: "button" }, "筛选")),
  );
  const heading = h("h2", { class: "results-heading", id: "ledger-heading", "aria-live": "polite" }, "");
  const results = h("div", { class: "results" });
  const exportButton = h(
    "button",
    { type: "button", class: "button secondary", id: "ledger-export", disabled: true, onclick: exportShown },
    "导出本页 CSV",
  );
  const { pager, prev, next, pageInfo } = pagerNav();
  const root = h(
    "section",
    { class: "view view-ledger", "aria-labelledby": "view-title" },
    h("h1", { id: "view-title" }, "审核台账"),
    h(
      "p",
      { class: "lead" },
      "每个已审核问题的当前状态：确认、排除（附理由）、交办整改（附期限），以及新版清单核验后的已整改、重新出现。可按状态、类别、部门和逾期筛选，导出本页。",
    ),
    tokenPanel("审核台账", () => update(hashParams())),
    form,
    h("div", { class: "ledger-tools" }, heading, exportButton),
    results,
    pager,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    location.hash = routeHref("ledger", {
      status: data.get("status"),
      kind: data.get("kind"),
      dept: data.get("dept"),
      overdue: data.get("overdue"),
    });
  });
  for (const select of form.querySelectorAll("select, input")) {
    select.addEventListener("change", () => form.requestSubmit());
  }
  return { root, form, heading, results, exportButton, pager, prev, next, pageInfo };
}

async function loadDepartments() {
  if (!departments) {
    try {
      departments = await departmentsByCode();
    } catch (error) {
      clear(ui.results, errorBox(error));
      return;
    }
  }
  ui.form.elements.dept.append(...departments.map((d) => h("option", { value: d.name }, d.name)));
}
