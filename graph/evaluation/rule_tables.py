"""A scoring rule as a file writes it (the `rule` table of a third-level indicator), both ways.

`read_rule` checks a `rule` table and makes the `Rule` it states, recording a problem for each
thing wrong (an unknown kind, an unknown occurrence key, a band that overlaps another or leaves a gap
…); `rule_table` is the table that states a `Rule`, for writing a file. The tables:

    { kind = "deduct", cap = 100, occurrences = [{ what = "…", points = 50, key = "ghost_payroll" }] }
    { kind = "bands", measure = "quota_usage_rate", unit = "%", bands = [{ above = 85, up_to = 95, score = 75 }, …] }
    { kind = "grades", grades = [{ name = "认可度非常高", score = 100 }, …] }
    { kind = "bonus", what = "…", points = 25, cap = 100 }
    { kind = "manual" }

each with an optional `note` (why the rule reads the text as it does). A band's ends are `above`
(＜) or `from` (≦) and `below` (＜) or `up_to` (≦); an end not given is open.

    >>> rule = BandsRule((Band(None, False, 60, True, 0.0), Band(60, False, None, False, 100.0)))
    >>> rule_table(rule)["bands"]
    [{'up_to': 60, 'score': 0}, {'above': 60, 'score': 100}]
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from graph.evaluation.fields import Fields
from graph.evaluation.rules import (
    FULL_MARKS,
    MEASURES,
    OCCURRENCES,
    RULE_KINDS,
    THRESHOLD_OCCURRENCES,
    Band,
    BandsRule,
    BonusRule,
    DeductRule,
    GradedRule,
    ManualRule,
    Occurrence,
    Rule,
    RuleGrade,
)

__all__ = ["read_rule", "rule_table"]

#: the most times an occurrence's threshold may name (runs of an item in the period)
MAX_THRESHOLD = 100_000


def read_rule(fields: Fields) -> Rule | None:
    """The rule the table `fields` states, or None when it has a problem (each one recorded)."""
    kind = fields.text("kind", required=True)
    note = fields.text("note") or ""
    rule: Rule | None = None
    if kind is None:
        pass
    elif kind not in RULE_KINDS:
        fields.problem("kind", f"an unknown kind of rule (the kinds: {', '.join(RULE_KINDS)})", kind)
    elif kind == "deduct":
        rule = _deduct(fields, note)
    elif kind == "bands":
        rule = _bands(fields, note)
    elif kind == "grades":
        rule = _graded(fields, note)
    elif kind == "bonus":
        rule = _bonus(fields, note)
    else:
        rule = ManualRule(note)
    fields.finish()
    return rule


def rule_table(rule: Rule) -> dict[str, Any]:
    """The table that states `rule`, as `read_rule` reads it."""
    table: dict[str, Any] = {"kind": rule.kind}
    if isinstance(rule, DeductRule):
        table["cap"] = _plain(rule.cap)
        table["occurrences"] = [_occurrence_table(occurrence) for occurrence in rule.occurrences]
    elif isinstance(rule, BandsRule):
        if rule.measure:
            table["measure"] = rule.measure
        table["unit"] = rule.unit
        table["bands"] = [_band_table(band) for band in rule.bands]
    elif isinstance(rule, GradedRule):
        table["grades"] = [{"name": grade.name, "score": _plain(grade.score)} for grade in rule.grades]
    elif isinstance(rule, BonusRule):
        table.update(what=rule.what, points=_plain(rule.points), cap=_plain(rule.cap))
    if rule.note:
        table["note"] = rule.note
    return table


def _deduct(fields: Fields, note: str) -> DeductRule | None:
    cap = fields.number("cap", low=0, high=FULL_MARKS, low_included=False)
    occurrences = [_occurrence(entry) for entry in fields.tables("occurrences", required=True)]
    keys = [occurrence.key for occurrence in occurrences if occurrence and occurrence.key]
    for key in sorted({key for key in keys if keys.count(key) > 1}):
        fields.problem("occurrences", "names the same occurrence twice", key)
    if not occurrences or None in occurrences or len(set(keys)) < len(keys):
        return None
    found = tuple(occurrence for occurrence in occurrences if occurrence is not None)
    return DeductRule(found, FULL_MARKS if cap is None else cap, note)


def _occurrence(fields: Fields) -> Occurrence | None:
    what = fields.text("what", required=True)
    points = fields.number("points", low=0, high=FULL_MARKS, low_included=False, required=True)
    key = fields.text("key")
    known = key is None or key in OCCURRENCES
    if not known:
        fields.problem("key", f"an unknown occurrence (the known: {', '.join(OCCURRENCES)})", key)
    at_most = fields.integer("at_most", low=0, high=MAX_THRESHOLD)
    if key in THRESHOLD_OCCURRENCES and not fields.has("at_most"):
        fields.problem("at_most", f"missing (an occurrence {key} counts a thing at most this many times)")
        known = False
    elif key not in THRESHOLD_OCCURRENCES and fields.has("at_most"):
        fields.problem("at_most", "only an occurrence that counts times takes a threshold", key)
        known = False
    fields.finish()
    if what is None or points is None or not known or (fields.has("at_most") and at_most is None):
        return None
    return Occurrence(what, points, key, at_most)


def _bands(fields: Fields, note: str) -> BandsRule | None:
    measure = fields.text("measure")
    if measure is not None and measure not in MEASURES:
        fields.problem("measure", f"an unknown measure (the known: {', '.join(MEASURES)})", measure)
    unit = fields.text("unit", max_chars=10) or "%"
    bands = [_band(entry) for entry in fields.tables("bands", required=True)]
    if not bands or None in bands:
        return None
    found = tuple(band for band in bands if band is not None)
    if not _bands_fit(fields, found) or (measure is not None and measure not in MEASURES):
        return None
    return BandsRule(found, measure, unit, note)


def _band(fields: Fields) -> Band | None:
    ends = {name: fields.number(name, low=-1e9, high=1e9) for name in ("above", "from", "below", "up_to")}
    score = fields.number("score", low=0, high=FULL_MARKS, required=True)
    fields.finish()
    if fields.has("above") and fields.has("from"):
        fields.problem("from", "a band has one lower end: `above` (＜) or `from` (≦), not both")
        return None
    if fields.has("below") and fields.has("up_to"):
        fields.problem("up_to", "a band has one upper end: `below` (＜) or `up_to` (≦), not both")
        return None
    if score is None or any(fields.has(name) and value is None for name, value in ends.items()):
        return None
    lower = ends["above"] if fields.has("above") else ends["from"]
    upper = ends["below"] if fields.has("below") else ends["up_to"]
    band = Band(lower, fields.has("from"), upper, fields.has("up_to"), score)
    if lower is not None and upper is not None and lower >= upper:
        fields.problem("score", f"the band {band} is empty (its lower end is not below its upper end)")
        return None
    return band


def _bands_fit(fields: Fields, bands: tuple[Band, ...]) -> bool:
    """Whether the bands, taken from the lowest, each begin where the one below ends: none overlaps
    another, and no value between the lowest and the highest falls in none."""
    ordered = sorted(bands, key=lambda band: (band.lower is not None, band.lower or 0.0, band.lower_included))
    fits = True
    for below, above in pairwise(ordered):
        if below.upper is None or above.lower is None or below.upper > above.lower:
            fields.problem("bands", f"the band {above} overlaps the band {below}")
            fits = False
        elif below.upper < above.lower or not (below.upper_included or above.lower_included):
            fields.problem("bands", f"a gap between the band {below} and the band {above}")
            fits = False
        elif below.upper_included and above.lower_included:
            fields.problem("bands", f"the band {above} overlaps the band {below} at {above.lower:g}")
            fits = False
    return fits


def _graded(fields: Fields, note: str) -> GradedRule | None:
    grades: list[RuleGrade | None] = []
    for entry in fields.tables("grades", required=True):
        name = entry.text("name", required=True, max_chars=200)
        score = entry.number("score", low=0, high=FULL_MARKS, required=True)
        entry.finish()
        grades.append(RuleGrade(name, score) if name is not None and score is not None else None)
    names = [grade.name for grade in grades if grade]
    for name in sorted({name for name in names if names.count(name) > 1}):
        fields.problem("grades", "names the same grade twice", name)
    if not grades or None in grades or len(set(names)) < len(names):
        return None
    return GradedRule(tuple(grade for grade in grades if grade), note)


def _bonus(fields: Fields, note: str) -> BonusRule | None:
    what = fields.text("what", required=True)
    points = fields.number("points", low=0, high=FULL_MARKS, low_included=False, required=True)
    cap = fields.number("cap", low=0, high=FULL_MARKS, low_included=False, required=True)
    if what is None or points is None or cap is None:
        return None
    return BonusRule(what, points, cap, note)


def _occurrence_table(occurrence: Occurrence) -> dict[str, Any]:
    table: dict[str, Any] = {"what": occurrence.what, "points": _plain(occurrence.points)}
    if occurrence.key:
        table["key"] = occurrence.key
    if occurrence.at_most is not None:
        table["at_most"] = occurrence.at_most
    return table


def _band_table(band: Band) -> dict[str, Any]:
    table: dict[str, Any] = {}
    if band.lower is not None:
        table["from" if band.lower_included else "above"] = _plain(band.lower)
    if band.upper is not None:
        table["up_to" if band.upper_included else "below"] = _plain(band.upper)
    table["score"] = _plain(band.score)
    return table


def _plain(number: float) -> float | int:
    """A whole number as an int, so that a file says `25`, not `25.0`."""
    return int(number) if float(number).is_integer() else number
