"""Read the powers' sheets of a workbook: laws, functions, power items, their prerequisites and stages.

A legal basis (设定依据) is read into citations (`loaders.citations`): each cited law and article becomes
a node, and the item or function a CITES edge to it, with the paragraphs cited and the order written;
its `basis_status` says whether an article was read. A power item (事项编码, and 子项 when the code has
several) is held by every implementing body it names, in order; its type is read through the one
table of power types (`loaders.mapping.parse_power_type`). Prerequisites (前置事项) are looked up once
every item is known. A stage's role is its 责任类型, else what its name says (`loaders.stage_roles`).
"""

from __future__ import annotations

from graph import ids
from graph.text import normalize
from loaders.citations import Citation, parse_citations
from loaders.mapping import parse_power_type
from loaders.readgraph import article_props, citation_part
from loaders.stage_roles import role_named, stage_role
from loaders.workbook.builder import WorkbookBuilder
from loaders.workbook.rows import SheetRow
from ontology import EdgeKind, NodeKind, PowerType

__all__ = ["read_function", "read_law", "read_power", "read_stage"]

_FUNCTION_CATEGORIES = {normalize(name): name for name in ("经济调节", "市场监管", "社会管理", "公共服务")}


def read_law(builder: WorkbookBuilder, row: SheetRow) -> None:
    name = row.required("law")
    if not name:
        return
    law = ids.law_id(name)
    row.node(law, NodeKind.LAW, name=name, key=law.removeprefix("law:"), rank=row.text("rank"))
    article_text = row.text("article")
    if not article_text:
        return
    cited = [c for c in parse_citations(f"《{name}》{article_text}") if c.article is not None]
    if len(cited) != 1:
        row.problem("article", article_text, "is not one article (write it as 第四十条 or 第四十条第一款)")
        return
    citation = cited[0]
    assert citation.article is not None
    article = ids.article_id(name, citation.article, citation.article_suffix)
    row.node(
        article,
        NodeKind.ARTICLE,
        **article_props(citation.article, citation.article_suffix),
        text=row.text("text"),
        mandated_duty=row.text("mandated_duty"),
        competent=row.text("competent"),
        extra=row.extra(),
    )
    row.edge(article, EdgeKind.ARTICLE_OF, law)


def read_function(builder: WorkbookBuilder, row: SheetRow) -> None:
    code, department_name, text = (
        row.required("function_code"),
        row.required("department"),
        row.required("text"),
    )
    department = department_name and builder.find_department(row, "department", department_name)
    if not code or not department or not text:
        return
    function = ids.function_id(code)
    if function in builder.result.nodes:
        row.problem("function_code", code, "is a duplicate function code")
        return
    basis = row.text("basis")
    row.node(
        function,
        NodeKind.FUNCTION,
        code=code,
        text=text,
        category=row.choice("category", _FUNCTION_CATEGORIES),
        basis=basis,
        extra=row.extra(),
    )
    row.edge(function, EdgeKind.FUNCTION_OF, department)
    for unit_name in row.items("units"):
        unit = builder.find_unit(row, "units", department, unit_name)
        if unit:
            row.edge(function, EdgeKind.CARRIED_BY, unit)
    _cite(builder, row, function, "basis", basis)


def read_power(builder: WorkbookBuilder, row: SheetRow) -> None:
    code, name = row.required("item_code"), row.required("item")
    row.defines.append(("powers", normalize(code)))
    type_text = row.required("power_type")
    power_type = parse_power_type(type_text) if type_text else None
    if type_text and power_type is None:
        row.problem("power_type", type_text, "is not a power type: " + " / ".join(t.value for t in PowerType))
    names = row.items("department")
    if not names:
        row.problem("department", "", "is required")
    departments = [d for d in (builder.find_department(row, "department", n) for n in names) if d]
    if not code or not name or power_type is None or len(departments) != len(names) or not names:
        return
    sub_item = row.text("sub_item") or None
    item = ids.power_item_id(code, sub_item)
    if item in builder.result.nodes:
        row.problem("item_code", code, "is a duplicate item code" + (" and sub-item" if sub_item else ""))
        return
    unit_name = row.text("unit")
    unit = None
    if unit_name:
        unit = next((u for d in departments if (u := builder.units.get((d, normalize(unit_name))))), None)
        if unit is None:
            key = f"{departments[0]}/{normalize(unit_name)}"
            builder.unknown(
                row, "units", key, "unit", unit_name, "names no unit of the implementing department"
            )
    basis = row.text("basis")
    row.node(
        item,
        NodeKind.POWER_ITEM,
        code=code,
        name=name,
        key=normalize(name),
        sub_item=sub_item,
        power_type=power_type.value,
        duties=row.text("duties"),
        triggers=row.text("triggers"),
        statutory_days=row.integer("statutory_days"),
        promised_days=row.integer("promised_days"),
        basis=basis,
        basis_status=_cite(builder, row, item, "basis", basis),
        note=row.text("note"),
        extra=row.extra(),
    )
    joint = len(departments) > 1 or None  # marked on a joint item only: nothing reads a false one
    for position, department in enumerate(departments):
        row.edge(item, EdgeKind.HELD_BY, department, joint=joint, position=position)
    if unit:
        row.edge(item, EdgeKind.HANDLED_BY, unit)
    if not row.problems:
        builder.items[normalize(code)].append(item)
        builder.item_departments[item] = departments[0]
        prerequisites = row.items("prerequisites")
        if prerequisites:
            builder.pending.append(lambda: _requires(builder, row.again(), item, prerequisites))


