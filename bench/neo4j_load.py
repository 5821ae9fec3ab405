"""How fast a graph loads into the memory store and into Neo4j, in nodes and edges per second.

Generates a synthetic government of `--items` power items, with departments,
units, posts, people, holdings, laws, articles, functions and approval stages in
proportion (about 19 nodes and edges per item), every node and edge with an
origin, as the workbook loader makes them. Then writes it into a `MemoryStore`
and, given `--uri`, into the Neo4j at that URI: once into the empty database,
once again as a replacing write (`writer.clear()` first, as
`load_workbook(..., replace=True)` does). Nothing is written to disk.

One write is one transaction, and Neo4j keeps about 4 KB of transaction state
per new node or edge, so the server's heap bounds the size of a write (2 GB of
heap for the 190,000 nodes and edges of 10,000 items; 1 GB is not enough). `--chunks N` loads
the graph in N writes of their own instead (each all or nothing, the whole not),
as a loader of a graph too big for one transaction would.

THE NEO4J DATABASE AT `--uri` IS WIPED. Use a server of its own:

    NEO4J_PORT=7696 NEO4J_HEAP=2g scripts/neo4j/start
    python bench/neo4j_load.py --items 10000 --uri bolt://127.0.0.1:7696
    python bench/neo4j_load.py --items 100000 --chunks 10 --uri bolt://127.0.0.1:7696
    NEO4J_PORT=7696 scripts/neo4j/stop
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from graph import Edge, GraphStore, MemoryStore, Node, Origin
from graph.neo4j import Neo4jSettings, Neo4jStore
from ontology import EdgeKind, NodeKind, PowerType, StageRole

__all__ = ["Synthetic", "generate", "main"]

_E = EdgeKind
_N = NodeKind


@dataclass(frozen=True, slots=True)
class Synthetic:
    """A generated graph: its nodes and edges, ready to be written."""

    nodes: list[Node]
    edges: list[Edge]

    @property
    def size(self) -> int:
        """Nodes plus edges."""
        return len(self.nodes) + len(self.edges)


def generate(items: int, seed: int = 6) -> Synthetic:
    """A synthetic government with `items` power items and everything around them in proportion."""
    rng = random.Random(seed)
    nodes: list[Node] = []
    edges: list[Edge] = []
    rows: dict[str, int] = {}

    def origin(sheet: str) -> Origin:
        rows[sheet] = rows.get(sheet, 1) + 1
        return Origin("synthetic.xlsx", "0" * 64, sheet, rows[sheet])

    def node(node_id: str, kind: NodeKind, sheet: str, **props: object) -> str:
        nodes.append(Node(node_id, kind, props, origin(sheet)))
        return node_id

    def edge(source: str, kind: EdgeKind, target: str, **props: object) -> None:
        edges.append(Edge(source, kind, target, props, Origin("synthetic.xlsx", "0" * 64, "edges", 1)))

    government = node(
        "government:合成市人民政府", _N.GOVERNMENT, "部门", name="合成市人民政府", key="合成市人民政府"
    )
    departments, units, posts = [], [], []
    for d in range(max(1, items // 200)):
        name = f"合成市第{d}局"
        department = node(
            f"department:合成市人民政府/{name}",
            _N.DEPARTMENT,
            "部门",
            name=name,
            key=name,
            code=f"D{d:04d}",
            government="合成市人民政府",
            department_kind="组成部门",
            admin_quota=rng.randint(5, 80),
        )
        edge(department, _E.DEPARTMENT_OF, government)
        departments.append(department)
        head = node(
            f"post:D{d:04d}-00", _N.POST, "岗位", name="局长", code=f"D{d:04d}-00", category="行政首长"
        )
        edge(head, _E.POST_IN, department)
        posts.append((head, department))
        for u in range(4):
            unit = node(f"unit:合成市人民政府/{name}/第{u}科", _N.UNIT, "内设机构", name=f"第{u}科", quota=3)
            edge(unit, _E.UNIT_OF, department)
            units.append((unit, department))
            for p in range(3):
                post = node(
                    f"post:D{d:04d}-{u}{p}",
                    _N.POST,
                    "岗位",
                    name="科员",
                    code=f"D{d:04d}-{u}{p}",
                    category="工作人员",
                )
                edge(post, _E.POST_IN, unit)
                posts.append((post, unit))
    for number, (post, _) in enumerate(posts):
        start = date(2015, 1, 1) + timedelta(days=rng.randint(0, 3000))
        spans = [(start, None)] if number % 3 else [(start - timedelta(days=1500), start), (start, None)]
        for turn, (begin, end) in enumerate(spans):
            person = node(
                f"person:P{number:06d}{turn}",
                _N.PERSON,
                "任职",
                person_id=f"P{number:06d}{turn}",
                name="某某",
            )
            holding = node(
                f"holding:P{number:06d}{turn}/{post}/{begin.isoformat()}",
                _N.HOLDING,
                "任职",
                start=begin,
                end=end,
                quota_type="行政编制",
            )
            edge(holding, _E.HOLDING_OF, person)
            edge(holding, _E.HOLDING_POST, post)
    laws = [
        node(f"law:合成法{n}", _N.LAW, "法规", name=f"合成法{n}", key=f"合成法{n}", rank="法律")
        for n in range(max(1, items // 50))
    ]
    articles = []
    for n in range(max(1, items // 2)):
        law = laws[n % len(laws)]
        number = n // len(laws) + 1
        article = node(
            f"article:{law[4:]}/{number}", _N.ARTICLE, "法规", number=number, label=f"第{number}条"
        )
        edge(article, _E.ARTICLE_OF, law)
        articles.append(article)
    for n in range(max(1, items // 10)):
        unit, department = units[n % len(units)]
        function = node(
            f"function:F{n:06d}", _N.FUNCTION, "职能", code=f"F{n:06d}", text="负责合成职能的监督管理"
        )
        edge(function, _E.FUNCTION_OF, department)
        edge(function, _E.CARRIED_BY, unit)
        edge(function, _E.CITES, rng.choice(articles), citations=("《合成法》第一条",), paragraphs=())
    types = list(PowerType)
    roles = list(StageRole)
    previous = None
    for n in range(items):
        unit, department = units[n % len(units)]
        item = node(
            f"item:X{n:07d}",
            _N.POWER_ITEM,
            "权责清单",
            code=f"X{n:07d}",
            name=f"合成事项{n}",
            key=f"合成事项{n}",
            power_type=types[n % len(types)].value,
            duties="受理、审查、决定、送达",
            statutory_days=20,
            basis_status="parsed",
            extra={"备注列": "合成"},
        )
        edge(item, _E.HELD_BY, department, joint=False, position=0)
        edge(item, _E.HANDLED_BY, unit)
        for article in {rng.choice(articles), rng.choice(articles)}:
            edge(item, _E.CITES, article, citations=("《合成法》第一条",), paragraphs=("第一款",))
        if previous is not None and n % 10 == 0:
            edge(item, _E.REQUIRES, previous)
        previous = item
        for step in range(1, 4):
            stage = node(
                f"stage:X{n:07d}/{step}",
                _N.STAGE,
                "流程",
                step=step,
                name="审查",
                role=roles[step - 1].value,
                days=5,
            )
            edge(stage, _E.STAGE_OF, item)
            edge(stage, _E.STAGE_DEPARTMENT, department)
            edge(stage, _E.STAGE_POST, posts[(n * 3 + step) % len(posts)][0])
    return Synthetic(nodes, edges)


def main(argv: list[str] | None = None) -> None:
    """Generate, load, and print a table of load times and nodes+edges per second."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--items", type=int, default=10_000, help="power items to generate (default 10000)")
    parser.add_argument("--uri", help="a Neo4j to load into: ITS DATABASE IS WIPED (default: memory only)")
    parser.add_argument("--batch", type=int, default=10_000, help="rows per UNWIND statement (default 10000)")
    parser.add_argument("--chunks", type=int, default=1, help="writes to load the graph in (default 1)")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    graph = generate(args.items)
    print(
        f"generated {len(graph.nodes):,} nodes and {len(graph.edges):,} edges "
        f"for {args.items:,} items in {time.perf_counter() - started:.1f} s"
    )
    writes = _chunks(graph, args.chunks)
    in_writes = f", {len(writes)} writes" if len(writes) > 1 else ""
    results: list[tuple[str, float]] = []

    memory = MemoryStore()
    results.append(("memory" + in_writes, _timed(lambda: _write_all(memory, writes))))
    results.append(("memory, replacing", _timed(lambda: _write(memory, graph, replace=True))))
    if args.uri:
        store = Neo4jStore(Neo4jSettings.from_env({"NEO4J_URI": args.uri}), batch_size=args.batch)
        try:
            store.setup_schema()
            store.clear()
            _write_all(store, _chunks(generate(200), 2))  # plans the queries, as a running service has
            store.clear()
            results.append(
                ("neo4j" + (in_writes or ", empty database"), _timed(lambda: _write_all(store, writes)))
            )
            assert store.count(NodeKind.POWER_ITEM) == args.items
            if len(writes) == 1:
                results.append(("neo4j, replacing", _timed(lambda: _write(store, graph, replace=True))))
            store.clear()
        finally:
            store.close()

    print(f"\n{'store':<28}{'items':>10}{'nodes+edges':>14}{'seconds':>10}{'per second':>14}")
    for name, seconds in results:
        print(f"{name:<28}{args.items:>10,}{graph.size:>14,}{seconds:>10.2f}{graph.size / seconds:>14,.0f}")


def _chunks(graph: Synthetic, count: int) -> list[Synthetic]:
    """The graph in `count` writes: the nodes in slices, each edge with the later of its ends."""
    size = -(-len(graph.nodes) // count)
    write_of = {node.id: index // size for index, node in enumerate(graph.nodes)}
    writes = [Synthetic(graph.nodes[start : start + size], []) for start in range(0, len(graph.nodes), size)]
    for edge in graph.edges:
        writes[max(write_of[edge.source], write_of[edge.target])].edges.append(edge)
    return writes


def _write_all(store: GraphStore, writes: list[Synthetic]) -> None:
    for graph in writes:
        _write(store, graph)


def _write(store: GraphStore, graph: Synthetic, *, replace: bool = False) -> None:
    with store.writer() as writer:
        if replace:
            writer.clear()
        for node in graph.nodes:
            writer.add_node(node)
        for edge in graph.edges:
            writer.add_edge(edge)


def _timed(work: Callable[[], None]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
