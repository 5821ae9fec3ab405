"""What a gap is: `Gap`, the record every finder of gaps returns, and `GapKind`, the kinds of gap.

Kept apart from `gaps` (which finds them) because the finders of `legal` and `loaders.laws` return
gaps too, and `gaps` calls `legal`:

    Gap(GapKind.NO_HEAD, 5, department_id, name, department_id, "… has nobody in its head post …")
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from graph.identity import FindingKind, finding_id

__all__ = ["STAFFING_KINDS", "Gap", "GapKind"]


class GapKind(StrEnum):
    """The kinds of gap, as the GraphQL enum `GapKind` names them."""

    UNBASED_POWER = "UNBASED_POWER"
    UNHELD_DUTY = "UNHELD_DUTY"
    MISPLACED = "MISPLACED"
    FUNCTION_NOT_EXERCISED = "FUNCTION_NOT_EXERCISED"
    POWER_OUTSIDE_MANDATE = "POWER_OUTSIDE_MANDATE"
    FUNCTION_WITHOUT_UNIT = "FUNCTION_WITHOUT_UNIT"
    STAGE_WITHOUT_POST = "STAGE_WITHOUT_POST"
    VACANT_POST = "VACANT_POST"
    NO_HEAD = "NO_HEAD"
    OVER_QUOTA = "OVER_QUOTA"
    GHOST_PAYROLL = "GHOST_PAYROLL"
    MIXED_QUOTA = "MIXED_QUOTA"
    CONCURRENT_POSTS = "CONCURRENT_POSTS"
    UNKNOWN_LAW = "UNKNOWN_LAW"
    NO_SUCH_ARTICLE = "NO_SUCH_ARTICLE"
    REPEALED_LAW = "REPEALED_LAW"


#: Kinds that come from holdings and quotas: staffing figures, not for the public.
STAFFING_KINDS = frozenset(
    {
        GapKind.VACANT_POST,
        GapKind.NO_HEAD,
        GapKind.OVER_QUOTA,
        GapKind.GHOST_PAYROLL,
        GapKind.MIXED_QUOTA,
        GapKind.CONCURRENT_POSTS,
    }
)


@dataclass(frozen=True, slots=True)
class Gap:
    """One gap and its evidence.

    Its `id` (`gap:<kind>:<subject>[:<qualifier>…]`) is made of its kind, the identity of its
    subject (`subject_identity`, which `find_gaps` sets: the subject's id but for an item whose code
    was made from a 序号, see `graph.identity`) and `about`, what tells it from the other gaps of its
    kind on that subject (the law a legal gap is about, the quota a quota gap is about).
    """

    kind: GapKind
    severity: int
    subject_id: str
    subject_name: str
    department: str | None
    detail: str
    evidence: tuple[tuple[str, str], ...] = field(default=())
    about: tuple[str, ...] = ()
    subject_identity: str | None = None

    @property
    def id(self) -> str:
        return finding_id(
            FindingKind.GAP, self.kind.value, self.subject_identity or self.subject_id, *self.about
        )

    @property
    def order(self) -> tuple[int, int, str, str]:
        return (-self.severity, _KIND_ORDER[self.kind], self.department or "", self.subject_id)


_KIND_ORDER = {kind: position for position, kind in enumerate(GapKind)}