def read_stage(builder: WorkbookBuilder, row: SheetRow) -> None:
    code, step, name = row.required("item_code"), row.integer("step"), row.required("stage")
    if step is None and not row.text("step"):
        row.problem("step", "", "is required")
    elif step is not None and step < 1:
        row.problem("step", step, "must be 1 or more")
    items = builder.find_items(row, "item_code", code) if code else []
    role_text = row.text("role")
    role = role_named(role_text) if role_text else stage_role(name)
    if role_text and role is None:
        row.problem("role", role_text, "must be 承办 / 审核 / 批准")
    department_name = row.text("department")
    department = builder.find_department(row, "department", department_name) if department_name else None
    unit_name = row.text("unit")
    post_code = row.text("post_code")
    post = builder.find_post(row, "post_code", post_code) if post_code else None
    days = row.integer("days")
    if not items or step is None or not name:
        return
    row.defines.extend(("stages", f"{item}/{step}") for item in items)
    for item in items:
        holder = department or builder.item_departments.get(item)
        stage = ids.stage_id(item, step)
        if stage in builder.result.nodes:
            row.problem("step", step, f"is a duplicate step of item {code}")
            return
        unit = builder.find_unit(row, "unit", holder, unit_name) if unit_name and holder else None
        row.node(
            stage,
            NodeKind.STAGE,
            step=step,
            name=name,
            role=role.value if role else None,
            days=days,
            extra=row.extra(),
        )
        row.edge(stage, EdgeKind.STAGE_OF, item)
        if holder:
            row.edge(stage, EdgeKind.STAGE_DEPARTMENT, holder)
        if unit:
            row.edge(stage, EdgeKind.STAGE_UNIT, unit)
        if post:
            row.edge(stage, EdgeKind.STAGE_POST, post)


def _requires(builder: WorkbookBuilder, row: SheetRow, item: str, codes: list[str]) -> None:
    """Runs once every item is known, since a prerequisite may come after the item needing it."""
    for code in codes:
        for prerequisite in builder.find_items(row, "prerequisites", code):
            if prerequisite == item:
                row.problem("prerequisites", code, "names the item itself")
            else:
                row.edge(item, EdgeKind.REQUIRES, prerequisite, "prerequisites")
    builder.finish(row)


def _cite(builder: WorkbookBuilder, row: SheetRow, source: str, column: str, text: str) -> str:
    """Add edges from `source` to what the text cites; return the basis status."""
    if not text:
        return "empty"
    citations = parse_citations(text)
    if not citations:
        return "unparsed"
    for position, citation in enumerate(citations):
        row.edge(
            source,
            EdgeKind.CITES,
            _cited(builder, row, citation),
            column,
            citations=(citation.text,),
            paragraphs=citation_part(citation),
            position=position,  # the order the basis cites them in: stores return edges in any order
        )
    return "parsed" if any(c.article is not None for c in citations) else "law_only"


def _cited(builder: WorkbookBuilder, row: SheetRow, citation: Citation) -> str:
    law = ids.law_id(citation.law)
    if law not in builder.result.nodes:
        row.node(law, NodeKind.LAW, name=citation.law, key=citation.law_key, rank=citation.rank)
    if citation.article is None:
        return law
    article = ids.article_id(citation.law, citation.article, citation.article_suffix)
    if article not in builder.result.nodes:
        row.node(article, NodeKind.ARTICLE, **article_props(citation.article, citation.article_suffix))
        row.edge(article, EdgeKind.ARTICLE_OF, law)
    return article
