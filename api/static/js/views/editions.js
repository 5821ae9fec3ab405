// 7. Edition diff (public): two published editions of the lists side by side: the items added, removed and
// changed (the fields that changed, before and after), and the findings that appeared and went away.
import { badge, clear, dash, errorBox, h, loading, routeHref } from "../dom.js";
import { query } from "../graphql.js";
import { ITEM_FIELDS, label } from "../labels.js";
import { findingHref, kindName } from "../review.js";

// How many items of each list the page shows (`first` in EDITION_DIFF); `quanze diff FROM TO` gives them all.
const SHOWN = 200;
const ITEM = "code name powerType subItem departments basis government codeMade";

const EDITIONS = `
  query Editions {
    editions { label loadedAt sources items }
  }`;

const EDITION_DIFF = `
  query EditionDiff($from: String!, $to: String!) {
    editionDiff(from: $from, to: $to) {
      from to addedCount removedCount changedCount
      added(first: 200) { ${ITEM} }
      removed(first: 200) { ${ITEM} }
      changed(first: 200) { code fields before { ${ITEM} } after { ${ITEM} } }
      findingsAppeared findingsResolved
    }
  }`;

let ui = null;
let editions = null;
let ticket = 0;

export function mount(container, params) {
  const from = h("select", { id: "edition-from", name: "from" });
  const to = h("select", { id: "edition-to", name: "to" });
  const form = h(
    "form",
    {
      class: "filters",
      "aria-label": "选择要对比的版本",
      onsubmit(event) {
        event.preventDefault();
        location.hash = routeHref("editions", { from: from.value, to: to.value });
      },
    },
    h("div", { class: "field" }, h("label", { for: "edition-from" }, "原版本"), from),
    h("div", { class: "field" }, h("label", { for: "edition-to" }, "新版本"), to),
    h("div", { class: "field actions" }, h("button", { type: "submit", class: "button" }, "对比")),
  );
  ui = { form, from, to, list: h("div", {}), body: h("div", {}) };
  container.append(
    h(
      "section",
      { class: "view view-editions", "aria-labelledby": "view-title" },
      h("h1", { id: "view-title" }, "版本对比"),
      h(
        "p",
        { class: "lead" },
        "每年公布的清单是一个版本。对比两个版本：新增、取消和变更的事项（变更了哪些内容），以及新出现和已消除的问题。",
      ),
      ui.list,
      form,
      ui.body,
    ),
  );
  loadEditions().then(() => update(params));
}

async function loadEditions() {
  clear(ui.list, loading("正在加载版本…"));
  try {
    editions = (await query(EDITIONS)).editions;
  } catch (error) {
    clear(ui.list, errorBox(error));
    return;
  }
  const options = () => editions.map((e) => h("option", { value: e.label }, e.label));
  ui.from.replaceChildren(...options());
  ui.to.replaceChildren(...options());
  clear(
    ui.list,
    editions.length
      ? h(
          "ul",
          { class: "edition-list" },
          editions.map((e) =>
            h(
              "li",
              { dataset: { edition: e.label } },
              h("strong", {}, e.label),
              ` · ${e.items} 项 · ${e.loadedAt.slice(0, 10)} 载入 · `,
              h("span", { class: "muted small" }, e.sources.join("、")),
            ),
          ),
        )
      : h("p", { class: "alert" }, "尚未记录任何版本。以 quanze serve 清单 --edition 2024 载入清单即记录一个版本。"),
  );
}

export async function update(params) {
  if (!ui || !editions) return;
  if (editions.length < 2) {
    ui.form.hidden = true;
    clear(ui.body, editions.length ? h("p", { class: "muted" }, "只有一个版本，暂无可对比的版本。") : null);
    return;
  }
  const labels = editions.map((e) => e.label);
  const from = labels.includes(params.get("from")) ? params.get("from") : labels[labels.length - 2];
  const to = labels.includes(params.get("to")) ? params.get("to") : labels[labels.length - 1];
  ui.from.value = from;
  ui.to.value = to;
  const mine = ++ticket;
  clear(ui.body, loading("正在对比…"));
  let diff;
  try {
    diff = (await query(EDITION_DIFF, { from, to })).editionDiff;
  } catch (error) {
    if (mine === ticket) clear(ui.body, errorBox(error));
    return;
  }
  if (mine === ticket) render(diff);
}

