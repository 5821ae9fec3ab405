"""How long reading the published lists takes, and how much of them is placed and resolved.

    python bench/published.py                                   # the 17 Karamay lists, best of 5
    python bench/published.py path/to/lists --laws path/to/laws --runs 3

Prints, as Markdown: the load time (best and median of the runs; the text caches are cleared before
each run, so every run parses every cell), the per-file table (rows read, items, sub-items, items at
other levels, rows placed, basis cells naming a law in 《》 and the share read to a law and article,
citations), the citations resolved against the law catalogue by status, and the titled basis cells
from which no article could be read.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import Counter
from datetime import date
from pathlib import Path

from graph import text
from graph.memory import MemoryStore
from loaders import citations
from loaders.laws import ResolutionStatus, read_law_catalogue, resolve
from loaders.published import read_published_with_summary, summary_table
from loaders.published.items import cached_citations
from ontology import EdgeKind, NodeKind

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def _clear_caches() -> None:
    for cached in (text.normalize, text.normalize_law_name, cached_citations, citations._number):
        cached.cache_clear()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("lists", nargs="?", type=Path, default=DATA / "real" / "karamay-power-lists")
    parser.add_argument("--laws", type=Path, default=DATA / "laws")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--on", type=date.fromisoformat, default=date(2025, 6, 1))
    args = parser.parse_args()

    read: list[float] = []
    stored: list[float] = []
    for _ in range(args.runs):
        _clear_caches()
        started = time.perf_counter()
        graph, summaries = read_published_with_summary(args.lists)
        read.append(time.perf_counter() - started)
        started = time.perf_counter()
        with MemoryStore().writer() as writer:
            for node in graph.nodes.values():
                writer.add_node(node)
            for edge in graph.edges.values():
                writer.add_edge(edge)
        stored.append(time.perf_counter() - started)
    files = len(summaries)
    print(f"## {args.lists.name}: {files} files, {len(graph.nodes)} nodes, {len(graph.edges)} edges\n")
    print("| phase | best | median |\n|---|---:|---:|")
    print(f"| read the lists into a graph | {min(read):.3f} s | {statistics.median(read):.3f} s |")
    print(f"| write it into the memory store | {min(stored):.3f} s | {statistics.median(stored):.3f} s |\n")

    print(summary_table(summaries) + "\n")
    item_rows = sum(s.item_rows for s in summaries)
    placed = sum(s.placed for s in summaries)
    titled = sum(s.titled_basis_cells for s in summaries)
    parsed = sum(s.parsed_basis_cells for s in summaries)
    print(f"- item rows placed: {placed} of {item_rows} ({placed / item_rows:.2%})")
    print(
        f"- basis cells naming a law in 《》 read to a law and article: {parsed} of {titled} ({parsed / titled:.2%})"
    )
    notes = [problem for s in summaries for problem in s.notes]
    print(f"- rows that are notes, not items: {len(notes)}" + "".join(f"\n  - {p}" for p in notes))

    if args.laws.is_dir():
        catalogue = read_law_catalogue(args.laws)
        statuses: Counter[ResolutionStatus] = Counter()
        by_file: dict[str, Counter[ResolutionStatus]] = {}
        laws = {n.id: n for n in graph.nodes.values() if n.kind is NodeKind.LAW}
        articles = {n.id: n for n in graph.nodes.values() if n.kind is NodeKind.ARTICLE}
        article_law = {e.source: e.target for e in graph.edges.values() if e.kind is EdgeKind.ARTICLE_OF}
        for edge in graph.edges.values():
            if edge.kind is not EdgeKind.CITES or edge.target not in articles:
                continue
            law = laws[article_law[edge.target]]
            article = articles[edge.target]
            citation = citations.Citation(
                str(law["name"]), "", int(article["number"]), article.get("suffix"), None, None, "", None
            )
            status = resolve(catalogue, citation, args.on).status
            statuses[status] += 1
            origin = edge.origin.file if edge.origin else "?"
            by_file.setdefault(Path(origin).name, Counter())[status] += 1
        total = sum(statuses.values())
        print(f"\n### Cited articles (item × article) against the law catalogue on {args.on}\n")
        print("| status | citations | share |\n|---|---:|---:|")
        for status, count in statuses.most_common():
            print(f"| {status.value} | {count} | {count / total:.1%} |")
        resolved = statuses[ResolutionStatus.RESOLVED]
        checkable = total - statuses[ResolutionStatus.UNKNOWN_LAW]
        print(
            f"\nresolved to an existing article: {resolved} of {total} ({resolved / total:.1%}); of the citations of "
            f"laws the catalogue holds: {resolved} of {checkable} ({resolved / checkable:.1%})\n"
        )
        print("| file | citations | resolved | unknown law | repealed | no such article | no text |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for name, counts in sorted(by_file.items()):
            print(
                f"| {name} | {sum(counts.values())} | {counts[ResolutionStatus.RESOLVED]} | "
                f"{counts[ResolutionStatus.UNKNOWN_LAW]} | {counts[ResolutionStatus.REPEALED_LAW]} | "
                f"{counts[ResolutionStatus.NO_SUCH_ARTICLE]} | {counts[ResolutionStatus.NO_TEXT]} |"
            )

    unparsed = [problem for s in summaries for problem in s.unparsed_bases]
    print(f"\n### Basis cells naming a law from which no article was read ({len(unparsed)})\n")
    for problem in unparsed:
        where = f"{Path(problem.file).name}, {problem.sheet}, row {problem.row}"
        print(f"- {where}: {' '.join(str(problem.value).split())[:110]}")


if __name__ == "__main__":
    main()
