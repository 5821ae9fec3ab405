// A legal citation that opens the article's text, where the law catalogue has it, in a dialog.
import { h } from "./dom.js";

// A citation: a link that opens the article's text when the law catalogue has it.
export function citation(law) {
  const label = `《${law.law}》${law.article || ""}${(law.partsCited || []).join("")}`;
  if (!law.text) return h("span", { class: "citation no-text", title: "法规库未收录该条文" }, label);
  return h(
    "a",
    {
      class: "citation",
      href: `#article:${encodeURIComponent(law.id)}`,
      onclick(event) {
        event.preventDefault();
        openArticle(law, label);
      },
    },
    label,
  );
}

export function citationDialog() {
  let dialog = document.getElementById("article-dialog");
  if (dialog) return dialog;
  dialog = h(
    "dialog",
    { id: "article-dialog", class: "article-dialog", "aria-labelledby": "article-title" },
    h(
      "div",
      { class: "dialog-head" },
      h("h2", { id: "article-title" }),
      h("button", { type: "button", class: "button secondary", id: "article-close", "aria-label": "关闭" }, "关闭"),
    ),
    h("p", { class: "meta", id: "article-meta" }),
    h("div", { class: "article-text pre", id: "article-text" }),
  );
  dialog.querySelector("#article-close").addEventListener("click", () => dialog.close());
  dialog.addEventListener("click", (event) => {
    if (event.target === dialog) dialog.close();
  });
  return dialog;
}

function openArticle(law, label) {
  const dialog = citationDialog();
  if (!dialog.isConnected) document.body.append(dialog);
  dialog.querySelector("#article-title").textContent = label;
  dialog.querySelector("#article-meta").textContent = [law.rank, law.law].filter(Boolean).join(" · ");
  dialog.querySelector("#article-text").textContent = law.text;
  dialog.showModal();
}
