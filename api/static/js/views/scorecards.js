// 7. Scorecards (staffing, investigator, admin): the departments ranked by the official indicator system
// (机构编制执行情况和使用效益评估), and one department's card: every indicator by its first and second
// levels, its score, its deduction, the rule, the evidence and the findings it rests on, each linked to
// where the finding is shown. The staffing role and admin give manual scores on the card.
import { badge, clear, errorBox, explainedError, h, hashParams, loading, routeHref } from "../dom.js";
import { getToken, query } from "../graphql.js";
import { findingHref, kindName } from "../review.js";
import { currentViewer, tokenPanel } from "../token.js";

const PAGE_SIZE = 100;
// The roles that may give a manual score (api/types/scorecards.py SCORERS)
const SCORERS = ["STAFFING", "ADMIN"];

const SCORECARDS = `
  query Scorecards($government: String, $at: Date, $first: Int!, $offset: Int! = 0) {
    today
    scorecards(government: $government, at: $at, first: $first, offset: $offset) {
      rank total maxTotal grade complete template
      department { id name government }
    }
  }`;

const SCORECARD = `
  query Scorecard($department: String!, $at: Date) {
    today
    scorecard(department: $department, at: $at) {
      template at total maxTotal grade complete rank unscored ownScore
      department { id name government }
      indicators {
        code name level1 level2 weight score points computed computedScore overridden rule evidence findings
      }
    }
  }`;

// The manual scores of a card's indicators, asked when a history is opened (the scorer is not for the public,
// who reads no card anyway).
const SCORE_HISTORY = `
  query ScoreHistory($department: String!, $at: Date) {
    scorecard(department: $department, at: $at) {
      indicators { code history { score note scorer at } }
    }
  }`;

const SCORE_INDICATOR = `
  mutation ScoreIndicator($department: String!, $code: String!, $score: Float!, $note: String, $at: Date) {
    scoreIndicator(department: $department, code: $code, score: $score, note: $note, at: $at) { code score }
  }`;

let ui = null;
let ticket = 0;
let governments = []; // the governments of the unfiltered ranking, for its filter
let scored = null; // {code, score} of the score just given, said once the card is drawn again

export function mount(container, params) {
  const at = h("input", { id: "scorecards-at", name: "at", type: "date" });
  const government = h(
    "select",
    { id: "scorecards-government", name: "government" },
    h("option", { value: "" }, "全部政府"),
  );
  const form = h(
    "form",
    {
      class: "case-form",
      "aria-label": "筛选",
      onsubmit(event) {
        event.preventDefault();
        const params = hashParams();
        location.hash = routeHref("scorecards", {
          department: params.get("department"),
          government: params.get("department") ? null : government.value,
          at: at.value,
        });
      },
    },
    h("div", { class: "field", id: "scorecards-government-field" }, h("label", { for: "scorecards-government" }, "所属政府"), government),
    h("div", { class: "field" }, h("label", { for: "scorecards-at" }, "评估日期"), at),
    h("button", { type: "submit", class: "button" }, "查看"),
  );
  ui = { at, government, form, body: h("div", {}) };
  container.append(
    h(
      "section",
      { class: "view view-scorecards", "aria-labelledby": "view-title" },
      h("h1", { id: "view-title" }, "考核评估"),
      h(
        "p",
        { class: "lead" },
        "按机构编制执行情况和使用效益评估指标体系，由权责清单、编制台账和办件记录计算各部门得分；每项扣分列明依据和问题，可逐项人工评分。含编制数据，仅限编制管理人员、调查人员和管理员。",
      ),
      tokenPanel("编制管理", () => update(hashParams())),
      form,
      ui.body,
    ),
  );
  update(params);
}

export async function update(params) {
  if (!ui) return;
  const department = params.get("department") || "";
  const at = params.get("at") || null;
  const mine = ++ticket;
  ui.government.value = params.get("government") || "";
  document.getElementById("scorecards-government-field").hidden = Boolean(department);
  if (!getToken()) {
    clear(
      ui.body,
      h(
        "p",
        { class: "alert", id: "scorecards-locked" },
        "考核评估含各部门编制和人员数据，仅对编制管理人员、调查人员和管理员开放。请输入编制管理访问令牌后查看排名和评分。",
      ),
    );
    return;
  }
  clear(ui.body, loading());
  if (department) await showCard(mine, department, at);
  else await showRanking(mine, params.get("government") || null, at);
}

// 1. The ranking

