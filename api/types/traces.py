"""The GraphQL types of responsibility traces and accountability counts (investigator role).

`CaseTrace`, `StageTrace`, `StageResponsibility` and `Finding` are the contract's
types; `AccountabilityCount` (with `entities.AccountabilityRecord`) adds what the
seed calls the statistical analysis of fault accountability. Each wraps a result
of `graph.analyses.trace` and resolves the nodes it names through the request's
loaders.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import strawberry

from api.context import Info
from api.roles import Grant
from api.types.entities import (
    AccountabilityRecord,
    Department,
    Person,
    Post,
    PowerItem,
    Unit,
    stage_role,
)
from api.types.laws import LawArticle, law_articles
from api.types.reviews import Review, review_of
from graph.analyses import trace
from graph.ledger import ReviewStatus
from graph.model import Node
from ontology import StageRole

__all__ = [
    "AccountabilityCount",
    "CaseTrace",
    "Finding",
    "FindingPerson",
    "StageChain",
    "StageResponsibility",
    "StageTrace",
]


@strawberry.type(description="A person a finding names, and the part they play in it.")
class FindingPerson:
    part: str = strawberry.field(
        description="经办人 (did the step), 在岗人员 (held the post then), 上一环节经办人 (finished the "
        "stage before a wait) or 等待期间在岗人员 (held the post while the case waited)."
    )
    person: Person = strawberry.field(description="The person (their name for a role that may see it).")


@strawberry.type(
    description="Something an investigator should look at, in one stage or the whole case: OVERDUE_STAGE "
    "(a stage over its limit), NOT_HOLDER (a step done by someone who did not hold the answerable post "
    "then, whether or not it was vacant), VACANT_POST (nobody held it), IDLE_BETWEEN_STAGES (more "
    "working days than the tolerance between the stage before's finish and this one's start), "
    "SKIPPED_STAGE, NO_SEPARATION (one person performed two of handle / review / approve) or "
    "CASE_OVERDUE (over the promised limit, else the statutory one)."
)
class Finding:
    finding: strawberry.Private[trace.Finding]

    @strawberry.field(description="Stable: the case, the step (or steps) and the kind.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.finding.id)

    @strawberry.field(description="OVERDUE_STAGE, NOT_HOLDER, … (the type's description lists them).")
    def kind(self) -> str:
        return self.finding.kind

    @strawberry.field(
        description="The stage's step (环节序号); null for a finding about the whole case (NO_SEPARATION, "
        "CASE_OVERDUE)."
    )
    def step(self) -> int | None:
        return self.finding.step

    @strawberry.field(
        description="In Chinese: people and posts by name and code (张三（P0011）) for a role that may see "
        "persons, by code only for any other."
    )
    def detail(self, info: Info) -> str:
        named = info.context.role.may(Grant.PERSONS)
        return self.finding.detail_with_names if named else self.finding.detail

    @strawberry.field(description="The people the finding names, each with their part in it.")
    def people(self, info: Info) -> list[FindingPerson]:
        nodes = info.context.loaders.nodes([person for _, person in self.finding.people])
        by_id = {node.id: node for node in nodes}
        return [
            FindingPerson(part=part, person=Person.of(by_id[person]))
            for part, person in self.finding.people
            if person in by_id
        ]

    @strawberry.field(description="The posts the finding is about (the stage's answerable post).")
    def posts(self, info: Info) -> list[Post]:
        return [Post.of(node) for node in info.context.loaders.nodes(list(self.finding.posts))]

    @strawberry.field(description="The current review; null when never reviewed (the status is OPEN).")
    def review(self, info: Info) -> Review | None:
        return review_of(info.context, self.finding.id)

    @strawberry.field(description="The current review's status; OPEN when never reviewed.")
    def review_status(self, info: Info) -> ReviewStatus:
        return info.context.reviews.status(self.finding.id)


@strawberry.interface(description="Who answered for one stage, as the posts were held on `on`.")
class StageChain:
    stage: strawberry.Private[trace.StageTrace]

    @strawberry.field(description="环节序号: 1 for the first stage.")
    def step(self) -> int:
        return self.stage.step

    @strawberry.field(description="环节名称 as the item's list writes it.")
    def name(self) -> str:
        return self.stage.name

    @strawberry.field(description="责任类型; null when the list gives none.")
    def role(self) -> StageRole | None:
        return stage_role(self.stage.role)

    @strawberry.field(description="The date the posts are taken as held on.")
    def on(self) -> date:
        return self.stage.on

    @strawberry.field(description="The post answerable for the stage.")
    def post(self, info: Info) -> Post | None:
        node = _node(info, self.stage.post)
        return Post.of(node) if node else None

    @strawberry.field(description="The unit carrying the stage; null when the list names none.")
    def unit(self, info: Info) -> Unit | None:
        node = _node(info, self.stage.unit)
        return Unit.of(node) if node else None

    @strawberry.field(description="The unit head (内设机构负责人) then.")
    def unit_head(self, info: Info) -> Person | None:
        return _person(info, self.stage.unit_head)

    @strawberry.field(description="The deputy in charge of the unit (分管领导) then.")
    def deputy_in_charge(self, info: Info) -> Person | None:
        return _person(info, self.stage.deputy_in_charge)

    @strawberry.field(description="The department head (行政首长) then.")
    def department_head(self, info: Info) -> Person | None:
        return _person(info, self.stage.department_head)

    @strawberry.field(
        description="The department carrying the stage (it may differ per stage in a split approval)."
    )
    def department(self, info: Info) -> Department:
        node = _node(info, self.stage.department)
        assert node is not None, "every stage has a department"
        return Department.of(node)


@strawberry.type(description="One stage of a case: who answered for it then, and how it went.")
class StageTrace(StageChain):
    @strawberry.field(description="Who did the step, from the case log.")
    def performer(self, info: Info) -> Person | None:
        return _person(info, self.stage.performer)

    @strawberry.field(description="Who held the answerable post on the day the step started.")
    def holder_then(self, info: Info) -> Person | None:
        return _person(info, self.stage.holder_then)

    @strawberry.field(
        description="The day the step started (开始时间), from the case log; null when not performed."
    )
    def started(self) -> date | None:
        return self.stage.started

    @strawberry.field(
        description="The day the step finished (完成时间); null while it goes on, or not performed."
    )
    def finished(self) -> date | None:
        return self.stage.finished

    @strawberry.field(description="The stage's limit in working days.")
    def limit_days(self) -> int | None:
        return self.stage.limit_days

    @strawberry.field(description="Working days taken: the day the step started does not count.")
    def working_days(self) -> int | None:
        return self.stage.working_days

    @strawberry.field(description="Took more working days than its limit: an OVERDUE_STAGE finding.")
    def overdue(self) -> bool:
        return self.stage.overdue

    @strawberry.field(
        description="The day the performed stage before this one finished: the wait before this stage "
        "began then; null for the first performed stage or one not started."
    )
    def waited_from(self) -> date | None:
        return self.stage.waited_from

    @strawberry.field(
        description="Working days from `waitedFrom` to this stage's start (the first day does not count); "
        "over the tolerance, an IDLE_BETWEEN_STAGES finding."
    )
    def waited_days(self) -> int | None:
        return self.stage.waited_days

    @strawberry.field(description="The item's legal basis.")
    def laws(self, info: Info) -> list[LawArticle]:
        return _laws(info, self.stage.laws)

    @strawberry.field(description="The item's accountability triggers (追责情形).")
    def triggers(self) -> str | None:
        return self.stage.triggers


@strawberry.type(description="One stage of an item on a date: who answers for it.")
class StageResponsibility(StageChain):
    @strawberry.field(description="Who held the answerable post on the date.")
    def holder(self, info: Info) -> Person | None:
        return _person(info, self.stage.holder_then)


@strawberry.type(
    description="A case traced: every stage of its item, who answered for it then, and the findings."
)
class CaseTrace:
    result: strawberry.Private[trace.CaseTrace]

    @strawberry.field(
        description="The case number (办件编号) as the case log writes it; `trace` takes it in any letter case."
    )
    def case_id(self) -> strawberry.ID:
        return strawberry.ID(self.result.case_id)

    @strawberry.field(description="The power item the case applies.")
    def item(self, info: Info) -> PowerItem:
        node = _node(info, self.result.item)
        assert node is not None
        return PowerItem.of(node)

    @strawberry.field(description="The day it was accepted (受理时间, ISO 8601).")
    def accepted(self) -> date:
        return self.result.accepted

    @strawberry.field(description="The day it was closed (办结时间); null while it is open.")
    def closed(self) -> date | None:
        return self.result.closed

    @strawberry.field(description="准予 / 不予 / 退回 / 逾期 / 撤回")
    def outcome(self) -> str | None:
        return self.result.outcome

    @strawberry.field(
        description="Working days from acceptance to closing (the day of acceptance does not count)."
    )
    def total_working_days(self) -> int | None:
        return self.result.total_working_days

    @strawberry.field(description="The item's 法定时限 in working days; null when it has none.")
    def statutory_days(self) -> int | None:
        return self.result.statutory_days

    @strawberry.field(description="The item's 承诺时限 in working days; null when it has none.")
    def promised_days(self) -> int | None:
        return self.result.promised_days

    @strawberry.field(description="Over the promised limit (the statutory one when none is promised).")
    def overdue(self) -> bool:
        return self.result.overdue

    @strawberry.field(description="False when a date falls in a year whose official holidays are not known.")
    def calendar_known(self) -> bool:
        return self.result.calendar_known

    @strawberry.field(description="Every stage of the item, by step, performed or not.")
    def stages(self) -> list[StageTrace]:
        return [StageTrace(stage=stage) for stage in self.result.stages]

    @strawberry.field(description="What an investigator should look at, by step (the whole case's last).")
    def findings(self, info: Info) -> list[Finding]:
        info.context.reviews.expect(finding.id for finding in self.result.findings)
        return [Finding(finding=finding) for finding in self.result.findings]

    @strawberry.field(description="Accountability records decided on this case.")
    def accountability(self, info: Info) -> list[AccountabilityRecord]:
        nodes = info.context.loaders.nodes(list(self.result.records))
        return [AccountabilityRecord(node=node) for node in nodes if node is not None]


@strawberry.type(
    description="How many accountability records share a department, role, responsibility and sanction."
)
class AccountabilityCount:
    counted: strawberry.Private[trace.AccountabilityCount]

    @strawberry.field(
        description="The department the person worked in when decided; null when it is not known."
    )
    def department(self, info: Info) -> Department | None:
        node = _node(info, self.counted.department)
        return Department.of(node) if node else None

    @strawberry.field(
        description="The roles of the stages the person performed (承办 / 审核 / 批准), 领导 for a "
        "leader answering without performing, — when unknown."
    )
    def role(self) -> str:
        return self.counted.role

    @strawberry.field(description="责任类型 as the records write it (直接责任 …); — when not given.")
    def responsibility(self) -> str:
        return self.counted.responsibility

    @strawberry.field(description="问责方式 as the records write it; — when not given.")
    def sanction(self) -> str:
        return self.counted.sanction

    @strawberry.field(description="How many records.")
    def count(self) -> int:
        return self.counted.count


def _node(info: Info, node_id: str | None) -> Node | None:
    return info.context.loaders.node(node_id) if node_id else None


def _person(info: Info, node_id: str | None) -> Person | None:
    node = _node(info, node_id)
    return Person.of(node) if node else None


def _laws(info: Info, ids: Sequence[str]) -> list[LawArticle]:
    nodes = info.context.loaders.nodes(list(ids))
    return law_articles(info, nodes)
