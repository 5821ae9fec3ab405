// The hash router: #/list, #/overlaps, #/chains, #/trace, #/staffing, #/ledger, #/scorecards, #/warnings,
// #/editions (with ?params after each).
// A view module exports `mount(container, params)` and, when it can redraw in place, `update(params)`.
import { exportToolbar } from "./export.js";

const ROUTES = {
  list: { title: "权责清单", load: () => import("./views/list.js") },
  overlaps: { title: "职能交叉", load: () => import("./views/overlaps.js") },
  chains: { title: "审批链条", load: () => import("./views/chains.js") },
  trace: { title: "办件追溯", load: () => import("./views/trace.js") },
  staffing: { title: "编制情况", load: () => import("./views/staffing.js") },
  ledger: { title: "审核台账", load: () => import("./views/ledger.js") },
  scorecards: { title: "考核评估", load: () => import("./views/scorecards.js") },
  warnings: { title: "预警", load: () => import("./views/warnings.js") },
  transfers: { title: "督办移送", load: () => import("./views/transfers.js") },
  editions: { title: "版本对比", load: () => import("./views/editions.js") },
};
const DEFAULT_ROUTE = "list";

const container = document.getElementById("view");
const exports = exportToolbar(container); // 导出 Excel, 导出 CSV, 打印, and the printed page's heading
container.before(exports.heading, exports.toolbar);
let current = { name: null, view: null };
let navigation = 0;

function parse() {
  const hash = location.hash || "";
  if (!hash.startsWith("#/")) return null;
  const [path, search = ""] = hash.slice(2).split("?");
  return { name: path.split("/")[0], params: new URLSearchParams(search) };
}

async function route() {
  const target = parse();
  if (!target || !ROUTES[target.name]) {
    if (!target && location.hash && location.hash !== "#") return; // an in-page anchor, not a route
    location.replace(`#/${DEFAULT_ROUTE}`);
    return;
  }
  const ticket = ++navigation;
  const spec = ROUTES[target.name];
  document.title = `${spec.title} · 权责清单公示`;
  for (const link of document.querySelectorAll(".site-nav a")) {
    if (link.dataset.route === target.name) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  if (current.name === target.name && current.view.update) {
    current.view.update(target.params);
    return;
  }
  const view = await spec.load();
  if (ticket !== navigation) return; // the user went elsewhere meanwhile
  container.replaceChildren();
  container.dataset.view = target.name;
  current = { name: target.name, view };
  exports.show(spec.title);
  view.mount(container, target.params);
}

document.getElementById("skip-link").addEventListener("click", (event) => {
  event.preventDefault();
  document.getElementById("main").focus();
});
window.addEventListener("hashchange", route);
route();
