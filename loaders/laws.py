"""A catalogue of laws and their articles, and the resolution of citations against it.

The catalogue is an input, like a workbook: a folder of law texts in the format of LawRefBook
(one Markdown file per law version, `行政法/行政许可法(2019-04-23).md`, a `# 中华人民共和国行政许可法`
title and one line per article starting `第…条`, `第十条之一` included) with its `db.sqlite3`
(table `law`: name, level, publish date, valid_from, expired flag), or a quanze workbook's `laws`
sheet (法律依据: 依据名称, 效力层级, 条款, 条文).

    >>> catalogue = read_law_catalogue(Path("../shared/data/laws"))               # doctest: +SKIP
    >>> resolve(catalogue, parse_citations("《中华人民共和国行政许可法》第十二条")[0]).status  # doctest: +SKIP
    <ResolutionStatus.RESOLVED: 'RESOLVED'>

`resolve` finds a citation's law by its full title, its short name (without 中华人民共和国), a known
abbreviation (`loaders/mappings/laws.toml`), or the title without a bracketed note; takes the
version in force on the date (the latest version that has started by then); and checks the article
in that version's text. Its status is one of:

- `RESOLVED`: the law is in force and has the article (or the law is cited without an article:
  `LAW_ONLY`);
- `UNKNOWN_LAW`: the catalogue has no law of that name (a typo, an old name, a local regulation or
  a normative document the catalogue does not hold);
- `REPEALED_LAW`: the version in force on the date has expired (`expired` in the catalogue) and no
  later version replaced it;
- `NO_SUCH_ARTICLE`: the version in force has no such article (`other_version` tells when an
  earlier version has it: the list cites a superseded numbering);
- `NO_TEXT`: the law is in force but the catalogue holds no text of it, or a text that stops
  short (`LawVersion.complete`), so the article cannot be checked.

`attach_catalogue(graph, catalogue)` records these facts on a graph's Law and Article nodes (Law:
`in_catalogue`, `title`, `rank`, `version`, `expired`; Article: `exists`, `text`), so that
`graph.analyses.legal.find_legal_gaps` finds the gaps on any store; `check_citations` does both.
"""

from __future__ import annotations

import re
import sqlite3
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from graph.analyses.gap_kinds import Gap
from graph.analyses.legal import find_legal_gaps
from graph.errors import InvalidData, Problem
from graph.memory import MemoryStore
from graph.model import Node
from graph.store import GraphReader
from graph.text import normalize, normalize_law_name
from loaders.citations import Citation, parse_citations
from loaders.numerals import NumeralError, parse_chinese_numeral
from loaders.readgraph import WorkbookGraph, article_label
from ontology import EdgeKind, NodeKind

__all__ = [
    "ABBREVIATIONS_FILE",
    "LawArticle",
    "LawCatalogue",
    "LawVersion",
    "Resolution",
    "ResolutionStatus",
    "attach_catalogue",
    "catalogue_nodes",
    "check_citations",
    "read_law_catalogue",
    "resolve",
]

ABBREVIATIONS_FILE = Path(__file__).with_name("mappings") / "laws.toml"


@dataclass(frozen=True, slots=True)
class LawArticle:
    """One article of one version of a law, with its text (paragraphs joined by line breaks)."""

    number: int
    suffix: int | None
    text: str

    @property
    def label(self) -> str:
        return article_label(self.number, self.suffix)


