"""Supervision (督办 and 移送): the matters a department must transfer to the supervision department.

The seed's six-in-one supervision: when the government office's target-supervision unit sends a
department a second supervision notice (督办通知书) on the same matter, the matter must go to the
supervision department (移送监察). `find_transfers(reader, at=…)` reads the notices sent on or before
`at` and reports each matter with two notices or more to one department as a `Transfer`
(`TRANSFER_DUE`): its department, the matter as the first notice writes it, every notice in date
order, the day the transfer became due (the second notice's), the day it was transferred (the first
移送日期 of its notices, on or before `at`; None if none), and the working days from the due day to the
transfer. For a matter not transferred, `waiting_days` counts the working days from the due day to `at`.

    transfers = find_transfers(store, at=date(2026, 11, 28))
    [(t.matter, t.notice_numbers, t.transferred) for t in transfers]

When two notices are on the same matter
----------------------------------------
Notices are grouped by department, then by their matter's key (`matter_key`): the matter
`normalize`d (simplified script, half-width), without punctuation and without the words that wrap a
matter in a notice's title (a leading 关于 or 督办, a trailing 的督办, 督办通知书, 督办事项, 的通知), so
`关于推进老旧小区改造的督办` and `推進老舊小區改造` share one key. Keys of one department that differ are
joined as well when they are similar enough: the plain Jaccard index of their character bigrams
(`graph.similarity`) is `SIMILAR_MATTER` or more, and they hold the same numbers (digits and Chinese
numerals), so `第一季度…` and `第二季度…`, or 2024 and 2025, are never one matter. Only a department's
keys are compared, within blocks of the same numbers, through the prefix filter of `similar_pairs`:
no pair of notices is compared outside one department, and the exact part is a look-up.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from graph.identity import FindingKind, finding_id
from graph.model import Node
from graph.similarity import Text, similar_pairs
from graph.store import GraphReader
from graph.text import normalize
from graph.workdays import working_days
from ontology import EdgeKind, NodeKind

__all__ = ["SIMILAR_MATTER", "TRANSFER_DUE", "Notice", "Transfer", "find_transfers", "matter_key"]

#: the kind of finding a `Transfer` is, as the findings and the views name it
TRANSFER_DUE = "TRANSFER_DUE"
#: the plain Jaccard index of two matters' bigrams from which they are one matter (with the same numbers)
SIMILAR_MATTER = 0.8


@dataclass(frozen=True, slots=True)
class Notice:
    """A supervision notice as the analysis reads it: `id` its node id, `number` its 通知编号 as written."""

    id: str
    number: str
    department: str
    matter: str
    issued: date
    deadline: date | None
    done: date | None
    transferred: date | None


@dataclass(frozen=True, slots=True)
class Transfer:
    """A matter due for transfer to the supervision department (`TRANSFER_DUE`), with its notices in date
    order; `working_days` from `due` to `transferred` (None when not transferred), `waiting_days` from
    `due` to the analysis's date when not transferred (None when transferred)."""

    id: str
    department: str
    matter: str
    notices: tuple[Notice, ...]
    due: date
    transferred: date | None
    working_days: int | None
    waiting_days: int | None
    detail: str
    kind: str = TRANSFER_DUE

    @property
    def notice_numbers(self) -> tuple[str, ...]:
        """The notices' numbers (通知编号) as written, in date order."""
        return tuple(notice.number for notice in self.notices)


def find_transfers(reader: GraphReader, *, at: date, department: str | None = None) -> list[Transfer]:
    """Every matter with two supervision notices or more (sent on or before `at`) to one department, of
    the department whose id is `department` when given; sorted by department, due day and matter.

    A transfer day after `at` is not known on `at`: such a matter is not transferred yet.

        >>> find_transfers(MemoryStore(), at=date(2024, 1, 1))       # doctest: +SKIP
        []
    """
    notices = _notices(reader, at, department)
    names = _department_names(reader, {notice.department for notice in notices})
    found = [
        _transfer(group, names[group[0].department], at) for group in _matters(notices) if len(group) >= 2
    ]
    return sorted(found, key=lambda transfer: (transfer.department, transfer.due, transfer.id))


def matter_key(matter: str) -> str:
    """The form two notices' matters are matched in: normalised, without punctuation and the words
    that wrap a matter in a notice's title.

    >>> matter_key("关于推进老旧小区改造的督办")
    '推进老旧小区改造'
    >>> matter_key("推進老舊小區改造（第２批）")
    '推进老旧小区改造第2批'
    """
    key = _PUNCTUATION.sub("", normalize(matter))
    stripped = _WRAPPER_TAIL.sub("", _WRAPPER_HEAD.sub("", key))
    return stripped or key


# --- private ---------------------------------------------------------------------------------

_PUNCTUATION = re.compile(r"[\W_]+")
_WRAPPER_HEAD = re.compile(r"^(?:督办|督查)?(?:关于)?")
_WRAPPER_TAIL = re.compile(r"(?:的)?(?:督办|督查)(?:通知书?|事项|函)?$|的通知$")
_NUMBERS = re.compile(r"[0-9零〇一二两三四五六七八九十百千万]+")


