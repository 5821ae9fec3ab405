"""The GraphQL types of supervision (督办): the matters a department must transfer to the supervision
department (`Transfer`, a `TRANSFER_DUE` finding) and the notices that oblige it (investigator role).

Each `Transfer` wraps a `graph.analyses.supervision.Transfer`, computed once per store version and
date by the analysis cache (`api.cache`); its `id` (`transfer:…`) is reviewed with `reviewFinding` by
the investigator role and admin, like a case trace's findings.

    { supervisionTransfers(at: "2026-11-28") { matter notices due transferred workingDays reviewStatus } }
"""

from __future__ import annotations

from datetime import date

import strawberry
from graphql import GraphQLError

from api.context import Context, Info
from api.types.entities import Department
from api.types.reviews import Review, review_of
from api.types.scorecards import department_node, unknown_department
from graph.analyses import supervision
from graph.ledger import ReviewStatus

__all__ = ["SupervisionNotice", "Transfer", "transfers_of"]


@strawberry.type(description="A supervision notice (督办通知书) of a matter due for transfer.")
class SupervisionNotice:
    notice: strawberry.Private[supervision.Notice]

    @strawberry.field(description="The notice's number (通知编号), as written.")
    def notice_id(self) -> str:
        return self.notice.number

    @strawberry.field(description="The matter as this notice writes it.")
    def matter(self) -> str:
        return self.notice.matter

    @strawberry.field(name="date", description="The day it was sent (发出日期).")
    def issued(self) -> date:
        return self.notice.issued

    @strawberry.field(description="The day the matter was to be finished by (办结时限).")
    def deadline(self) -> date | None:
        return self.notice.deadline

    @strawberry.field(description="The day the matter was finished (办结日期).")
    def done(self) -> date | None:
        return self.notice.done

    @strawberry.field(description="The day this notice's matter was transferred (移送日期), if by the date.")
    def transferred(self) -> date | None:
        return self.notice.transferred


@strawberry.type(
    description="A matter with two supervision notices or more to one department, which obliges its "
    "transfer to the supervision department (移送监察): TRANSFER_DUE."
)
class Transfer:
    transfer: strawberry.Private[supervision.Transfer]

    @strawberry.field(description="Stable: the department and the normalised matter.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.transfer.id)

    @strawberry.field(description="TRANSFER_DUE.")
    def kind(self) -> str:
        return self.transfer.kind

    @strawberry.field(description="The department the notices were sent to.")
    def department(self, info: Info) -> Department:
        node = info.context.loaders.node(self.transfer.department)
        if node is None:
            raise GraphQLError(f"the department {self.transfer.department} is gone from the store")
        return Department.of(node)

    @strawberry.field(description="The matter as the first notice writes it.")
    def matter(self) -> str:
        return self.transfer.matter

    @strawberry.field(description="The numbers of the notices (通知编号), in date order.")
    def notices(self) -> list[str]:
        return list(self.transfer.notice_numbers)

    @strawberry.field(description="The notices, in date order.")
    def notice_details(self) -> list[SupervisionNotice]:
        return [SupervisionNotice(notice=notice) for notice in self.transfer.notices]

    @strawberry.field(description="The day the transfer became due: the second notice's.")
    def due(self) -> date:
        return self.transfer.due

    @strawberry.field(
        description="The day the matter was transferred (the first 移送日期 of its notices); null if not."
    )
    def transferred(self) -> date | None:
        return self.transfer.transferred

    @strawberry.field(
        description="The working days from the second notice to the transfer; null if not transferred."
    )
    def working_days(self) -> int | None:
        return self.transfer.working_days

    @strawberry.field(
        description="Not transferred: the working days from the second notice to the date asked."
    )
    def waiting_days(self) -> int | None:
        return self.transfer.waiting_days

    @strawberry.field(description="What happened, in Chinese.")
    def detail(self) -> str:
        return self.transfer.detail

    @strawberry.field(description="The current review; null when never reviewed (the status is OPEN).")
    def review(self, info: Info) -> Review | None:
        return review_of(info.context, self.transfer.id)

    @strawberry.field(description="The current review's status; OPEN when never reviewed.")
    def review_status(self, info: Info) -> ReviewStatus:
        return info.context.reviews.status(self.transfer.id)


def transfers_of(context: Context, department: str | None, at: date | None) -> list[Transfer]:
    """The matters due for transfer on `at` (default today), of `department` (a name in either script, or
    an id) when given. BAD_USER_INPUT for a department the store does not hold."""
    wanted = None
    if department is not None:
        node = department_node(context, department)
        if node is None:
            raise unknown_department(context, department)
        wanted = node.id
    found = [t for t in context.cache.transfers(at or context.today) if wanted in (None, t.department)]
    context.reviews.expect(transfer.id for transfer in found)
    context.loaders.expect(transfer.department for transfer in found)
    return [Transfer(transfer=transfer) for transfer in found]
