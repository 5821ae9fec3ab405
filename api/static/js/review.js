// A finding's review in the views (shared/spec/ledger.md): its status badge, the buttons that review it for
// a caller the service says may (`viewer.reviews`), and its history on demand. The public reads statuses
// only: the note and the reviewer are asked for only with a token that reads the ledger, by the finding's id.
import { clear, errorBox, explainedError, h, routeHref } from "./dom.js";
import { query } from "./graphql.js";
import { ACCESS_ROLES, FINDING_KINDS, REVIEW_STATUSES, STAFFING_GAPS, label } from "./labels.js";
import { currentViewer, knownViewer } from "./token.js";

// What a finding's list asks of its current review: its status and what the badge shows. Written out in
// full (no interpolation) so that tests/api/test_limits.py runs the views' queries as they are sent.
export const REVIEW = "review { status at deadline overdue edition }";
// The current review with its history as the public reads it: statuses, no note and no reviewer.
export const REVIEW_HISTORY = "review { status at deadline overdue edition history { status at deadline edition } }";

// One finding's review with its history, notes and reviewers, for a caller whose token reads the ledger.
const REVIEW_BY_ID = `
  query ReviewById($findingId: ID!) {
    review(findingId: $findingId) {
      status at deadline overdue edition note reviewer
      history { status at deadline edition note reviewer }
    }
  }`;

const REVIEW_FINDING = `
  mutation ReviewFinding($id: ID!, $status: ReviewStatus!, $note: String, $deadline: Date) {
    reviewFinding(id: $id, status: $status, note: $note, deadline: $deadline) {
      status at deadline overdue edition note reviewer
    }
  }`;

// The roles that review each kind of finding (graph/ledger/findings.py REVIEWERS), for a refusal to name.
const REVIEWERS = {
  OVERLAP: ["STAFFING", "ADMIN"],
  GAP: ["STAFFING", "ADMIN"],
  SPLIT: ["STAFFING", "ADMIN"],
  WARNING: ["STAFFING", "ADMIN"],
  FINDING: ["INVESTIGATOR", "ADMIN"],
  TRANSFER: ["INVESTIGATOR", "ADMIN"],
};

// What a person may decide, in the order of the buttons; RECTIFIED and REOPENED are set by an edition's load.
const ACTIONS = [
  { status: "CONFIRMED", button: "确认属实", note: "说明（选填）" },
  { status: "DISMISSED", button: "排除", note: "排除理由（必填）", noteRequired: true },
  { status: "RECTIFYING", button: "交办整改", note: "整改要求（选填）", deadline: true },
];
const RECTIFICATION_DAYS = 30;

// "overlap:3f2a…" -> "OVERLAP", as the API's FindingKind names it.
export function findingKind(id) {
  return String(id).split(":")[0].toUpperCase();
}

export function kindName(id) {
  return label(FINDING_KINDS, findingKind(id));
}

// Where a finding is shown, for the kinds a view finds by their id (null for the others). A case trace's
// finding names its case ("finding:case:BJ20241114001:-:CASE_OVERDUE"): the trace of that case; a staffing
// gap (the kinds the staffing view lists), that view with the gap picked out.
export function findingHref(id) {
  const kind = findingKind(id);
  if (kind === "OVERLAP") return routeHref("overlaps", { divided: "1", overlap: id });
  if (kind === "SPLIT") return routeHref("chains", { id });
  if (kind === "GAP") return String(id).split(":")[1] in STAFFING_GAPS ? routeHref("staffing", { gap: id }) : null;
  if (kind === "WARNING") return routeHref("warnings");
  if (kind === "TRANSFER") return routeHref("transfers");
  const [, subject, caseId] = String(id).split(":");
  if (kind === "FINDING" && subject === "case" && caseId) return routeHref("trace", { case: caseId });
  return null;
}

// Whether to offer the review buttons: when the service said the caller's token reviews the kind (never
// without a token, nor with one it does not know or was not asked about: this sends no token).
async function mayReview(id) {
  try {
    const viewer = await knownViewer();
    return Boolean(viewer && viewer.reviews.includes(findingKind(id)));
  } catch {
    return false; // the token panel says why
  }
}

