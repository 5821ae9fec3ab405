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

// Run one operation; resolve with `data`, reject with a GraphQLError carrying the first error's code.
// `withToken`: send the stored token as `Authorization: Bearer` (the role-restricted views only).
export async function query(text, variables = {}, { withToken = false } = {}) {
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
    throw new GraphQLError(`无法连接服务 (cannot reach the service): ${error.message}`, "NETWORK", 0);
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
    throw new GraphQLError(first.message, code, response.status);
  }
  return body.data;
}

// Every node of the connection `field` that `text` asks for (taking `$after`), page after page.
export async function allNodes(text, field, variables = {}) {
  const nodes = [];
  let after = null;
  do {
    const connection = (await query(text, { ...variables, after }))[field];
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
