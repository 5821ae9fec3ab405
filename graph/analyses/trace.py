"""Responsibility traces: who answers for each stage of an approval, as the posts were held then.

`trace_case(reader, case_id)` walks the stages of the case's item in order and,
for each, names the answerable post; the person who performed the step (from the
case log) and the person who held the post when the step started; the unit, its
head, the deputy in charge of it (分管领导, the post that supervises the unit)
and the department head, each as held on that date; the item's legal basis and
accountability triggers; the stage's limit, the working days it took and
whether it ran over. `responsibility(reader, item, at)` gives the same chain for
an item on a date, without a case.

Dates are the case's own: a person who holds the post today but did not then is
never named. The date a stage is judged on is the day its step started; for a
stage with no step, the day the step before it finished (or the day the case
was accepted). Working days follow `graph.workdays`: the day a period starts
does not count.

Findings, in step order: `VACANT_POST` (nobody held the answerable post),
`NOT_HOLDER` (the step was done by someone who did not hold it: also when it
was vacant, so the unit head covering a vacant post gives both),
`IDLE_BETWEEN_STAGES` (more than `idle_tolerance` working days passed between
the finish of the performed stage before and this stage's start),
`OVERDUE_STAGE`, `SKIPPED_STAGE` (no step for a stage of a closed case, or of a
case that went on past it), `NO_SEPARATION` (one person performed two of handle
/ review / approve), `CASE_OVERDUE` (the case took longer than its promised
limit, or its statutory one when none is promised).

A wait belongs to the later stage: its finding names who finished the stage
before, and who held the later stage's post on the day the wait began; when the
post changed hands before the stage started, each later holder too, with the
day they took over (or that it fell vacant). A finding's detail is written
twice, with people and posts by code only (`detail`: for logs and for those who
may not see names) and by name and code (`detail_with_names`); the people and
posts it is about are kept as ids (`people`, `posts`).

    trace = trace_case(store, "case:C-001")
    [(s.step, s.performer, s.holder_then) for s in trace.stages]
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date

from graph import organisation
from graph.identity import FindingKind, finding_id
from graph.memory import MemoryStore
from graph.model import Node
from graph.organisation import LEADING_CATEGORIES, ReaderView
from graph.store import CaseNeighbourhood, GraphReader
from graph.workdays import calendar_known, working_days
from ontology import EdgeKind, NodeKind, PostCategory, StageRole

__all__ = [
    "DEFAULT_IDLE_TOLERANCE",
    "AccountabilityCount",
    "CaseTrace",
    "Finding",
    "StageTrace",
    "accountability_counts",
    "case_limit",
    "record_departments",
    "responsibility",
    "trace_case",
]


def case_limit(item: Node) -> tuple[int | None, str]:
    """The time limit of a case of `item`, in working days, and which it is: the promised one (承诺) when
    the list gives one, else the statutory one (法定); (None, "") when it gives neither."""
    promised, statutory = item.get("promised_days"), item.get("statutory_days")
    if promised is not None:
        return int(promised), "承诺"
    if statutory is not None:
        return int(statutory), "法定"
    return None, ""


SEPARATED_ROLES = (StageRole.HANDLE.value, StageRole.REVIEW.value, StageRole.APPROVE.value)

#: the working days a case may wait between one stage's finish and the next one's start
DEFAULT_IDLE_TOLERANCE = 1

#: the parts a person plays in a finding (`Finding.people`)
PERFORMER, HOLDER, PREVIOUS_PERFORMER, HOLDER_WAITING = (
    "经办人",
    "在岗人员",
    "上一环节经办人",
    "等待期间在岗人员",
)


@dataclass(frozen=True, slots=True)
class Finding:
    """Something an investigator should look at, in one stage (`step`) or in the whole case (`case`,
    its node id, which `trace_case` sets); `steps` are the stages a finding of several is about (the
    stages one person performed, for `NO_SEPARATION`).

    Its `id` names the case, the step (or steps, `-` for the whole case) and the kind:
    `finding:case:C-001:3:VACANT_POST`, `finding:case:C-001:1+3:NO_SEPARATION`.

    `detail` names people and posts by code only, `detail_with_names` by name and code (`张三（P0011）`,
    `审查岗（511900012-014）`); `people` are the (part, person node id) pairs it names, the part one
    of 经办人, 在岗人员, 上一环节经办人 and 等待期间在岗人员, and `posts` the post node ids.
    """

    kind: str
    step: int | None
    detail: str
    case: str = ""
    steps: tuple[int, ...] = ()
    detail_with_names: str = ""
    people: tuple[tuple[str, str], ...] = ()
    posts: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        steps = (self.step,) if self.step is not None else self.steps
        return finding_id(FindingKind.FINDING, self.case, "+".join(map(str, steps)) or "-", self.kind)


@dataclass(frozen=True, slots=True)
class StageTrace:
    """One stage: who answered for it, and how it went. Person fields are person node ids.

    `waited_from` is the day the performed stage before it finished, `waited_days` the working days
    from then to this stage's start (None for the first performed stage, or a stage not started)."""

    stage: str
    step: int
    name: str
    role: str | None
    department: str | None
    post: str | None
    unit: str | None
    on: date
    performer: str | None = None
    holder_then: str | None = None
    unit_head: str | None = None
    deputy_in_charge: str | None = None
    department_head: str | None = None
    started: date | None = None
    finished: date | None = None
    limit_days: int | None = None
    working_days: int | None = None
    overdue: bool = False
    laws: tuple[str, ...] = ()
    triggers: str | None = None
    waited_from: date | None = None
    waited_days: int | None = None


