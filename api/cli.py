"""The `quanze` command (shared/spec/cli.md).

    quanze serve [WORKBOOK]                 the GraphQL service (the demo city without a workbook)
    quanze check WORKBOOK                   every problem with file, sheet, row and column; exit 1 if any
    quanze query WORKBOOK QUERY [--role R] [--var k=v]
    quanze export WORKBOOK --format turtle|jsonld
    quanze overlaps | gaps | splits WORKBOOK [--format table|json|csv|xlsx] [--out FILE]
                                            (overlaps: --verdicts OVERLAP,BOUNDARY by default, or all)
    quanze trace WORKBOOK CASE_ID [--idle-tolerance N] [--format table|json|csv|xlsx] [--out FILE]
    quanze cases SOURCE [--department D] [--overdue] [--sort delay] …   find cases (`api.cli_cases`)
    quanze transfers SOURCE [--department D] [--at DATE] …   matters due for transfer (`api.cli_supervision`)
    quanze load WORKBOOK --store neo4j [--replace]
    quanze serve|load SOURCE --edition [LABEL] [--ledger FILE]   record the source as an edition
    quanze diff FROM TO [--ledger FILE | --store neo4j] [--format table|json|csv|xlsx] [--out FILE]
    quanze audit [--ledger FILE | --store neo4j] [--format csv|json|table|xlsx] [--out FILE]
    quanze scorecard | warnings SOURCE …     the evaluation (`api.cli_evaluation`)
    quanze demo --out DIR

The ledger is the SQLite file `--ledger FILE` (else `QUANZE_LEDGER`, else `default_ledger_path()`), or
with `--store neo4j` the database itself.

Every file a command writes is written whole or not at all (`api.files.atomic_write`): a full disk
leaves the file that was there as it was. Bad input ends with a message on stderr and a non-zero
exit, never a traceback. Long work (reading a big workbook, the analyses, a load into Neo4j) draws a
progress bar on stderr when it is a terminal.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import shutil
import sys
import time
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from api.cli_parser import build_parser
from api.files import atomic_write
from api.ledgers import edition_to_record, open_ledger, record_edition, served_findings
from api.reports import (
    Report,
    diff_document,
    diff_report,
    gap_report,
    overlap_report,
    split_report,
    trace_document,
    trace_report,
    trace_text,
    write_report,
)
from api.roles import Role
from graph import progress
from graph.analyses import GapKind, OverlapKind
from graph.analyses.gaps import gaps_not_computed
from graph.analyses.partitions import partitioned_gaps, partitioned_overlaps, partitioned_splits
from graph.analyses.trace import trace_case
from graph.errors import GraphIntegrityError, InvalidData, Problem, QuanzeError
from graph.ids import case_id
from graph.ledger import (
    AUDIT_COLUMNS,
    Ledger,
    audit_rows,
)
from graph.memory import MemoryStore
from graph.queries import department_suggestions, find_department
from graph.store import GraphStore
from loaders.demo import DEMO_WORKBOOK
from loaders.published import (
    MAPPING_FILE_NAME,
    FileSummary,
    mapping_suggestion,
    read_published_with_summary,
    summary_details,
    summary_table,
)
from loaders.sources import kind_of_source, load_source, reading
from ontology import NodeKind

__all__ = ["main"]

EXIT_PROBLEMS = 1
EXIT_USAGE = 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return EXIT_USAGE
    try:
        if args.run is _serve:  # its bar is for the load only, not for the queries it serves
            code: int = args.run(args)
        else:
            with _progress_bar():
                code = args.run(args)
    except InvalidData as error:
        _print_problems(error)
        return EXIT_PROBLEMS
    except QuanzeError as error:
        print(f"quanze: {error}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as error:  # a folder that cannot be written, a port already taken …
        print(f"quanze: {error.strerror or error}: {error.filename or ''}".rstrip(": "), file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    return code


def _parser() -> argparse.ArgumentParser:
    """The parser of every command (`api.cli_parser`), each run by its function here."""
    runs = {
        "serve": _serve,
        "check": _check,
        "query": _query,
        "export": _export,
        "overlaps": _overlaps,
        "gaps": _gaps,
        "splits": _splits,
        "trace": _trace,
        "load": _load_command,
        "diff": _diff,
        "audit": _audit,
        "demo": _demo,
    }
    return build_parser(runs)


# -- commands ---------------------------------------------------------------------------------


def _serve(args: argparse.Namespace) -> int:
    import logging

    import uvicorn

    from api.app import create_app

    settings = _settings(args.settings)
    edition = None
    if (args.store or settings.store) == "neo4j":
        if args.edition is not None:
            raise QuanzeError("with --store neo4j, record an edition as it is loaded: quanze load --edition")
        store: GraphStore = _open_store(args, default="neo4j")
        ledger = open_ledger(args, store, settings.ledger)
        summary = "Neo4j"
    else:
        workbook = args.workbook or settings.workbook or DEMO_WORKBOOK
        store = MemoryStore()
        ledger = open_ledger(args, store, settings.ledger)
        edition = edition_to_record(args, ledger, workbook)
        with _progress_bar():
            report = load_source(
                workbook, store, government=args.government, laws=args.laws, skip_bad_rows=args.skip_bad_rows
            )
        for problem in report.skipped:
            print(f"skipped: {problem}", file=sys.stderr)
        summary = f"{workbook} ({_summary(report.counts)})"
    app = create_app(settings, store, ledger=ledger)
    if edition is not None:
        # The service's own analyses say which findings are present: computed once, for both.
        print(f"quanze: computing the analyses to record edition {edition[0]}", file=sys.stderr)
        record_edition(store, ledger, edition, findings=served_findings(app.state.service.analyses))
    host = args.host or settings.host
    port = args.port or settings.port
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    print(f"quanze: serving {summary} on http://{host}:{port}/graphql", file=sys.stderr)
    # The app's lifespan starts computing the analyses in the background as the server starts; /ready
    # answers 200 once they are done.
    print(
        f"quanze: computing the analyses; http://{host}:{port}/ready says when they are ready",
        file=sys.stderr,
    )
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level="info",
        access_log=False,  # quanze.access logs each request, without its query or variables
        timeout_graceful_shutdown=10,
    )
    return 0


def _check(args: argparse.Namespace) -> int:
    if args.workbook is None:
        raise QuanzeError("name the WORKBOOK to check")
    with reading(args.workbook):
        kind = kind_of_source(args.workbook)
    if kind == "published":
        with reading(args.workbook):
            graph, summaries = read_published_with_summary(
                args.workbook, government=args.government, strict=args.strict
            )
        print(summary_table(summaries))
        print(summary_details(summaries))
        refused = [summary for summary in summaries if summary.refused is not None]
        for summary in refused:
            print(f"  refused: {summary.file}: {summary.refused}")
        unplaced = [problem for summary in summaries for problem in summary.not_placed]
        for problem in unplaced:
            print(f"  not placed: {problem}")
        print(f"{args.workbook}: {_summary(graph.counts())}, {len(graph.edges)} edges")
        if args.write_mapping is not None:
            _write_mapping(args, summaries)
        return EXIT_PROBLEMS if unplaced or refused else 0
    # what a load does, into a store that is dropped: every problem it would refuse or skip is found
    try:
        report = load_source(args.workbook, MemoryStore(), government=args.government, laws=args.laws)
    except GraphIntegrityError as error:
        problem = Problem("", None, None, None, str(error), str(args.workbook))
        raise InvalidData(f"{args.workbook}: its graph would be inconsistent", [problem]) from None
    if report.skipped:  # a catalogue's lines that are not items: a load leaves them out
        count = len(report.skipped)
        raise InvalidData(
            f"{args.workbook}: {count} problem{'s' if count != 1 else ''}; a load would leave "
            f"{'them' if count != 1 else 'it'} out",
            report.skipped,
        )
    print(f"{args.workbook}: no problems; {_summary(report.counts)}, {report.edges} edges")
    return 0


def _write_mapping(args: argparse.Namespace, summaries: list[FileSummary]) -> None:
    """`check --write-mapping`: the columns read from their contents, into the mapping file beside the
    lists (or FILE), extending the one there (kept as .bak)."""
    folder = args.workbook if args.workbook.is_dir() else args.workbook.parent
    target = Path(args.write_mapping) if args.write_mapping else folder / MAPPING_FILE_NAME
    base = target.read_text(encoding="utf-8") if target.is_file() else ""
    text = mapping_suggestion(summaries, base)
    if text is None:
        print(f"no column was read from its contents: {target} not written")
        return
    if base:
        with atomic_write(target.with_name(target.name + ".bak"), encoding="utf-8") as backup:
            backup.write(base)
    with atomic_write(target, encoding="utf-8") as handle:
        handle.write(text)
    print(f"wrote {target}: the columns read from their contents, by their wording (check them)")


def _query(args: argparse.Namespace) -> int:
    from api.app import execute

    role = Role.parse(args.role)
    text = _query_text(args.query)
    variables = _variables(text, args.var)
    store = _open_store(args)
    response = asyncio.run(execute(store, text, variables=variables, role=role))
    print(json.dumps(response, ensure_ascii=False, indent=2, default=str))
    return 1 if response.get("errors") else 0


def _export(args: argparse.Namespace) -> int:
    from graph.rdf import serialize

    store = _open_store(args)
    ledger = _ledger(args, store) if args.ledger is not None else None
    with contextlib.closing(ledger) if ledger is not None else contextlib.nullcontext():
        text = serialize(store, args.format, include_personal=not args.no_personal, ledger=ledger)
    _write_text(text, args.out)
    return 0


def _overlaps(args: argparse.Namespace) -> int:
    store = _open_store(args)
    overlaps = partitioned_overlaps(  # government by government, on every core
        store,
        kinds=[OverlapKind(k) for k in args.kinds] if args.kinds else None,
        department=_department(store, args.department),
        min_score=args.min_score,
        text_threshold=args.text_threshold,
        verdicts=args.verdicts,
    )
    return _write(overlap_report(store, overlaps), args)


def _gaps(args: argparse.Namespace) -> int:
    store = _open_store(args)
    gaps = partitioned_gaps(
        store,
        at=args.at or date.today(),
        kinds=[GapKind(k) for k in args.kinds] if args.kinds else None,
        department=_department(store, args.department),
        mandate_threshold=args.mandate_threshold,
    )
    code = _write(gap_report(store, gaps), args)
    skipped = gaps_not_computed(store, [GapKind(k) for k in args.kinds] if args.kinds else None)
    if skipped:  # under the table, or on stderr when stdout is JSON, CSV or a file
        stream = sys.stdout if args.format == "table" and args.out is None else sys.stderr
        kinds = ", ".join(item.kind.value for item in skipped)
        print(f"not computed: {kinds}: {skipped[0].reason}", file=stream)
    return code


def _splits(args: argparse.Namespace) -> int:
    store = _open_store(args)
    splits = partitioned_splits(store, min_departments=args.min_departments)
    if args.department:
        department = _department(store, args.department)
        splits = [split for split in splits if department in split.departments]
    return _write(split_report(store, splits), args)


def _trace(args: argparse.Namespace) -> int:
    store = _open_store(args)
    found = trace_case(store, case_id(args.case_id), idle_tolerance=args.idle_tolerance)
    if found is None:
        raise QuanzeError(f"no case {args.case_id!r} in {args.workbook}")
    document = trace_document(store, found)
    if args.format in ("csv", "xlsx"):
        return _write(trace_report(document), args)
    if args.format == "json":
        _write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", args.out)
    else:
        _write_text(trace_text(document), args.out)
    return 0


def _open_store(args: argparse.Namespace, default: str = "memory") -> GraphStore:
    """The store a command reads: the WORKBOOK loaded into memory, or the Neo4j database."""
    if (getattr(args, "store", None) or default) == "neo4j":
        if args.workbook is not None and args.run is not _load_command:
            raise QuanzeError(
                "with --store neo4j the data comes from the database: load a workbook with "
                "`quanze load WORKBOOK --store neo4j`, then leave the WORKBOOK out"
            )
        from graph.neo4j import Neo4jStore

        store = Neo4jStore()
        store.ping()
        return store
    if args.workbook is None:
        raise QuanzeError("name a WORKBOOK (or use --store neo4j)")
    memory = MemoryStore()
    report = load_source(args.workbook, memory, government=args.government, laws=args.laws)
    for problem in report.skipped:  # a catalogue's lines that are not items, rows not placed
        print(f"skipped: {problem}", file=sys.stderr)
    return memory


def _load_command(args: argparse.Namespace) -> int:
    if args.workbook is None:
        raise QuanzeError("name the WORKBOOK to load")
    store = _open_store(args, default="neo4j")
    ledger = _ledger(args, store) if args.edition is not None else None
    edition = edition_to_record(args, ledger, args.workbook) if ledger is not None else None
    report = load_source(
        args.workbook,
        store,
        government=args.government,
        laws=args.laws,
        replace=args.replace,
        strict=args.strict,
    )
    for problem in report.skipped:  # files of a folder that are not power lists, rows not placed
        print(f"not loaded: {problem}", file=sys.stderr)
    where = "Neo4j" if args.store != "memory" else "memory (and dropped: use --store neo4j to keep it)"
    print(
        f"loaded {args.workbook} into {where}: {_summary(report.counts)}, {report.edges} edges "
        f"in {report.seconds:.1f} s"
    )
    if ledger is not None:
        if edition is not None:
            record_edition(store, ledger, edition)
        ledger.close()
    return 0


def _diff(args: argparse.Namespace) -> int:
    with contextlib.closing(_ledger(args)) as ledger:
        diff = ledger.edition_diff(args.from_label, args.to_label)
    if args.format == "json":  # structured: lists of items, changes with their fields, finding ids
        _write_text(json.dumps(diff_document(diff), ensure_ascii=False, indent=2) + "\n", args.out)
        return 0
    return _write(diff_report(diff), args)


def _audit(args: argparse.Namespace) -> int:
    with contextlib.closing(_ledger(args)) as ledger:
        header, *rows = audit_rows(ledger.audit())
    entries: list[dict[str, Any]] = [dict(zip(header, row, strict=True)) for row in rows]
    for entry in entries:
        entry["seq"] = int(entry["seq"])  # a number in every format
    return _write(Report("audit", AUDIT_COLUMNS, entries), args)


def _ledger(args: argparse.Namespace, store: GraphStore | None = None) -> Ledger:
    """The command's ledger (`api.ledgers.open_ledger`), the settings' file its default."""
    return open_ledger(args, store, _settings(getattr(args, "settings", None)).ledger)


def _settings(path: Path | None) -> Any:
    """The service's settings (`api.settings.Settings`) from the environment and the file `path`."""
    from api.settings import Settings

    try:
        return Settings.from_file(path)
    except ValueError as error:  # pydantic's validation error: says which setting, never its value
        raise QuanzeError(f"bad settings: {error}") from None


