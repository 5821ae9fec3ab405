"""The laws sheet of a province: every law cited, the duty articles of the laws charters cite, the penalty
articles whose 主管部门 the list names, and a few duty articles nobody holds (planted UNHELD_DUTY).
"""

from __future__ import annotations

from typing import Any

from graph import ids
from loaders.demo.province.state import Province
from loaders.readgraph import article_label

__all__ = ["law_rows"]


def law_rows(province: Province) -> list[tuple[Any, ...]]:
    """The laws sheet: every law cited, the duty article of each law a charter cites (规定职责, 主管部门),
    the penalty articles whose 主管部门 the list names, and a few duty articles nobody holds (缺位)."""
    rows: list[tuple[Any, ...]] = []
    truth = province.truth
    for short in sorted(province.cited_laws):
        law = province.laws[short]
        rows.append((law.written, law.rank, "", "", "", ""))
    wording = {
        short: province.competent.get(province.law_kind.get(short, "")) or "" for short in province.laws
    }
    for short in sorted(province.duty_cited):
        law = province.laws[short]
        duty = f"负责本行政区域内{_core(short)}的监督管理工作"
        text = f"{wording[short] or '县级以上地方人民政府有关部门'}{duty}。"
        rows.append((law.written, law.rank, article_label(law.duty_article), text, duty, wording[short]))
    for short, article in sorted(province.competent_cited):
        law = province.laws[short]
        if article == law.duty_article:
            continue
        kind = "本法" if law.rank == "法律" else "本条例"
        text = f"违反{kind}规定的，由{wording[short]}责令改正，给予警告，并处罚款。"
        rows.append((law.written, law.rank, article_label(article), text, "", wording[short]))
    unheld = 3 + len(province.governments) // 20
    rng = province.rng
    for short in rng.sample(sorted(province.duty_cited), min(unheld, len(province.duty_cited))):
        law = province.laws[short]
        free = [a for a in law.other_articles if (short, a) not in province.cited]
        if not free:
            continue
        article = rng.choice(free)
        duty = f"组织开展本行政区域{_core(short)}宣传教育和信息统计工作"
        text = f"{wording[short] or '县级以上地方人民政府有关部门'}应当{duty}。"
        rows.append((law.written, law.rank, article_label(article), text, duty, wording[short]))
        truth.gaps["UNHELD_DUTY"].append(ids.article_id(short, article))
        truth.planted_gaps["UNHELD_DUTY"].append(ids.article_id(short, article))
    return rows


_LAW_SUFFIXES = ("实施细则", "实施条例", "暂行条例", "条例", "暂行办法", "办法", "规定", "法")


def _core(short: str) -> str:
    for suffix in _LAW_SUFFIXES:
        if short.endswith(suffix) and len(short) > len(suffix) + 1:
            return short[: -len(suffix)]
    return short
