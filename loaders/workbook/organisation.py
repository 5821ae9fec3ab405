"""Read the organisation's sheets of a workbook: departments, units, posts and holdings of posts.

Each reader takes the builder and one row (`loaders.workbook.rows.SheetRow`). A department is one of
its government (部门名称 and 所属政府), known after by its name or its code; its parent (主管部门) is
looked up once every department is known, since a parent may come after its child. A unit is one of
its department, a post one of its department or unit, and a holding (任职) ties a person to a post
from a date, the names of one person the same on every row (the problem names the row, never the name).
"""

from __future__ import annotations

from graph import ids
from graph.text import normalize
from loaders.workbook.builder import WorkbookBuilder
from loaders.workbook.rows import SheetRow
from ontology import EdgeKind, NodeKind, PostCategory

__all__ = ["read_department", "read_holding", "read_post", "read_unit"]

_POST_CATEGORIES = {normalize(category.value): category.value for category in PostCategory}
_QUOTA_TYPES = {normalize(name): name for name in ("行政编制", "事业编制", "工勤编制", "编外")}
#: 任职方式: held in post (the default, when the cell is empty), concurrently, seconded, temporarily
_MODES = {normalize(name): name for name in ("任职", "兼任", "借调", "挂职")}


def read_department(builder: WorkbookBuilder, row: SheetRow) -> None:
    name = row.required("department")
    government = row.required("government")
    row.defines.append(("departments", normalize(name)))
    if not name or not government:
        return
    department = ids.department_id(government, name)
    if department in builder.result.nodes:
        row.problem("department", name, f"is a duplicate: {government} already has this department")
        return
    code = row.text("code")
    row.node(ids.government_id(government), NodeKind.GOVERNMENT, name=government, key=normalize(government))
    row.node(
        department,
        NodeKind.DEPARTMENT,
        name=name,
        key=normalize(name),
        code=code,
        government=government,
        department_kind=row.text("kind"),
        admin_quota=row.integer("admin_quota"),
        institution_quota=row.integer("institution_quota"),
        leader_quota=row.integer("leader_quota"),
        extra=row.extra(),
    )
    row.edge(department, EdgeKind.DEPARTMENT_OF, ids.government_id(government))
    if not row.problems:
        builder.departments[normalize(name)].append(department)
        if code:
            builder.departments[normalize(code)].append(department)
        parent = row.text("parent")
        if parent:
            builder.pending.append(lambda: _managed_by(builder, row.again(), department, parent, government))


def read_unit(builder: WorkbookBuilder, row: SheetRow) -> None:
    department_name, name = row.required("department"), row.required("unit")
    department = department_name and builder.find_department(row, "department", department_name)
    if not department or not name:
        return
    row.defines.append(("units", f"{department}/{normalize(name)}"))
    unit = ids.unit_id(department, name)
    if unit in builder.result.nodes:
        row.problem("unit", name, "is a duplicate unit of this department")
        return
    row.node(
        unit,
        NodeKind.UNIT,
        name=name,
        key=normalize(name),
        quota=row.integer("quota"),
        duties=row.text("duties"),
        extra=row.extra(),
    )
    row.edge(unit, EdgeKind.UNIT_OF, department)
    if not row.problems:
        builder.units[(department, normalize(name))] = unit


def read_post(builder: WorkbookBuilder, row: SheetRow) -> None:
    code, department_name, name = (
        row.required("post_code"),
        row.required("department"),
        row.required("post"),
    )
    row.defines.append(("posts", normalize(code)))
    department = department_name and builder.find_department(row, "department", department_name)
    if not code or not department or not name:
        return
    post = ids.post_id(code)
    if normalize(code) in builder.posts:
        row.problem("post_code", code, "is a duplicate post code")
        return
    unit_name = row.text("unit")
    unit = builder.find_unit(row, "unit", department, unit_name) if unit_name else None
    category = row.choice("category", _POST_CATEGORIES) or PostCategory.STAFF.value
    row.node(
        post,
        NodeKind.POST,
        name=name,
        key=normalize(name),
        code=code,
        category=category,
        rank=row.text("rank"),
        duties=row.text("duties"),
        extra=row.extra(),
    )
    row.edge(post, EdgeKind.POST_IN, unit or department)
    for supervised in row.items("supervises"):
        target = builder.find_unit(row, "supervises", department, supervised)
        if target:
            row.edge(post, EdgeKind.SUPERVISES, target)
    if not row.problems:
        builder.posts[normalize(code)] = post


def read_holding(builder: WorkbookBuilder, row: SheetRow) -> None:
    person_code, name = row.required("person_id"), row.required("name")
    row.defines.append(("holdings", normalize(person_code)))
    post_code = row.text("post_code")
    post = builder.find_post(row, "post_code", post_code) if post_code else None
    start, end = row.date("start"), row.date("end")
    if post_code and start is None and not row.text("start"):
        row.problem("start", "", "is required for a holding of a post")
    if start and end and end < start:
        row.problem("end", end.isoformat(), f"is before the start {start.isoformat()}")
    quota_type = row.choice("quota_type", _QUOTA_TYPES)
    mode = row.choice("mode", _MODES)
    quota_name = row.text("quota_department")
    quota = builder.find_department(row, "quota_department", quota_name) if quota_name else None
    if not person_code or not name:
        return
    person = ids.person_id(person_code)
    first = builder.persons.get(normalize(person_code))
    known = builder.result.nodes.get(person)
    if known is not None and normalize(known["name"]) != normalize(name):
        # The names themselves are personal data: the problem says where, not what.
        row.problem("name", None, f"differs from the name of {person_code} in row {first}")
    holding = ids.holding_id(person_code, post_code or None, start, row.number)
    if holding in builder.result.nodes:
        row.problem("start", start, f"{person_code} already holds {post_code} from this date")
    row.node(person, NodeKind.PERSON, person_id=person_code, name=name)
    row.node(
        holding, NodeKind.HOLDING, start=start, end=end, quota_type=quota_type, mode=mode, extra=row.extra()
    )
    row.edge(holding, EdgeKind.HOLDING_OF, person)
    if post:
        row.edge(holding, EdgeKind.HOLDING_POST, post)
    if quota:
        row.edge(holding, EdgeKind.QUOTA_IN, quota)
    if not row.problems:
        builder.persons.setdefault(normalize(person_code), row.number)


def _managed_by(
    builder: WorkbookBuilder, row: SheetRow, department: str, parent: str, government: str
) -> None:
    """Runs once every department is known, since a parent may come after its child."""
    candidates = builder.departments.get(normalize(parent), [])
    same_government = [c for c in candidates if c.startswith(f"department:{normalize(government)}/")]
    found = same_government or candidates
    if len(found) != 1:
        row.problem("parent", parent, "names no known department" if not found else "is ambiguous")
    elif found[0] == department:
        row.problem("parent", parent, "names the department itself")
    else:
        row.edge(department, EdgeKind.MANAGED_BY, found[0], "parent")
    builder.finish(row)