@dataclass(frozen=True, slots=True)
class CaseTrace:
    """A case, every stage of its item traced, and the findings."""

    case: str
    case_id: str
    item: str
    accepted: date
    closed: date | None
    outcome: str | None
    statutory_days: int | None
    promised_days: int | None
    total_working_days: int | None
    overdue: bool
    stages: tuple[StageTrace, ...]
    findings: tuple[Finding, ...]
    calendar_known: bool = True
    records: tuple[str, ...] = field(default=())


def trace_case(
    reader: GraphReader, case_id: str, idle_tolerance: int = DEFAULT_IDLE_TOLERANCE
) -> CaseTrace | None:
    """The trace of the case with this node id (`case:…`, as `graph.ids.case_id` makes it), or None
    when there is no such case; a wait between stages of more than `idle_tolerance` working days is
    an `IDLE_BETWEEN_STAGES` finding.

    A store across a network (Neo4j) hands over everything the trace reads in one round trip, and the
    trace runs on a copy of that in memory: the same code, the same answer, a round trip rather than
    some fifty."""
    if isinstance(reader, CaseNeighbourhood):
        found = reader.case_neighbourhood(case_id)
        if found is None:
            return None
        local = MemoryStore()
        with local.writer() as writer:
            for node in found[0]:
                writer.add_node(node)
            for edge in found[1]:
                writer.add_edge(edge)
        reader = local
    case = reader.node(case_id)
    if case is None or case.kind is not NodeKind.CASE:
        return None
    item_id = _first_target(reader, case_id, EdgeKind.CASE_OF)
    item = reader.node(item_id) if item_id else None
    if item is None:
        return None
    steps = _steps(reader, case_id)
    accepted: date = case["accepted"]
    closed: date | None = case.get("closed")
    laws, triggers = _basis(reader, item)
    stages = _item_stages(reader, item.id)
    last_step = max(steps, default=0)
    traces: list[StageTrace] = []
    findings: list[Finding] = []
    previous_end = accepted
    previous: StageTrace | None = None  # the last performed stage
    for stage in stages:
        number = int(stage["step"])
        step = steps.get(number)
        started = step.get("started") if step else None
        finished = step.get("finished") if step else None
        on = started or previous_end
        chain = _chain(reader, stage, on)
        performer = _first_target(reader, step.id, EdgeKind.PERFORMED_BY) if step else None
        limit = stage.get("days")
        taken = working_days(started, finished) if started and finished else None
        overdue = taken is not None and limit is not None and taken > limit
        waited_from = previous.finished if previous is not None and started is not None else None
        trace = replace(
            chain,
            performer=performer,
            started=started,
            finished=finished,
            limit_days=limit,
            working_days=taken,
            overdue=overdue,
            laws=laws,
            triggers=triggers,
            waited_from=waited_from,
            waited_days=working_days(waited_from, started) if waited_from and started else None,
        )
        traces.append(trace)
        findings.extend(
            _stage_findings(reader, trace, step is not None, closed is not None or number < last_step)
        )
        if previous is not None and trace.waited_days is not None and trace.waited_days > idle_tolerance:
            findings.append(_idle(reader, previous, trace, idle_tolerance))
        previous_end = finished or started or previous_end
        previous = trace if step is not None else previous
    findings.extend(_separation(reader, traces))
    total = working_days(accepted, closed) if closed else None
    statutory, promised = item.get("statutory_days"), item.get("promised_days")
    limit, which = case_limit(item)
    case_overdue = total is not None and limit is not None and total > limit
    if case_overdue:
        beyond = (
            f"，也超过法定时限{statutory}个工作日"
            if promised is not None and statutory is not None and total is not None and total > statutory
            else ""
        )
        findings.append(
            _finding(
                reader,
                "CASE_OVERDUE",
                None,
                lambda _: f"办件用时{total}个工作日，超过{which}时限{limit}个工作日{beyond}",
            )
        )
    findings = [replace(finding, case=case_id) for finding in findings]
    records = tuple(sorted(edge.source for edge in reader.edges(target=case_id, kind=EdgeKind.RECORD_CASE)))
    return CaseTrace(
        case=case_id,
        case_id=str(case["case_id"]),
        item=item.id,
        accepted=accepted,
        closed=closed,
        outcome=case.get("outcome"),
        statutory_days=statutory,
        promised_days=promised,
        total_working_days=total,
        overdue=case_overdue,
        stages=tuple(traces),
        findings=tuple(sorted(findings, key=lambda f: (f.step is None, f.step or 0, f.kind))),
        calendar_known=calendar_known(accepted) and (closed is None or calendar_known(closed)),
        records=records,
    )


