// 10. Supervision transfers (investigator, admin): the matters with two supervision notices (督办通知书) to
// one department, which oblige their transfer to the supervision department (移送监察), by department and
// date; each with its notices, the day the transfer became due, whether it was transferred (not: in red),
// the working days, and its review, reviewed with the buttons the other findings have.
import { badge, clear, days, errorBox, h, hashParams, loading, routeHref } from "../dom.js";
import { departmentsByCode, getToken, query } from "../graphql.js";
import { REVIEW, loadReview, reviewPanel } from "../review.js";
import { tokenPanel } from "../token.js";

const TRANSFERS = `
  query Transfers($department: String, $at: Date) {
    today
    supervisionTransfers(department: $department, at: $at) {
      id matter notices due transferred workingDays waitingDays detail reviewStatus
      department { id name }
      noticeDetails { noticeId date deadline done transferred }
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
  const filters = { dept: params.get("dept") || "", at: params.get("at") || "" };
  const form = ui.form.elements;
  form.dept.value = filters.dept;
  const mine = ++ticket;
  delete ui.heading.dataset.filters;
  if (!getToken()) {
    ui.heading.textContent = "";
    clear(
      ui.results,
      h(
        "p",
        { class: "alert", id: "transfers-locked" },
        "督办移送涉及部门履职问责，仅对调查人员和管理员开放。请输入调查人员访问令牌。",
      ),
    );
    return;
  }
  clear(ui.results, loading());
  ui.heading.textContent = "正在查询…";
  let data;
  try {
    const variables = { department: filters.dept || null, at: filters.at || null };
    data = await query(TRANSFERS, variables, { withToken: true });
  } catch (error) {
    if (mine !== ticket) return;
    ui.heading.textContent = "查询失败";
    clear(ui.results, errorBox(error, "调查人员或管理员"));
    return;
  }
  if (mine !== ticket) return;
  form.at.value = filters.at || data.today;
  render(filters, data.supervisionTransfers);
}

function render(filters, transfers) {
  const department = departments.find((d) => d.id === filters.dept);
  const waiting = transfers.filter((t) => !t.transferred).length;
  const scope = department ? `${department.name}：` : "";
  ui.heading.textContent = `${scope}${transfers.length} 个事项应移送监察，其中 ${waiting} 个未移送`;
  ui.heading.dataset.filters = JSON.stringify(filters); // what is shown, for a reader that waits for it
  if (!transfers.length) {
    clear(ui.results, h("p", { class: "empty" }, "没有两次督办同一事项、应移送监察的部门。"));
    return;
  }
  clear(
    ui.results,
    h(
      "div",
      { class: "table-wrap" },
      h(
        "table",
        { class: "transfer-table" },
        h("caption", { class: "muted small" }, "同一部门就同一事项收到两次督办通知书的，应移送监察部门处理"),
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            ["部门", "督办事项", "督办通知", "应移送日期", "移送情况", "工作日", "审核"].map((name) =>
              h("th", { scope: "col" }, name),
            ),
          ),
        ),
        h("tbody", {}, transfers.map(transferRow)),
      ),
    ),
  );
}

function transferRow(t) {
  return h(
    "tr",
    { class: "transfer", dataset: { transfer: t.id, transferred: String(Boolean(t.transferred)) } },
    h("td", { class: "transfer-department" }, t.department.name),
    h("td", { class: "transfer-matter" }, h("strong", {}, t.matter), h("p", { class: "muted small" }, t.detail)),
    h(
      "td",
      { class: "transfer-notices" },
      h(
        "ul",
        {},
        t.noticeDetails.map((n) =>
          h("li", { dataset: { notice: n.noticeId } }, h("span", { class: "code" }, n.noticeId), ` ${n.date}`),
        ),
      ),
    ),
    h("td", { class: "transfer-due" }, t.due),
    h(
      "td",
      { class: "transfer-state" },
      t.transferred ? badge(`已于 ${t.transferred} 移送`, "good") : badge("未移送", "bad"),
    ),
    h(
      "td",
      { class: "transfer-days" },
      t.transferred ? `第二次督办后 ${days(t.workingDays)}` : `已等待 ${days(t.waitingDays)}`,
    ),
    h("td", { class: "transfer-review" }, reviewPanel(t, loadReview)),
  );
}

function layout() {
  const form = h(
    "form",
    { class: "filters", "aria-label": "筛选督办移送" },
    h(
      "div",
      { class: "field" },
      h("label", { for: "transfers-dept" }, "被督办部门"),
      h("select", { id: "transfers-dept", name: "dept" }, h("option", { value: "" }, "全部部门")),
    ),
    h(
      "div",
      { class: "field" },
      h("label", { for: "transfers-at" }, "截至日期"),
      h("input", { id: "transfers-at", name: "at", type: "date" }),
    ),
    h("div", { class: "field actions" }, h("button", { type: "submit", class: "button" }, "筛选")),
  );
  const heading = h("h2", { class: "results-heading", id: "transfers-heading", "aria-live": "polite" }, "");
  const results = h("div", { class: "results" });
  const root = h(
    "section",
    { class: "view view-transfers", "aria-labelledby": "view-title" },
    h("h1", { id: "view-title" }, "督办移送"),
    h(
      "p",
      { class: "lead" },
      "政府督查机构对逾期不能完成政府工作任务或领导批示、交办工作，两次就同一事项发出督办通知书的，应移送监察部门处理。此处列出截至所选日期应移送的事项、是否已移送及用时（工作日）；每项可确认、排除或交办整改。",
    ),
    tokenPanel("调查人员", () => update(hashParams())),
    form,
    heading,
    results,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    location.hash = routeHref("transfers", { dept: data.get("dept"), at: data.get("at") });
  });
  form.elements.dept.addEventListener("change", () => form.requestSubmit());
  return { root, form, heading, results };
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
