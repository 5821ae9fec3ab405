// The toolbar above every view: 导出 Excel, 导出 CSV and 打印, and the heading a printed page starts with.
// An export is what the view shows: each table of its content becomes a sheet (named by its caption or the
// heading before it, its header cells the columns, its cells as shown, a number as a number), and a view
// whose content is not a table (cards, a timeline) gives its sheets through `registerExport`. The service
// writes the file with the command line's writers (POST /export, api/exports.py) and the browser downloads
// it. Exporting only formats what the page already has, so no token is sent: a view the public reads sends
// none of itself, and a restricted view's data was checked when it was fetched.
import { h } from "./dom.js";

let provider = null; // {sheetsOf, shownWith} of the view shown, beside its tables

// `sheetsOf()` gives the sheets of the view shown that are not tables on the page, for as long as the
// element `shownWith` drawn with them is in the page (a view registers at each render: the last wins; a
// view that opens starts with none; a render that failed or was cleared leaves nothing to export).
export function registerExport(sheetsOf, shownWith) {
  provider = { sheetsOf, shownWith };
}

// The toolbar for the views under `container`, and the print heading; `show(title)` when a view opens.
export function exportToolbar(container) {
  const status = h("span", { class: "export-status", role: "status", "aria-live": "polite" });
  const title = h("p", { class: "print-title" });
  const printed = h("p", { class: "print-date" });
  let viewTitle = "";
  const button = (text, onclick, name) =>
    h("button", { type: "button", class: "button secondary", dataset: { export: name }, onclick }, text);
  const exportAs = (format) => () => saveExport(format, viewTitle, container, status);
  const toolbar = h(
    "div",
    { class: "wrap view-toolbar", role: "toolbar", "aria-label": "导出和打印" },
    button("导出 Excel", exportAs("xlsx"), "xlsx"),
    button("导出 CSV", exportAs("csv"), "csv"),
    button("打印", () => window.print(), "print"),
    status,
  );
  const heading = h("header", { class: "wrap print-heading" }, title, printed);
  const dated = () => (printed.textContent = `生成日期：${today()}`);
  window.addEventListener("beforeprint", dated);
  return {
    toolbar,
    heading,
    show(name) {
      provider = null;
      viewTitle = name;
      status.textContent = "";
      title.textContent = `${name} · 权责清单公示`;
      dated();
    },
  };
}

// The sheets of what `container` shows: what the view registered (its main content, when that is not a
// table), then its tables.
export function viewSheets(container) {
  const tables = [...container.querySelectorAll("table")].filter(shown);
  const sheets = tables.map((table, index) => tableSheet(table, container, index));
  const registered = provider?.shownWith?.isConnected ? provider.sheetsOf() : [];
  return [...registered, ...sheets].filter((sheet) => sheet.columns.length);
}

async function saveExport(format, title, container, status) {
  const sheets = viewSheets(container);
  if (!sheets.length) {
    status.textContent = "本页没有可导出的表格。";
    return;
  }
  status.textContent = "正在生成文件…";
  let response;
  try {
    response = await fetch("export", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ format, title, sheets }),
    });
  } catch {
    status.textContent = "导出失败：无法连接服务。";
    return;
  }
  if (!response.ok) {
    const answer = await response.json().catch(() => null);
    status.textContent = `导出失败：${answer?.errors?.[0]?.message || `HTTP ${response.status}`}`;
    return;
  }
  const name = fileName(response.headers.get("Content-Disposition")) || `${title}.${format}`;
  const url = URL.createObjectURL(await response.blob());
  const link = h("a", { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
  status.textContent = `已导出：${name}`;
}

// The UTF-8 name of an attachment (RFC 5987's filename*=UTF-8''…), or "".
function fileName(disposition) {
  const found = /filename\*=UTF-8''([^;]+)/i.exec(disposition || "");
  return found ? decodeURIComponent(found[1]) : "";
}

// A table of the view's content: not hidden, and not in one of the controls that printing leaves out too
// (the case picker's list of cases is for choosing, not the trace). A table in a closed <details> counts:
// it is the data of the chart beside it (the overlap map's pairs).
function shown(table) {
  return !table.closest(`[hidden], ${CONTROLS}`);
}

const CONTROLS = ".case-picker, .token-panel, form, nav, dialog";

// A table as a sheet: the last header row's cells as columns, every other row's cells as shown.
function tableSheet(table, container, index) {
  const header = table.tHead ? table.tHead.rows[table.tHead.rows.length - 1] : table.rows[0];
  const columns = header ? spread(header).map((cell, i) => cellText(cell) || `第 ${i + 1} 列`) : [];
  const body = [...table.rows].filter((row) => row.parentElement !== table.tHead && row !== header);
  const rows = body
    .map((row) => spread(row).map(cellValue))
    .map((cells) => columns.map((_, i) => (i < cells.length ? cells[i] : null)))
    .filter((cells) => cells.some((cell) => cell !== null && cell !== ""));
  return { name: sheetName(table, container) || `表 ${index + 1}`, columns, rows };
}

// A row's cells, each repeated as many times as the columns it spans.
function spread(row) {
  return [...row.cells].flatMap((cell) => Array(Math.max(1, cell.colSpan)).fill(cell));
}

// The caption of the table, else the nearest heading before it inside the container.
function sheetName(table, container) {
  if (table.caption && cellText(table.caption)) return cellText(table.caption);
  for (let node = table; node && node !== container; node = node.parentElement) {
    for (let before = node.previousElementSibling; before; before = before.previousElementSibling) {
      const headings = before.matches(HEADINGS) ? [before] : before.querySelectorAll(HEADINGS);
      if (headings.length) return cellText(headings[headings.length - 1]);
    }
  }
  return "";
}

const HEADINGS = "h1, h2, h3, h4";

// The text of a cell as shown, line by line; in a closed <details>, where nothing is rendered, its text.
function cellText(element) {
  const text = element.checkVisibility() ? element.innerText : element.textContent;
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .join("\n");
}

// What a cell holds: its data-value or its text, a plain number (not a code such as 007) as a number.
function cellValue(cell) {
  const text = cell.dataset.value ?? cellText(cell);
  return PLAIN_NUMBER.test(text) ? Number(text) : text;
}

// up to 15 digits before the point: what a spreadsheet keeps exactly
const PLAIN_NUMBER = /^-?(0|[1-9]\d{0,14})(\.\d+)?$/;

function today() {
  const now = new Date();
  const two = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${two(now.getMonth() + 1)}-${two(now.getDate())}`;
}