def _department(store: GraphStore, name: str | None) -> str | None:
    if name is None:
        return None
    found = find_department(store, name)
    if found is None:
        close = department_suggestions(store, name)
        hint = f"; did you mean {'、'.join(close)}?" if close else ""
        raise QuanzeError(f"no department named {name!r} (or several: give the full name){hint}")
    return found.id


def _write(report: Report, args: argparse.Namespace) -> int:
    if args.format == "xlsx" and args.out is None:
        raise QuanzeError("--format xlsx needs --out FILE.xlsx")
    write_report(report, args.format, args.out)
    if args.out is not None:
        print(f"wrote {len(report.rows)} {report.title} to {args.out}", file=sys.stderr)
    return 0


def _write_text(text: str, out: Path | None) -> None:
    """`text` to the file `out`, whole or not at all, or to standard output."""
    if out is None:
        sys.stdout.write(text)
        return
    with atomic_write(out, encoding="utf-8") as handle:
        handle.write(text)


def _demo(args: argparse.Namespace) -> int:
    args.out.mkdir(parents=True, exist_ok=True)
    target = args.out / DEMO_WORKBOOK.name
    with DEMO_WORKBOOK.open("rb") as workbook, atomic_write(target) as copy:
        shutil.copyfileobj(workbook, copy)
    print(f"wrote {target}")
    return 0


