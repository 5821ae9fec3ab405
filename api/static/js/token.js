// The token form of the role-restricted views: typed by the user, kept in sessionStorage only.
import { h } from "./dom.js";
import { getToken, setToken } from "./graphql.js";

// A panel that asks for a token for `roleName` and calls `onChange()` when it is set or cleared.
export function tokenPanel(roleName, onChange) {
  const input = h("input", {
    id: "token-input",
    type: "password",
    autocomplete: "off",
    spellcheck: "false",
    placeholder: "粘贴访问令牌",
  });
  const state = h("span", { class: "token-state", "aria-live": "polite" });
  const clearButton = h("button", { type: "button", class: "button secondary" }, "清除令牌");

  function show() {
    const has = Boolean(getToken());
    state.textContent = has ? "已输入令牌（仅保存在本标签页）" : "未输入令牌";
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
        setToken(value);
        input.value = "";
        show();
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
    show();
    onChange();
  });
  show();
  return form;
}