def responsibility(reader: GraphReader, item_id: str, at: date) -> list[StageTrace]:
    """The responsibility chain of every stage of an item on the date `at`, without a case."""
    item = reader.node(item_id)
    if item is None:
        return []
    laws, triggers = _basis(reader, item)
    return [
        replace(_chain(reader, stage, at), laws=laws, triggers=triggers)
        for stage in _item_stages(reader, item_id)
    ]


@dataclass(frozen=True, slots=True)
class AccountabilityCount:
    """How many accountability records share a department, a stage role, a responsibility and a sanction."""

    department: str | None
    role: str
    responsibility: str
    sanction: str
    count: int


def record_departments(reader: GraphReader) -> dict[str, str | None]:
    """Accountability record id -> the department its person worked in on the decision date."""
    found: dict[str, str | None] = {}
    for record in reader.nodes(NodeKind.ACCOUNTABILITY_RECORD):
        person = _first_target(reader, record.id, EdgeKind.RECORD_OF)
        found[record.id] = _workplace(reader, person, record["date"])[0] if person else None
    return found


def accountability_counts(reader: GraphReader) -> list[AccountabilityCount]:
    """Records counted by the department the person worked in on the decision date, the role of the stages
    they performed in the case (`领导` for a leader answering without performing, `—` when unknown), the
    responsibility type and the sanction; most first."""
    counts: Counter[tuple[str | None, str, str, str]] = Counter()
    for record in reader.nodes(NodeKind.ACCOUNTABILITY_RECORD):
        person = _first_target(reader, record.id, EdgeKind.RECORD_OF)
        case = _first_target(reader, record.id, EdgeKind.RECORD_CASE)
        decided: date = record["date"]
        department, leader = _workplace(reader, person, decided) if person else (None, False)
        roles = _roles_performed(reader, case, person) if case and person else []
        role = "、".join(roles) if roles else ("领导" if leader else "—")
        counts[
            (department, role, str(record.get("responsibility") or "—"), str(record.get("sanction") or "—"))
        ] += 1
    return [
        AccountabilityCount(department, role, responsibility, sanction, count)
        for (department, role, responsibility, sanction), count in sorted(
            counts.items(), key=lambda entry: (-entry[1], entry[0][0] or "", *entry[0][1:])
        )
    ]


# -- the chain of one stage -------------------------------------------------------------------


def _chain(reader: GraphReader, stage: Node, on: date) -> StageTrace:
    """The stage and who answered for it on `on`; the case's part of the trace is left empty."""
    view = ReaderView(reader)
    post = _first_target(reader, stage.id, EdgeKind.STAGE_POST)
    department = _first_target(reader, stage.id, EdgeKind.STAGE_DEPARTMENT)
    unit = _first_target(reader, stage.id, EdgeKind.STAGE_UNIT)
    if unit is None and post is not None:
        unit = organisation.unit_of_post(view, post)
    if department is None and unit is not None:
        department = organisation.department_of_unit(view, unit)
    return StageTrace(
        stage=stage.id,
        step=int(stage["step"]),
        name=str(stage["name"]),
        role=stage.get("role"),
        department=department,
        post=post,
        unit=unit,
        on=on,
        holder_then=organisation.holder(view, post, on) if post else None,
        unit_head=organisation.holder_of_category(view, unit, PostCategory.UNIT_HEAD, on) if unit else None,
        deputy_in_charge=organisation.deputy_in_charge(view, unit, on) if unit else None,
        department_head=(
            organisation.holder_of_category(view, department, PostCategory.HEAD, on) if department else None
        ),
    )