# -- helpers ----------------------------------------------------------------------------------


class _Bar:
    """A progress bar on one line of a terminal, redrawn at most ten times a second and wiped when a
    piece of work is done, so that what the command prints next starts on a clean line."""

    WIDTH = 30

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.drawn_at = 0.0

    def __call__(self, what: str, done: int, total: int) -> None:
        now = time.monotonic()
        if done >= total:
            self.wipe()
            return
        if now - self.drawn_at < 0.1:
            return
        self.drawn_at = now
        filled = self.WIDTH * done // total
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        self.stream.write(f"\r\x1b[K{what} [{bar}] {100 * done // total:3d}%")
        self.stream.flush()

    def wipe(self) -> None:
        if self.drawn_at:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.drawn_at = 0.0


@contextlib.contextmanager
def _progress_bar() -> Iterator[None]:
    """Show the progress of the work in this block on stderr if it is a terminal; else say nothing."""
    if not sys.stderr.isatty():
        yield
        return
    bar = _Bar(sys.stderr)
    try:
        with progress.showing(bar):
            yield
    finally:
        bar.wipe()


def _print_problems(error: InvalidData) -> None:
    print(f"quanze: {error.args[0]}", file=sys.stderr)
    for problem in error.problems:
        print(f"  {problem}", file=sys.stderr)


