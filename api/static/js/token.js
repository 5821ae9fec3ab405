// The token form of the role-restricted views: typed by the user, kept in sessionStorage only, with the
// role the user says it is for, so that a view shows the review buttons that role may use.
import { h } from "./dom.js";
import { getRole, getToken, setToken } from "./graphql.js";
import { TOKEN_ROLES } from "./labels.js";

// A panel that asks for a token for `roleName` and calls `onChange()` when it is set or cleared.
// `role`: the role the view needs, chosen first in the panel's list ("" for a view any role may use).
export function tokenPanel(roleName, onChange, role = "") {
  const input = h("input", {
    id: "token-input",
    type: "password",
    autocomplete: "off",
    spellcheck: "false",
    placeholder: "粘贴访问令牌",
  });
  const roles = h(
    "select",
    { id: "token-role", "aria-label": "令牌身份" },
    Object.entries(TOKEN_ROLES).map(([value, name]) =>
      h("option", { value, selected: value === (getToken() ? getRole() : role) }, name),
    ),
  );
  const state = h("span", { class: "token-state", "aria-live": "polite" });
  const clearButton = h("button", { type: "button", class: "button secondary" }, "清除令牌");

  function show() {
    const has = Boolean(getToken());
    const named = TOKEN_ROLES[getRole()];
    state.textContent = has ? `已输入${getRole() ? named : ""}令牌（仅保存在本标签页）` : "未输入令牌";
    state.classList.toggle("ok", has);
    clearButton.hidden = !has;
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
        setToken(value, roles.value);
        input.value = "";
        show();
        onChange();
      },
    },
    h("label", { for: "token-input" }, `${roleName}访问令牌`),
    input,
    roles,
    h("button", { type: "submit", class: "button" }, "使用令牌"),
    clearButton,
    state,
  );
  clearButton.addEventListener("click", () => {
    setToken("");
    show();
    onChange();
  });
  show();
  return form;
}