def _notices(reader: GraphReader, at: date, department: str | None) -> list[Notice]:
    """The notices sent on or before `at` (to `department` when given), in date order, then by number."""
    edges = reader.edges(kind=EdgeKind.NOTICE_TO, target=department)
    department_of = {edge.source: edge.target for edge in edges}
    ordered = sorted(department_of)
    found = [
        _notice(node, department_of[node.id], at)
        for node in reader.nodes_by_id(ordered)
        if node is not None and node.kind is NodeKind.SUPERVISION_NOTICE
    ]
    return sorted(
        (notice for notice in found if notice.issued <= at),
        key=lambda notice: (notice.issued, notice.number, notice.id),
    )


def _notice(node: Node, department: str, at: date) -> Notice:
    transferred = node.get("transferred")
    return Notice(
        id=node.id,
        number=str(node.get("notice_id", node.id)),
        department=department,
        matter=str(node.get("matter", "")),
        issued=node["issued"],
        deadline=node.get("deadline"),
        done=node.get("done"),
        transferred=transferred if transferred is not None and transferred <= at else None,
    )


def _department_names(reader: GraphReader, departments: Iterable[str]) -> dict[str, str]:
    wanted = sorted(departments)
    return {
        department: str(node.get("name", department)) if node is not None else department
        for department, node in zip(wanted, reader.nodes_by_id(wanted), strict=True)
    }


def _matters(notices: list[Notice]) -> Iterator[list[Notice]]:
    """The notices grouped by department and matter (each group in date order): by key, then keys of
    one department joined when similar enough."""
    by_key: dict[tuple[str, str], list[Notice]] = defaultdict(list)
    for notice in notices:
        by_key[(notice.department, matter_key(notice.matter))].append(notice)
    joined = _joined_keys(by_key)
    groups: dict[tuple[str, str], list[Notice]] = defaultdict(list)
    for key, group in by_key.items():
        groups[joined.get(key, key)].extend(group)
    for group in groups.values():
        yield sorted(group, key=lambda notice: (notice.issued, notice.number, notice.id))


def _joined_keys(by_key: dict[tuple[str, str], list[Notice]]) -> dict[tuple[str, str], tuple[str, str]]:
    """Each key joined to another of its department, mapped to its group's first key (the key of the
    group's earliest notice): keys whose matters are similar enough and hold the same numbers."""
    blocks: dict[str, list[Text]] = defaultdict(list)
    for department, key in by_key:
        block = f"{department}\n{_numbers(key)}"
        blocks[block].append(Text(id=f"{department}\n{key}", text=key, block=block, group=key))
    texts = [text for block in blocks.values() if len(block) > 1 for text in block]  # a lone key joins none
    pairs = similar_pairs(texts, SIMILAR_MATTER, weights="none")
    parent: dict[tuple[str, str], tuple[str, str]] = {}

    def root(key: tuple[str, str]) -> tuple[str, str]:
        while parent.get(key, key) != key:
            key = parent[key]
        return key

    def first(key: tuple[str, str]) -> tuple[date, str, str]:
        earliest = by_key[key][0]
        return (earliest.issued, earliest.number, key[1])

    for pair in pairs:
        a, b = (_split(pair.a), _split(pair.b))
        root_a, root_b = root(a), root(b)
        if root_a != root_b:
            keep, other = sorted((root_a, root_b), key=first)
            parent[other] = keep
    return {key: root(key) for key in parent}


def _split(text_id: str) -> tuple[str, str]:
    department, _, key = text_id.partition("\n")
    return department, key


def _numbers(key: str) -> str:
    """The numbers a matter holds, in order: matters with other numbers are other tasks."""
    return " ".join(_NUMBERS.findall(key))


def _transfer(notices: list[Notice], department_name: str, at: date) -> Transfer:
    due = notices[1].issued
    transfers = [notice.transferred for notice in notices if notice.transferred is not None]
    transferred = min(transfers) if transfers else None
    matter = notices[0].matter
    days = working_days(due, at if transferred is None else transferred)
    return Transfer(
        id=finding_id(FindingKind.TRANSFER, notices[0].department, matter_key(matter)),
        department=notices[0].department,
        matter=matter,
        notices=tuple(notices),
        due=due,
        transferred=transferred,
        working_days=None if transferred is None else days,
        waiting_days=days if transferred is None else None,
        detail=_detail(notices, department_name, transferred, at, days),
    )


def _detail(notices: list[Notice], department: str, transferred: date | None, at: date, days: int) -> str:
    """What happened, in Chinese; `days` the working days from the second notice to the transfer, or
    to `at` when there was none."""
    numbers = "、".join(notice.number for notice in notices)
    due = notices[1].issued
    said = (
        f"{department}就“{notices[0].matter}”收到{len(notices)}次督办通知书（{numbers}），"
        f"第二次于{due.isoformat()}发出，依规应移送监察部门"
    )
    if transferred is None:
        return f"{said}；截至{at.isoformat()}未移送，已等待{days}个工作日。"
    if transferred < due:
        return f"{said}；已于第二次督办前的{transferred.isoformat()}移送。"
    return f"{said}；已于{transferred.isoformat()}移送，在第二次督办后{days}个工作日。"