async function showRanking(mine, government, at) {
  const cards = [];
  let today = null;
  try {
    let page;
    do {
      const data = await query(
        SCORECARDS,
        { government, at, first: PAGE_SIZE, offset: cards.length },
        { withToken: true },
      );
      today = data.today;
      page = data.scorecards;
      cards.push(...page);
    } while (page.length === PAGE_SIZE);
  } catch (error) {
    if (mine === ticket) clear(ui.body, errorBox(error, "编制管理人员、调查人员或管理员"));
    return;
  }
  if (mine !== ticket) return;
  ui.at.value = at || today;
  if (!government) governments = [...new Set(cards.map((card) => card.department.government))];
  fillGovernments(government);
  const shown = [...new Set(cards.map((card) => card.department.government))];
  clear(
    ui.body,
    h(
      "h2",
      { class: "results-heading", id: "ranking-heading", dataset: { total: String(cards.length) } },
      `${government || "各级政府"}部门排名（${at || today}，共 ${cards.length} 个部门）`,
    ),
    cards.length ? null : h("p", { class: "empty" }, "没有可评估的部门。"),
    shown.map((name) =>
      rankingTable(
        name,
        cards.filter((card) => card.department.government === name),
        at,
      ),
    ),
  );
}

function fillGovernments(chosen) {
  clear(
    ui.government,
    h("option", { value: "" }, "全部政府"),
    governments.map((name) => h("option", { value: name }, name)),
  );
  ui.government.value = chosen || "";
}

function rankingTable(government, cards, at) {
  return h(
    "div",
    { class: "table-wrap ranking-table" },
    h(
      "table",
      {},
      h("caption", {}, government),
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          h("th", { class: "num", scope: "col" }, "排名"),
          h("th", { scope: "col" }, "部门"),
          h("th", { scope: "col" }, "评估模板"),
          h("th", { class: "num", scope: "col" }, "总分"),
          h("th", { scope: "col" }, "等级"),
          h("th", { scope: "col" }, "是否完整"),
        ),
      ),
      h(
        "tbody",
        {},
        cards.map((card) =>
          h(
            "tr",
            { dataset: { department: card.department.id, rank: String(card.rank ?? "") } },
            h("td", { class: "num" }, card.rank ?? "—"),
            h(
              "td",
              {},
              h("a", { href: routeHref("scorecards", { department: card.department.id, at }) }, card.department.name),
            ),
            h("td", {}, card.template),
            h("td", { class: "num total" }, `${figure(card.total)} / ${figure(card.maxTotal)}`),
            h("td", {}, gradeBadge(card.grade)),
            h("td", {}, completeBadge(card.complete)),
          ),
        ),
      ),
    ),
  );
}

// 2. A department's card

async function showCard(mine, department, at) {
  let data;
  try {
    data = await query(SCORECARD, { department, at }, { withToken: true });
  } catch (error) {
    if (mine === ticket) clear(ui.body, errorBox(error, "编制管理人员、调查人员或管理员"));
    return;
  }
  let viewer;
  try {
    viewer = await currentViewer();
  } catch {
    viewer = null; // the token panel says why
  }
  if (mine !== ticket) return;
  ui.at.value = at || data.today;
  const card = data.scorecard;
  if (!card) {
    clear(ui.body, h("p", { class: "alert" }, `没有找到部门 ${department}。`), backLink(at));
    return;
  }
  const context = { department: card.department.id, at, mayScore: Boolean(viewer && SCORERS.includes(viewer.role)) };
  clear(ui.body, backLink(at), summary(card), levels(card.indicators).map((level) => levelSection(level, context)));
  if (scored) {
    const item = ui.body.querySelector(`.indicator[data-code="${CSS.escape(scored.code)}"] .score-message`);
    if (item) clear(item, h("p", { class: "score-done", role: "status" }, `已记录人工评分 ${figure(scored.score)} 分`));
    scored = null;
  }
}

function backLink(at) {
  return h("p", {}, h("a", { href: routeHref("scorecards", { at }), class: "back" }, "‹ 返回部门排名"));
}

