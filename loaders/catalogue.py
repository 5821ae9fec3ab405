"""Read a government service-item catalogue (政务服务事项目录) published as JSON Lines.

The catalogue of the Guangdong service portal gives one item a line: its code (`TASK_CODE`), its
implementing body (`DEPT_NAME`), its area (`AREA_CODE_TEXT`: `广东省`, `广东省广州市`) and level
(`matter_level`), its name (`TASK_NAME`, with the sub-item `subTaskName` in brackets at its end), its
type (`TASK_TYPE_TEXT`), its time limits (`handle_time` statutory, `handle_time_limit` promised,
both like `30(工作日)`), and, for items whose stages other bodies carry, `co_department`:

    省级教育（受理）、省级自然资源（受理,审核,决定与公开,证件制定与送达）

Each part names a level and a field of work and the stages that body carries. The reader makes:

- a PowerItem per line (code `TASK_CODE`; `statutory_days` / `promised_days` from limits in working
  days, a limit in natural days kept as written in `extra`); a `公共服务` item, which is not one of the
  ten power types, is `其他行政权力` with `extra["事项类型"] = "公共服务"`; the catalogue gives no legal
  basis, so items carry no `basis_status` (no basis is not evidence of 越位 here);
- a Government per area (`广东省人民政府`, `广州市人民政府`) and a Department per `DEPT_NAME`;
- Stage nodes in the order of the procedure (受理, then 审查/审核, then 决定, then 送达; in the order
  written within one phase), numbered from 1, each `STAGE_DEPARTMENT` to the body named: the level
  gives the government (省级 the province's; 市级 the item's city, or for a provincial item the grouped
  `广东省所辖地级市人民政府`; 县级 the grouped counties below; 国家级 `国务院`), and the field gives the
  department of that government whose field (`graph.analyses.fields.department_field`, short forms
  written out by the mapping's `[department_abbreviations]`: 人社, 食药监 …) is the field, exactly,
  else the shortest that contains it. A body no department matches is created as
  `{place}{field}部门` (广东省其他部门, 广东省机构编制委员会办公室部门 is written 广东省机构编制委员会办公室).

`graph.analyses.find_splits` then reports every item whose stages two or more departments carry.

    >>> graph = read_service_catalogue(Path("policy.jsonl"))                       # doctest: +SKIP

Raises `InvalidData` (file, line) when the file is not JSON Lines of catalogue items.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph import ids
from graph.analyses.fields import department_field
from graph.errors import InvalidData, Problem
from graph.model import Edge, Node, Origin
from graph.text import normalize
from loaders.mapping import ListMapping, load_mapping, parse_power_type
from loaders.readgraph import WorkbookGraph
from loaders.stage_roles import stage_role
from ontology import EdgeKind, NodeKind, PowerType

__all__ = ["CATALOGUE_FIELDS", "STAGE_PHASES", "parse_co_departments", "read_service_catalogue"]

#: The fields a line must have to be a catalogue item.
CATALOGUE_FIELDS = ("TASK_CODE", "DEPT_NAME", "TASK_NAME")

#: The phase of a stage by a word of its name, for ordering a procedure; unknown words are phase 2.
STAGE_PHASES: tuple[tuple[str, int], ...] = (
    ("受理", 1),
    ("初审", 2),
    ("审查", 2),
    ("审核", 2),
    ("决定", 3),
    ("批准", 3),
    ("审批", 3),
    ("制证", 4),
    ("证件", 4),
    ("送达", 4),
)

_LEVELS = {
    "国家级": "nation",
    "省级": "province",
    "市级": "city",
    "县级": "county",
    "区级": "county",
    "乡镇级": "township",
}
_LIMIT = re.compile(r"^\s*(\d+)\s*[(（]\s*(工作日|自然日|天|日)\s*[)）]\s*$")
_PART = re.compile(
    r"^(?P<level>国家级|省级|市级|县级|区级|乡镇级)?(?P<field>[^（(]+?)[（(](?P<stages>[^）)]*)[）)]$"
)


@dataclass(frozen=True, slots=True)
class CoDepartment:
    """One part of `co_department`: a level, a field of work, and the stages its body carries."""

    level: str | None
    field: str
    stages: tuple[str, ...]


def parse_co_departments(text: str) -> list[CoDepartment]:
    """The parts of a `co_department` cell, in order; [] for `无` or an empty cell.

    >>> [(p.level, p.field, p.stages) for p in parse_co_departments("省级教育（受理）、市级司法（受理,审核）")]
    [('省级', '教育', ('受理',)), ('市级', '司法', ('受理', '审核'))]
    """
    parts: list[CoDepartment] = []
    for part in _top_level_split(text or ""):
        match = _PART.match(part.strip())
        if match is None:
            continue
        stages = tuple(s.strip() for s in re.split(r"[,，、]", match.group("stages")) if s.strip())
        parts.append(CoDepartment(match.group("level"), match.group("field").strip(), stages))
    return parts


def read_service_catalogue(
    path: Path, *, mapping: ListMapping | None = None, data: bytes | None = None
) -> WorkbookGraph:
    """The graph of a service-item catalogue in JSON Lines: items, departments, limits and stages;
    `data` is the file's bytes when already read.

    Lines that are not catalogue items are in the result's `problems`. Raises `InvalidData` when
    the file is missing, empty, not text, or has no catalogue item at all.
    """
    path = Path(path)
    if data is None:
        if not path.is_file():
            reason = "no such file"
            raise InvalidData(f"{path}: {reason}", [Problem("", None, None, None, reason, str(path))])
        data = path.read_bytes()
    records, problems = _records(path, data)
    if not records:
        reason = "not a service catalogue: no line is a JSON object with " + ", ".join(CATALOGUE_FIELDS)
        raise InvalidData(
            f"{path}: {reason}", [Problem("", None, None, None, reason, str(path)), *problems[:20]]
        )
    builder = _CatalogueBuilder(str(path), hashlib.sha256(data).hexdigest(), mapping or load_mapping())
    builder.result.problems.extend(problems)
    builder.build(records)
    return builder.result


def _records(path: Path, data: bytes) -> tuple[list[tuple[int, dict[str, Any]]], list[Problem]]:
    problems: list[Problem] = []
    if not data.strip():
        reason = "the file is empty"
        raise InvalidData(f"{path}: {reason}", [Problem("", None, None, None, reason, str(path))])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        reason = "not UTF-8 text (a binary file?)"
        raise InvalidData(f"{path}: {reason}", [Problem("", None, None, None, reason, str(path))]) from None
    if "\x00" in text:
        reason = "a binary file, not JSON Lines"
        raise InvalidData(f"{path}: {reason}", [Problem("", None, None, None, reason, str(path))])
    records: list[tuple[int, dict[str, Any]]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            problems.append(Problem("", number, None, line[:60], f"not JSON ({error.msg})", str(path)))
            continue
        except RecursionError:  # brackets nested deeper than the parser's stack
            reason = "not JSON that can be read (brackets nested too deep)"
            problems.append(Problem("", number, None, line[:60], reason, str(path)))
            continue
        except ValueError as error:  # a number of more than 4,300 digits …
            problems.append(
                Problem("", number, None, line[:60], f"not JSON that can be read ({error})", str(path))
            )
            continue
        try:
            json.dumps(record, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:  # `\ud800` escapes a half of a character, which no text can hold
            reason = "not text that can be read (it escapes half a character, a lone surrogate)"
            problems.append(Problem("", number, None, None, reason, str(path)))
            continue
        if not isinstance(record, dict) or any(not record.get(key) for key in CATALOGUE_FIELDS):
            missing = [key for key in CATALOGUE_FIELDS if not (isinstance(record, dict) and record.get(key))]
            problems.append(
                Problem("", number, None, None, f"not a catalogue item (no {', '.join(missing)})", str(path))
            )
            continue
        records.append((number, record))
    return records, problems


def _top_level_split(text: str) -> list[str]:
    """`text` split on 、 outside brackets."""
    parts, depth, current = [], 0, ""
    for char in text:
        if char in "（(":
            depth += 1
        elif char in "）)":
            depth = max(0, depth - 1)
        if char == "、" and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    if current:
        parts.append(current)
    return [part for part in parts if part.strip() and part.strip() != "无"]


def _phase(stage: str) -> int:
    for word, phase in STAGE_PHASES:
        if word in stage:
            return phase
    return 2


def _limit(text: Any) -> tuple[int | None, str | None]:
    """(working days, the text when it is not in working days) of `30(工作日)`, `90(自然日)`, `无`."""
    if not isinstance(text, str) or not text.strip() or text.strip() == "无":
        return None, None
    match = _LIMIT.match(text)
    if match and match.group(2) == "工作日":
        return int(match.group(1)), None
    return None, text.strip()


class _CatalogueBuilder:
    """Turns a catalogue's items into a `WorkbookGraph`: its governments, departments, items and stages."""

    def __init__(self, source: str, digest: str, mapping: ListMapping) -> None:
        self.result = WorkbookGraph(source)
        self.result.sheets = [Path(source).name]
        self.source = source
        self.digest = digest
        self.mapping = mapping
        self.province = ""
        self.departments: dict[str, dict[str, str]] = defaultdict(dict)  # government -> field core -> id

    def origin(self, line: int, column: str | None = None) -> Origin:
        return Origin(self.source, self.digest, Path(self.source).name, line, column)

    def add(self, node: Node) -> None:
        self.result.add_node(node)

    def edge(self, source: str, kind: EdgeKind, target: str, origin: Origin, **props: Any) -> None:
        self.result.add_edge(Edge(source, kind, target, props, origin))

    # -- governments and departments --

    def places(self, record: dict[str, Any]) -> list[str]:
        """The area's places from the province down: `广东省广州市` -> ['广东省', '广州市']."""
        area = normalize(str(record.get("AREA_CODE_TEXT") or ""))
        for province in self.mapping.provinces:
            if area.startswith(province):
                rest = area[len(province) :]
                return [province, rest] if rest else [province]
        return [area or "未注明地区"]

    def government(self, place: str) -> str:
        if place in ("国务院",):
            return place
        return place + self.mapping.government_suffix

    def department(self, government: str, place: str, name: str, origin: Origin) -> str:
        department = ids.department_id(government, name)
        government_node = ids.government_id(government)
        self.add(
            Node(
                government_node,
                NodeKind.GOVERNMENT,
                {"name": government, "key": normalize(government)},
                origin,
            )
        )
        self.add(
            Node(
                department,
                NodeKind.DEPARTMENT,
                {"name": name, "key": normalize(name), "government": government},
                origin,
            )
        )
        self.edge(department, EdgeKind.DEPARTMENT_OF, government_node, origin)
        core = normalize(department_field(name, place))
        self.departments[government].setdefault(core, department)
        return department

    def stage_department(self, part: CoDepartment, item_places: list[str], origin: Origin) -> str:
        """The department carrying a co_department part: by level and field, created when missing."""
        level = _LEVELS.get(part.level or "", "")
        province, own = item_places[0], item_places[-1]
        own_level = "province" if len(item_places) == 1 else "city"
        if level == "nation":
            place = "国务院"
        elif level == "province" or (not level and own_level == "province"):
            place = province
        elif level == "city":
            place = own if own_level == "city" else self.grouped(province, "city")
        elif level in ("county", "township"):
            place = self.grouped(own, level)
        else:
            place = own
        government = self.government(place)
        field = normalize(part.field)
        field = self.mapping.abbreviations.get(field, field)
        found = self.match(government, field)
        if found:
            return found
        name = place + field + ("" if re.search(r"(办公室|委员会|局|厅|部|委|办)$", field) else "部门")
        return self.department(government, place, name, origin)

    def grouped(self, place: str, level: str) -> str:
        group = self.mapping.government_groups.get(level, level)
        return self.mapping.grouped_government.format(place=place, group=group).removesuffix(
            self.mapping.government_suffix
        )

    def match(self, government: str, field: str) -> str | None:
        cores = self.departments.get(government, {})
        if field in cores:
            return cores[field]
        containing = sorted((core for core in cores if field in core), key=len)
        return cores[containing[0]] if containing else None

    # -- items --

    def build(self, records: list[tuple[int, dict[str, Any]]]) -> None:
        readable: list[tuple[int, dict[str, Any]]] = []
        for line, record in records:  # every department first: stages name them by field
            places = self.places(record)
            try:
                self.department(
                    self.government(places[-1]), places[-1], _clean(record["DEPT_NAME"]), self.origin(line)
                )
            except Exception as error:  # a case the reader did not foresee: the line, not a traceback
                self.unreadable(line, error)
                continue
            readable.append((line, record))
        for line, record in readable:
            try:
                self.item(line, record)
            except Exception as error:
                self.unreadable(line, error)

    def unreadable(self, line: int, error: Exception) -> None:
        reason = f"cannot be read ({type(error).__name__}: {error})"
        self.result.problems.append(Problem("", line, None, None, reason, self.source))

    def item(self, line: int, record: dict[str, Any]) -> None:
        places = self.places(record)
        government = self.government(places[-1])
        origin = self.origin(line)
        department = self.department(government, places[-1], _clean(record["DEPT_NAME"]), origin)
        code = _clean(record["TASK_CODE"])
        sub_item = _clean(record.get("subTaskName") or "") or None
        name = _clean(record["TASK_NAME"])
        if sub_item:
            for left, right in (("(", ")"), ("（", "）")):
                suffix = f"{left}{sub_item}{right}"
                if name.endswith(suffix) and len(name) > len(suffix):
                    name = name[: -len(suffix)]
        type_text = _clean(record.get("TASK_TYPE_TEXT") or record.get("matter_type") or "")
        power_type = parse_power_type(type_text, self.mapping) if type_text else None
        extra: dict[str, str] = {}
        if power_type is None or normalize(type_text) != power_type.value:
            extra["事项类型"] = type_text
        power_type = power_type or PowerType.OTHER
        statutory, statutory_text = _limit(record.get("handle_time"))
        promised, promised_text = _limit(record.get("handle_time_limit"))
        if statutory_text:
            extra["法定时限"] = statutory_text
        if promised_text:
            extra["承诺时限"] = promised_text
        for key, label in (("co_department", "联办部门"), ("accept_standard", "受理标准"), ("URL", "网址")):
            value = record.get(key)
            if isinstance(value, str) and value.strip() and value.strip() != "无":
                extra[label] = value.strip()
        item = ids.power_item_id(code, sub_item)
        level = _clean(record.get("matter_level") or "")
        props = {
            "code": code,
            "name": name,
            "key": normalize(name),
            "sub_item": sub_item,
            "power_type": power_type.value,
            "statutory_days": statutory,
            "promised_days": promised,
            "level": level or None,
            "extra": extra or None,
        }
        self.add(Node(item, NodeKind.POWER_ITEM, {k: v for k, v in props.items() if v is not None}, origin))
        self.edge(item, EdgeKind.HELD_BY, department, self.origin(line, "DEPT_NAME"), position=0)
        stages = [
            (part, stage)
            for part in parse_co_departments(str(record.get("co_department") or ""))
            for stage in part.stages
        ]
        ordered = sorted(enumerate(stages), key=lambda pair: (_phase(pair[1][1]), pair[0]))
        stage_origin = self.origin(line, "co_department")
        for step, (_, (part, stage_name)) in enumerate(ordered, start=1):
            stage = ids.stage_id(item, step)
            role = stage_role(stage_name)
            self.add(
                Node(
                    stage,
                    NodeKind.STAGE,
                    {"step": step, "name": stage_name, **({"role": role.value} if role else {})},
                    stage_origin,
                )
            )
            self.edge(stage, EdgeKind.STAGE_OF, item, stage_origin)
            self.edge(
                stage,
                EdgeKind.STAGE_DEPARTMENT,
                self.stage_department(part, places, stage_origin),
                stage_origin,
            )


def _clean(text: Any) -> str:
    return re.sub(r"\s+", "", str(text or ""))