def _summary(counts: dict[NodeKind, int]) -> str:
    shown = (NodeKind.DEPARTMENT, NodeKind.UNIT, NodeKind.POST, NodeKind.POWER_ITEM, NodeKind.CASE)
    return ", ".join(f"{counts.get(kind, 0)} {kind.value}" for kind in shown)


def _query_text(argument: str) -> str:
    if argument == "-":
        return sys.stdin.read()
    if argument.startswith("@"):
        path = Path(argument[1:])
        if not path.is_file():
            raise QuanzeError(f"no query file {path}")
        return path.read_text(encoding="utf-8")
    return argument


def _variables(query: str, items: Sequence[str]) -> dict[str, Any]:
    """`--var NAME=VALUE` pairs, typed by the query's own variable definitions.

    A variable declared String, ID or Date keeps VALUE as written (so a code like
    `123` stays a string); any other is read as JSON when it parses.
    """
    from graphql import GraphQLSyntaxError, parse
    from graphql.language import NamedTypeNode, OperationDefinitionNode

    declared: dict[str, str] = {}
    try:
        document = parse(query)
    except GraphQLSyntaxError:
        document = None  # the service reports the syntax error itself
    for definition in document.definitions if document else ():
        if isinstance(definition, OperationDefinitionNode):
            for variable in definition.variable_definitions or ():
                type_node = variable.type
                while not isinstance(type_node, NamedTypeNode):
                    type_node = type_node.type  # type: ignore[attr-defined]
                declared[variable.variable.name.value] = type_node.name.value
    variables: dict[str, Any] = {}
    for item in items:
        name, equals, value = item.partition("=")
        if not equals or not name:
            raise QuanzeError(f"--var {item!r}: write it as NAME=VALUE")
        if declared.get(name) in ("String", "ID", "Date"):
            variables[name] = value
            continue
        try:
            variables[name] = json.loads(value)
        except json.JSONDecodeError:
            variables[name] = value
    return variables


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