@dataclass(slots=True)
class LawVersion:
    """One version of a law: its dates, whether it has expired, and (when the catalogue has it) its text."""

    key: str
    """`graph.text.normalize_law_name` of the name: what citations are matched on."""
    name: str
    """The catalogue's name (short: 行政许可法)."""
    title: str
    """The full title the text gives (中华人民共和国行政许可法), else the name."""
    rank: str
    published: date | None
    valid_from: date | None
    expired: bool
    files: tuple[Path, ...] = ()
    _articles: dict[tuple[int, int | None], LawArticle] | None = field(default=None, repr=False)

    @property
    def starts(self) -> date | None:
        """When the version took effect: its valid_from, else its publication."""
        return self.valid_from or self.published

    @property
    def has_text(self) -> bool:
        return bool(self.files) or self._articles is not None

    def articles(self) -> dict[tuple[int, int | None], LawArticle]:
        """The version's articles by (number, suffix), read from its text on first use ({} without text)."""
        if self._articles is None:
            self._articles = {}
            for file in self.files:
                self._articles.update(_read_articles(file))
        return self._articles

    def article(self, number: int, suffix: int | None = None) -> LawArticle | None:
        return self.articles().get((number, suffix))

    @property
    def complete(self) -> bool:
        """Whether the text holds the whole law: articles 1 to N without a gap, the last saying when it
        takes effect (施行, 生效 …). Some texts of the catalogue stop after a few articles; an article
        missing from them is not missing from the law."""
        articles = self.articles()
        numbers = sorted(number for number, suffix in articles if suffix is None)
        if not numbers or numbers != list(range(1, numbers[-1] + 1)):
            return False
        last = articles[(numbers[-1], None)].text
        return any(word in last for word in ("施行", "生效", "实施", "废止", "执行"))


@dataclass(slots=True)
class LawCatalogue:
    """Laws by key, each with its versions in the order they took effect."""

    source: str
    laws: dict[str, list[LawVersion]] = field(default_factory=dict)
    abbreviations: dict[str, str] = field(default_factory=dict)
    """normalised abbreviation -> law key."""
    titles: dict[str, str] = field(default_factory=dict)
    """normalised full title -> law key."""

    def find(self, name: str) -> tuple[str | None, str | None]:
        """The key of the law `name` names and how it was matched ('full', 'short', 'abbreviation',
        'without note'), or (None, None)."""
        written = re.sub(r"[《》〈〉<>]", "", normalize(name))
        key = normalize_law_name(name)
        if key in self.laws:
            return key, "full" if written in self.titles else "short"
        if key in self.abbreviations:
            return self.abbreviations[key], "abbreviation"
        stripped = re.sub(r"[（(][^（）()]*[)）]$", "", key)
        if stripped != key:
            found, _ = self.find(stripped)
            if found:
                return found, "without note"
        return None, None

    def in_force(self, key: str, on: date | None = None) -> LawVersion | None:
        """The version of law `key` in force on `on` (default today): the latest that had started by
        then (the earliest when none had); None for an unknown law. Whether the law is repealed is
        `is_repealed`: the catalogue's `expired` flag says a version is not in force today, which for
        an old version only means a later one replaced it."""
        versions = self.laws.get(key)
        if not versions:
            return None
        on = on or date.today()
        started = [v for v in versions if v.starts is None or v.starts <= on]
        return started[-1] if started else versions[0]

    def is_repealed(self, version: LawVersion) -> bool:
        """Whether a version's law is repealed: the version has expired and no later version is in force."""
        later = [
            v for v in self.laws.get(version.key, []) if (v.starts or date.min) > (version.starts or date.min)
        ]
        return version.expired and all(v.expired for v in later)

    def versions(self, key: str) -> list[LawVersion]:
        return self.laws.get(key, [])


class ResolutionStatus(StrEnum):
    RESOLVED = "RESOLVED"
    LAW_ONLY = "LAW_ONLY"
    UNKNOWN_LAW = "UNKNOWN_LAW"
    REPEALED_LAW = "REPEALED_LAW"
    NO_SUCH_ARTICLE = "NO_SUCH_ARTICLE"
    NO_TEXT = "NO_TEXT"


@dataclass(frozen=True, slots=True)
class Resolution:
    """What a citation resolves to in a catalogue, and why not when it does not."""

    status: ResolutionStatus
    law: str | None = None
    """The catalogue key of the law."""
    matched_by: str | None = None
    version: LawVersion | None = None
    article: LawArticle | None = None
    other_version: LawVersion | None = None
    """For NO_SUCH_ARTICLE: an earlier version that has the article."""


