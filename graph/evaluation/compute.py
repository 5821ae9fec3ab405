"""The computed indicators: what the graph decides of a department's third-level indicators, on a date.

An `Evaluation` is made once for a store and a date; it runs each analysis it needs once, on first
need (`find_gaps`, `find_overlaps`, `find_splits`, the staffing placements, the case log), groups its
findings by department once, and then answers `indicators(department)` for any department: an
`IndicatorResult` for every third-level indicator of the department's template whose rule names
graph keys (`Rule.graph_keys`). A province's thousands of departments cost one pass over the
findings, never departments × findings.

    evaluation = Evaluation(store, date(2026, 11, 28))
    evaluation.indicators("department:巴中市人民政府/巴中市财政局")["4.1.2"].score

The template is the one `IndicatorSystem.template_for` gives the department's 机构类型 (党委工作部门
and 党委办事机构 get 党委部门's; 事业单位 直属事业单位's); any other kind, or none, gets 政府部门's. The
evaluation period is the template's `period_years` before the date.

What each key counts (the occurrence keys of `graph.evaluation.rules.OCCURRENCES`):

- from the gaps of the date, each deduction carrying the gap's id: `ghost_payroll` (GHOST_PAYROLL),
  `over_quota` (OVER_QUOTA), `mixed_quota` (MIXED_QUOTA), `overreach` (越位: POWER_OUTSIDE_MANDATE),
  `absence` (缺位: FUNCTION_NOT_EXERCISED, a function of the department's charter no item of it carries
  out; UNHELD_DUTY names no department), `misplacement` (错位: MISPLACED), `unit_duty_gap` (职责空白:
  FUNCTION_WITHOUT_UNIT of a function; a unit without posts is not a duty without a unit);
- from the split approvals and the overlaps (their default verdicts) naming the department:
  `split_approval` and `overlap`, each with the finding's id;
- from the records (`graph.evaluation.compute_records`): the measure `quota_usage_rate`, and
  `over_leadership_quota`, `long_secondment`, `unit_duty_overlap`, `dormant_item`, `overdue_case`,
  `item_load_mismatch` and `workload_mismatch`.

An indicator one of whose keys lacks its data (no staffing sheets, no 领导职数, no 任职方式, no case
log, no units, no charter …) is not computed (`computed=False`, `absent` says why), never scored full
or zero.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date
from functools import cached_property
from typing import TypeVar

from graph.analyses import find_gaps, find_overlaps, find_splits
from graph.analyses.gap_kinds import Gap, GapKind
from graph.analyses.links import Links
from graph.analyses.overlaps import DEFAULT_VERDICTS, Overlap
from graph.analyses.splits import SplitApproval
from graph.errors import QuanzeError
from graph.evaluation.compute_records import Found, Records, absent, rows_of, years_before
from graph.evaluation.loading import default_system
from graph.evaluation.model import Indicator, IndicatorSystem, Template
from graph.evaluation.results import Deduction, IndicatorResult
from graph.evaluation.rules import BandsRule, DeductRule, Occurrence
from graph.model import Node
from graph.organisation import covers
from graph.store import GraphReader
from ontology import EdgeKind, NodeKind

__all__ = ["DEFAULT_TEMPLATE", "Evaluation", "UnknownDepartment"]

#: the template of a department whose 机构类型 no template names
DEFAULT_TEMPLATE = "政府部门"

#: the gap kind each gap-counted occurrence key is
GAP_KEYS: dict[str, GapKind] = {
    "ghost_payroll": GapKind.GHOST_PAYROLL,
    "over_quota": GapKind.OVER_QUOTA,
    "mixed_quota": GapKind.MIXED_QUOTA,
    "overreach": GapKind.POWER_OUTSIDE_MANDATE,
    "absence": GapKind.FUNCTION_NOT_EXERCISED,
    "misplacement": GapKind.MISPLACED,
    "unit_duty_gap": GapKind.FUNCTION_WITHOUT_UNIT,
}
#: the gap kinds whose subject is a person, whose rows are the person's holdings on the date
PERSON_GAPS = frozenset({GapKind.GHOST_PAYROLL, GapKind.MIXED_QUOTA})
#: the kinds of node the findings counted are about, but for persons
SUBJECT_KINDS = (NodeKind.POWER_ITEM, NodeKind.FUNCTION, NodeKind.UNIT, NodeKind.DEPARTMENT)
NO_HOLDINGS = "工作簿未提供任职（实名制）数据"

F = TypeVar("F")


class UnknownDepartment(QuanzeError):
    """A department id the store does not hold."""


class Evaluation:
    """The computed indicators of the departments of `reader` on the date `at`, by `system`."""

    def __init__(
        self,
        reader: GraphReader,
        at: date,
        system: IndicatorSystem | None = None,
        *,
        gaps: Iterable[Gap] | None = None,
        overlaps: Iterable[Overlap] | None = None,
        splits: Iterable[SplitApproval] | None = None,
    ) -> None:
        """`gaps` (on `at`), `overlaps` and `splits`, when given, are the analyses' answers already
        computed for `reader` (of any kinds, verdicts and sizes: the ones the indicators count are
        taken), so that a service which holds them does not compute them again."""
        self.reader = reader
        self.at = at
        self.system = system or default_system()
        self.links = Links(reader)
        self._records: dict[int, Records] = {}
        self._given_gaps = None if gaps is None else list(gaps)
        self._given_overlaps = None if overlaps is None else list(overlaps)
        self._given_splits = None if splits is None else list(splits)

    def template(self, department: str) -> Template:
        """The template that scores `department`, by its 机构类型 (`DEFAULT_TEMPLATE` for another kind).

        Raises `UnknownDepartment` for an id the store does not hold, `QuanzeError` when the system has
        neither a template for the kind nor `DEFAULT_TEMPLATE`."""
        node = self.links.node(NodeKind.DEPARTMENT, department)
        if node is None:
            raise UnknownDepartment(f"no department {department}")
        kind = str(node.get("department_kind") or "")
        template = self.system.template_for(kind) or self.system.template(DEFAULT_TEMPLATE)
        if template is None:
            raise QuanzeError(f"the indicator system has no template for {kind or 'a department'}")
        return template

    def period(self, template: Template) -> tuple[date, date]:
        """The evaluation period of `template`: from `period_years` before the date, to the date."""
        return years_before(self.at, template.period_years), self.at

    def indicators(self, department: str) -> dict[str, IndicatorResult]:
        """Every third-level indicator of the department's template whose rule has graph keys, by code,
        in the template's order. Raises `UnknownDepartment` for an id the store does not hold."""
        template = self.template(department)
        records = self._records_for(template.period_years)
        results: dict[str, IndicatorResult] = {}
        for indicator in template.scored:
            rule = indicator.rule
            if isinstance(rule, DeductRule) and rule.graph_keys:
                results[indicator.code] = self._deducted(indicator, rule, department, records)
            elif isinstance(rule, BandsRule) and rule.measure == "quota_usage_rate":
                results[indicator.code] = self._banded(indicator, rule, department, records)
        return results

    # -- scoring --

    def _deducted(
        self, indicator: Indicator, rule: DeductRule, department: str, records: Records
    ) -> IndicatorResult:
        found = {o.key: self._count(o, department, records) for o in rule.occurrences if o.key}
        missing = [f.absent for f in found.values() if f.absent]
        if missing:
            return self._not_computed(indicator, department, missing, bool(rule.counted_by_person))
        points = {o.key: o.points for o in rule.occurrences if o.key}
        deductions = tuple(
            Deduction(key, points[key], evidence, finding)
            for key, counted in found.items()
            for evidence, finding in counted.occurrences
        )
        counts = {key: len(counted.occurrences) for key, counted in found.items()}
        return IndicatorResult(
            indicator.code,
            department,
            True,
            rule.score(counts),
            deductions,
            evidence=tuple(line for counted in found.values() for line in counted.evidence),
            person_counts=bool(rule.counted_by_person),
        )

    def _banded(
        self, indicator: Indicator, rule: BandsRule, department: str, records: Records
    ) -> IndicatorResult:
        found = records.quota_usage(department)
        score = None if found.measure is None else rule.score(found.measure)
        if found.absent or found.measure is None or score is None:
            reason = found.absent or "编制使用率不在评分标准的任何分档内"
            return self._not_computed(indicator, department, [reason], False)
        return IndicatorResult(
            indicator.code, department, True, score, measure=found.measure, evidence=found.evidence
        )

    @staticmethod
    def _not_computed(
        indicator: Indicator, department: str, reasons: list[str], person_counts: bool
    ) -> IndicatorResult:
        return IndicatorResult(
            indicator.code,
            department,
            False,
            None,
            absent="；".join(dict.fromkeys(reasons)),
            person_counts=person_counts,
        )

    def _count(self, occurrence: Occurrence, department: str, records: Records) -> Found:
        key = occurrence.key or ""
        if key in GAP_KEYS:
            return self._gap_count(key, department, records)
        counters: dict[str, Callable[[], Found]] = {
            "split_approval": lambda: self._findings(
                (_split_line(split), split.id, split.items) for split in self._splits.get(department, ())
            ),
            "overlap": lambda: self._findings(
                (_overlap_line(overlap), overlap.id, overlap.subjects)
                for overlap in self._overlaps.get(department, ())
            ),
            "over_leadership_quota": lambda: records.over_leadership(department),
            "long_secondment": lambda: records.long_secondments(department),
            "unit_duty_overlap": lambda: records.unit_duty_overlaps(department),
            "dormant_item": lambda: records.dormant_items(department, occurrence.at_most or 0),
            "overdue_case": lambda: records.overdue_cases(department),
            "item_load_mismatch": lambda: records.item_load_mismatches(department),
            "workload_mismatch": lambda: records.workload_mismatches(department),
        }
        counter = counters.get(key)
        return counter() if counter else absent(f"无法由数据计算“{occurrence.what}”")

    # -- the gaps --

    def _gap_count(self, key: str, department: str, records: Records) -> Found:
        kind = GAP_KEYS[key]
        reason = self._gap_data_absent(kind, department, records)
        if reason:
            return absent(reason)
        gaps = self._gaps.get((department, kind), ())
        if kind is GapKind.FUNCTION_WITHOUT_UNIT:
            gaps = [gap for gap in gaps if gap.subject_id.startswith("function:")]
        return Found(tuple((self._gap_line(gap, records), gap.id) for gap in gaps))

    @staticmethod
    def _gap_data_absent(kind: GapKind, department: str, records: Records) -> str | None:
        """Why `kind` cannot be judged of the department, or None."""
        node = records.departments[department]
        if kind in (GapKind.GHOST_PAYROLL, GapKind.OVER_QUOTA, GapKind.MIXED_QUOTA) and not records.holdings:
            return NO_HOLDINGS
        if (
            kind is GapKind.OVER_QUOTA
            and node.get("admin_quota") is None
            and node.get("institution_quota") is None
        ):
            return "工作簿未提供本部门核定的行政编制、事业编制数"
        charter = records.links.sources(department, EdgeKind.FUNCTION_OF)
        if kind in (GapKind.POWER_OUTSIDE_MANDATE, GapKind.FUNCTION_NOT_EXERCISED) and not charter:
            return "工作簿未提供本部门“三定”职能，无法判断越位、缺位"
        if kind is GapKind.FUNCTION_WITHOUT_UNIT:
            if not records.units(department):
                return "工作簿未提供本部门内设机构"
            if not charter:
                return "工作簿未提供本部门“三定”职能，无法判断职责空白"
        return None

    def _gap_line(self, gap: Gap, records: Records) -> str:
        """The gap's sentence, after the rows it was read from."""
        if gap.kind in PERSON_GAPS:
            nodes: list[Node | None] = [
                holding
                for holding_id in records.links.sources(gap.subject_id, EdgeKind.HOLDING_OF)
                if (holding := records.holdings.get(holding_id)) is not None and covers(holding, self.at)
            ]
        else:
            nodes = [self._subject(gap.subject_id)]
        where = rows_of(nodes)
        return f"{where}：{gap.detail}" if where else gap.detail

    @cached_property
    def _gaps(self) -> dict[tuple[str, GapKind], list[Gap]]:
        """(department, kind) -> its gaps of the kinds the indicators count, on the date."""
        grouped: dict[tuple[str, GapKind], list[Gap]] = defaultdict(list)
        kinds = set(GAP_KEYS.values())
        found = self._given_gaps
        if found is None:
            found = find_gaps(self.reader, at=self.at, kinds=kinds)
        for gap in found:
            if gap.department and gap.kind in kinds:
                grouped[(gap.department, gap.kind)].append(gap)
        return grouped

    def _subject(self, node_id: str) -> Node | None:
        """The department, item, function or unit a finding is about, from the bulk read."""
        return next(
            (node for kind in SUBJECT_KINDS if (node := self.links.node(kind, node_id)) is not None), None
        )

    # -- split approvals and overlaps --

    def _findings(self, found: Iterable[tuple[str, str, tuple[str, ...]]]) -> Found:
        """Each finding, given as (its line, its id, its subjects), an occurrence: its line after the
        rows of its subjects (items, functions)."""
        occurrences = []
        for line, finding, subjects in found:
            where = rows_of(self._subject(subject) for subject in subjects)
            occurrences.append((f"{where}：{line}" if where else line, finding))
        return Found(tuple(occurrences))

    @cached_property
    def _splits(self) -> dict[str, list[SplitApproval]]:
        """Department -> the split approvals over it and at least one other department."""
        found = self._given_splits
        if found is None:
            found = find_splits(self.reader)
        several = (split for split in found if len(split.departments) >= 2)
        return _by_department(several, lambda split: split.departments)

    @cached_property
    def _overlaps(self) -> dict[str, list[Overlap]]:
        """Department -> its overlaps of the default verdicts (those the office is shown)."""
        found = self._given_overlaps
        if found is None:
            found = find_overlaps(self.reader)
        shown = (overlap for overlap in found if overlap.verdict in DEFAULT_VERDICTS)
        return _by_department(shown, lambda overlap: overlap.departments)

    def _records_for(self, years: int) -> Records:
        """The records indexed for a period of `years` (templates may differ; most share one)."""
        records = self._records.get(years)
        if records is None:
            records = self._records[years] = Records(self.links, self.at, years_before(self.at, years))
        return records


def _by_department(findings: Iterable[F], departments: Callable[[F], Iterable[str]]) -> dict[str, list[F]]:
    grouped: dict[str, list[F]] = defaultdict(list)
    for finding in findings:
        for department in dict.fromkeys(departments(finding)):
            grouped[department].append(finding)
    return grouped


def _split_line(split: SplitApproval) -> str:
    return f"分段审批：{split.detail}（涉及 {len(split.departments)} 个部门）"


def _overlap_line(overlap: Overlap) -> str:
    return "；".join(overlap.evidence[:1] + ((overlap.reason,) if overlap.reason else ()))
