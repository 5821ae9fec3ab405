// Chinese names for the API's enum values (the values themselves are shown beside them where useful).

export const POWER_TYPES = [
  "行政许可",
  "行政处罚",
  "行政强制",
  "行政征收",
  "行政给付",
  "行政检查",
  "行政确认",
  "行政奖励",
  "行政裁决",
  "其他行政权力",
];

export const OVERLAP_KINDS = {
  SAME_ITEM: "同一事项",
  JOINT: "联合实施",
  SHARED_BASIS: "共同依据",
  SIMILAR_TEXT: "表述相近",
};

// The overlaps' verdicts, as the reports name them (api/reports.py VERDICT_LABELS).
export const OVERLAP_VERDICTS = {
  OVERLAP: "交叉",
  BOUNDARY: "边界未明",
  DIVIDED: "已分工",
};

export const SPLIT_KINDS = {
  CHAIN: "前置审批链",
  STAGES: "跨部门环节",
  SAME_MATTER: "同一事项多头审批",
};

export const ROLES = { HANDLE: "承办", REVIEW: "审核", APPROVE: "批准" };

export const FINDINGS = {
  OVERDUE_STAGE: "环节超时",
  NOT_HOLDER: "非岗位人员办理",
  SKIPPED_STAGE: "跳过环节",
  VACANT_POST: "岗位空缺时办理",
  NO_SEPARATION: "承办与审核未分离",
  IDLE_BETWEEN_STAGES: "环节间等待超时",
  CASE_OVERDUE: "办件超期",
  TRANSFER_DUE: "应移送未移送",
};

export const STAFFING_GAPS = {
  NO_HEAD: "无行政首长",
  VACANT_POST: "岗位空缺",
  OVER_QUOTA: "超编",
  GHOST_PAYROLL: "吃空饷",
  MIXED_QUOTA: "混用编制",
  CONCURRENT_POSTS: "兼职",
};

// A finding's review status (shared/spec/ledger.md, "Reviews"), as the office's ledger names it.
export const REVIEW_STATUSES = {
  OPEN: "待核实",
  CONFIRMED: "已确认",
  DISMISSED: "已排除",
  RECTIFYING: "整改中",
  RECTIFIED: "已整改",
  REOPENED: "重新出现",
};

// The kinds of finding (the API's FindingKind: the prefix of their ids, graph/identity.py).
export const FINDING_KINDS = {
  OVERLAP: "职能交叉",
  GAP: "问题清单",
  SPLIT: "审批链条",
  FINDING: "办件问题",
  WARNING: "预警",
  TRANSFER: "移送",
};

// The fields of an item an edition diff names as changed (ItemChange.fields, as ItemSnapshot names them).
export const ITEM_FIELDS = {
  code: "事项编码",
  name: "事项名称",
  powerType: "权力类型",
  subItem: "子项",
  departments: "实施主体",
  basis: "设定依据",
  government: "所属政府",
  codeMade: "编码来源",
};

// The office's warning levels (WarningLevel): the colour and what it is about, named in text, not colour alone.
export const WARNING_LEVELS = {
  RED: "红色 · 合规",
  YELLOW: "黄色 · 履职",
  BLUE: "蓝色 · 效益",
};

// The roles a caller's token may stand for (AccessRole), as the token panel names them.
export const ACCESS_ROLES = {
  PUBLIC: "公众",
  STAFFING: "编制管理人员",
  INVESTIGATOR: "调查人员",
  ADMIN: "管理员",
};

export function label(table, value) {
  return table[value] || value;
}
