// The one way the views talk to the service: POST /graphql (relative), nothing else.
// The bearer token for the investigator and staffing views is typed by the user, kept in
// sessionStorage only (gone when the tab closes) and sent only by the views that need a role.

const TOKEN_KEY = "quanze.token";
const ROLE_KEY = "quanze.role";

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

// The role the user said the token is for ("" when they did not say: the views cannot tell).
export function getRole() {
  return getToken() ? sessionStorage.getItem(ROLE_KEY) || "" : "";
}

export function setToken(token, role = "") {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
  if (token && role) sessionStorage.setItem(ROLE_KEY, role);
  else sessionStorage.removeItem(ROLE_KEY);
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
