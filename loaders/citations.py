"""Legal citations read from the free text of a power list's basis columns (设定依据, 实施依据).

A basis cell names laws by title and articles by number, in many shapes:

    >>> [(c.law_key, c.article, c.paragraph, c.item) for c in parse_citations(
    ...     "《中华人民共和国城乡规划法》第四十条第一款；《四川省城乡规划条例》第三十七条")]
    [('城乡规划法', 40, 1, None), ('四川省城乡规划条例', 37, None, None)]

Published lists usually write one law per line group, with a rank label, a revision note and the
quoted text of each article:

    【法律】《中华人民共和国行政许可法》（2003年8月27日……《关于修改〈中华人民共和国建筑法〉
    等八部法律的决定》修正）
        第三十条：行政机关应当将……按照本法第二十九条的规定……

The rules:

1. Before matching, the text is width-folded and converted to simplified script, and every
   whitespace character is dropped (lists wrap long text inside words: `《 中华\\n人民共和国行政\\n
   处罚法》`, `第\\n四十二条`). Where the whitespace was is remembered: a line break starts a line,
   and a space may end an article heading.
2. A rank label `【法律】`, `【 法规】`, `[规章]`, `［国务院决定］` (two to twelve Han characters in
   square brackets) sets `rank` (simplified, without spaces) for the laws named after it, until the
   next label.
3. A title in `《》` names a law. A parenthesised note right after a title (its revision history:
   dates, 第十届全国人民代表大会, 国务院令第412号, amendment decisions in 《》) is skipped, and so
   are titles nested in a title (`〈〉`, `<>`, inner `《》`). A title right after 附件 / 附表 is an
   annex of the law before it, not a new law. Broken titles still name a law: a 《 that never closes
   (`《计量法实施细则（1987年…）`) ends before its note, and a name right after a label
   (`【法规】新疆维吾尔自治区商品交易市场管理条例（…）`, `【法规】（禁止使用童工规定》`) counts
   when it ends like a law's name (法, 条例, 办法, 规定, 细则, 决定 …).
4. An article reference `第X条` (with `之X`, `第X款`, `第X项` / `第（X）项`, in Chinese, Arabic or
   full-width digits) belongs to the law named last. A run of Han characters ending like a law's
   name directly before `第X条` names a law without `《》` (`行政许可法第十二条`); the 中华人民共和国
   prefix starts it, and verbs such as 根据, 依照, 违反 before it are not part of it.
5. References joined by `、`, `，`, `；`, `和`, `及`, `或` are a list; `至`, `到`, `—`, `-`, `~` make a
   range (`第三十条至第三十二条` gives 30, 31 and 32; ranges over more than 200 numbers give only
   their ends). A later part may drop `第` (`第三十条、三十二条`), and a number without a unit takes
   the unit of the next part (`第三十八、第四十条`, `第一、三项`). A part that names only a 款 or a
   项 stays in the article before it (`第十条第一款、第二款` gives 10(1) and 10(2)).
6. Chapters and sections (`第五章`), items of a decision list without an article (`第86项`), order
   numbers (`国务院令第412号`), sessions (`第十届`) and clause numbers such as `第4.3条` are not
   articles. A law named with no article gives one citation with `article=None`; it is left out
   when the same cell cites an article of that law.
7. References of a text to itself are never citations: `本法第七条`, `本条例第七条`, `该法…`,
   `前款第（一）项`, `本条第二款`.
8. Quoted article text is not read for citations; a title or article inside it is a cross-reference
   of the quoted law (`第八条：按照本条例第七条的规定……` cites 8 only; `第十七条：……依据《饲料和
   饲料添加剂管理条例》第三十八条进行处罚` cites 17 only). Quoted text starts
   - after an article heading followed by a colon;
   - after an article heading that begins a line, or is followed by a space, and runs straight into
     prose (`第二十三条　国家对捕捞业……`);
   - at a line that begins with prose once a law is named (an article quoted without its number, a
     numbered paragraph of a normative document). List markers (`1.`, `（二）`) and a leading 根据,
     依照, 和 … are not prose.
   It ends at a rank label that starts a line, follows a space or ends a sentence, or at the next
   line that starts with a title, an article heading (`1.第六十二条：` too) or a law name followed by
   an article, when the line before ended a sentence (`。`, `；`, `：`, a closing bracket …). An
   article heading followed by a colon, a space, a list separator or the end of its line ends it
   too; a title must be followed by an article, a line break or punctuation (not `《巴塞尔公约》规定的…`).
9. The result keeps the order of first appearance, with each (law, article, suffix, paragraph,
   item) once.

The numbers are read by `loaders.numerals.parse_chinese_numeral`: `四十` -> 40, `一百零五` -> 105,
`二〇二四` -> 2024, `４０` -> 40.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache

from graph.text import fold_width, normalize_law_name, to_simplified
from loaders.numerals import NumeralError, parse_chinese_numeral

__all__ = ["Citation", "parse_citations"]


@dataclass(frozen=True, slots=True)
class Citation:
    """One cited law, or one cited article (paragraph, item) of a law."""

    law: str
    """The law's title as written, without 《》 and without whitespace."""
    law_key: str
    """`graph.text.normalize_law_name(law)`: simplified, half-width, without the 中华人民共和国 prefix."""
    article: int | None
    """第四十条 -> 40; None when the citation names the law only."""
    article_suffix: int | None
    """第十条之一 -> 1."""
    paragraph: int | None
    """第一款 -> 1."""
    item: int | None
    """第（三）项 -> 3."""
    text: str
    """The part of the input the citation was read from, as written."""
    rank: str | None
    """The rank label before the law (【法律】 -> '法律'), normalised; None without a label."""