def read_law_catalogue(path: Path) -> LawCatalogue:
    """The catalogue at `path`: a LawRefBook folder (Markdown texts and `db.sqlite3`), or a workbook
    (an .xlsx file, or a folder of .csv files) with a `laws` sheet.

    Raises `InvalidData` naming the path when it holds neither.
    """
    path = Path(path)
    if path.is_dir() and ((path / "db.sqlite3").is_file() or any(path.rglob("*.md"))):
        catalogue = _read_folder(path)
    elif path.exists():
        catalogue = _read_workbook_laws(path)
    else:
        raise InvalidData(f"{path}: no such file or folder", [_problem(path, "no such file or folder")])
    catalogue.abbreviations.update(_abbreviations(catalogue))
    return catalogue


def resolve(catalogue: LawCatalogue, citation: Citation, on: date | None = None) -> Resolution:
    """The law, version and article a citation names, on the date `on` (default today)."""
    key, matched_by = catalogue.find(citation.law)
    if key is None:
        return Resolution(ResolutionStatus.UNKNOWN_LAW)
    version = catalogue.in_force(key, on)
    assert version is not None
    if catalogue.is_repealed(version):
        return Resolution(ResolutionStatus.REPEALED_LAW, key, matched_by, version)
    if citation.article is None:
        return Resolution(ResolutionStatus.LAW_ONLY, key, matched_by, version)
    number, suffix = citation.article, citation.article_suffix
    if version.has_text:
        found = version.article(number, suffix)
        if found is not None:
            return Resolution(ResolutionStatus.RESOLVED, key, matched_by, version, found)
        if version.complete:
            earlier = next(
                (
                    v
                    for v in reversed(catalogue.versions(key))
                    if v is not version and v.article(number, suffix)
                ),
                None,
            )
            return Resolution(
                ResolutionStatus.NO_SUCH_ARTICLE, key, matched_by, version, other_version=earlier
            )
    for other in reversed(catalogue.versions(key)):  # no text of the version in force: another's
        if other.has_text and other.article(number, suffix):
            return Resolution(
                ResolutionStatus.RESOLVED, key, matched_by, version, other.article(number, suffix)
            )
    return Resolution(ResolutionStatus.NO_TEXT, key, matched_by, version)


def catalogue_nodes(
    catalogue: LawCatalogue, graph: WorkbookGraph | GraphReader, *, on: date | None = None
) -> list[Node]:
    """The graph's Law and Article nodes with what the catalogue says of them, as new nodes.

    Law: `in_catalogue`, and when found `title`, `rank`, `version` (the date the version in force
    took effect) and `expired`. Article: `exists` (when the text can tell) and `text`.
    """
    laws, articles, article_law = _law_nodes(graph)
    updated: list[Node] = []
    resolved: dict[str, tuple[str | None, str | None]] = {}
    for law in laws:
        key, _ = catalogue.find(str(law.get("name") or law.id.removeprefix("law:")))
        resolved[law.id] = (key, None)
        props = dict(law.props)
        props["in_catalogue"] = key is not None
        if key is not None:
            version = catalogue.in_force(key, on)
            assert version is not None
            props.update(title=version.title, rank=version.rank, expired=catalogue.is_repealed(version))
            if version.starts:
                props["version"] = version.starts
        updated.append(Node(law.id, law.kind, props, law.origin))
    names = {law.id: str(law.get("name") or "") for law in laws}
    for article in articles:
        law_id = article_law.get(article.id)
        if law_id is None or article.get("number") is None:
            continue
        citation = Citation(
            names.get(law_id, ""), "", int(article["number"]), article.get("suffix"), None, None, "", None
        )
        found = resolve(catalogue, citation, on)
        props = dict(article.props)
        if found.status is ResolutionStatus.RESOLVED and found.article is not None:
            props["exists"] = True
            props.setdefault("text", found.article.text)
        elif found.status is ResolutionStatus.NO_SUCH_ARTICLE:
            props["exists"] = False
        else:
            continue
        updated.append(Node(article.id, article.kind, props, article.origin))
    return updated


