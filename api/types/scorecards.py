"""The GraphQL types of the evaluation: scorecards, their indicators, manual scores and warnings
(shared/spec/graphql.md, "Added"; shared/spec/evaluation.md), and the mutation that records a score.

The graph's part of every card (the computed indicators) and the warnings come from the analysis cache
(`api.cache`: `api.evaluation.evaluate`, once per store version and date); the manual scores are read
from the ledger at each request, so a score just written changes the next card's total and rank
without the graph being computed again. A card is ranked among the departments of its government.

Roles: the cards and warnings hold staffing figures, so they are for the staffing role and above
(`Grant.STAFFING`: staffing, investigator, admin; the public gets `FORBIDDEN`); scores are given by
the staffing role and admin (`SCORERS`: an investigator traces, it does not evaluate). A score's
scorer is the name configured for the caller's token (its role's name for a token without one), and
is not for the public (`Grant.REVIEWS`). An indicator has no review of its own (its findings have
theirs, by id in `findings`); its manual scores are its `history`. A warning is a finding
(`warning:…` ids), reviewed with `reviewFinding` like the others.

    { scorecards { rank total grade complete department { name } } }
    mutation { scoreIndicator(department: "巴中市财政局", code: "1.1.1", score: 90, note: "…") { score } }
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Annotated, TypeVar

import strawberry
from graphql import GraphQLError

from api.cache import Analyses
from api.context import Context, Info
from api.evaluation import Evaluated, cards, findings_of
from api.roles import Grant, Role, requires
from api.types.entities import Department
from api.types.paging import MAX_PAGE_SIZE
from api.types.properties import described_enum
from api.types.reviews import Review, review_of
from graph import evaluation, queries
from graph.evaluation import InvalidScore, ManualScore, Template, UnknownIndicator, WarningLevel
from graph.evaluation.scorecard import check_score
from graph.ledger import LedgerError, ReviewStatus
from graph.ledger.rules import now
from graph.model import Node
from ontology import NodeKind

__all__ = [
    "SCORERS",
    "IndicatorScore",
    "ManualScoreEntry",
    "ScoreMutation",
    "Scorecard",
    "Warning",
    "scorecard_of",
    "scorecards_of",
    "warnings_of",
]

#: the roles that may give a manual score
SCORERS = frozenset({Role.STAFFING, Role.ADMIN})
#: the cards or warnings in a page, when the query does not say (`first`)
PAGE = 100
T = TypeVar("T")

described_enum(
    WarningLevel,
    "WarningLevel",
    "The office's warning levels: RED (合规: over quota, ghost payroll …), YELLOW (履职: cases "
    "overdue again and again, split approvals …), BLUE (效益: quota left idle, little work, overlaps).",
    {
        "RED": "红色预警, 合规: the most serious (over quota, ghost payroll …).",
        "YELLOW": "黄色预警, 履职: duties not done as they should be (cases overdue again and again …).",
        "BLUE": "蓝色预警, 效益: resources used poorly (quota left idle, little work, overlaps).",
    },
)


@strawberry.type(description="A score a person gave an indicator, as the ledger keeps it.")
class ManualScoreEntry:
    manual: strawberry.Private[ManualScore]

    @strawberry.field(description="Out of 100 (an own indicator's: out of its most).")
    def score(self) -> float:
        return self.manual.score

    @strawberry.field(description="Why: needed to override a score the graph computed.")
    def note(self) -> str | None:
        return self.manual.note

    @strawberry.field(
        permission_classes=requires(Grant.REVIEWS),
        description="The name configured for the scorer's token (its role for a token without one).",
    )
    def scorer(self) -> str:
        return self.manual.scorer

    @strawberry.field(description="When it was given.")
    def at(self) -> datetime:
        return self.manual.at

    @strawberry.field(description="The evaluation date it was given for; null: for every date.")
    def period_end(self) -> date | None:
        return self.manual.period_end


@strawberry.type(
    description="A third-level indicator on a department's card: its score and what it rests on."
)
class IndicatorScore:
    indicator: strawberry.Private[evaluation.IndicatorScore]
    department: strawberry.Private[str]
    on: strawberry.Private[date]

    @strawberry.field(description="Its code in the template, e.g. 1.1.1.")
    def code(self) -> str:
        return self.indicator.code

    @strawberry.field(description="Its name, as the template writes it.")
    def name(self) -> str:
        return self.indicator.name

    @strawberry.field(description="The name of its first-level indicator.")
    def level1(self) -> str:
        return self.indicator.level1

    @strawberry.field(description="The name of its second-level indicator.")
    def level2(self) -> str:
        return self.indicator.level2

    @strawberry.field(description="Its share of the total, as a fraction (0.05: 5 of the 100 points).")
    def weight(self) -> float:
        return self.indicator.weight

    @strawberry.field(description="Out of 100; null when neither the graph nor a person scored it.")
    def score(self) -> float | None:
        return self.indicator.score

    @strawberry.field(description="What it adds to the total: its score times its weight.")
    def points(self) -> float:
        return self.indicator.points

    @strawberry.field(description="Whether the score is the graph's (no manual score replaced it).")
    def computed(self) -> bool:
        return self.indicator.computed

    @strawberry.field(description="The graph's score, kept when a manual score replaced it.")
    def computed_score(self) -> float | None:
        return self.indicator.computed_score

    @strawberry.field(description="A manual score overrides a score the graph computed in full (已修正).")
    def overridden(self) -> bool:
        return self.indicator.overridden

    @strawberry.field(description="The scoring rule as the template writes it (评估方式及标准).")
    def rule(self) -> str:
        return self.indicator.rule

    @strawberry.field(
        description="What the score rests on, in Chinese: each deduction's evidence with its rows, why "
        "it was not computed, the manual score with its note."
    )
    def evidence(self) -> list[str]:
        return list(self.indicator.evidence)

    @strawberry.field(description="The ids of the findings its deductions are (their reviews are theirs).")
    def findings(self) -> list[strawberry.ID]:
        return [strawberry.ID(finding) for finding in self.indicator.findings]

    @strawberry.field(
        description="The review of its finding when its deductions are one finding; null when they are "
        "several or none, or it was never reviewed.",
        deprecation_reason="An indicator is not a finding: read each of `findings` and its review, and "
        "the manual scores in `history`.",
    )
    def review(self, info: Info) -> Review | None:
        found = self.indicator.findings
        return review_of(info.context, found[0]) if len(found) == 1 else None

    @strawberry.field(
        description="Every manual score given to it for the card's date or for every date, oldest first."
    )
    def history(self, info: Info) -> list[ManualScoreEntry]:
        given = info.context.reviews.score_history(self.department, self.indicator.code)
        return [ManualScoreEntry(manual=m) for m in given if m.period_end in (None, self.on)]


@strawberry.type(description="A department's scorecard on a date, ranked among its government's departments.")
class Scorecard:
    card: strawberry.Private[evaluation.Scorecard]

    @strawberry.field(description="The department scored.")
    def department(self, info: Info) -> Department:
        node = info.context.loaders.node(self.card.department)
        assert node is not None  # a card is made only for a department of the store
        return Department.of(node)

    @strawberry.field(description="The template that scores it (政府部门, 党委部门, 直属事业单位).")
    def template(self) -> str:
        return self.card.template

    @strawberry.field(description="The evaluation date: the staffing and the findings are those of this day.")
    def at(self) -> date:
        return self.card.at

    @strawberry.field(description="By the official formula: Σ score × weight, plus the own indicators'.")
    def total(self) -> float:
        return self.card.total

    @strawberry.field(
        description="The most the total can be: the template's indicators' and the own ones' most."
    )
    def max_total(self) -> float:
        return self.card.max_total

    @strawberry.field(
        description="优秀 ≥ 90, 良好 80–89.99, 合格 60–79.99, 不合格 < 60 (as the template says)."
    )
    def grade(self) -> str:
        return self.card.grade

    @strawberry.field(description="Every indicator has a score (an unscored one counts 0 in the total).")
    def complete(self) -> bool:
        return self.card.complete

    @strawberry.field(description="Its place among its government's departments, best first (1, 1, 3).")
    def rank(self) -> int | None:
        return self.card.rank

    @strawberry.field(description="Its third-level indicators, in the template's order.")
    def indicators(self) -> list[IndicatorScore]:
        return [
            IndicatorScore(indicator=i, department=self.card.department, on=self.card.at)
            for i in self.card.indicators
        ]

    @strawberry.field(description="The codes of the indicators without a score.")
    def unscored(self) -> list[str]:
        return list(self.card.unscored)

    @strawberry.field(
        description="The score of the department's own indicators (个性指标); null: none given."
    )
    def own_score(self) -> float | None:
        return self.card.own_score


@strawberry.type(
    description="A warning (预警): a finding sorted into a level by a rule, reviewed in the ledger."
)
class Warning:
    warning: strawberry.Private[evaluation.EarlyWarning]

    @strawberry.field(description="Stable: its rule and the finding or department it is about.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.warning.id)

    @strawberry.field(description="RED, YELLOW or BLUE, by its rule.")
    def level(self) -> WarningLevel:
        return self.warning.level

    @strawberry.field(description="The name of the rule that raised it, in Chinese.")
    def rule(self) -> str:
        return self.warning.rule

    @strawberry.field(description="The department it is about (the first, of a finding shared by several).")
    def department(self, info: Info) -> Department | None:
        found = self.departments(info)
        return found[0] if found else None

    @strawberry.field(description="Every department it is about.")
    def departments(self, info: Info) -> list[Department]:
        ids = list(self.warning.departments or filter(None, [self.warning.department]))
        return [Department.of(node) for node in info.context.loaders.nodes(ids)]

    @strawberry.field(description="The id of the finding it is about, if it is about one.")
    def finding(self) -> strawberry.ID | None:
        return strawberry.ID(self.warning.finding) if self.warning.finding else None

    @strawberry.field(description="What happened, in Chinese.")
    def detail(self) -> str:
        return self.warning.detail

    @strawberry.field(description="The evidence of what it gathers, in Chinese.")
    def evidence(self) -> list[str]:
        return list(self.warning.evidence)

    @strawberry.field(description="The current review; null when never reviewed (the status is OPEN).")
    def review(self, info: Info) -> Review | None:
        return review_of(info.context, self.warning.id)

    @strawberry.field(description="The current review's status; OPEN when never reviewed.")
    def review_status(self, info: Info) -> ReviewStatus:
        return info.context.reviews.status(self.warning.id)


@strawberry.type
class ScoreMutation:
    @strawberry.mutation(
        description="Record a person's score (0 to 100; the own indicators' to their most) of a third-level "
        "indicator of a department (by name or id), for the evaluation date `at` (null: for every date). "
        "For the staffing role and admin; a score over one the graph computed in full needs a note. "
        "Answers the indicator as the department's card shows it now."
    )
    def score_indicator(
        self,
        info: Info,
        department: Annotated[
            str, strawberry.argument(description="The department: its name in either script, or its id.")
        ],
        code: Annotated[str, strawberry.argument(description="The indicator's code, e.g. 1.1.1.")],
        score: Annotated[
            float, strawberry.argument(description="0 to 100; an own indicator's, 0 to its most.")
        ],
        government: Annotated[
            str | None,
            strawberry.argument(description="The department's government, by name, when two share the name."),
        ] = None,
        note: Annotated[
            str | None,
            strawberry.argument(
                description="Why, in Chinese; needed over a score the graph computed in full."
            ),
        ] = None,
        at: Annotated[
            date | None,
            strawberry.argument(
                description="The evaluation date (ISO 8601) it is for; null: for every date."
            ),
        ] = None,
    ) -> IndicatorScore:
        context = info.context
        if context.role not in SCORERS:
            roles = ", ".join(sorted(role.value for role in SCORERS))
            raise _error(f"FORBIDDEN: manual scores are given by the roles {roles}", "FORBIDDEN")
        node = department_node(context, department, government)
        if node is None:
            raise _error(f"no department {department!r}", "NOT_FOUND")
        ledger = context.reviews.require()
        assert context.analyses is not None  # waited for, not deferred: a mutation must not run twice
        evaluated = Analyses(context.analyses, context.deadline).evaluation(at or context.today)
        template = evaluated.templates[node.id]
        given = ManualScore(
            department=node.id,
            code=code.strip(),
            score=score,
            scorer=context.reviewer or context.role.value,
            at=now(),
            note=note.strip() if note and note.strip() else None,
            period_end=at,
        )
        try:
            check_score(template, given, evaluated.results[node.id].get(given.code))
            ledger.record_score(given)
        except (InvalidScore, UnknownIndicator, LedgerError) as error:
            raise _error(str(error), "BAD_USER_INPUT") from None
        context.reviews.scored(given)
        card = _card(context, evaluated, node)
        return IndicatorScore(
            indicator=_indicator(template, card, given.code), department=node.id, on=card.at
        )


def department_node(context: Context, department: str, government: str | None = None) -> Node | None:
    """The department `department` names: its id (`department:…`), or its name in either script (of
    `government` when given); None when none, or several, are."""
    if department.startswith("department:"):
        node = context.loaders.node(department)
        return node if node is not None and node.kind is NodeKind.DEPARTMENT else None
    return queries.find_department(context.reader, department, government)


def unknown_department(context: Context, name: str) -> GraphQLError:
    """BAD_USER_INPUT for a department name that finds none, with the closest names (`suggestions`)."""
    close = queries.department_suggestions(context.reader, name)
    hint = f"; did you mean {'、'.join(close)}?" if close else ""
    return GraphQLError(
        f"no department named {name!r}{hint}", extensions={"code": "BAD_USER_INPUT", "suggestions": close}
    )


def scorecard_of(
    context: Context, department: str, government: str | None, at: date | None, template: str | None
) -> Scorecard | None:
    """The card of one department (null for a department the store does not hold); BAD_USER_INPUT for
    a `template` other than the one that scores it."""
    node = department_node(context, department, government)
    if node is None:
        return None
    evaluated = context.cache.evaluation(at or context.today)
    scoring = evaluated.templates[node.id].name
    if template is not None and template != scoring:
        raise _error(
            f"{node['name']} is scored with the template {scoring} (by its 机构类型), not {template}",
            "BAD_USER_INPUT",
        )
    return Scorecard(card=_card(context, evaluated, node))


def scorecards_of(
    context: Context, government: str | None, at: date | None, first: int, offset: int
) -> list[Scorecard]:
    """A page of the cards of every department (of one government when given), each ranked in its
    government: by government, then best first."""
    evaluated = context.cache.evaluation(at or context.today)
    name = None
    if government is not None:
        members = queries.list_departments(context.reader, government=government)
        if not members:
            return []
        name = evaluated.governments.get(members[0].id, "")
    found = cards(evaluated, context.reviews.scores(), name, _dismissed(context, evaluated, name))
    return [Scorecard(card=card) for card in _page(found, first, offset)]


def warnings_of(
    context: Context,
    levels: list[WarningLevel] | None,
    department: str | None,
    at: date | None,
    first: int,
    offset: int,
) -> list[Warning]:
    """A page of the warnings on the date (of `levels`, about `department`, when given): red first,
    then yellow and blue. BAD_USER_INPUT for a department the store does not hold."""
    wanted = None
    if department is not None:
        node = department_node(context, department)
        if node is None:
            raise unknown_department(context, department)
        wanted = node.id
    found = [
        warning
        for warning in context.cache.evaluation(at or context.today).warnings
        if (not levels or warning.level in levels) and (wanted is None or wanted in warning.departments)
    ]
    page = _page(found, first, offset)
    context.reviews.expect(warning.id for warning in page)
    context.loaders.expect(d for warning in page for d in warning.departments)
    return [Warning(warning=warning) for warning in page]


def _card(context: Context, evaluated: Evaluated, node: Node) -> evaluation.Scorecard:
    """The department's card, ranked among its government's (the manual scores read now)."""
    government = evaluated.governments[node.id]
    ranked = cards(
        evaluated, context.reviews.scores(), government, _dismissed(context, evaluated, government)
    )
    return next(card for card in ranked if card.department == node.id)


def _dismissed(context: Context, evaluated: Evaluated, government: str | None) -> set[str]:
    """The findings of the cards' deductions (of `government`'s departments, when given) the ledger
    holds DISMISSED, read in one go."""
    found = findings_of(evaluated, government)
    context.reviews.expect(found)
    return {finding for finding in found if context.reviews.status(finding) is ReviewStatus.DISMISSED}


def _indicator(template: Template, card: evaluation.Scorecard, code: str) -> evaluation.IndicatorScore:
    """The card's indicator `code`; for the own indicators (个性指标), one made of their manual score."""
    found = next((indicator for indicator in card.indicators if indicator.code == code), None)
    if found is not None:
        return found
    own = template.own
    assert own is not None and own.code == code and card.own_manual is not None  # as check_score passed
    return evaluation.IndicatorScore(
        code=own.code,
        name=own.name,
        level1=own.name,
        level2=own.name,
        weight=1.0,
        score=card.own_score,
        computed=False,
        rule=own.note or f"个性指标，最高 {own.max_score:g} 分",
        manual=card.own_manual,
    )


def _page(items: Sequence[T], first: int, offset: int) -> Sequence[T]:
    """`first` of `items` from `offset`; BAD_USER_INPUT for a page out of bounds."""
    if not 0 <= first <= MAX_PAGE_SIZE or offset < 0:
        raise _error(f"first must be between 0 and {MAX_PAGE_SIZE}, offset 0 or more", "BAD_USER_INPUT")
    return items[offset : offset + first]


def _error(message: str, code: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": code})
