"""The reference corpus: in how many published texts of each kind each character bigram occurs.

Text similarity (`graph.similarity`) weighs a bigram by how rare it is. Counted only among the texts
being compared, a rarity means little in a small city: among its twelve functions every bigram of
`负责全市` is common and every other one rare, whatever the words are. The reference corpus gives
those counts a base that does not depend on what is loaded: the document frequencies of bigrams in
real published lists, by kind of text, shipped with quanze as `graph/reference_corpus.tsv` (built by
`python -m loaders.reference_corpus`, from the published lists in the project's shared data).

A kind is what the texts are: a power type (`行政处罚`: item names, a sub-item after its item's
name, as the overlap analysis compares them) or `职能` (department functions and duties). A text
counts once per kind however often it is listed, and only bigrams found in at least two texts are
kept (a bigram missing from the corpus counts as found in none).

The file is text, one line per kind and bigram, sorted, so that a change reads as a diff:

    职能	负责	405          (kind, bigram, texts of the kind holding it)
    职能		1132         (kind, nothing, texts of the kind)

    >>> corpus = reference_corpus()
    >>> corpus.documents["行政处罚"] > 1000, corpus.frequency["行政处罚"]["处罚"] > 1000
    (True, True)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from graph.errors import QuanzeError

__all__ = ["FUNCTION_KIND", "ReferenceCorpus", "read_corpus", "reference_corpus", "write_corpus"]

FUNCTION_KIND = "职能"
"""The kind of department functions (三定 duties); the kinds of power items are their power types."""


@dataclass(frozen=True)
class ReferenceCorpus:
    """Texts counted per kind (`documents`) and, per kind, the texts holding each bigram (`frequency`)."""

    documents: Mapping[str, int] = field(default_factory=dict)
    frequency: Mapping[str, Mapping[str, int]] = field(default_factory=dict)

    @classmethod
    def of(cls, documents: Mapping[str, Iterable[Iterable[str]]], minimum: int = 2) -> ReferenceCorpus:
        """The corpus of some tokenised texts by kind (each text its tokens, each text once); tokens in
        fewer than `minimum` texts of a kind are left out."""
        counts: dict[str, int] = {}
        frequency: dict[str, dict[str, int]] = {}
        for kind, texts in documents.items():
            found: Counter[str] = Counter()
            counts[kind] = 0
            for tokens in texts:
                counts[kind] += 1
                found.update(set(tokens))
            frequency[kind] = {token: df for token, df in sorted(found.items()) if df >= minimum}
        return cls(counts, frequency)


@cache
def reference_corpus() -> ReferenceCorpus:
    """The corpus shipped with quanze (read once)."""
    with resources.as_file(resources.files("graph") / "reference_corpus.tsv") as path:
        return read_corpus(path)


def read_corpus(path: Path) -> ReferenceCorpus:
    """The corpus written in `path` by `write_corpus`; raises `QuanzeError` for a line that is not one."""
    documents: dict[str, int] = {}
    frequency: dict[str, dict[str, int]] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        kind, token, count = line.split("\t") if line.count("\t") == 2 else ("", "", "")
        if not kind or not count.isdigit():
            raise QuanzeError(f"{path}, line {number}: not 'kind<TAB>bigram<TAB>count': {line!r}")
        if token:
            frequency.setdefault(kind, {})[token] = int(count)
        else:
            documents[kind] = int(count)
    return ReferenceCorpus(documents, {kind: frequency.get(kind, {}) for kind in documents})


def write_corpus(corpus: ReferenceCorpus, path: Path) -> None:
    """Write `corpus` to `path` as `read_corpus` reads it, sorted by kind and bigram."""
    lines = [f"{kind}\t\t{count}" for kind, count in corpus.documents.items()]
    lines += [
        f"{kind}\t{token}\t{count}"
        for kind, tokens in corpus.frequency.items()
        for token, count in tokens.items()
    ]
    path.write_text("".join(line + "\n" for line in sorted(lines)), encoding="utf-8")