# -- findings ---------------------------------------------------------------------------------


def _stage_findings(
    reader: GraphReader, trace: StageTrace, performed: bool, passed: bool
) -> Iterable[Finding]:
    label = f"第{trace.step}环节“{trace.name}”"
    if not performed:
        if passed:
            yield _finding(
                reader,
                "SKIPPED_STAGE",
                trace.step,
                lambda _: f"{label}在办件记录中没有办理记录：该环节被跳过",
            )
        return
    post, performer, on = trace.post, trace.performer, trace.on.isoformat()
    if post is not None and trace.holder_then is None:
        yield _finding(
            reader,
            "VACANT_POST",
            trace.step,
            lambda write: f"{label}办理时（{on}），责任岗位{write.post(post)}无人在岗",
            posts=(post,),
        )
    if post is not None and performer is not None and not _held(reader, post, performer, trace.on):
        holder = trace.holder_then
        yield _finding(
            reader,
            "NOT_HOLDER",
            trace.step,
            lambda write: (
                f"{label}由{write.person(performer)}办理，但其在{on}并不在责任岗位{write.post(post)}任职"
                + (f"（在岗人员为{write.person(holder)}）" if holder else "（该岗位当日无人在岗）")
            ),
            people=((PERFORMER, performer), *(((HOLDER, holder),) if holder else ())),
            posts=(post,),
        )
    if trace.overdue:
        yield _finding(
            reader,
            "OVERDUE_STAGE",
            trace.step,
            lambda _: f"{label}用时{trace.working_days}个工作日，超过时限{trace.limit_days}个工作日",
        )


def _idle(reader: GraphReader, previous: StageTrace, trace: StageTrace, tolerance: int) -> Finding:
    """The wait before `trace`, which began when `previous` (the performed stage before it) finished."""
    assert trace.waited_from is not None and trace.started is not None
    began, started = trace.waited_from, trace.started
    holders = _holders_during(reader, trace.post, began, started) if trace.post else []
    post = trace.post

    def write(text: _Writer) -> str:
        finished_by = f"，经办人{text.person(previous.performer)}" if previous.performer else ""
        detail = (
            f"第{trace.step}环节“{trace.name}”在第{previous.step}环节办结（{began.isoformat()}{finished_by}）后"
            f"等待{trace.waited_days}个工作日，至{started.isoformat()}才开始，超过容许的{tolerance}个工作日"
        )
        if post is None:
            return detail
        first = holders[0][1]
        detail += f"；等待开始时责任岗位{text.post(post)}" + (
            f"由{text.person(first)}在岗" if first else "无人在岗"
        )
        changes = [
            f"{day.isoformat()}起" + (f"由{text.person(person)}在岗" if person else "无人在岗")
            for day, person in holders[1:]
        ]
        return detail + (f"；等待期间岗位易手：{'，'.join(changes)}" if changes else "")

    people = [(PREVIOUS_PERFORMER, previous.performer)] if previous.performer else []
    people += [(HOLDER_WAITING, person) for person in dict.fromkeys(p for _, p in holders if p)]
    return _finding(
        reader, "IDLE_BETWEEN_STAGES", trace.step, write, people=people, posts=(post,) if post else ()
    )


def _separation(reader: GraphReader, traces: list[StageTrace]) -> Iterable[Finding]:
    roles: dict[str, dict[str, int]] = defaultdict(dict)
    for trace in traces:
        if trace.performer and trace.role in SEPARATED_ROLES:
            roles[trace.performer].setdefault(trace.role, trace.step)
    for person, performed in sorted(roles.items()):
        if len(performed) >= 2:
            yield _no_separation(reader, person, performed)


def _no_separation(reader: GraphReader, person: str, performed: dict[str, int]) -> Finding:
    """`person` performed the stages of these roles (role -> the first step of it)."""
    what = "、".join(
        f"{role}（第{step}环节）" for role, step in sorted(performed.items(), key=lambda e: e[1])
    )
    return _finding(
        reader,
        "NO_SEPARATION",
        None,
        lambda write: f"{write.person(person)}同时承担了{what}：承办、审核、批准应由不同人员负责",
        people=((PERFORMER, person),),
        steps=tuple(sorted(performed.values())),
    )


def _held(reader: GraphReader, post: str, person: str, on: date) -> bool:
    return any(_first_target(reader, h.id, EdgeKind.HOLDING_OF) == person for h in reader.holders(post, on))