def attach_catalogue(
    graph: WorkbookGraph, catalogue: LawCatalogue, *, on: date | None = None
) -> WorkbookGraph:
    """`graph` with the catalogue's facts recorded on its Law and Article nodes (changed in place)."""
    for node in catalogue_nodes(catalogue, graph, on=on):
        graph.nodes[node.id] = node
    return graph


def check_citations(
    graph: WorkbookGraph | GraphReader, catalogue: LawCatalogue, *, on: date | None = None
) -> list[Gap]:
    """The UNKNOWN_LAW, NO_SUCH_ARTICLE and REPEALED_LAW findings of a graph's citations.

    Works on a graph as read (`WorkbookGraph`) or on any store; neither is changed.
    """
    store = MemoryStore()
    with store.writer() as writer:
        nodes, edges = _snapshot(graph)
        for node in nodes:
            writer.add_node(node)
        for node in catalogue_nodes(catalogue, graph, on=on):
            writer.add_node(node)
        for edge in edges:
            writer.add_edge(edge)
    return find_legal_gaps(store)


# -- reading a LawRefBook folder ---------------------------------------------------------------

_ARTICLE_LINE = re.compile(
    r"^第([零〇一二两三四五六七八九十百千\d]+)条(?:之([一二三四五六七八九十\d]+))?(?:[\s\u3000]+|$)"
)
_FILE_NAME = re.compile(r"^(?P<name>.*?)(?:\((?P<date>\d{4}-\d{2}-\d{2})\))?$")


def _problem(path: Path | str, reason: str) -> Problem:
    return Problem("", None, None, None, reason, str(path))


def _read_folder(folder: Path) -> LawCatalogue:
    catalogue = LawCatalogue(str(folder))
    rows = _db_rows(folder / "db.sqlite3") if (folder / "db.sqlite3").is_file() else []
    by_name: dict[str, list[dict[str, Any]]] = defaultdict(list)
    by_file: dict[tuple[str, str], dict[str, Any]] = {}
    for entry in rows:
        by_name[entry["name"]].append(entry)
        if entry.get("filename"):
            by_file[(entry["folder"], entry["filename"])] = entry
    used: set[int] = set()
    versions: list[LawVersion] = []
    parts: dict[tuple[str, date | None], LawVersion] = {}
    for file in sorted(folder.rglob("*.md")):
        if file.name.startswith("_"):
            continue
        match = _FILE_NAME.match(file.stem)
        assert match is not None
        name, written = match.group("name"), match.group("date")
        folder_name = file.parent.relative_to(folder).as_posix()
        row = by_file.get((folder_name, file.stem))
        if row is None:
            candidates = by_name.get(name, [])
            if written:
                candidates = [r for r in candidates if r["publish"] == written]
            row = candidates[-1] if candidates else None
        if row is not None:
            used.add(row["id"])
            name = row["name"].split(" ")[0]  # 民法典 总则: one part of 民法典
        title = _title(file) or name
        published = _date(row["publish"] if row else written)
        version = LawVersion(
            key=normalize_law_name(name),
            name=name,
            title=title if " " not in (row["name"] if row else "") else f"中华人民共和国{name}",
            rank=(row["level"] if row else folder_name.split("/")[0]),
            published=published,
            valid_from=_date(row["valid_from"]) if row else None,
            expired=bool(row["expired"]) if row else False,
            files=(file,),
        )
        whole = parts.get((version.key, version.published))
        if whole is not None and row is not None and " " in row["name"]:
            whole.files = (*whole.files, file)  # another part of the same code
            continue
        if row is not None and " " in row["name"]:
            parts[(version.key, version.published)] = version
        versions.append(version)
    for entry in rows:
        if entry["id"] in used or entry["level"] in ("案例",):
            continue
        name = entry["name"].split(" ")[0]
        versions.append(
            LawVersion(
                key=normalize_law_name(name),
                name=name,
                title=name,
                rank=entry["level"],
                published=_date(entry["publish"]),
                valid_from=_date(entry["valid_from"]),
                expired=bool(entry["expired"]),
            )
        )
    laws: dict[str, list[LawVersion]] = defaultdict(list)
    for version in versions:
        laws[version.key].append(version)
    for key, found in laws.items():
        unique: dict[tuple[date | None, bool], LawVersion] = {}
        for version in found:
            old = unique.get((version.published, version.expired))
            if old is None or (version.files and not old.files):
                unique[(version.published, version.expired)] = version
        catalogue.laws[key] = sorted(unique.values(), key=lambda v: (v.starts or date.min, not v.expired))
        for version in catalogue.laws[key]:
            catalogue.titles[normalize(version.title)] = key
    if not catalogue.laws:
        reason = "not a law catalogue: no law texts (*.md) and no db.sqlite3 with a law table"
        raise InvalidData(f"{folder}: {reason}", [_problem(folder, reason)])
    return catalogue