def parse_citations(text: str) -> list[Citation]:
    """The citations in a basis cell, in order of first appearance, each once.

    Never raises on any text; a cell without a recognisable citation gives `[]`.

    >>> [(c.law_key, c.article, c.item, c.rank) for c in parse_citations(
    ...     "【法律】《行政许可法》第三十条、第三十二条第（三）项")]
    [('行政许可法', 30, None, '法律'), ('行政许可法', 32, 3, '法律')]
    >>> [(c.law_key, c.article) for c in parse_citations("中华人民共和国城乡规划法第四十条至第四十二条")]
    [('城乡规划法', 40), ('城乡规划法', 41), ('城乡规划法', 42)]
    """
    if not text:
        return []
    return _Scanner(text).run()


# --- patterns, all on the prepared text (simplified, half-width, no whitespace) ---------------------

_NUMBER = r"[0-9]+|[零〇○一二两三四五六七八九十百千万壹贰叁肆伍陆柒捌玖拾佰仟]+"
_ELEMENT = re.compile(
    rf"(?P<di>第)?(?P<open>\()?(?P<number>{_NUMBER})(?(open)\))"
    rf"(?:(?P<article>条)(?:之(?P<suffix>{_NUMBER}))?|(?P<unit>款|项|章|节))?"
)
_SEPARATOR = re.compile(r"(?P<list>、|,|;|和|以及|及|或者|或|与)|(?P<range>至|到|—+|–|-+|~)")
_LABEL = re.compile(r"[【\[]([\u4e00-\u9fff]{2,12})[】\]]")
_CITE_TOKEN = re.compile(r"[【\[《第]")
_ANNEX = re.compile(r"附(?:件|表)[0-9一二三四五六七八九十]*:?$")
_LAW_SUFFIX = r"(?:法|法典|条例|办法|规定|细则|规则|决定|规程|准则|章程|解释|通知|意见|目录)"
_LAW_NAME_END = re.compile(rf"{_LAW_SUFFIX}$")
_LAW_NAME_AT = re.compile(rf"[\u4e00-\u9fff]{{1,40}}?{_LAW_SUFFIX}(?=第)")
_SELF_REFERENCE = re.compile(
    r"(?:(?:本|该|此|同|上述|前述)(?:实施)?(?:法律|法规|法|条例|办法|规定|细则|规则|决定|规章|规程|准则"
    r"|通知|意见|解释|标准|目录|条|款|章|节)|前[一二两三四五]?[款条项])$"
)
_GENERIC_NAME = re.compile(  # words that end like a law's name but name no law
    r"(?:实施)?(?:法|条例|办法|规定|细则|规则|决定)|(?:依|违|合|非|执|守|方|用)法"
)
_NAME_LEAD = re.compile(
    "根据|依据|依照|按照|参照|遵照|违反|适用|执行|遵守|对照|结合|援引|引用|详见|参见|以及|或者|并且"
)
_CONJUNCTIONS = "和及与或并、"
_SENTENCE_ENDS = frozenset('。;:!?)》」』”"…】]')
_LEVELS = {"条": 0, "款": 1, "项": 2}
_LAW_PREFIX = "中华人民共和国"
_MAX_RANGE = 200
_MAX_TITLE = 120
_HAN = re.compile(r"[\u4e00-\u9fff〇]")
_FULL_WIDTH = re.compile("[\uff01-\uff5e\u3000]+")
_PAREN = re.compile(r"[()]")
_NON_SPACE = re.compile(r"\S+")
_LINE_BREAK = re.compile(r"[\n\r\v\f\u2028\u2029]")
_NAME_CHARACTERS = r"[\u4e00-\u9fff〇0-9A-Za-z〈〉<>·、]"
_LABEL_NAME = re.compile(
    rf"[(<〈“\"]?(?P<name>(?=[\u4e00-\u9fff〈<]){_NAME_CHARACTERS}{{1,60}}?{_LAW_SUFFIX})(?:》|(?=\()|$)"
)
_UNCLOSED_TITLE = re.compile(rf"{_NAME_CHARACTERS}{{1,60}}?{_LAW_SUFFIX}(?=\(|$)")
_LIST_MARKER = r"(?:\(?[一二三四五六七八九十0-9]{1,3}[)、.]|[①-⑳])*"
_LIST_MARKERS = re.compile(_LIST_MARKER)
_LINE_LEAD = re.compile(
    rf"{_LIST_MARKER}"
    r"(?:根据|依据|依照|按照|参照|遵照|参见|详见|以及|及|和|或|并|另|同时)?[:、,;]?"
)
_AFTER_HEADING_TITLE = frozenset("第:;,。、(【《")