def _holders_during(
    reader: GraphReader, post: str, began: date, ended: date
) -> list[tuple[date, str | None]]:
    """Who held `post` from `began` until (not on) `ended`: the holder on `began`, then each change of
    hands (a new holder, or the post falling vacant) with its day. A holding starts or ends on a day,
    so those are the only days the holder can change."""
    holdings = reader.nodes_by_id([e.source for e in reader.edges(target=post, kind=EdgeKind.HOLDING_POST)])
    days = sorted(
        {
            day
            for holding in holdings
            if holding is not None
            for day in (holding.get("start"), holding.get("end"))
            if day is not None and began < day < ended
        }
    )
    view = ReaderView(reader)
    found: list[tuple[date, str | None]] = []
    for day in (began, *days):
        person = organisation.holder(view, post, day)
        if not found or found[-1][1] != person:
            found.append((day, person))
    return found


def _finding(
    reader: GraphReader,
    kind: str,
    step: int | None,
    write: Callable[[_Writer], str],
    *,
    people: Iterable[tuple[str, str]] = (),
    posts: Iterable[str] = (),
    steps: tuple[int, ...] = (),
) -> Finding:
    """A finding whose detail `write` writes twice: with codes only, and with names and codes."""
    return Finding(
        kind,
        step,
        write(_Writer(reader, names=False)),
        steps=steps,
        detail_with_names=write(_Writer(reader, names=True)),
        people=tuple(people),
        posts=tuple(posts),
    )


class _Writer:
    """People and posts as a finding's detail names them: by code (`P0011`, the post's code), or by name
    and code (`张三（P0011）`, `审查岗（511900012-014）`)."""

    def __init__(self, reader: GraphReader, names: bool) -> None:
        self.reader = reader
        self.names = names

    def person(self, person: str) -> str:
        node = self.reader.node(person)
        if node is None:
            return person
        code = str(node.get("person_id") or person)
        return f"{node['name']}（{code}）" if self.names and node.get("name") else code

    def post(self, post: str) -> str:
        node = self.reader.node(post)
        if node is None:
            return post
        code = str(node["code"])
        return f"{node['name']}（{code}）" if self.names and node.get("name") else code


# -- helpers ----------------------------------------------------------------------------------


def _first_target(reader: GraphReader, source: str, kind: EdgeKind) -> str | None:
    for edge in reader.edges(source=source, kind=kind):
        return edge.target
    return None


def _steps(reader: GraphReader, case: str) -> dict[int, Node]:
    ids = sorted(edge.source for edge in reader.edges(target=case, kind=EdgeKind.STEP_OF))
    return {int(node["step"]): node for node in reader.nodes_by_id(ids) if node is not None}


def _item_stages(reader: GraphReader, item: str) -> list[Node]:
    ids = [edge.source for edge in reader.edges(target=item, kind=EdgeKind.STAGE_OF)]
    return sorted(
        (node for node in reader.nodes_by_id(ids) if node is not None), key=lambda node: node["step"]
    )


def _basis(reader: GraphReader, item: Node) -> tuple[tuple[str, ...], str | None]:
    edges = sorted(
        reader.edges(source=item.id, kind=EdgeKind.CITES), key=lambda e: (e.get("position", 0), e.target)
    )
    laws = tuple(edge.target for edge in edges)
    return laws, item.get("triggers")


def _workplace(reader: GraphReader, person: str, on: date) -> tuple[str | None, bool]:
    """The department of a post the person held on `on` (or last held before), and whether it leads."""
    holdings = [reader.node(edge.source) for edge in reader.edges(target=person, kind=EdgeKind.HOLDING_OF)]
    held = [h for h in holdings if h is not None and (h.get("start") or date.min) <= on]
    held.sort(key=lambda h: (organisation.covers(h, on), h.get("start") or date.min), reverse=True)
    view = ReaderView(reader)
    for holding in held:
        post = _first_target(reader, holding.id, EdgeKind.HOLDING_POST)
        if post is None:
            continue
        post_node = reader.node(post)
        leader = post_node is not None and post_node.get("category") in LEADING_CATEGORIES
        return organisation.department_of_post(view, post), leader
    return None, False


def _roles_performed(reader: GraphReader, case: str, person: str) -> list[str]:
    roles: list[str] = []
    for step in _steps(reader, case).values():
        if _first_target(reader, step.id, EdgeKind.PERFORMED_BY) != person:
            continue
        stage = reader.node(_first_target(reader, step.id, EdgeKind.STEP_STAGE) or "")
        role = stage.get("role") if stage else None
        if role and role not in roles:
            roles.append(str(role))
    return roles
