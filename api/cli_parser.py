"""The arguments of `quanze`: every command, its options and their help, in Chinese and in English.

    parser = build_parser({"serve": run_serve, "check": run_check, …})   # as `api.cli` builds it
    args = parser.parse_args(["gaps", "demo.xlsx", "--at", "2024/3/5"])

Chinese by default, English with QUANZE_LANG=en (`api.help`). Options that several commands take (the
SOURCE, --format and --out, the ledger, --edition) are defined once here; `cases`, `transfers`,
`scorecard` and `warnings` add theirs through the same helpers (`api.cli_cases`, `api.cli_supervision`,
`api.cli_evaluation`). Values are read as the workbooks read them (`api.arguments`); a bad one is
argparse's error, naming the option.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping
from pathlib import Path

from api import cli_cases, cli_evaluation, cli_supervision
from api.arguments import date_argument, output_arguments
from api.help import HelpParser, help_text
from api.reports import FORMATS, VERDICT_LABELS
from graph.analyses import DEFAULT_VERDICTS, GapKind, OverlapKind, OverlapVerdict
from graph.analyses.gaps import DEFAULT_MANDATE_THRESHOLD
from graph.analyses.overlaps import DEFAULT_TEXT_THRESHOLD
from graph.analyses.trace import DEFAULT_IDLE_TOLERANCE
from graph.ledger import default_ledger_path

__all__ = ["Run", "build_parser"]

#: what runs a command: the parsed arguments -> the exit code
Run = Callable[[argparse.Namespace], int]


def build_parser(runs: Mapping[str, Run]) -> argparse.ArgumentParser:
    """The parser of `quanze`: each command of `runs` (its name -> the function that runs it) with its
    options, their help in the help's language (`api.help`)."""
    parser = HelpParser(
        prog="quanze",
        description=help_text(
            "政府权责知识图谱：权责清单、部门与编制、职能交叉、审批环节、办件追溯。",
            "A knowledge graph of a government's powers and duties.",
        ),
        epilog=help_text(
            "英文帮助：QUANZE_LANG=en quanze --help", "Help in Chinese: quanze --help without QUANZE_LANG"
        ),
    )
    commands = parser.add_subparsers(
        title=help_text("命令", "commands"),
        metavar="COMMAND",
        help=help_text(
            "下列命令之一（quanze COMMAND --help 说明其选项）", "one of these (quanze COMMAND --help)"
        ),
    )

    def command(name: str, run: Run, help: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help, description=help)
        sub.set_defaults(run=run)
        return sub

    def source(sub: argparse.ArgumentParser, *, store: bool = True) -> None:
        sub.add_argument(
            "workbook",
            nargs="?",
            type=Path,
            metavar="WORKBOOK",
            help=help_text(
                "数据来源：工作簿（.xlsx，或 .csv 文件夹）、公布的权责清单或其文件夹、政务服务事项目录"
                "（.jsonl）；用 --store neo4j 时不写，数据读自数据库",
                "a workbook (.xlsx, or a folder of .csv), a published power list or a folder of them, "
                "or a service catalogue (.jsonl); not with --store neo4j, which reads the database",
            ),
        )
        if store:
            sub.add_argument(
                "--store",
                choices=["memory", "neo4j"],
                default=None,
                help=help_text(
                    "memory（默认：读取 WORKBOOK）或 neo4j（NEO4J_URI、NEO4J_USER、NEO4J_PASSWORD、"
                    "NEO4J_DATABASE 所指的数据库）",
                    "memory (default: read the WORKBOOK) or neo4j (the database of NEO4J_URI, NEO4J_USER, "
                    "NEO4J_PASSWORD, NEO4J_DATABASE)",
                ),
            )
        sub.add_argument(
            "--government",
            help=help_text(
                "公布清单所属的人民政府（默认：清单中写明的地方）",
                "the government of published lists (default: the place they name)",
            ),
        )
        sub.add_argument(
            "--laws",
            type=Path,
            help=help_text(
                "用于核对每条设定依据的法律法规库（含 db.sqlite3 的法规文本文件夹，或带法律法规表的工作簿）",
                "a law catalogue to check every citation against "
                "(a folder of law texts with db.sqlite3, or a workbook with a laws sheet)",
            ),
        )

    def ledger(sub: argparse.ArgumentParser, *, store: bool = False) -> None:
        sub.add_argument(
            "--ledger",
            type=Path,
            help=help_text(
                f"台账的 SQLite 文件（默认：QUANZE_LEDGER，否则 {default_ledger_path()}）；"
                "用 --store neo4j 时台账在数据库中",
                f"the ledger's SQLite file (default: QUANZE_LEDGER, else {default_ledger_path()}); "
                "with --store neo4j the ledger is in the database",
            ),
        )
        if store:
            sub.add_argument(
                "--store",
                choices=["memory", "neo4j"],
                help=help_text("neo4j：使用数据库中的台账", "neo4j: the ledger in the database"),
            )

    def edition(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--edition",
            nargs="?",
            const="",
            metavar="LABEL",
            help=help_text(
                "把数据来源作为版次 LABEL 记入台账（默认 LABEL：其中最新文件的年份）；"
                "同样的文件再以同一版次记入时不重复记录",
                "record the source as the edition LABEL in the ledger (default LABEL: the year of its "
                "newest file); the label again from the same files records nothing",
            ),
        )
        ledger(sub)

    serve = command(
        "serve",
        runs["serve"],
        help_text(
            "启动 GraphQL 服务和浏览页面（不指定工作簿时为内置的示例城市）",
            "serve the GraphQL API (the built-in demo city without a workbook)",
        ),
    )
    source(serve)
    serve.add_argument(
        "--host",
        default=None,
        help=help_text("监听地址（默认 127.0.0.1）", "the address to listen on (default 127.0.0.1)"),
    )
    serve.add_argument(
        "--port",
        type=int,
        default=None,
        help=help_text("监听端口（默认 8000）", "the port to listen on (default 8000)"),
    )
    serve.add_argument(
        "--skip-bad-rows",
        action="store_true",
        help=help_text("只加载没有问题的行，列出其余各行的问题", "load what is good, report the rest"),
    )
    serve.add_argument(
        "--settings",
        type=Path,
        help=help_text("设置文件（QUANZE_* 键，每行一个）", "a settings file (QUANZE_* keys, one per line)"),
    )
    edition(serve)

    check = command(
        "check",
        runs["check"],
        help_text(
            "校验数据来源，列出每一个问题（文件、工作表、行、列）；有问题时退出码为 1",
            "validate a workbook; list every problem; exit 1 if there is any",
        ),
    )
    source(check, store=False)
    check.add_argument(
        "--strict",
        action="store_true",
        help=help_text(
            "公布清单：文件夹中有不是权责清单的文件时，整个校验不通过（默认将其剔除，列出原因，读取其余文件）",
            "published lists: a file of the folder that is not a power list fails the whole check "
            "(by default it is left out, listed with the reason, and the others are read)",
        ),
    )
    check.add_argument(
        "--write-mapping",
        nargs="?",
        const="",
        default=None,
        metavar="FILE",
        help=help_text(
            "公布清单：把按内容识别出的列写入映射文件，下次读取时使用（默认 FILE：清单旁的 "
            "quanze-mapping.toml；已有的映射文件会被扩充，原文件保存为 quanze-mapping.toml.bak）",
            "published lists: write the columns read from their contents into a mapping file the reader "
            "uses next time (default FILE: quanze-mapping.toml beside the lists; one there is extended, and "
            "kept as quanze-mapping.toml.bak)",
        ),
    )

    query = command(
        "query",
        runs["query"],
        help_text(
            "不启动服务，在数据来源上执行一次 GraphQL 查询，输出 JSON 结果",
            "run one GraphQL query on a workbook, without a server; print the JSON",
        ),
    )
    source(query)
    query.add_argument(
        "query",
        help=help_text(
            "查询文本；@FILE 表示从文件读取，- 表示从标准输入读取",
            "the query text, @FILE to read it from a file, or - for standard input",
        ),
    )
    query.add_argument(
        "--role",
        default="public",
        help=help_text(
            "查询的角色：public（公众，默认）、staffing（机构编制）、investigator（调查问责）或 admin（管理员）",
            "public (default), staffing, investigator or admin",
        ),
    )
    query.add_argument(
        "--var",
        action="append",
        default=[],
        metavar="K=V",
        help=help_text(
            "查询变量（可重复）；V 能按 JSON 解析时按 JSON 读取，否则作为字符串",
            "a variable; V is read as JSON when it parses, else as a string",
        ),
    )

    export = command(
        "export",
        runs["export"],
        help_text("按 quanze 本体把图导出为 RDF", "write the graph as RDF in the quanze ontology"),
    )
    source(export)
    export.add_argument(
        "--format",
        choices=["turtle", "jsonld"],
        default="turtle",
        help=help_text("turtle（默认）或 jsonld", "turtle (default) or jsonld"),
    )
    export.add_argument(
        "--out",
        type=Path,
        metavar="FILE",
        help=help_text("写入的文件（默认：标准输出）", "the file to write (default: standard output)"),
    )
    export.add_argument(
        "--no-personal",
        action="store_true",
        help=help_text(
            "不导出个人姓名（以及审核人和备注）", "leave out persons' names (and reviewers and notes)"
        ),
    )
    export.add_argument(
        "--ledger",
        nargs="?",
        const="",
        type=Path,
        metavar="FILE",
        help=help_text(
            "把台账中的审核和版次作为 PROV-O 活动一并导出：读自 FILE，否则读自默认台账（QUANZE_LEDGER、"
            "默认文件，或用 --store neo4j 时数据库中的台账）",
            "add the ledger's reviews and editions as PROV-O activities: of FILE, else of the default "
            "ledger (QUANZE_LEDGER, the default file, or with --store neo4j the database's)",
        ),
    )

    def report_options(sub: argparse.ArgumentParser) -> None:
        source(sub)
        output_arguments(sub, FORMATS)
        sub.add_argument(
            "--department",
            help=help_text(
                "只列出涉及该部门的结果（按部门名称，简繁均可）",
                "only findings about this department (by name)",
            ),
        )

    overlaps = command(
        "overlaps",
        runs["overlaps"],
        help_text(
            "部门之间职能和权力事项的交叉（职能交叉），及其判定和理由",
            "overlapping functions and powers between departments (职能交叉)",
        ),
    )
    report_options(overlaps)
    overlaps.add_argument(
        "--kind",
        action="append",
        choices=[k.value for k in OverlapKind],
        dest="kinds",
        help=help_text(
            "只列出有这类证据的交叉（可重复）：SAME_ITEM 同一事项、JOINT 联合实施、SHARED_BASIS 共同依据、"
            "SIMILAR_TEXT 表述相近",
            "only overlaps with this kind of evidence (repeatable)",
        ),
    )
    overlaps.add_argument(
        "--verdicts",
        type=_verdicts,
        default=DEFAULT_VERDICTS,
        metavar="LIST",
        help=help_text(
            f"只列出这些判定的交叉，以逗号分隔：{'、'.join(f'{v} {VERDICT_LABELS[v]}' for v in OverlapVerdict)}，"
            f"或 all（默认 {_verdict_names(DEFAULT_VERDICTS)}：编办需要处理的）",
            "only overlaps of these verdicts, comma-separated: "
            f"{', '.join(OverlapVerdict)}, or all (default {_verdict_names(DEFAULT_VERDICTS)}: what the office must act on)",
        ),
    )
    overlaps.add_argument(
        "--min-score",
        type=float,
        default=0.0,
        help=help_text(
            "交叉的最低分值，0 到 1（默认 0：全部）", "least score of an overlap, 0 to 1 (default 0: all)"
        ),
    )
    overlaps.add_argument(
        "--text-threshold",
        type=float,
        default=DEFAULT_TEXT_THRESHOLD,
        help=help_text(
            f"认定 SIMILAR_TEXT（表述相近）的最低文本相似度（默认 {DEFAULT_TEXT_THRESHOLD}）",
            f"least text similarity for SIMILAR_TEXT (default {DEFAULT_TEXT_THRESHOLD})",
        ),
    )

    gaps = command(
        "gaps",
        runs["gaps"],
        help_text(
            "缺位、越位、错位的职责；断开的审批链和依据；编制问题",
            "missing, overstepping and misplaced duties; broken chains; staffing problems",
        ),
    )
    report_options(gaps)
    gaps.add_argument(
        "--at",
        type=date_argument,
        metavar="DATE",
        default=None,
        help=help_text(
            "参照日期（默认今天），如 2024-03-05、2024/3/5、2024年3月5日",
            "the reference date (default today)",
        ),
    )
    gaps.add_argument(
        "--kind",
        action="append",
        choices=[k.value for k in GapKind],
        dest="kinds",
        help=help_text("只列出这类问题（可重复）", "only gaps of this kind (repeatable)"),
    )
    gaps.add_argument(
        "--mandate-threshold",
        type=float,
        default=DEFAULT_MANDATE_THRESHOLD,
        help=help_text(
            f"事项被认定为履行“三定”职能的最低分值（默认 {DEFAULT_MANDATE_THRESHOLD}）",
            f"least score for an item to carry out a charter function (default {DEFAULT_MANDATE_THRESHOLD})",
        ),
    )

    splits = command(
        "splits",
        runs["splits"],
        help_text(
            "分散在多个部门、多个环节的审批（多部门、多环节审批）",
            "approvals split over several departments (多部门、多环节审批)",
        ),
    )
    report_options(splits)
    splits.add_argument(
        "--min-departments",
        type=int,
        default=2,
        help=help_text(
            "审批至少分散在几个部门（默认 2）", "least departments an approval is split over (default 2)"
        ),
    )

    trace = command(
        "trace",
        runs["trace"],
        help_text(
            "办件每个环节由谁承办、审核、批准（按当时的任职）",
            "who handled, reviewed and approved each stage of a case, as held then",
        ),
    )
    source(trace)
    trace.add_argument(
        "case_id",
        help=help_text("办件编号（大小写均可）", "the case number (办件编号), in capitals or not"),
    )
    trace.add_argument(
        "--idle-tolerance",
        type=_working_days,
        default=DEFAULT_IDLE_TOLERANCE,
        help=help_text(
            f"办件在两个环节之间可以等待的工作日数，超过即为问题（默认 {DEFAULT_IDLE_TOLERANCE}）",
            "working days a case may wait between stages before it is a finding "
            f"(default {DEFAULT_IDLE_TOLERANCE})",
        ),
    )
    output_arguments(
        trace,
        FORMATS,
        sheets=("办件、环节和问题各一张工作表", "a sheet each for the case, its stages and findings"),
    )

    load = command(
        "load",
        runs["load"],
        help_text(
            "把数据来源加载到 Neo4j，要么全部加载，要么什么也不加载",
            "load a workbook into Neo4j, all or nothing",
        ),
    )
    source(load)
    load.add_argument(
        "--strict",
        action="store_true",
        help=help_text(
            "公布清单：文件夹中有不是权责清单的文件时停止加载（默认将其剔除并列出）",
            "published lists: a file of the folder that is not a power list stops the load "
            "(by default it is left out and listed)",
        ),
    )
    load.add_argument(
        "--replace",
        action="store_true",
        help=help_text("先清除数据库中原有的数据", "remove what the database held first"),
    )
    edition(load)

    diff = command(
        "diff",
        runs["diff"],
        help_text(
            "两个版次之间的变化：事项的增删改，新出现和已消失的问题",
            "what changed between two editions: items, findings appeared and gone",
        ),
    )
    diff.add_argument(
        "from_label", metavar="FROM", help=help_text("较早版次的标签", "the earlier edition's label")
    )
    diff.add_argument("to_label", metavar="TO", help=help_text("较晚版次的标签", "the later edition's label"))
    ledger(diff, store=True)
    output_arguments(diff, FORMATS)

    audit = command(
        "audit",
        runs["audit"],
        help_text(
            "导出台账的审计日志：每一次写入，由谁、何时、写入前后的内容",
            "export the ledger's audit log: every write, who, when, before, after",
        ),
    )
    ledger(audit, store=True)
    output_arguments(audit, ("csv", "json", "table", "xlsx"), default="csv")

    cli_evaluation.register(command, source, ledger)
    cli_cases.register(command, source)
    cli_supervision.register(command, source)

    demo = command(
        "demo",
        runs["demo"],
        help_text(
            "写出示例工作簿，作为自己数据的模板",
            "write the demo workbook, a starting point for one's own data",
        ),
    )
    demo.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="DIR",
        help=help_text("写入的文件夹", "the folder to write it into"),
    )
    return parser


# -- argument types ---------------------------------------------------------------------------


def _verdicts(text: str) -> frozenset[OverlapVerdict] | None:
    """`--verdicts`: "OVERLAP,BOUNDARY" as those verdicts, "all" as None (every verdict)."""
    if text.strip() == "all":
        return None
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in OverlapVerdict.__members__]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"{', '.join(unknown) or 'no verdict'}: one or more of {', '.join(OverlapVerdict)}, or all"
        )
    return frozenset(OverlapVerdict(name) for name in names)


def _verdict_names(verdicts: frozenset[OverlapVerdict]) -> str:
    """The verdicts comma-separated, in the enum's order (as `--verdicts` takes them)."""
    return ",".join(verdict for verdict in OverlapVerdict if verdict in verdicts)


def _working_days(text: str) -> int:
    """`--idle-tolerance`: a number of working days, 0 or more."""
    if not text.strip().isdigit():
        raise argparse.ArgumentTypeError(f"{text!r}: a number of working days, 0 or more")
    return int(text)
