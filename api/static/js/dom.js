// Small helpers to build the pages from data without innerHTML: text is always set as text.
// Where a library wants HTML (an ECharts tooltip formatter), build it with `html` below: every value is escaped.

// h("a", {href: "#/list", class: "x", onclick: fn}, "text", child, [more]) -> an element
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") {
      element.addEventListener(name.slice(2), value);
    } else if (name === "dataset") {
      Object.assign(element.dataset, value);
    } else if (name === "style") {
      element.style.cssText = String(value); // through the CSSOM: the page's CSP refuses style attributes
    } else if (value === true) {
      element.setAttribute(name, "");
    } else {
      element.setAttribute(name, String(value));
    }
  }
  append(element, children);
  return element;
}

// Text made safe to put into HTML, between tags or in a quoted attribute: & < > " ' escaped.
export function escapeHtml(value) {
  return String(value ?? "").replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

// A tagged template for HTML: the literal parts are markup, every ${value} is escaped as text, so an
// already built piece of HTML is escaped again: join pieces outside the template.
// html`${name}<br>交叉 <b>${count}</b> 处` -> "巴中市&lt;…&gt;局<br>交叉 <b>3</b> 处"
export function html(strings, ...values) {
  return values.reduce((out, value, i) => out + escapeHtml(value) + strings[i + 1], strings[0]);
}

function append(element, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(element, child);
    else if (child instanceof Node) element.appendChild(child);
    else element.appendChild(document.createTextNode(String(child)));
  }
}

export function clear(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

// Text with every occurrence of the given phrases wrapped in <mark> (longest phrases first).
export function highlight(text, phrases) {
  const wanted = [...new Set((phrases || []).filter((p) => p && p.length > 1))].sort((a, b) => b.length - a.length);
  if (!text || !wanted.length) return document.createTextNode(text || "");
  const fragment = document.createDocumentFragment();
  let rest = text;
  while (rest) {
    let best = -1;
    let phrase = "";
    for (const candidate of wanted) {
      const at = rest.indexOf(candidate);
      if (at >= 0 && (best < 0 || at < best)) {
        best = at;
        phrase = candidate;
      }
    }
    if (best < 0) {
      fragment.appendChild(document.createTextNode(rest));
      break;
    }
    if (best > 0) fragment.appendChild(document.createTextNode(rest.slice(0, best)));
    fragment.appendChild(h("mark", {}, phrase));
    rest = rest.slice(best + phrase.length);
  }
  return fragment;
}

// A visible error box for a refused write: `says` gives, by error code, a heading and what to do, in Chinese;
// the service's own message below. A code `says` lacks gets the plain `errorBox`.
export function explainedError(error, says) {
  const said = says[error.code];
  if (!said) return errorBox(error);
  return h(
    "div",
    { class: "alert alert-error", role: "alert" },
    h("strong", {}, said[0]),
    h("p", {}, said[1]),
    h("p", { class: "muted small" }, error.message),
  );
}

// A visible error box; FORBIDDEN and UNAUTHENTICATED say what token is needed.
export function errorBox(error, needs = "") {
  const box = h("div", { class: "alert alert-error", role: "alert" });
  if (error.code === "FORBIDDEN") {
    box.append(
      h("strong", {}, "无权查看 (FORBIDDEN)"),
      h("p", {}, needs ? `本页需要${needs}的访问令牌。请在上方输入令牌后重试。` : "当前身份无权查看此内容。"),
    );
  } else if (error.code === "UNAUTHENTICATED") {
    box.append(
      h("strong", {}, "令牌无效 (UNAUTHENTICATED)"),
      h("p", {}, "服务不认识此访问令牌，请检查后重新输入，或清除令牌。"),
    );
  } else {
    box.append(h("strong", {}, "出错了"));
  }
  box.append(h("p", { class: "muted small" }, error.message));
  return box;
}

export function loading(text = "正在加载…") {
  return h("p", { class: "loading", role: "status" }, text);
}

export function badge(text, kind = "") {
  return h("span", { class: `badge ${kind}`.trim() }, text);
}

export function days(value) {
  return value === null || value === undefined ? "—" : `${value} 个工作日`;
}

export function dash(value) {
  return value === null || value === undefined || value === "" ? "—" : String(value);
}

// The pager under a list of results: links to the previous and next pages, and the page's number between them.
export function pagerNav() {
  const prev = h("a", { class: "button secondary", id: "page-prev", rel: "prev" }, "‹ 上一页");
  const next = h("a", { class: "button secondary", id: "page-next", rel: "next" }, "下一页 ›");
  const pageInfo = h("span", { class: "page-info" });
  const pager = h("nav", { class: "pager", "aria-label": "分页" }, prev, pageInfo, next);
  return { pager, prev, next, pageInfo };
}

// The page's query string after the route: "#/list?dept=x" -> URLSearchParams
export function hashParams() {
  const hash = location.hash || "";
  const at = hash.indexOf("?");
  return new URLSearchParams(at >= 0 ? hash.slice(at + 1) : "");
}

export function routeHref(route, params = {}) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== "") search.set(key, value);
  }
  const text = search.toString();
  return `#/${route}${text ? `?${text}` : ""}`;
}

// A department's name without its government's place name, for chart axes (the full name stays in tooltips).
// "巴中市住房和城乡建设局" of "巴中市人民政府" -> "住房和城乡建设局"
export function shortName(name, government = "") {
  const place = government.replace(/人民政府$/, "");
  return place && name.startsWith(place) && name.length > place.length ? name.slice(place.length) : name;
}

// Fonts that carry the Chinese glyphs, for canvas text (ECharts, Cytoscape) as for the page.
export const FONT_FAMILY =
  '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif';

// Short names for a chart axis, the full name wherever two short names would be the same.
export function axisNames(departments) {
  const short = departments.map((d) => shortName(d.name, d.government));
  const seen = new Map();
  for (const name of short) seen.set(name, (seen.get(name) || 0) + 1);
  return departments.map((d, i) => (seen.get(short[i]) > 1 ? d.name : short[i]));
}
