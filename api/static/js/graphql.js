// The one way the views talk to the service: POST /graphql (relative), nothing else.
// The bearer token for the investigator and staffing views is typed by the user, kept in
// sessionStorage only (gone when the tab closes) and sent only by the views that need a role; what
// role it stands for, the service says (js/token.js asks `viewer`), and its answer is kept beside it.

const TOKEN_KEY = "quanze.token";
const VIEWER_KEY = "quanze.viewer";

export class GraphQLError extends Error {
  constructor(message, code, status) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

// What each code of the service's errors means, said to the reader: the service words its errors in
// English for the programs that call it.
const MESSAGES = {
  BAD_USER_INPUT: "查询条件有误，请检查后重试。",
  BAD_REQUEST: "请求格式有误，服务无法处理。",
  FORBIDDEN: "此内容需要相应角色的访问令牌。",
  UNAUTHENTICATED: "访问令牌无效或已过期。",
  TIMEOUT: "查询用时过长，请缩小查询范围后重试。",
  QUERY_TOO_COMPLEX: "查询过于复杂，请缩小查询范围后重试。",
  RESPONSE_TOO_LARGE: "查询结果过大，请缩小查询范围或分页查看。",
  PAYLOAD_TOO_LARGE: "请求内容过大，服务无法处理。",
  NOT_FOUND: "没有找到所要的内容，数据可能已经更新，请刷新后重试。",
  STORE_UNAVAILABLE: "数据服务暂时不可用，请稍后重试。",
  GRAPHQL_PARSE_FAILED: "查询语句无法解析。",
  GRAPHQL_VALIDATION_FAILED: "查询语句与服务的接口不符，请刷新页面后重试。",
  PERSISTED_QUERY_NOT_FOUND: "服务没有保存此查询，请刷新页面后重试。",
};

// A message already written for the reader: Chinese, with no English words (a name or code may be Latin).
const CHINESE = /[\u4e00-\u9fff]/u;
const ENGLISH_WORD = /[a-z]{3,}/u;

// The first error of an answer as the reader is told it: the service's own message when it is already
// Chinese, else what its code means; with the names it suggests (`extensions.suggestions`), if any.
function readerMessage(error, code) {
  const said = error.message || "";
  const chinese = CHINESE.test(said) && !ENGLISH_WORD.test(said);
  const message = chinese ? said : MESSAGES[code] || `服务未能完成查询（错误代码 ${code}）。`;
  const suggestions = (error.extensions && error.extensions.suggestions) || [];
  return suggestions.length ? `${message}您是否要找：${suggestions.join("、")}？` : message;
}

// A date variable (`$at: Date`) of `text` that is no date: the reader is told before the service is asked.
const DATE_VARIABLE = /\$(\w+)\s*:\s*Date\b/gu;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/u;

function checkDates(text, variables) {
  for (const [, name] of text.matchAll(DATE_VARIABLE)) {
    const value = variables[name];
    if (value !== null && value !== undefined && value !== "" && !isDate(String(value))) {
      throw new GraphQLError(`日期无效：${value}，应为 YYYY-MM-DD 形式的日期`, "BAD_DATE", 0);
    }
  }
}

// Whether `value` is a day of the calendar written YYYY-MM-DD (no 2023-13-45, no February 30).
export function isDate(value) {
  const parts = ISO_DATE.exec(value);
  if (!parts) return false;
  const [year, month, day] = parts.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export function getToken() {
  return sessionStorage.getItem(TOKEN_KEY) || "";
}

export function setToken(token) {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(VIEWER_KEY);
}

// What the service said the stored token stands for (`viewer`), or null when it was not asked: kept with
// the token it is for, so that a view the public reads decides its review buttons without sending it.
export function getViewer() {
  const kept = JSON.parse(sessionStorage.getItem(VIEWER_KEY) || "null");
  return kept && kept.token === getToken() ? kept.viewer : null;
}

export function keepViewer(token, viewer) {
  sessionStorage.setItem(VIEWER_KEY, JSON.stringify({ token, viewer }));
}

// Run one operation; resolve with `data`, reject with a GraphQLError carrying the first error's code and
// a message in Chinese. A date variable that is no date is refused here, and nothing is sent.
// `withToken`: send the stored token as `Authorization: Bearer` (the role-restricted views only).
export async function query(text, variables = {}, { withToken = false } = {}) {
  checkDates(text, variables);
  const headers = { "Content-Type": "application/json", Accept: "application/json" };
  const token = withToken ? getToken() : "";
  if (token) headers.Authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch("graphql", {
      method: "POST",
      headers,
      body: JSON.stringify({ query: text, variables }),
    });
  } catch (error) {
    throw new GraphQLError("无法连接服务，请检查网络后重试。", "NETWORK", 0);
  }
  let body;
  try {
    body = await response.json();
  } catch {
    throw new GraphQLError(`服务返回了无法解析的内容 (HTTP ${response.status})`, "BAD_RESPONSE", response.status);
  }
  if (body.errors && body.errors.length) {
    const first = body.errors[0];
    const code = (first.extensions && first.extensions.code) || "ERROR";
    throw new GraphQLError(readerMessage(first, code), code, response.status);
  }
  return body.data;
}

// Every node of the connection `field` that `text` asks for (taking `$after`), page after page; `options`
// as `query` takes them.
export async function allNodes(text, field, variables = {}, options = {}) {
  const nodes = [];
  let after = null;
  do {
    const connection = (await query(text, { ...variables, after }, options))[field];
    nodes.push(...connection.edges.map((edge) => edge.node));
    after = connection.pageInfo.hasNextPage ? connection.pageInfo.endCursor : null;
  } while (after);
  return nodes;
}

// The departments a view's filter offers: id, name and code, of every page.
const DEPARTMENTS = `
  query FilterDepartments($after: String) {
    departments(first: 200, after: $after) {
      pageInfo { hasNextPage endCursor }
      edges { node { id name code } }
    }
  }`;

// Every department (as `text` asks for them, the filters' fields by default), in the order of their codes
// (of their names for those without one), as the views list them.
export async function departmentsByCode(text = DEPARTMENTS) {
  const all = await allNodes(text, "departments");
  return all.sort((a, b) => (a.code || a.name).localeCompare(b.code || b.name));
}
