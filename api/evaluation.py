"""The evaluation as the service and the command line serve it: the graph's part computed once per store
version and date, the people's scores put on it per request.

What the graph decides of every department's indicators (`graph.evaluation.compute.Evaluation`), with
the warnings those results and the records raise, is an `Evaluated`: the API computes it in its
analysis cache (`api.cache`, once per store version and date, in the background), the CLI once per
command. The manual scores are the ledger's, small and changing: `cards` reads them into scorecards
at each ask, so a score just written shows on the next read without computing the graph again.

Warnings need two measures `compute.py` does not give, worked out here from the same records:
cases per person (the cases of a department's items accepted in its evaluation period, over the
people on its quotas on the date) and the accountability records of each department's people in
that period. Occurrence and measure rules are judged over every department at once (a finding shared
by two departments is one warning); the workload rule over each government's departments, as the
median it compares with is that government's.

    evaluated = evaluate(store, date(2026, 11, 28))
    ranked = cards(evaluated, ledger.scores())        # every department's card, ranked in its government
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from graph.evaluation import (
    EarlyWarning,
    IndicatorResult,
    IndicatorSystem,
    InvalidScore,
    ManualScore,
    Scorecard,
    Template,
    UnknownIndicator,
    WarningLevel,
    WarningRule,
    accountability_records,
    default_warning_rules,
    rank_scorecards,
    scorecard,
    warnings,
)
from graph.evaluation.compute import Evaluation
from graph.evaluation.compute_records import Records
from graph.evaluation.scorecard import check_score
from graph.evaluation.warnings import WorkloadRule
from graph.store import GraphReader
from ontology import EdgeKind, NodeKind

__all__ = ["Evaluated", "cards", "evaluate", "findings_of"]

log = logging.getLogger("quanze.api")


@dataclass(frozen=True, slots=True)
class Evaluated:
    """The graph's part of the evaluation of every department on `at`."""

    at: date
    templates: Mapping[str, Template]
    """Department id -> the template that scores it."""
    results: Mapping[str, Mapping[str, IndicatorResult]]
    """Department id -> indicator code -> what the graph decided of it."""
    governments: Mapping[str, str]
    """Department id -> the name of its government ("" when the data names none)."""
    warnings: tuple[EarlyWarning, ...]
    """Red first, then yellow and blue (`graph.evaluation.warnings.warnings`)."""
    cases_per_person: Mapping[str, float]
    """Department id -> its cases in its period per person on its quotas (only those with people)."""

    @property
    def warning_departments(self) -> dict[str, tuple[str, ...]]:
        """Warning id -> the departments it is about (what a review of it is checked against)."""
        return {warning.id: warning.departments for warning in self.warnings}


def evaluate(
    reader: GraphReader,
    at: date,
    system: IndicatorSystem | None = None,
    rules: Iterable[WarningRule] | None = None,
    known: Mapping[str, Any] | None = None,
) -> Evaluated:
    """Every department's computed indicators on `at` by `system` (default: the shipped one), and the
    warnings `rules` (default: the shipped ones) raise over them. `known` gives the analyses' answers
    already computed for `reader`, by name (`gaps` on `at`, `overlaps`, `splits`: `Evaluation`'s)."""
    evaluation = Evaluation(reader, at, system, **(known or {}))
    departments = evaluation.links.nodes(NodeKind.DEPARTMENT)
    templates = {department: evaluation.template(department) for department in sorted(departments)}
    results = {department: evaluation.indicators(department) for department in templates}
    governments = {d: str(departments[d].get("government") or "") for d in templates}
    starts = {d: evaluation.period(template)[0] for d, template in templates.items()}
    per_person = _cases_per_person(evaluation, starts)
    chosen = tuple(default_warning_rules() if rules is None else rules)
    return Evaluated(
        at=at,
        templates=templates,
        results=results,
        governments=governments,
        warnings=tuple(_warnings(reader, at, chosen, results, governments, starts, per_person)),
        cases_per_person=per_person,
    )