@dataclass(frozen=True, slots=True)
class _Element:
    """One numbered part of a reference chain: 第四十条, 第一款, （三）项, 三十八 (unit to come)."""

    number: int
    suffix: int | None
    unit: str | None
    start: int
    end: int
    ranged: bool


@dataclass(frozen=True, slots=True)
class _Law:
    """A law named in the text: its title as written, its key and rank, where its name is."""

    law: str
    key: str
    rank: str | None
    start: int
    end: int


class _Scanner:
    """Reads one cell: the prepared text, where its lines start, and the citations found so far."""

    def __init__(self, text: str) -> None:
        self.original = text
        folded = _FULL_WIDTH.sub(_fold_width, text)
        runs: list[str] = []
        origin: list[int] = []
        line_starts: list[int] = [0]
        spaced: set[int] = set()
        gap_start = 0
        for run in _NON_SPACE.finditer(folded):
            start, end = run.span()
            if start > gap_start:
                spaced.add(len(origin))
                if origin and _LINE_BREAK.search(folded, gap_start, start):
                    line_starts.append(len(origin))
            runs.append(run.group())
            origin.extend(range(start, end))
            gap_start = end
        joined = "".join(runs)
        simplified = to_simplified(joined)
        if len(simplified) != len(joined):  # OpenCC keeps lengths for t2s; be safe if it ever does not
            simplified = "".join(to_simplified(character) or character for character in joined)
        self.work = simplified
        self.origin = origin
        self.line_starts = line_starts
        self.line_start_set = frozenset(line_starts)
        self.spaced = frozenset(spaced)
        self.found: list[tuple[_Law, int | None, int | None, int | None, int | None, int, int]] = []
        self.rank: str | None = None
        self.law: _Law | None = None
        self.law_articles_from = -1  # where an article would directly follow the law's name

    # -- the two modes -------------------------------------------------------------------------------

    def run(self) -> list[Citation]:
        """Reads the whole text and returns its citations."""
        work, position = self.work, 0
        while position < len(work):
            match = _CITE_TOKEN.search(work, position)
            if match is None:
                break
            start, token = match.start(), match.group()
            prose_line = self._prose_line(position, start)
            if prose_line is not None:
                position = self._quote_end(prose_line)
            elif token == "《":
                position = self._read_title(start)
            elif token == "第":
                position = self._read_reference(start)
            else:
                position = self._read_label(start)
        return self._citations()

    def _read_label(self, start: int) -> int:
        """Reads the rank label at `start` (and a law named after it without 《); returns where to go on."""
        label = _LABEL.match(self.work, start)
        if label is None:
            return start + 1
        self.rank, self.law = label.group(1), None
        line = bisect_right(self.line_starts, label.end())
        line_end = self.line_starts[line] if line < len(self.line_starts) else len(self.work)
        name = _LABEL_NAME.match(self.work, label.end(), line_end)
        if name is None:
            return label.end()
        return self._name_law(name.start("name"), name.end("name"), name.end())

    def _read_title(self, start: int) -> int:
        """Reads the title at `start`; returns where to go on."""
        title = self._title(start)
        if title is None:
            return start + 1
        name_end, end = title
        if self.law is not None and _ANNEX.search(self.work, max(0, start - 8), start):
            return end  # 附件1《…目录》: a part of the law named before
        return self._name_law(start + 1, name_end, end, shown_from=start)

    def _name_law(self, name_start: int, name_end: int, end: int, shown_from: int | None = None) -> int:
        """Makes the name at `name_start:name_end` (its title ending at `end`) the law cited next."""
        name = "".join(self.original[self.origin[name_start] : self.origin[name_end - 1] + 1].split())
        key = normalize_law_name(name)
        if not key:
            return end
        shown = name_start if shown_from is None else shown_from
        self.law = _Law(name, key, self.rank, shown, end)
        self.found.append((self.law, None, None, None, None, shown, end))
        position = self._skip_notes(end)
        self.law_articles_from = end if position == end and end not in self.spaced else -1
        return position

    def _read_reference(self, start: int) -> int:
        """Reads the chain of references at `start`, cites it; returns where to go on."""
        elements, end = _read_chain(self.work, start)
        if not elements:
            return start + 1
        has_article = any(element.unit == "条" for element in elements)
        if has_article and not self._refers_to_itself(start):
            name_start = self._law_name_before(start)
            if name_start is not None:
                name = "".join(self.original[self.origin[name_start] : self.origin[start - 1] + 1].split())
                self.law = _Law(name, normalize_law_name(name), self.rank, name_start, start)
                self.law_articles_from = start
            if self.law is not None:
                self._cite(self.law, elements)
        after = self._skip_notes(end)
        if self._starts_quote(start, end, after):
            return self._quote_end(after)
        return after

    def _prose_line(self, position: int, token: int) -> int | None:
        """The start of a line between `position` and the next `token` that begins with prose.

        Such a line, once a law is named, is quoted text without an article heading (a paragraph
        of a normative document, an annex entry); None when there is no such line.
        """
        if self.law is None:
            return None
        line = bisect_left(self.line_starts, position)
        if line >= len(self.line_starts) or self.line_starts[line] >= token:
            return None
        line_start = self.line_starts[line]
        if _LINE_LEAD.fullmatch(self.work, line_start, token):
            return None
        name_start = self._law_name_before(token) if self.work[token] == "第" else None
        if name_start is not None and _LINE_LEAD.fullmatch(self.work, line_start, name_start):
            return None
        return line_start

    def _starts_quote(self, start: int, end: int, after: int) -> bool:
        """Whether the heading at `start` (ending at `end`, notes skipped to `after`) opens quoted text."""
        work = self.work
        if after >= len(work):
            return False
        if work[after] == ":":
            return True
        following = after + 1 if work[after] in ";,、" else after
        if following >= len(work) or not _HAN.match(work, following) or work[following] in "第和及与或":
            return False
        return start in self.line_start_set or after in self.spaced or end in self.spaced

    def _quote_end(self, position: int) -> int:
        """Where the quoted text that starts at `position` ends."""
        limit = len(self.work)
        for label in _LABEL.finditer(self.work, position):
            start = label.start()
            if start in self.line_start_set or start in self.spaced or self.work[start - 1] in _SENTENCE_ENDS:
                limit = start
                break
        for line_start in self.line_starts[bisect_right(self.line_starts, position) :]:
            if line_start >= limit:
                break
            if self._starts_heading(line_start):
                return line_start
        return limit

    def _starts_heading(self, line_start: int) -> bool:
        """Whether the line at `line_start` begins a new citation rather than going on with a quote."""
        work = self.work
        after_sentence = work[line_start - 1] in _SENTENCE_ENDS
        first = work[line_start]
        if first == "《":
            title = self._title(line_start)
            if not after_sentence or title is None:
                return False
            after = self._skip_notes(title[1])
            return after >= len(work) or after in self.line_start_set or work[after] in _AFTER_HEADING_TITLE
        marker = _LIST_MARKERS.match(work, line_start)  # 1.第六十二条：, （二）第五条
        if marker is not None and marker.end() < len(work) and work[marker.end()] == "第":
            line_start, first = marker.end(), "第"
        if first != "第":
            name = _LAW_NAME_AT.match(work, line_start)
            return (
                after_sentence
                and name is not None
                and self._law_name_before(name.end()) == line_start
                and any(element.unit == "条" for element in _read_chain(work, name.end())[0])
            )
        elements, end = _read_chain(work, line_start)
        if not any(element.unit in _LEVELS for element in elements) or self._refers_to_itself(line_start):
            return False
        if after_sentence or end >= len(work):
            return True
        return work[end] in ":;,、。(" or end in self.spaced or end in self.line_start_set

    # -- pieces --------------------------------------------------------------------------------------

    def _title(self, start: int) -> tuple[int, int] | None:
        """Where the name ends and where the title ends, for the 《 at `start`; None if it is no title.

        A 《 that does not close (`《计量法实施细则（1987年…）`) still names a law when the text up
        to the next bracket or line break ends like a law's name.
        """
        work, depth = self.work, 0
        for index in range(start, min(len(work), start + _MAX_TITLE)):
            character = work[index]
            if character == "《":
                depth += 1
            elif character == "》":
                depth -= 1
                if depth == 0:
                    return (index, index + 1) if index > start + 1 else None
            elif character == "【":
                break
        line = bisect_right(self.line_starts, start)
        line_end = self.line_starts[line] if line < len(self.line_starts) else len(work)
        unclosed = _UNCLOSED_TITLE.match(work, start + 1, line_end)
        return (unclosed.end(), unclosed.end()) if unclosed is not None else None

    def _skip_notes(self, position: int) -> int:
        """The position after the parenthesised notes that start at `position` (if any).

        A note that does not close ends before a line that starts with a label or an article heading.
        """
        work, line_starts = self.work, self.line_starts
        while position < len(work) and work[position] == "(":
            depth, close = 0, len(work)
            for paren in _PAREN.finditer(work, position):
                depth += 1 if paren.group() == "(" else -1
                if depth == 0:
                    close = paren.start()
                    break
            inside = line_starts[bisect_right(line_starts, position) : bisect_left(line_starts, close)]
            for line_start in inside:
                if self._ends_note(line_start):
                    return line_start
            position = close + 1
        return min(position, len(work))

    def _ends_note(self, line_start: int) -> bool:
        """Whether the line at `line_start` cannot be part of a note: it starts a label or a heading."""
        first = self.work[line_start]
        if first in "【[":
            return _LABEL.match(self.work, line_start) is not None
        return first != "《" and self._starts_heading(line_start)

    def _refers_to_itself(self, start: int) -> bool:
        """Whether the reference at `start` is preceded by 本法, 该条例, 前款 … (not a citation)."""
        return _SELF_REFERENCE.search(self.work, max(0, start - 8), start) is not None

    def _law_name_before(self, start: int) -> int | None:
        """Where a law's name without 《》 that ends at `start` begins; None when there is none."""
        work, begin = self.work, start
        while begin > 0 and start - begin < 40 and _HAN.match(work, begin - 1):
            begin -= 1
        run = work[begin:start]
        if not _LAW_NAME_END.search(run):
            return None
        prefix = run.rfind(_LAW_PREFIX)
        if prefix >= 0:
            begin += prefix
        else:
            cut = max((lead.end() for lead in _NAME_LEAD.finditer(run, 0, len(run) - 1)), default=0)
            while cut < len(run) and run[cut] in _CONJUNCTIONS:
                cut += 1
            begin += cut
        name = work[begin:start]
        if (
            len(name) < 2
            or _GENERIC_NAME.fullmatch(name)
            or _SELF_REFERENCE.search(name)
            or name[0] in "本该此"
        ):
            return None
        return begin

    def _cite(self, law: _Law, elements: list[_Element]) -> None:
        """Records the citations of `law` that the chain `elements` names."""
        levels: list[int | None] = [None, None, None]  # article, paragraph, item
        suffix: int | None = None
        start = end = -1
        pending = False
        previous: _Element | None = None

        def flush(last: int) -> None:
            if levels[0] is not None:
                self.found.append((law, levels[0], suffix, levels[1], levels[2], start, last))

        for element in _resolve_units(elements):
            if element.unit not in _LEVELS:  # 章, 节: structure, not an article
                if pending:
                    flush(end)
                pending, previous, levels = False, None, [None, None, None]
                continue
            level = _LEVELS[element.unit]
            if pending and any(value is not None for value in levels[level:]):
                flush(end)
            if (
                element.ranged
                and previous is not None
                and previous.unit == element.unit
                and 0 < element.number - previous.number <= _MAX_RANGE
            ):
                for number in range(previous.number + 1, element.number):
                    levels[level] = number
                    levels[level + 1 :] = [None] * (2 - level)
                    if level == 0:
                        suffix = None
                    flush(element.end)
            levels[level] = element.number
            levels[level + 1 :] = [None] * (2 - level)
            if level == 0:
                suffix = element.suffix
                start = law.start if element.start == self.law_articles_from else element.start
            elif start < 0:
                start = element.start
            end, pending, previous = element.end, True, element
        if pending:
            flush(end)

    def _citations(self) -> list[Citation]:
        """The citations found, in order, each once, without bare laws whose articles are cited."""
        with_articles = {law.key for law, article, *_ in self.found if article is not None}
        seen: set[tuple[str, int | None, int | None, int | None, int | None]] = set()
        result: list[Citation] = []
        for law, article, suffix, paragraph, item, start, end in self.found:
            if article is None and law.key in with_articles:
                continue
            key = (law.key, article, suffix, paragraph, item)
            if key in seen:
                continue
            seen.add(key)
            text = self.original[self.origin[start] : self.origin[end - 1] + 1]
            result.append(Citation(law.law, law.key, article, suffix, paragraph, item, text, law.rank))
        return result


