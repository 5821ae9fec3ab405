"""Warnings (预警): the findings and measures of the computed indicators sorted into the office's levels.

Red (合规: over quota, ghost payroll …), yellow (履职: cases overdue again and again, split approvals,
accountability piling up on one department) and blue (效益: quota left idle, little work for the
quota, overlapping functions), by rules kept as data (`warnings.toml` beside this module, replaceable:
`load_warning_rules`). A rule matches one of:

- `OccurrenceRule`: the deductions of an occurrence key (`over_quota` …): a warning for each finding
  so counted (one for the deductions of a department that name no finding); with `at_least`, one for
  each department that has at least that many;
- `MeasureRule`: the measure of an indicator (4.1.1's quota usage rate) at or under a bound;
- `WorkloadRule`: cases per person under a share of the median of the government's departments that
  have cases (a department without cases is not warned: no case log is no evidence of little work);
- `AccountabilityRule`: a department whose people were held to account at least so many times.

A warning is a finding (`graph.identity.FindingKind.WARNING`): its id is its rule's key and the id of
the finding it is about, or of its department, so it is the same across loads, and it is reviewed in
the ledger like any other finding.

    >>> from graph.evaluation.results import Deduction
    >>> result = IndicatorResult("4.1.2", "department:x", True, 50.0,
    ...     (Deduction("ghost_payroll", 50, "任职 第12行：人员编号 P0031 未在岗", "gap:GHOST:person:P0031"),))
    >>> [(w.id, w.level.value, w.rule) for w in warnings({"department:x": {"4.1.2": result}}, default_warning_rules())]
    [('warning:ghost_payroll:gap:GHOST:person:P0031', 'RED', '吃空饷')]
"""

from __future__ import annotations

import re
import statistics
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import NoReturn

from graph.analyses.trace import record_departments
from graph.errors import InvalidData, Problem
from graph.evaluation.fields import Fields, Problems
from graph.evaluation.results import Deduction, IndicatorResult
from graph.evaluation.rules import OCCURRENCES
from graph.identity import FindingKind, finding_id
from graph.store import GraphReader
from ontology import NodeKind

__all__ = [
    "MATCHES",
    "MAX_RULES",
    "WARNING_RULES",
    "AccountabilityRule",
    "EarlyWarning",
    "MeasureRule",
    "OccurrenceRule",
    "WarningLevel",
    "WarningRule",
    "WorkloadRule",
    "accountability_records",
    "default_warning_rules",
    "load_warning_rules",
    "parse_warning_rules",
    "warnings",
]

#: the rules shipped with quanze
WARNING_RULES = Path(__file__).with_name("warnings.toml")
#: the most rules a file may hold
MAX_RULES = 100
#: the largest file read
MAX_FILE_BYTES = 100_000
#: the most pieces of evidence a warning's detail quotes (the warning keeps them all)
DETAIL_EVIDENCE = 3
_KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")
_CODE = re.compile(r"[1-9][0-9]{0,2}\.[1-9][0-9]{0,2}\.[1-9][0-9]{0,2}")


class WarningLevel(StrEnum):
    """The office's warning levels, most serious first."""

    RED = "RED"
    YELLOW = "YELLOW"
    BLUE = "BLUE"


_ORDER = {level: position for position, level in enumerate(WarningLevel)}


@dataclass(frozen=True, slots=True)
class OccurrenceRule:
    """Deductions of the occurrence `occurrence`; with `at_least`, a department's when it has that many."""

    key: str
    level: WarningLevel
    name: str
    occurrence: str
    at_least: int | None = None


@dataclass(frozen=True, slots=True)
class MeasureRule:
    """The measure of the indicator `indicator` at or under `at_most` (written with `unit`)."""

    key: str
    level: WarningLevel
    name: str
    indicator: str
    at_most: float
    unit: str = ""


@dataclass(frozen=True, slots=True)
class WorkloadRule:
    """Cases per person under `share` of the median of the government's departments with cases."""

    key: str
    level: WarningLevel
    name: str
    share: float


@dataclass(frozen=True, slots=True)
class AccountabilityRule:
    """A department whose people were held to account at least `at_least` times."""

    key: str
    level: WarningLevel
    name: str
    at_least: int


