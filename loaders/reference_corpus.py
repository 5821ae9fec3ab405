"""Remake `graph/reference_corpus.tsv`: the bigram document frequencies text similarity weighs by.

A development script, run by hand when the shared lists change; the product reads only the
committed file (`graph.corpus.reference_corpus`). It reads the sources with the loaders the product
reads them with, so a name counts as the overlap analysis will compare it:

    python -m loaders.reference_corpus ../shared/data/real

- the 17 Karamay power lists (`karamay-power-lists/`): each item's name, with its sub-item after it
  in brackets, under its power type; each distinct 部门职责 a row cites, line by line, as `职能`;
- the Guangdong service catalogue (`guangdong-service-items/policy.jsonl`): each item's name (and
  sub-item) under its power type (`公共服务` items are `其他行政权力`, as the catalogue loader reads them);
- the demo city's charter functions and its units' duties (`loaders/demo/city.toml`) as `职能`: the
  shared data holds no charter (三定) text, and these are written as charters are.

Texts are normalised and counted once per kind; bigrams of fewer than two texts are left out.
"""

from __future__ import annotations

import argparse
import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from graph.corpus import FUNCTION_KIND, ReferenceCorpus, write_corpus
from graph.memory import MemoryStore
from graph.similarity import tokens_of
from graph.text import normalize
from loaders.demo.city import DEPARTMENTS, FUNCTIONS
from loaders.sources import load_source
from ontology import NodeKind

__all__ = ["SOURCES", "build_corpus", "main"]

SOURCES = ("karamay-power-lists", "guangdong-service-items/policy.jsonl")
CORPUS_FILE = Path(__file__).resolve().parents[1] / "graph" / "reference_corpus.tsv"
_DUTY_LINE = re.compile(r"[\n。；;]+")
_NUMBERING = re.compile(r"^\s*\d+\s*[.、．]\s*")


def build_corpus(real: Path) -> ReferenceCorpus:
    """The reference corpus of the published lists under `real` (the shared data's `real/` folder) and
    the demo city's functions."""
    texts: dict[str, set[str]] = defaultdict(set)
    for source in SOURCES:
        store = MemoryStore()
        load_source(real / source, store)
        for item in store.nodes(NodeKind.POWER_ITEM):
            sub = item.get("sub_item")
            texts[str(item["power_type"])].add(f"{item['name']}（{sub}）" if sub else str(item["name"]))
            duty = (item.get("extra") or {}).get("部门职责")
            if duty:
                texts[FUNCTION_KIND].update(_duty_lines(str(duty)))
    texts[FUNCTION_KIND].update(function.text for function in FUNCTIONS)
    texts[FUNCTION_KIND].update(duties for department in DEPARTMENTS for _, duties in department.units)
    return ReferenceCorpus.of({kind: _tokenised(found) for kind, found in sorted(texts.items())})


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("real", type=Path, help="the shared data's real/ folder")
    parser.add_argument("--out", type=Path, default=CORPUS_FILE)
    args = parser.parse_args()
    corpus = build_corpus(args.real)
    write_corpus(corpus, args.out)
    kinds = ", ".join(f"{kind} {count:,}" for kind, count in corpus.documents.items())
    bigrams = sum(map(len, corpus.frequency.values()))
    print(f"wrote {args.out}: {bigrams:,} bigrams from texts of {kinds}")


def _duty_lines(duty: str) -> Iterable[str]:
    """The duties of a 部门职责 cell, one a line or sentence, without their numbering."""
    for line in _DUTY_LINE.split(duty):
        line = _NUMBERING.sub("", line).strip()
        if line:
            yield line


def _tokenised(texts: set[str]) -> list[list[str]]:
    """The tokens of each distinct normalised text."""
    return [tokens for tokens in tokens_of(sorted({normalize(text) for text in texts})) if tokens]


if __name__ == "__main__":
    main()