// The badge of a review's status (OPEN without a review); a rectification shows its deadline, and says
// when it is overdue. `id`: the finding whose current review it shows, so that a review made on the page
// updates every badge of it (none for a record of the history).
export function statusBadge(id, review) {
  const status = review ? review.status : "OPEN";
  const overdue = Boolean(review && review.overdue);
  let text = label(REVIEW_STATUSES, status);
  if (status === "RECTIFYING" && review.deadline) text += ` · 限 ${review.deadline} 前`;
  if (overdue) text += " · 已逾期";
  return h(
    "span",
    {
      class: `badge ${id ? "review-status" : "review-record"} status-${status.toLowerCase()}${overdue ? " overdue" : ""}`,
      dataset: id ? { finding: id, status } : { status },
    },
    text,
  );
}

function refreshBadges(id, review) {
  for (const element of document.querySelectorAll(".review-status")) {
    if (element.dataset.finding === id) element.replaceWith(statusBadge(id, review));
  }
}

// One finding's review with its history, by its id, for a caller whose token reads the ledger (staffing or
// above): how the staffing and trace views, which only such callers read, load a history.
export async function loadReview(id) {
  return (await query(REVIEW_BY_ID, { findingId: id }, { withToken: true })).review;
}

// The loader of a history for a view the public reads too: by the finding's id for a token that reads the
// ledger; else the view's own `text` without the token, which asks `node(id: $id)` for the finding's
// REVIEW_HISTORY.
export function reviewLoader(text) {
  return async (id) => {
    if ((await currentViewer()).role !== "PUBLIC") return loadReview(id);
    const finding = (await query(text, { id })).node;
    return finding ? finding.review : null;
  };
}

// The review panel of `finding` ({id, review}): status, buttons, form and history. `loadHistory(id)` gives
// the review with its history. A review made here is written back to `finding.review`. The buttons come
// once the service has said who the caller is: `data-may-review` tells a reader when that is decided.
export function reviewPanel(finding, loadHistory) {
  const panel = h("div", { class: "review-panel", dataset: { finding: finding.id } });
  const head = h("p", { class: "review-head" });
  const message = h("div", { class: "review-message", "aria-live": "polite" });
  const form = h("form", { class: "review-form", hidden: true });
  const records = h("div", {});
  const history = h("details", { class: "review-history" }, h("summary", {}, "审核记录"), records);
  history.addEventListener("toggle", () => {
    if (history.open) showHistory(records, finding, loadHistory);
  });

  function showHead() {
    clear(head, h("span", { class: "review-label" }, "审核状态"), " ", statusBadge(finding.id, finding.review));
    if (finding.review) head.append(" ", h("span", { class: "muted small" }, reviewMeta(finding.review)));
    panel.dataset.status = finding.review ? finding.review.status : "OPEN";
  }

  async function submit(values) {
    clear(message, h("p", { class: "loading", role: "status" }, "正在提交…"));
    let review;
    try {
      review = (await query(REVIEW_FINDING, { id: finding.id, ...values }, { withToken: true })).reviewFinding;
    } catch (error) {
      clear(message, reviewError(error, finding.id));
      return;
    }
    finding.review = review;
    form.hidden = true;
    showHead();
    refreshBadges(finding.id, review);
    clear(message, h("p", { class: "review-done", role: "status" }, `已记录：${label(REVIEW_STATUSES, review.status)}`));
    if (history.open) showHistory(records, finding, loadHistory);
  }

  showHead();
  panel.append(head, message, history);
  mayReview(finding.id).then((may) => {
    panel.dataset.mayReview = String(may);
    if (!may) return;
    const buttons = ACTIONS.map((action) =>
      h(
        "button",
        {
          type: "button",
          class: "button secondary",
          dataset: { action: action.status },
          onclick: () => openForm(form, action, submit, message),
        },
        action.button,
      ),
    );
    message.before(h("div", { class: "review-actions", role: "group", "aria-label": "审核" }, buttons), form);
  });
  return panel;
}

