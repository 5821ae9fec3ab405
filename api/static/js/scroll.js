// A table wider than its column (a phone): it scrolls sideways in its own box, and says so. A shadow
// falls on each edge where the table is cut, and a hint above it reads 左右滑动查看, both only while the
// table is wider than the box; resizing or scrolling updates them.
import { h } from "./dom.js";

// `table` in a box that scrolls it sideways (classes `extra` beside `table-wrap`), named `label` for
// the keyboard (the box takes the focus, so arrow keys scroll it), with its cues.
export function scrollingTable(table, label, extra = "") {
  const box = h(
    "div",
    { class: `table-wrap ${extra}`.trim(), tabindex: "0", role: "region", "aria-label": label },
    table,
  );
  const hint = h("p", { class: "scroll-hint", hidden: true }, "左右滑动查看 ↔");
  const frame = h("div", { class: "scroll-frame" }, box);
  const update = () => {
    const cut = box.scrollWidth - box.clientWidth > 1;
    hint.hidden = !cut;
    frame.classList.toggle("cut-left", cut && box.scrollLeft > 1);
    frame.classList.toggle("cut-right", cut && box.scrollLeft + box.clientWidth < box.scrollWidth - 1);
  };
  new ResizeObserver(update).observe(box);
  box.addEventListener("scroll", update, { passive: true });
  return h("div", { class: "scroll-table" }, hint, frame);
}