function render(diff) {
  const stat = (text, value) =>
    h("div", { class: "stat" }, h("span", { class: "label" }, text), h("span", { class: "value" }, value));
  clear(
    ui.body,
    h("h2", { id: "diff-heading", dataset: { from: diff.from, to: diff.to } }, `${diff.from} → ${diff.to}`),
    h(
      "div",
      { class: "summary-grid" },
      stat("新增事项", `${diff.addedCount} 项`),
      stat("取消事项", `${diff.removedCount} 项`),
      stat("变更事项", `${diff.changedCount} 项`),
      stat("新出现问题", `${diff.findingsAppeared.length} 个`),
      stat("已消除问题", `${diff.findingsResolved.length} 个`),
    ),
    itemSection("新增事项", "diff-added", diff.added, diff.addedCount),
    itemSection("取消事项", "diff-removed", diff.removed, diff.removedCount),
    changeSection(diff.changed, diff.changedCount),
    findingSection("新出现的问题", "findings-appeared", diff.findingsAppeared, true),
    findingSection("已消除的问题", "findings-resolved", diff.findingsResolved, false),
  );
}

function more(count) {
  return count > SHOWN
    ? h("p", { class: "muted small" }, `共 ${count} 项，此处列出前 ${SHOWN} 项；全部请用 quanze diff 导出。`)
    : null;
}

function itemSection(title, id, items, count) {
  return h(
    "section",
    { class: "diff-section", id },
    h("h3", {}, `${title}（${count}）`),
    items.length
      ? h(
          "div",
          { class: "table-wrap" },
          h(
            "table",
            {},
            h("thead", {}, h("tr", {}, ["事项编码", "事项名称", "权力类型", "实施主体", "设定依据"].map((t) => h("th", {}, t)))),
            h(
              "tbody",
              {},
              items.map((item) =>
                h(
                  "tr",
                  { dataset: { code: item.code } },
                  h("td", { class: "code" }, item.code),
                  h("td", {}, item.name, item.subItem ? h("span", { class: "muted small" }, ` · ${item.subItem}`) : null),
                  h("td", {}, item.powerType),
                  h("td", {}, item.departments.join("、")),
                  h("td", { class: "small" }, dash(item.basis)),
                ),
              ),
            ),
          ),
        )
      : h("p", { class: "muted" }, "无。"),
    more(count),
  );
}

function changeSection(changes, count) {
  return h(
    "section",
    { class: "diff-section", id: "diff-changed" },
    h("h3", {}, `变更事项（${count}）`),
    changes.length
      ? h(
          "ul",
          { class: "change-list" },
          changes.map((change) =>
            h(
              "li",
              { class: "card", dataset: { code: change.code } },
              h("p", {}, h("strong", { class: "code" }, change.code), " ", change.after.name),
              h(
                "dl",
                { class: "change-fields" },
                change.fields.map((field) => [
                  h("dt", { dataset: { field } }, label(ITEM_FIELDS, field)),
                  h(
                    "dd",
                    {},
                    h("del", { class: "before" }, fieldText(change.before, field)),
                    h("span", { "aria-hidden": "true" }, " → "),
                    h("ins", { class: "after" }, fieldText(change.after, field)),
                  ),
                ]),
              ),
            ),
          ),
        )
      : h("p", { class: "muted" }, "无。"),
    more(count),
  );
}

function fieldText(item, field) {
  const value = item[field];
  if (Array.isArray(value)) return value.length ? value.join("、") : "—";
  if (field === "codeMade") return value ? "按序号生成" : "清单编码";
  return dash(value);
}

// The ids of findings, with their kind; an appeared one links to where it is shown now.
function findingSection(title, id, findings, linked) {
  return h(
    "section",
    { class: "diff-section", id },
    h("h3", {}, `${title}（${findings.length}）`),
    findings.length
      ? h(
          "ul",
          { class: "finding-ids" },
          findings.map((finding) => {
            const href = linked ? findingHref(finding) : null;
            return h(
              "li",
              { dataset: { finding } },
              badge(kindName(finding), "plain"),
              " ",
              href ? h("a", { href }, finding) : h("span", { class: "code" }, finding),
            );
          }),
        )
      : h("p", { class: "muted" }, "无。"),
  );
}