function reviewMeta(review) {
  const when = review.at ? review.at.slice(0, 10) : "";
  return review.edition ? `${when} 随 ${review.edition} 版清单核验` : `${when} 记录`;
}

// The form of one action: a note (required to dismiss), a deadline to rectify (30 days ahead by default).
function openForm(form, action, submit, message) {
  clear(message);
  const note = h("textarea", { name: "note", rows: "2", required: action.noteRequired || null });
  const deadline = action.deadline
    ? h("input", { type: "date", name: "deadline", required: true, min: isoDay(0), value: isoDay(RECTIFICATION_DAYS) })
    : null;
  const deadlineLabel = `整改期限（默认 ${RECTIFICATION_DAYS} 日后）`;
  clear(
    form,
    h("p", { class: "review-form-title" }, `${action.button}：${label(REVIEW_STATUSES, action.status)}`),
    action.noteRequired ? h("p", { class: "muted small" }, "排除须写明理由，理由随审核记录保存。") : null,
    deadline ? h("label", { class: "field" }, h("span", {}, deadlineLabel), deadline) : null,
    h("label", { class: "field" }, h("span", {}, action.note), note),
    h(
      "div",
      { class: "review-form-actions" },
      h("button", { type: "submit", class: "button" }, "提交"),
      h("button", { type: "button", class: "button secondary", onclick: () => (form.hidden = true) }, "取消"),
    ),
  );
  form.dataset.action = action.status;
  form.onsubmit = (event) => {
    event.preventDefault();
    const text = note.value.trim();
    if (action.noteRequired && !text) {
      note.setCustomValidity("请写明排除理由");
      note.reportValidity();
      return;
    }
    submit({ status: action.status, note: text || null, deadline: deadline ? deadline.value : null });
  };
  note.addEventListener("input", () => note.setCustomValidity(""));
  form.hidden = false;
  (deadline || note).focus();
}

// The calendar day `days` from today, where the browser is, as YYYY-MM-DD.
function isoDay(days) {
  const day = new Date();
  day.setDate(day.getDate() + days);
  const pad = (n) => String(n).padStart(2, "0");
  return `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`;
}

// What a refused review says: who may review the kind, what the rules of the statuses ask, that the service
// keeps no ledger; the service's own message below.
function reviewError(error, id) {
  const reviewers = (REVIEWERS[findingKind(id)] || []).map((role) => ACCESS_ROLES[role]).join("或");
  return explainedError(error, {
    FORBIDDEN: [
      "无权审核 (FORBIDDEN)",
      `审核${kindName(id)}需要${reviewers}的访问令牌，当前令牌的身份不能审核此类问题。`,
    ],
    BAD_USER_INPUT: ["审核内容不符合规则 (BAD_USER_INPUT)", "请检查：排除须写明理由，整改期限须为有效日期。"],
    LEDGER_UNAVAILABLE: [
      "审核台账不可用 (LEDGER_UNAVAILABLE)",
      "本服务未启用审核台账，无法记录审核。请联系管理员以 --ledger 参数启动服务。",
    ],
    NOT_FOUND: ["找不到此问题 (NOT_FOUND)", "当前数据中已没有这一问题，请刷新页面后重试。"],
  });
}

async function showHistory(target, finding, loadHistory) {
  clear(target, h("p", { class: "loading", role: "status" }, "正在加载审核记录…"));
  let review;
  try {
    review = await loadHistory(finding.id);
  } catch (error) {
    clear(target, errorBox(error));
    return;
  }
  if (!review) {
    clear(target, h("p", { class: "muted small" }, "尚无审核记录：待核实。"));
    return;
  }
  clear(
    target,
    h(
      "ol",
      { class: "review-records" },
      review.history.map((r) =>
        h(
          "li",
          { dataset: { status: r.status } },
          statusBadge(null, r),
          " ",
          h("span", { class: "muted small" }, reviewMeta(r)),
          r.reviewer ? h("span", { class: "review-reviewer" }, ` 审核人：${r.reviewer}`) : null,
          r.note ? h("p", { class: "review-note" }, r.note) : null,
        ),
      ),
    ),
  );
}