function summary(card) {
  const stat = (text, value, extra = "") =>
    h("div", { class: `stat ${extra}`.trim() }, h("span", { class: "label" }, text), h("span", { class: "value" }, value));
  return h(
    "div",
    {
      class: "card scorecard-summary",
      id: "scorecard-summary",
      dataset: { total: String(card.total), rank: String(card.rank ?? ""), department: card.department.id },
    },
    h("h2", { id: "scorecard-title" }, card.department.name),
    h("p", { class: "meta" }, `${card.department.government} · ${card.template}评估模板 · 评估日期 ${card.at}`),
    h(
      "div",
      { class: "summary-grid" },
      stat("总分", h("span", { id: "scorecard-total" }, `${figure(card.total)} / ${figure(card.maxTotal)}`)),
      stat("等级", card.grade, card.grade === "不合格" ? "lead-dept" : ""),
      stat("本级排名", h("span", { id: "scorecard-rank" }, card.rank ? `第 ${card.rank} 名` : "—")),
      stat("是否完整", card.complete ? "完整" : `${card.unscored.length} 项未评分`, card.complete ? "" : "lead-dept"),
      card.ownScore === null ? null : stat("个性指标", `${figure(card.ownScore)} 分`),
    ),
    card.complete
      ? null
      : h("p", { class: "muted small" }, `未评分的指标按 0 分计入总分：${card.unscored.join("、")}。`),
  );
}

// The indicators grouped by their first, then second level, in the template's order.
function levels(indicators) {
  const first = new Map();
  for (const indicator of indicators) {
    if (!first.has(indicator.level1)) first.set(indicator.level1, new Map());
    const second = first.get(indicator.level1);
    if (!second.has(indicator.level2)) second.set(indicator.level2, []);
    second.get(indicator.level2).push(indicator);
  }
  return [...first].map(([name, second]) => ({ name, groups: [...second].map(([sub, items]) => ({ name: sub, items })) }));
}

function levelSection(level, context) {
  const all = level.groups.flatMap((group) => group.items);
  return h(
    "section",
    { class: "indicator-level", dataset: { level: level.name } },
    h("h2", {}, level.name, " ", h("span", { class: "muted small" }, levelFigures(all))),
    level.groups.map((group) =>
      h(
        "div",
        { class: "indicator-group" },
        h("h3", {}, group.name, " ", h("span", { class: "muted small" }, levelFigures(group.items))),
        h("ul", { class: "indicators" }, group.items.map((indicator) => indicatorItem(indicator, context))),
      ),
    ),
  );
}

// "得分 12.5 / 权重 15 分"
function levelFigures(items) {
  const points = items.reduce((sum, i) => sum + i.points, 0);
  const most = items.reduce((sum, i) => sum + i.weight * 100, 0);
  return `得分 ${figure(points)} / ${figure(most)} 分`;
}

function indicatorItem(indicator, context) {
  const most = indicator.weight * 100;
  const unscored = indicator.score === null;
  return h(
    "li",
    { class: `indicator card${unscored ? " unscored" : ""}`, dataset: { code: indicator.code } },
    h(
      "div",
      { class: "indicator-head" },
      h("strong", {}, h("span", { class: "code" }, indicator.code), " ", indicator.name),
      " ",
      sourceBadge(indicator),
    ),
    h(
      "dl",
      { class: "indicator-figures" },
      h("dt", {}, "权重"),
      h("dd", { class: "indicator-weight" }, `${figure(most)} 分`),
      h("dt", {}, "得分"),
      h("dd", { class: "indicator-score" }, unscored ? "未计算" : `${figure(indicator.score)} / 100`),
      h("dt", {}, "计入总分"),
      h("dd", { class: "indicator-points" }, figure(indicator.points)),
      h("dt", {}, "扣分"),
      h("dd", { class: "indicator-deduction" }, unscored ? "—" : figure(most - indicator.points)),
    ),
    unscored && !indicator.evidence.length
      ? h("p", { class: "muted small not-computed" }, "未计算：所需数据缺失，需人工评分。")
      : null,
    indicator.evidence.length
      ? h(
          "ul",
          { class: "indicator-evidence", "aria-label": unscored ? "未计算的原因" : "依据" },
          indicator.evidence.map((line) => h("li", {}, line)),
        )
      : null,
    indicator.findings.length ? findingLinks(indicator.findings) : null,
    h("details", { class: "indicator-rule" }, h("summary", {}, "评估方式及标准"), h("p", {}, indicator.rule)),
    context.mayScore ? scoreForm(indicator, context) : null,
    historyPanel(indicator, context),
  );
}

// 系统计算 / 人工评分 / 已修正 (a manual score over the graph's) / 未评分
function sourceBadge(indicator) {
  if (indicator.overridden) return badge(`已修正（原计算 ${figure(indicator.computedScore)} 分）`, "warn");
  if (indicator.score === null) return badge("未评分", "bad");
  return indicator.computed ? badge("系统计算", "plain") : badge("人工评分", "type");
}

