// The token form of the role-restricted views: typed by the user, kept in sessionStorage only. Who the
// token stands for is the service's to say (`viewer`): the panel names the role, and the name configured
// for the token to its own holder; the views offer the review buttons the same answer allows. The answer
// is asked once per token, by a view that needs a role or when the user gives a token, then kept for the
// tab's other views: a view the public reads sends no token of itself.
import { h } from "./dom.js";
import { getToken, getViewer, keepViewer, query, setToken } from "./graphql.js";
import { ACCESS_ROLES, FINDING_KINDS, label } from "./labels.js";

const VIEWER = `
  query Viewer {
    viewer { role name reviews }
  }`;
const PUBLIC = { role: "PUBLIC", name: null, reviews: [] };

let asking = null; // {token, viewer: Promise} while the service is asked about a token

// Who the stored token stands for ({role, name, reviews}), asking the service (with the token) when it was
// not asked yet; the public without a token. Rejects with the service's error, UNAUTHENTICATED for a token
// it does not know (and the next call asks again).
export function currentViewer() {
  const token = getToken();
  if (!token || getViewer() || (asking && asking.token === token)) return knownViewer();
  const viewer = query(VIEWER, {}, { withToken: true }).then((data) => {
    if (getToken() === token) keepViewer(token, data.viewer);
    return data.viewer;
  });
  const done = () => {
    if (asking && asking.viewer === viewer) asking = null;
  };
  viewer.then(done, done);
  asking = { token, viewer };
  return viewer;
}

// The same without asking (sending no token): the public without a token, the answer kept or awaited for
// the stored one, null for a token nobody asked about yet.
export function knownViewer() {
  const token = getToken();
  if (!token) return Promise.resolve(PUBLIC);
  const kept = getViewer();
  if (kept) return Promise.resolve(kept);
  return asking && asking.token === token ? asking.viewer : Promise.resolve(null);
}

// A panel that asks for a token for `roleName` and calls `onChange()` when it is set or cleared. A view
// the public reads passes `checkStored: false`: a token stored before it opened is not sent to be checked
// (its role shows once a view that needs one, or the user giving it here, has asked).
export function tokenPanel(roleName, onChange, { checkStored = true } = {}) {
  const input = h("input", {
    id: "token-input",
    type: "password",
    autocomplete: "off",
    spellcheck: "false",
    placeholder: "粘贴访问令牌",
  });
  const state = h("span", { class: "token-state", "aria-live": "polite" });
  const clearButton = h("button", { type: "button", class: "button secondary" }, "清除令牌");

  async function show(ask) {
    const token = getToken();
    clearButton.hidden = !token;
    state.className = "token-state";
    delete state.dataset.role;
    delete state.dataset.error;
    if (!token) {
      state.textContent = "未输入令牌";
      return;
    }
    state.textContent = "正在核对令牌…";
    let viewer;
    try {
      viewer = await (ask ? currentViewer() : knownViewer());
    } catch (error) {
      if (getToken() !== token) return; // cleared or replaced meanwhile
      state.textContent =
        error.code === "UNAUTHENTICATED"
          ? "令牌无效 (UNAUTHENTICATED)：服务不认识此令牌，请检查后重新输入，或清除令牌。"
          : `无法核对令牌：${error.message}`;
      state.classList.add("bad");
      state.dataset.error = error.code;
      return;
    }
    if (getToken() !== token) return;
    if (!viewer) {
      state.textContent = "已输入令牌，尚未核对身份：重新输入令牌即可核对并显示审核按钮。";
      return;
    }
    state.textContent = viewerText(viewer);
    state.classList.add("ok");
    state.dataset.role = viewer.role;
  }

  const form = h(
    "form",
    {
      class: "token-panel",
      "aria-label": "访问令牌",
      onsubmit(event) {
        event.preventDefault();
        const value = input.value.trim();
        if (!value) return;
        setToken(value);
        input.value = "";
        show(true);
        onChange();
      },
    },
    h("label", { for: "token-input" }, `${roleName}访问令牌`),
    input,
    h("button", { type: "submit", class: "button" }, "使用令牌"),
    clearButton,
    state,
  );
  clearButton.addEventListener("click", () => {
    setToken("");
    show(false);
    onChange();
  });
  show(checkStored);
  return form;
}

// "令牌身份：编制管理人员（王芳）· 可审核：职能交叉、问题清单 · 仅保存在本标签页"
function viewerText(viewer) {
  const holder = viewer.name ? `（${viewer.name}）` : "";
  const reviews = viewer.reviews.length
    ? `可审核：${viewer.reviews.map((kind) => label(FINDING_KINDS, kind)).join("、")}`
    : "不能审核";
  return `令牌身份：${label(ACCESS_ROLES, viewer.role)}${holder} · ${reviews} · 仅保存在本标签页`;
}