def _db_rows(path: Path) -> list[dict[str, Any]]:
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            cursor = connection.execute(
                "SELECT law.rowid, law.name, law.level, law.filename, law.publish, law.valid_from, law.expired, "
                "category.folder FROM law LEFT JOIN category ON category.id = law.category_id"
            )
            keys = ("id", "name", "level", "filename", "publish", "valid_from", "expired", "folder")
            return [dict(zip(keys, row, strict=True)) for row in cursor]
        finally:
            connection.close()
    except sqlite3.Error as error:
        reason = f"the catalogue database cannot be read ({error})"
        raise InvalidData(f"{path}: {reason}", [_problem(path, reason)]) from error


def _date(text: Any) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(str(text)[:10])
    except ValueError:
        return None


def _title(file: Path) -> str | None:
    with file.open(encoding="utf-8") as stream:
        for line in stream:
            if line.startswith("# "):
                return re.sub(r"\s+", "", line[2:])
            if line.startswith("## "):
                return None
    return None


def _read_articles(file: Path) -> dict[tuple[int, int | None], LawArticle]:
    """The articles of a law text: lines starting 第…条 and the paragraphs under each."""
    articles: dict[tuple[int, int | None], LawArticle] = {}
    current: tuple[int, int | None] | None = None
    lines: list[str] = []

    def flush() -> None:
        if current is not None and current not in articles:
            articles[current] = LawArticle(current[0], current[1], "\n".join(lines).strip())

    text = file.read_text(encoding="utf-8")
    body = text.split("<!-- INFO END -->", 1)[-1]
    for raw in body.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#") or line.startswith("<!--"):
            flush()
            current, lines = None, []
            continue
        match = _ARTICLE_LINE.match(line)
        if match:
            try:
                number = parse_chinese_numeral(match.group(1))
                suffix = parse_chinese_numeral(match.group(2)) if match.group(2) else None
            except NumeralError:
                match = None
            else:
                flush()
                current, lines = (number, suffix), [line]
                continue
        if current is not None:
            lines.append(line)
    flush()
    return articles


def _abbreviations(catalogue: LawCatalogue) -> dict[str, str]:
    with ABBREVIATIONS_FILE.open("rb") as stream:
        table = tomllib.load(stream).get("abbreviations", {})
    found: dict[str, str] = {}
    for short, full in table.items():
        key = normalize_law_name(str(full))
        if key in catalogue.laws:
            found[normalize_law_name(str(short))] = key
    return found


# -- reading a workbook's laws sheet -----------------------------------------------------------