function findingLinks(findings) {
  return h(
    "ul",
    { class: "indicator-findings", "aria-label": "扣分涉及的问题" },
    findings.map((id) => {
      const href = findingHref(id);
      return h(
        "li",
        { dataset: { finding: id } },
        h("span", { class: "muted small" }, `${kindName(id)}：`),
        href ? h("a", { href }, id) : h("span", { class: "code" }, id),
      );
    }),
  );
}

// The manual score's form: 0 to 100, a note (required over a score the graph computed).
function scoreForm(indicator, context) {
  const needsNote = indicator.computed || indicator.computedScore !== null;
  const score = h("input", { type: "number", name: "score", min: "0", max: "100", step: "any", required: true });
  const note = h("textarea", { name: "note", rows: "2", required: needsNote || null });
  const message = h("div", { class: "score-message", "aria-live": "polite" });
  const form = h(
    "form",
    { class: "score-form", "aria-label": `人工评分 ${indicator.code}` },
    h("label", { class: "field" }, h("span", {}, "人工评分（0–100）"), score),
    h("label", { class: "field" }, h("span", {}, needsNote ? "评分说明（必填：修正系统计算的得分）" : "评分说明（选填）"), note),
    h("div", { class: "field actions" }, h("button", { type: "submit", class: "button" }, "提交评分")),
    message,
  );
  note.addEventListener("input", () => note.setCustomValidity(""));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = note.value.trim();
    if (needsNote && !text) {
      note.setCustomValidity("修正系统计算的得分须写明理由");
      note.reportValidity();
      return;
    }
    clear(message, h("p", { class: "loading", role: "status" }, "正在提交…"));
    const variables = { department: context.department, code: indicator.code, score: Number(score.value), note: text || null, at: context.at };
    let given;
    try {
      given = (await query(SCORE_INDICATOR, variables, { withToken: true })).scoreIndicator;
    } catch (error) {
      clear(message, scoreError(error));
      return;
    }
    scored = { code: given.code, score: given.score };
    update(hashParams());
  });
  return form;
}

// What a refused score says, in Chinese; the service's own message below.
function scoreError(error) {
  return explainedError(error, {
    FORBIDDEN: ["无权评分 (FORBIDDEN)", "人工评分需要编制管理人员或管理员的访问令牌。"],
    BAD_USER_INPUT: [
      "评分不符合规则 (BAD_USER_INPUT)",
      "请检查：得分须在 0 到 100 之间；修正系统计算的得分须写明理由。",
    ],
    LEDGER_UNAVAILABLE: [
      "审核台账不可用 (LEDGER_UNAVAILABLE)",
      "本服务未启用审核台账，无法记录评分。请联系管理员以 --ledger 参数启动服务。",
    ],
    NOT_FOUND: ["找不到此部门 (NOT_FOUND)", "当前数据中已没有这一部门，请返回排名后重试。"],
  });
}

// The indicator's manual scores, asked when opened.
function historyPanel(indicator, context) {
  const records = h("div", {});
  const panel = h("details", { class: "score-history" }, h("summary", {}, "评分记录"), records);
  panel.addEventListener("toggle", async () => {
    if (!panel.open) return;
    clear(records, h("p", { class: "loading", role: "status" }, "正在加载评分记录…"));
    let history;
    try {
      const data = await query(SCORE_HISTORY, { department: context.department, at: context.at }, { withToken: true });
      history = data.scorecard.indicators.find((i) => i.code === indicator.code)?.history || [];
    } catch (error) {
      clear(records, errorBox(error));
      return;
    }
    if (!history.length) {
      clear(records, h("p", { class: "muted small" }, "尚无人工评分。"));
      return;
    }
    clear(
      records,
      h(
        "ol",
        { class: "score-records" },
        history.map((entry) =>
          h(
            "li",
            {},
            h("strong", {}, `${figure(entry.score)} 分`),
            " ",
            h("span", { class: "muted small" }, `${entry.at.slice(0, 16).replace("T", " ")} · 评分人：${entry.scorer}`),
            entry.note ? h("p", { class: "score-note" }, entry.note) : null,
          ),
        ),
      ),
    );
  });
  return panel;
}

function gradeBadge(grade) {
  const kind = { 优秀: "good", 良好: "good", 合格: "warn", 不合格: "bad" }[grade] || "plain";
  return badge(grade, kind);
}

function completeBadge(complete) {
  return complete ? badge("完整", "good") : badge("不完整", "warn");
}

// A score as the card shows it: at most two decimals, no trailing zeros ("37.88", "40", "3.75").
function figure(value) {
  return value === null || value === undefined ? "—" : String(Math.round(value * 100) / 100);
}