_number = lru_cache(maxsize=4096)(parse_chinese_numeral)


def _fold_width(match: re.Match[str]) -> str:
    """The full-width characters of `match` folded to half-width (`fold_width` on the few that need it)."""
    return fold_width(match.group())


def _read_chain(work: str, start: int) -> tuple[list[_Element], int]:
    """The numbered parts of the reference chain at `start` (which is 第), and where the chain ends."""
    elements: list[_Element] = []
    position, separator = start, ""
    while True:
        match = _ELEMENT.match(work, position)
        if match is None:
            break
        has_di, unit = match.group("di") is not None, match.group("article") or match.group("unit")
        if not has_di and (not elements or (not separator and unit not in ("款", "项"))):
            break
        try:
            number = _number(match.group("number"))
            suffix = _number(match.group("suffix")) if match.group("suffix") else None
        except NumeralError:
            break
        elements.append(_Element(number, suffix, unit, match.start(), match.end(), separator == "range"))
        position = match.end()
        joint = _SEPARATOR.match(work, position)
        if joint is None:
            separator = ""
        else:
            separator = "range" if joint.group("range") else "list"
            position = joint.end()
    end = elements[-1].end if elements else start
    return elements, end


def _resolve_units(elements: list[_Element]) -> list[_Element]:
    """`elements` with each unitless number given the unit of the next part that has one."""
    resolved: list[_Element] = []
    unit: str | None = None
    for element in reversed(elements):
        if element.unit is not None:
            unit = element.unit
            resolved.append(element)
        elif unit is not None:
            resolved.append(_Element(element.number, None, unit, element.start, element.end, element.ranged))
    resolved.reverse()
    return resolved