WarningRule = OccurrenceRule | MeasureRule | WorkloadRule | AccountabilityRule
#: what a rule matches, as the file names it, and the fields each takes besides key, level and name
MATCHES: dict[str, frozenset[str]] = {
    "occurrence": frozenset({"occurrence", "at_least"}),
    "measure": frozenset({"indicator", "at_most", "unit"}),
    "workload": frozenset({"share"}),
    "accountability": frozenset({"at_least"}),
}


@dataclass(frozen=True, slots=True)
class EarlyWarning:
    """A warning (the spec's `Warning`): a finding with an id, reviewed in the ledger."""

    id: str
    level: WarningLevel
    rule: str
    """The name of its rule, in Chinese."""
    rule_key: str
    department: str | None
    """The department it is about (of a finding shared by several, the first of `departments`)."""
    finding: str | None
    """The id of the finding it is about, if it is about one."""
    detail: str
    """What happened, in Chinese."""
    departments: tuple[str, ...] = ()
    """Every department it is about, sorted."""
    evidence: tuple[str, ...] = ()
    """The evidence of what it gathers, in Chinese."""


def warnings(
    results_by_department: Mapping[str, Mapping[str, IndicatorResult]],
    rules: Iterable[WarningRule],
    *,
    cases_per_person: Mapping[str, float] | None = None,
    accountability: Mapping[str, Sequence[str]] | None = None,
) -> list[EarlyWarning]:
    """The warnings `rules` raise over one government's departments: `results_by_department`,
    department -> code -> its computed result; `cases_per_person`, department -> its cases in the
    period per person on its quotas (for a `WorkloadRule`; None: no such warning); `accountability`,
    department -> the ids of the accountability records of its people in the period (for an
    `AccountabilityRule`, see `accountability_records`; None: none). Red first, then yellow and blue;
    within a level by department, then id."""
    found: list[EarlyWarning] = []
    for rule in rules:
        if isinstance(rule, OccurrenceRule):
            found.extend(_occurrences(rule, results_by_department))
        elif isinstance(rule, MeasureRule):
            found.extend(_measures(rule, results_by_department))
        elif isinstance(rule, WorkloadRule):
            found.extend(_workload(rule, cases_per_person or {}))
        else:
            found.extend(_accountability(rule, accountability or {}))
    return sorted(found, key=lambda w: (_ORDER[w.level], w.department or "", w.id))


def accountability_records(reader: GraphReader, start: date, end: date) -> dict[str, list[str]]:
    """Department -> the ids of the accountability records decided from `start` to `end` (both
    included) of people who worked in it on the decision date (`graph.analyses.trace`), sorted."""
    departments = record_departments(reader)
    found: dict[str, list[str]] = {}
    for record in reader.nodes(NodeKind.ACCOUNTABILITY_RECORD):
        department = departments.get(record.id)
        decided = record.get("date")
        if department is not None and isinstance(decided, date) and start <= decided <= end:
            found.setdefault(department, []).append(record.id)
    return {department: sorted(ids) for department, ids in found.items()}


# -- the rules ------------------------------------------------------------------------------------


def _deductions(key: str, results: Mapping[str, IndicatorResult]) -> dict[str | None, list[Deduction]]:
    """A department's deductions of the occurrence `key`, by the finding they are (None: no finding)."""
    by_finding: dict[str | None, list[Deduction]] = {}
    for result in results.values():
        for deduction in result.deductions:
            if deduction.key == key:
                by_finding.setdefault(deduction.finding, []).append(deduction)
    return by_finding


def _occurrences(
    rule: OccurrenceRule, results_by_department: Mapping[str, Mapping[str, IndicatorResult]]
) -> list[EarlyWarning]:
    shared: dict[str, tuple[list[str], list[str]]] = {}  # finding -> (departments, evidence)
    found: list[EarlyWarning] = []
    for department in sorted(results_by_department):
        by_finding = _deductions(rule.occurrence, results_by_department[department])
        if rule.at_least is not None:
            count = sum(len(ds) if finding is None else 1 for finding, ds in by_finding.items())
            if count >= rule.at_least:
                evidence = _evidence(d for ds in by_finding.values() for d in ds)
                detail = f"{rule.name}：{count} 起（达 {rule.at_least} 起即预警）"
                found.append(
                    _department_warning(rule.key, rule.level, rule.name, department, detail, evidence)
                )
            continue
        for finding, deductions in by_finding.items():
            if finding is None:
                evidence = _evidence(deductions)
                detail = f"{rule.name}：{len(deductions)} 起"
                found.append(
                    _department_warning(rule.key, rule.level, rule.name, department, detail, evidence)
                )
            else:
                departments, evidence_of = shared.setdefault(finding, ([], []))
                departments.append(department)
                evidence_of.extend(d.evidence for d in deductions)
    for finding, (departments, evidence_of) in shared.items():
        evidence = tuple(dict.fromkeys(evidence_of))
        found.append(
            EarlyWarning(
                id=finding_id(FindingKind.WARNING, rule.key, finding),
                level=rule.level,
                rule=rule.name,
                rule_key=rule.key,
                department=departments[0],
                finding=finding,
                detail=_detail(rule.name, evidence),
                departments=tuple(departments),
                evidence=evidence,
            )
        )
    return found