def _read_workbook_laws(path: Path) -> LawCatalogue:
    from loaders.sheets import SHEETS, sheet_for
    from loaders.tables import read_tables

    sheet = SHEETS["laws"]

    def is_laws(name: str) -> bool:
        found = sheet_for(name)
        return found is not None and found.name == "laws"

    tables = read_tables(path, wanted=is_laws)
    if not tables:
        reason = "not a law catalogue: no folder of law texts, and no laws sheet (法律依据)"
        raise InvalidData(f"{path}: {reason}", [_problem(path, reason)])
    catalogue = LawCatalogue(str(path))
    table = tables[0]
    if table.unreadable is not None:  # its XML broken, larger than a sheet may be …
        raise InvalidData(f"{path}: the laws sheet cannot be read", [table.unreadable])
    header = next(
        (i for i, row in enumerate(table.cells[:10]) if any(sheet.column_for(str(c)) for c in row)), None
    )
    if header is None:
        return catalogue
    columns = {
        col.name: position
        for position, cell in enumerate(table.cells[header])
        if (col := sheet.column_for(str(cell)))
    }
    versions: dict[str, LawVersion] = {}
    for row in table.cells[header + 1 :]:

        def cell(name: str, row: list[Any] = row) -> str:
            position = columns.get(name)
            return (
                str(row[position]).strip()
                if position is not None and position < len(row) and row[position]
                else ""
            )

        name = cell("law")
        if not name:
            continue
        key = normalize_law_name(name)
        version = versions.setdefault(
            key, LawVersion(key, name, name, cell("rank") or "", None, None, False, (), {})
        )
        cited = [c for c in parse_citations(f"《{name}》{cell('article')}") if c.article is not None]
        if len(cited) == 1 and cited[0].article is not None:
            number, suffix = cited[0].article, cited[0].article_suffix
            version.articles()[(number, suffix)] = LawArticle(number, suffix, cell("text"))
    for key, version in versions.items():
        catalogue.laws[key] = [version]
        catalogue.titles[normalize(version.title)] = key
    return catalogue


# -- graph snapshots ---------------------------------------------------------------------------


def _law_nodes(graph: WorkbookGraph | GraphReader) -> tuple[list[Node], list[Node], dict[str, str]]:
    if isinstance(graph, WorkbookGraph):
        laws = [n for n in graph.nodes.values() if n.kind is NodeKind.LAW]
        articles = [n for n in graph.nodes.values() if n.kind is NodeKind.ARTICLE]
        article_law = {e.source: e.target for e in graph.edges.values() if e.kind is EdgeKind.ARTICLE_OF}
    else:
        laws = list(graph.nodes(NodeKind.LAW))
        articles = list(graph.nodes(NodeKind.ARTICLE))
        article_law = {e.source: e.target for e in graph.edges(kind=EdgeKind.ARTICLE_OF)}
    return laws, articles, article_law


def _snapshot(graph: WorkbookGraph | GraphReader) -> tuple[list[Node], list[Any]]:
    """The nodes and edges the legal findings need: items, their departments, laws and articles."""
    kinds = (
        NodeKind.POWER_ITEM,
        NodeKind.FUNCTION,
        NodeKind.DEPARTMENT,
        NodeKind.GOVERNMENT,
        NodeKind.LAW,
        NodeKind.ARTICLE,
    )
    edge_kinds = (
        EdgeKind.CITES,
        EdgeKind.ARTICLE_OF,
        EdgeKind.HELD_BY,
        EdgeKind.FUNCTION_OF,
        EdgeKind.DEPARTMENT_OF,
    )
    if isinstance(graph, WorkbookGraph):
        nodes = [n for n in graph.nodes.values() if n.kind in kinds]
        edges = [e for e in graph.edges.values() if e.kind in edge_kinds]
    else:
        nodes = [n for kind in kinds for n in graph.nodes(kind)]
        edges = [e for kind in edge_kinds for e in graph.edges(kind=kind)]
    return nodes, edges
