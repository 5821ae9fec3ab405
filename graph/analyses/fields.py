"""Fields of work: which department an article's 主管部门 wording names.

Laws name a kind of department, not a department: `县级以上地方人民政府畜牧兽医行政主管部门`.
`competent_field` strips the level of government and the department suffix,
leaving the field (`畜牧兽医`). A department's field is its name without the
government's place name and its suffix (`巴中市农业农村局` -> `农业农村`), widened
by a small lexicon of what departments of that field were called before the
2018 reforms merged them (a 农业农村局 does the work of the former 畜牧兽医 and 农机
bureaux; a 市场监督管理局 that of 工商, 质监 and 食品药品监管). A field word
matches a department when it is contained in one of the department's field
names, ignoring 和/与; this is deliberately narrow (no charter text), so that
a department is never said to own a field merely because its charter mentions
the word in passing.

    >>> competent_field("县级以上地方人民政府畜牧兽医行政主管部门")
    ('畜牧兽医',)
    >>> competent_field("县级以上人民政府农业、林业主管部门")
    ('农业', '林业')
"""

from __future__ import annotations

import re

from graph.analyses.links import Links
from graph.text import normalize
from ontology import NodeKind

__all__ = ["ALIASES", "DepartmentFields", "competent_field", "department_field", "department_fields"]

# A department's field (its name's core) -> what the same work was called before or elsewhere.
ALIASES: dict[str, tuple[str, ...]] = {
    "市场监督管理": (
        "食品安全监督管理",
        "食品药品监督管理",
        "药品监督管理",
        "工商行政管理",
        "质量技术监督",
        "产品质量监督",
        "质量监督",
        "知识产权",
        "计量",
        "标准化",
        "特种设备安全监督管理",
        "价格",
    ),
    "农业农村": ("农业", "畜牧兽医", "兽医", "渔业", "农业机械", "农机", "植物检疫", "种子"),
    "自然资源和规划": ("自然资源", "国土资源", "土地管理", "城乡规划", "测绘地理信息", "矿产资源"),
    "自然资源": ("国土资源", "土地管理", "测绘地理信息", "矿产资源"),
    "住房和城乡建设": ("建设", "城乡建设", "房地产", "住房保障", "建筑"),
    "生态环境": ("环境保护", "环保"),
    "卫生健康": ("卫生", "计划生育", "卫生计生"),
    "人力资源和社会保障": ("劳动保障", "劳动", "社会保险", "人力资源"),
    "应急管理": ("安全生产监督管理", "安全生产", "防震减灾"),
    "文化广电旅游": ("文化", "广播电视", "旅游", "文物", "新闻出版", "电影"),
    "文化体育广播电视和旅游": ("文化", "体育", "广播电视", "旅游", "文物", "新闻出版"),
    "交通运输": ("交通", "道路运输", "公路"),
    "公安": ("公安机关",),
    "城市管理执法": ("城市管理", "市容环境卫生", "城管", "环境卫生"),
    "城市管理": ("城市管理执法", "市容环境卫生", "城管", "环境卫生"),
    "医疗保障": ("医保",),
    "发展和改革": ("发展改革", "价格"),
    "发展和改革委员会": ("发展改革", "价格"),
    "水利": ("水行政",),
    "林业": ("草原", "林草"),
    "司法": ("司法行政",),
    "科学技术": ("科技",),
    "退役军人事务": ("退役军人",),
    "民族宗教事务": ("民族事务", "宗教事务"),
    "人民防空": ("人防",),
    "地方金融监督管理": ("金融",),
    "粮食和物资储备": ("粮食",),
    "机关事务管理": ("机关事务",),
}

_LEVEL = re.compile(
    r"^((省|自治区|直辖市|省级|设区的市级?|市级|地级|县级以上|县级|乡镇|地方|本级|各级|[、，,和与])*(人民)?政府(的)?"
    r"|国务院|中央)"
)
_SUFFIX = re.compile(r"(行政)?(主管|管理|监督管理)?(部门|机关|机构|单位)(负责)?$")
_DEPARTMENT_SUFFIX = re.compile(r"(委员会|办公室|局|委|办|厅|中心|支队|大队|所)$")
_LINKS = re.compile(r"[和与及]")


def competent_field(wording: str) -> tuple[str, ...]:
    """The field words an article's 主管部门 wording names; () when it names no particular field."""
    text = normalize(wording)
    if text.endswith("政府"):
        return ()  # the government itself, not one of its departments
    text = _LEVEL.sub("", text)
    text = _SUFFIX.sub("", text)
    words = tuple(word for word in re.split(r"[、，,]", text) if len(word) >= 2 and word not in _VAGUE)
    return words


_VAGUE = frozenset({"有关", "相关", "其他有关", "有关部门", "相应"})


def department_field(name: str, place: str = "") -> str:
    """The core of a department's name: without the place name of its government and its suffix."""
    core = normalize(name)
    place = normalize(place)
    if place and core.startswith(place) and len(core) > len(place) + 1:
        core = core[len(place) :]
    elif core[:1] in ("市", "县", "区") and len(core) > 2:  # 市财政局: the place written short
        core = core[1:]
    return _DEPARTMENT_SUFFIX.sub("", core)


class DepartmentFields:
    """The field names of each department of a graph, and whether a field word matches one."""

    def __init__(self, names: dict[str, str], fields: dict[str, tuple[str, ...]]) -> None:
        self._names = names
        self._fields = fields

    def name(self, department: str) -> str:
        return self._names.get(department, department)

    def fields(self, department: str) -> tuple[str, ...]:
        return self._fields.get(department, ())

    def matches(self, department: str, words: tuple[str, ...]) -> bool:
        """Whether any of the field words is one of the department's fields (ignoring 和/与)."""
        fields = self._fields.get(department, ())
        return any(_LINKS.sub("", word) in field for word in words for field in fields)


def department_fields(links: Links) -> DepartmentFields:
    """The fields of every department, from its name and `ALIASES`."""
    names: dict[str, str] = {}
    fields: dict[str, tuple[str, ...]] = {}
    governments = links.nodes(NodeKind.GOVERNMENT)
    for department in links.nodes(NodeKind.DEPARTMENT).values():
        government = governments.get(links.government_of.get(department.id, ""))
        place = str(government["name"]).removesuffix("人民政府") if government else ""
        core = department_field(str(department["name"]), place)
        names[department.id] = str(department["name"])
        fields[department.id] = tuple(_LINKS.sub("", field) for field in (core, *ALIASES.get(core, ())))
    return DepartmentFields(names, fields)