def _measures(
    rule: MeasureRule, results_by_department: Mapping[str, Mapping[str, IndicatorResult]]
) -> list[EarlyWarning]:
    found = []
    for department, results in sorted(results_by_department.items()):
        result = results.get(rule.indicator)
        if result is None or not result.computed or result.measure is None or result.measure > rule.at_most:
            continue
        detail = (
            f"{rule.name}：指标 {rule.indicator} 的测量值 {result.measure:g}{rule.unit}，"
            f"不高于 {rule.at_most:g}{rule.unit}"
        )
        found.append(
            _department_warning(rule.key, rule.level, rule.name, department, detail, result.evidence)
        )
    return found


def _workload(rule: WorkloadRule, cases_per_person: Mapping[str, float]) -> list[EarlyWarning]:
    with_cases = {department: value for department, value in cases_per_person.items() if value > 0}
    if not with_cases:
        return []
    median = statistics.median(with_cases.values())
    bound = rule.share * median
    found = []
    for department, value in sorted(with_cases.items()):
        if value < bound:
            detail = (
                f"{rule.name}：人均办件 {value:.1f} 件，低于本级政府有办件部门的中位数 {median:.1f} 件的 "
                f"{rule.share:.0%}（{bound:.1f} 件）"
            )
            found.append(_department_warning(rule.key, rule.level, rule.name, department, detail, ()))
    return found


def _accountability(
    rule: AccountabilityRule, accountability: Mapping[str, Sequence[str]]
) -> list[EarlyWarning]:
    found = []
    for department, records in sorted(accountability.items()):
        if len(records) >= rule.at_least:
            detail = f"{rule.name}：问责 {len(records)} 起（达 {rule.at_least} 起即预警）"
            evidence = tuple(f"问责记录 {record}" for record in records)
            found.append(_department_warning(rule.key, rule.level, rule.name, department, detail, evidence))
    return found


def _department_warning(
    key: str, level: WarningLevel, name: str, department: str, detail: str, evidence: Sequence[str]
) -> EarlyWarning:
    """A warning about a department as a whole (no one finding)."""
    shown = "；".join(evidence[:DETAIL_EVIDENCE])
    return EarlyWarning(
        id=finding_id(FindingKind.WARNING, key, department),
        level=level,
        rule=name,
        rule_key=key,
        department=department,
        finding=None,
        detail=f"{detail}。{shown}" if shown else detail,
        departments=(department,),
        evidence=tuple(evidence),
    )


def _evidence(deductions: Iterable[Deduction]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(deduction.evidence for deduction in deductions))


def _detail(name: str, evidence: Sequence[str]) -> str:
    shown = "；".join(evidence[:DETAIL_EVIDENCE])
    return f"{name}：{shown}" if shown else name


# -- the file -------------------------------------------------------------------------------------


@cache
def default_warning_rules() -> tuple[WarningRule, ...]:
    """The rules shipped with quanze (`WARNING_RULES`)."""
    return load_warning_rules(WARNING_RULES)


def load_warning_rules(path: Path) -> tuple[WarningRule, ...]:
    """The rules in the file `path`; raises `InvalidData` naming the file (and the rule and field)
    for every problem: a file that cannot be read, is larger than `MAX_FILE_BYTES`, is not UTF-8 or
    TOML, or holds a rule `parse_warning_rules` refuses."""
    try:
        size = path.stat().st_size
        data = path.read_bytes() if size <= MAX_FILE_BYTES else b""
    except OSError as error:
        _refuse(path, f"the file cannot be read ({error.strerror or error})")
    if size > MAX_FILE_BYTES:
        _refuse(path, f"the file is larger than {MAX_FILE_BYTES} bytes ({size})")
    try:
        return parse_warning_rules(data.decode("utf-8"), str(path))
    except UnicodeDecodeError as error:
        _refuse(path, f"the file is not UTF-8 text ({error.reason} at byte {error.start})")