def cards(
    evaluated: Evaluated,
    scores: Iterable[ManualScore],
    government: str | None = None,
    dismissed: Collection[str] = frozenset(),
) -> list[Scorecard]:
    """The scorecards of every department (of the government named `government`, when given), each
    ranked among its government's departments: by government, then best first. A manual score that no
    longer fits its indicator (the graph now computes in full what a person scored without a note)
    is left out, and logged, rather than failing every card. A deduction whose finding is `dismissed`
    (the ledger's DISMISSED findings: `findings_of`) takes no points off."""
    by_department: dict[str, list[ManualScore]] = {}
    for score in scores:
        by_department.setdefault(score.department, []).append(score)
    by_government: dict[str, list[Scorecard]] = {}
    for department, template in evaluated.templates.items():
        name = evaluated.governments[department]
        if government is not None and name != government:
            continue
        results = evaluated.results[department]
        fitting = [s for s in by_department.get(department, ()) if _fits(template, s, results)]
        card = scorecard(template, department, evaluated.at, results, fitting, dismissed)
        by_government.setdefault(name, []).append(card)
    return [card for name in sorted(by_government) for card in rank_scorecards(by_government[name])]


def findings_of(evaluated: Evaluated, government: str | None = None) -> set[str]:
    """The ids of the findings the deductions of every department (of `government`, when given) are:
    those whose reviews a card depends on."""
    return {
        finding
        for department, results in evaluated.results.items()
        if government is None or evaluated.governments[department] == government
        for result in results.values()
        for finding in result.findings
    }


def _fits(template: Template, score: ManualScore, results: Mapping[str, IndicatorResult]) -> bool:
    try:
        check_score(template, score, results.get(score.code))
    except (InvalidScore, UnknownIndicator) as error:
        log.warning("manual score of %s %s left out: %s", score.department, score.code, error)
        return False
    return True


def _cases_per_person(evaluation: Evaluation, starts: Mapping[str, date]) -> dict[str, float]:
    """Department -> the cases of its items accepted from its start to the date, per person on its
    quotas on the date; only departments with people on quotas (none at all without a case log). A
    case of an item several departments hold counts for each of them."""
    per_start: dict[date, Records] = {}
    found: dict[str, float] = {}
    for department, start in starts.items():
        records = per_start.get(start)
        if records is None:
            records = per_start[start] = Records(evaluation.links, evaluation.at, start)
        if not records.cases:
            return {}
        people = _people(records).get(department, 0)
        if people:
            items = evaluation.links.sources(department, EdgeKind.HELD_BY)
            found[department] = sum(len(records.cases_of_item.get(item, ())) for item in items) / people
    return found


def _people(records: Records) -> Counter[str]:
    """Department -> the people on its quotas on the date, of every quota type."""
    counted: Counter[str] = Counter()
    for (department, _), people in records.people_on_quota.items():
        counted[department] += people
    return counted


def _warnings(
    reader: GraphReader,
    at: date,
    rules: tuple[WarningRule, ...],
    results: Mapping[str, Mapping[str, IndicatorResult]],
    governments: Mapping[str, str],
    starts: Mapping[str, date],
    per_person: Mapping[str, float],
) -> list[EarlyWarning]:
    """The warnings of every department: the workload rules per government, the others over all."""
    accountability: dict[str, list[str]] = {}
    for start in sorted(set(starts.values())):
        for department, records in accountability_records(reader, start, at).items():
            if starts.get(department) == start:
                accountability[department] = records
    shared = [rule for rule in rules if not isinstance(rule, WorkloadRule)]
    workload = [rule for rule in rules if isinstance(rule, WorkloadRule)]
    found = warnings(results, shared, accountability=accountability)
    for name in sorted(set(governments.values())):
        members = {d: value for d, value in per_person.items() if governments[d] == name}
        found.extend(warnings({}, workload, cases_per_person=members))
    order = {level: position for position, level in enumerate(WarningLevel)}
    return sorted(found, key=lambda w: (order[w.level], w.department or "", w.id))
