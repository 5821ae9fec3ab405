"""Remake `laws.json`: the articles of real national laws that the demo city cites.

A development script, run by hand when the catalogue changes; the product reads only the
committed `laws.json`. It takes the folder of the LawRefBook extract (one Markdown file per law
version, articles as lines starting 第…条, and `db.sqlite3` with each version's rank):

    python -m loaders.demo.extract_laws ../shared/data/laws

For every law the demo names (the laws departments enforce, the items' and functions' bases,
the duty articles of the laws sheet) it keeps the newest version's title and rank and only the
articles cited: the written-out items' articles, the duty and general articles, and up to
`catalogue.PENALTY_CAP` penalty articles per enforced law, from which the generator derives the
penalty items.
"""

from __future__ import annotations

import argparse
import json
import re
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from graph.text import normalize
from loaders.demo import DEMO_LAWS
from loaders.demo.articles import expand_articles
from loaders.demo.catalogue import (
    DUTY_ARTICLES,
    EXTRA_LAWS,
    GENERAL_ARTICLES,
    HAND_ITEMS,
    LAW_HOLDERS,
    MINED_OVERRIDES,
    PENALTY_CAP,
)
from loaders.demo.city import FUNCTIONS
from loaders.demo.mining import penalty_of

__all__ = ["extract_laws", "main"]

SOURCE = "github.com/LawRefBook/Laws, commit 2f4c5c23716267af9dbebbbbd6cbbf732b101981"
_ARTICLE_LINE = re.compile(
    r"^(第[一二三四五六七八九十百零〇]+条(?:之[一二三四五六七八九十]+)?)[\s\u3000]+(.*)$"
)
_VERSION = re.compile(r"^(?P<name>.*?)(?:\((?P<date>\d{4}-\d{2}-\d{2})\))?$")


def extract_laws(folder: Path) -> dict[str, Any]:
    """The extract as written to `laws.json`: {"source", "laws": [{short, name, rank, version, articles}]}.

    Raises `LookupError` when a cited law or article is not in `folder`.
    """
    files = _law_files(folder)
    ranks = _ranks(folder / "db.sqlite3")
    cited = _cited_articles()
    missing_laws = sorted(set(cited) - set(files))
    if missing_laws:
        raise LookupError(f"laws not found in {folder}: {', '.join(missing_laws)}")
    parsed = {short: _parse(max(files[short])[1]) for short in cited}
    penalties = _penalty_articles({short: parsed[short][1] for short in LAW_HOLDERS})
    laws = []
    for short in sorted(cited):
        version, path = max(files[short])
        title, articles = parsed[short]
        by_number = {article["article"]: article for article in articles}
        wanted = set(cited[short]) | penalties.get(short, set())
        missing = sorted(wanted - by_number.keys())
        if missing:
            raise LookupError(f"{short}: no {', '.join(missing)} in {path.name}")
        laws.append(
            {
                "short": short,
                "name": title,
                "rank": ranks.get((short, version)) or ranks.get((short, "")) or "行政法规",
                "version": version or None,
                "articles": [article for article in articles if article["article"] in wanted],
            }
        )
    return {"source": SOURCE, "laws": laws}


def main(argv: Iterable[str] | None = None) -> int:
    """Command line: write `laws.json` (or `--out`) from the laws folder given."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="the LawRefBook extract (…/shared/data/laws)")
    parser.add_argument("--out", type=Path, default=DEMO_LAWS)
    args = parser.parse_args(list(argv) if argv is not None else None)
    extract = extract_laws(args.folder)
    args.out.write_text(json.dumps(extract, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    count = sum(len(law["articles"]) for law in extract["laws"])
    print(f"{args.out}: {len(extract['laws'])} laws, {count} articles")
    return 0


def _cited_articles() -> dict[str, set[str]]:
    """Every law the demo names, with the articles it cites explicitly."""
    cited: dict[str, set[str]] = {law: set() for law in LAW_HOLDERS}

    def cite(law: str, articles: str | None) -> None:
        if law in EXTRA_LAWS:
            return
        cited.setdefault(law, set()).update(expand_articles(articles) if articles else [])

    for item in HAND_ITEMS:
        for law, articles in item.basis:
            cite(law, articles)
    for function in FUNCTIONS:
        for law, article in function.basis:
            cite(law, article)
    for duty in DUTY_ARTICLES:
        cite(duty.law, duty.article)
    for law, article in GENERAL_ARTICLES.values():
        cite(law, article)
    for law, article in MINED_OVERRIDES:
        cite(law, article)
    return cited


def _penalty_articles(laws: dict[str, list[dict[str, Any]]]) -> dict[str, set[str]]:
    """Per enforced law, up to `PENALTY_CAP` penalty articles, evenly spread over its penalty chapter.

    An article whose penalty item would repeat one already listed (written out, or read from an
    earlier law) is left out, as the generator would leave the item out.
    """
    seen = {(normalize(item.name), item.type_code) for item in HAND_ITEMS}
    chosen: dict[str, set[str]] = {}
    for short in LAW_HOLDERS:
        found = [(a["article"], penalty) for a in laws[short] if (penalty := penalty_of(a, short))]
        if len(found) > PENALTY_CAP:
            step = (len(found) - 1) / (PENALTY_CAP - 1)
            found = [found[round(index * step)] for index in range(PENALTY_CAP)]
        for number, penalty in found:
            key = (normalize(penalty.name), "CF")
            if key not in seen:
                seen.add(key)
                chosen.setdefault(short, set()).add(number)
    return chosen


def _law_files(folder: Path) -> dict[str, list[tuple[str, Path]]]:
    files: dict[str, list[tuple[str, Path]]] = {}
    for path in folder.rglob("*.md"):
        match = _VERSION.match(path.stem)
        if match and path.stem != "_index":
            files.setdefault(match.group("name"), []).append((match.group("date") or "", path))
    return files


def _ranks(catalogue: Path) -> dict[tuple[str, str], str]:
    with sqlite3.connect(catalogue) as connection:
        rows = connection.execute("SELECT name, publish, level FROM law").fetchall()
    ranks: dict[tuple[str, str], str] = {}
    for name, publish, level in rows:
        ranks[(name, publish or "")] = level
        ranks.setdefault((name, ""), level)
    return ranks


def _parse(path: Path) -> tuple[str, list[dict[str, Any]]]:
    """A law file's title and its articles: {article, chapter, paragraphs}."""
    lines = path.read_text(encoding="utf-8").splitlines()
    title = next(line[2:].strip() for line in lines if line.startswith("# "))
    body = lines[next(i for i, line in enumerate(lines) if "INFO END" in line) + 1 :]
    articles: list[dict[str, Any]] = []
    chapter = ""
    current: dict[str, Any] | None = None
    for line in body:
        text = line.strip()
        if not text:
            continue
        if text.startswith("#"):
            chapter, current = text.lstrip("#").strip(), None
            continue
        match = _ARTICLE_LINE.match(text)
        if match:
            current = {"article": match.group(1), "chapter": chapter, "paragraphs": [match.group(2).strip()]}
            articles.append(current)
        elif current is not None:
            current["paragraphs"].append(text)
    return title, articles


if __name__ == "__main__":
    raise SystemExit(main())