def parse_warning_rules(text: str, file: str) -> tuple[WarningRule, ...]:
    """The rules the TOML `text` (of the file `file`, named in the problems) states: 1 to `MAX_RULES`
    `[[rule]]` tables, each with a key (`a-z`, `0-9`, `_`; no two alike), a level, a name and what it
    matches (`MATCHES`), with the fields of that match and no other. Raises `InvalidData` with every
    problem found."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        _refuse(Path(file), f"the file is not TOML ({error})")
    problems = Problems(file)
    fields = Fields(data, "the rules", problems)
    rules: list[WarningRule] = []
    keys: set[str] = set()
    for position, entry in enumerate(fields.tables("rule", required=True, most=MAX_RULES), 1):
        rule = _rule(entry, position, keys)
        if rule is not None:
            rules.append(rule)
            keys.add(rule.key)
    fields.finish()
    if problems.found:
        raise InvalidData(f"{file}: not a valid set of warning rules", problems.found)
    return tuple(rules)


def _rule(entry: Fields, position: int, keys: set[str]) -> WarningRule | None:
    """One `[[rule]]` table; `keys`: the keys of the rules before it."""
    entry.where, entry.prefix = f"rule #{position} (no key)", ""
    key = entry.text("key", required=True, max_chars=40)
    if key:
        entry.where = f"rule {key}"
    if key is not None and not _KEY.fullmatch(key):
        entry.problem("key", "not a key (a lower-case letter, then letters, digits or _)", key)
        key = None
    elif key is not None and key in keys:
        entry.problem("key", "a second rule with this key", key)
        key = None
    level_text = entry.text("level", required=True, max_chars=10)
    level = WarningLevel.__members__.get(level_text or "")
    if level_text is not None and level is None:
        entry.problem("level", f"not a level ({', '.join(WarningLevel)})", level_text)
    name = entry.text("name", required=True, max_chars=100)
    match = entry.text("match", required=True, max_chars=20)
    if match is not None and match not in MATCHES:
        entry.problem("match", f"not something a rule matches ({', '.join(MATCHES)})", match)
        match = None
    if match is not None:
        for field in sorted(set().union(*MATCHES.values()) - MATCHES[match]):
            if entry.has(field):
                entry.problem(field, f"not a field of a rule matching {match}")
    rule = _matching(entry, match, key or "", level or WarningLevel.RED, name or "")
    entry.finish()
    return rule if key is not None and level is not None and name is not None else None


def _matching(
    entry: Fields, match: str | None, key: str, level: WarningLevel, name: str
) -> WarningRule | None:
    """The rule of the match `match`, read from its fields; None when one is wrong."""
    if match == "occurrence":
        occurrence = entry.text("occurrence", required=True, max_chars=40)
        if occurrence is not None and occurrence not in OCCURRENCES:
            entry.problem(
                "occurrence", "not an occurrence the graph counts (graph.evaluation.rules)", occurrence
            )
            return None
        at_least = entry.integer("at_least", low=1, high=10_000)
        if occurrence is None or (entry.has("at_least") and at_least is None):
            return None
        return OccurrenceRule(key, level, name, occurrence, at_least)
    if match == "measure":
        indicator = entry.text("indicator", required=True, max_chars=20)
        if indicator is not None and not _CODE.fullmatch(indicator):
            entry.problem("indicator", "not the code of a third-level indicator (4.1.1)", indicator)
            return None
        at_most = entry.number("at_most", low=-1e9, high=1e9, required=True)
        unit = entry.text("unit", max_chars=10) or ""
        return (
            None
            if indicator is None or at_most is None
            else MeasureRule(key, level, name, indicator, at_most, unit)
        )
    if match == "workload":
        share = entry.number("share", low=0, high=1, low_included=False, required=True)
        return None if share is None else WorkloadRule(key, level, name, share)
    if match == "accountability":
        if not entry.has("at_least"):
            entry.problem("at_least", "missing")
            return None
        at_least = entry.integer("at_least", low=1, high=10_000)
        return None if at_least is None else AccountabilityRule(key, level, name, at_least)
    return None


def _refuse(path: Path, reason: str) -> NoReturn:
    raise InvalidData(f"{path}: {reason}", [Problem("", None, None, None, reason, str(path))])
