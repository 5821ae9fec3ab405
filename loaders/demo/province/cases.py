"""A government's case log: cases of its licences with their steps, and the odd accountability record.

Demand is skewed as service centres see it (the n-th most asked-for licence gets ~1/n of the
cases); steps are mostly done by the holder of the stage's post on the day, within the limit;
a few are late, skipped or done by someone else, and a few cases are still open. The cases draw
from a generator of their own, seeded by the government, so the rest of the workbook is the same
with or without them.
"""

from __future__ import annotations

import itertools
import random
from collections import defaultdict
from datetime import date

from graph.workdays import add_working_days
from loaders.demo import REFERENCE_DATE
from loaders.demo.province.government import GovernmentBuilder
from loaders.demo.province.records import iso_day
from loaders.demo.province.vocabulary import OUTCOMES
from loaders.demo.sheets import CsvSheets

__all__ = ["write_cases"]


def write_cases(builder: GovernmentBuilder, count: int, writer: CsvSheets) -> None:
    """`count` cases of this government's licensing items, with their steps, streamed to the writer."""
    if count <= 0 or not builder.staged:
        return
    rng = random.Random(
        f"{builder.p.seed}/cases/{builder.gov.code}"
    )  # the workbook is the same with or without
    people: dict[str, list[str]] = defaultdict(list)
    department_of_post = {row[0]: row[1] for row in builder.post_rows}
    for row in builder.holding_rows:
        if row[2]:
            people[department_of_post[row[2]]].append(row[0])
    first, last = date(2023, 1, 3).toordinal(), REFERENCE_DATE.toordinal() - 40
    cases, steps, records = [], [], []
    # demand is skewed, as service centres see it: the n-th most asked-for licence gets ~1/n of the cases
    popular = rng.sample(builder.staged, len(builder.staged))
    demand = list(itertools.accumulate(1 / rank for rank in range(1, len(popular) + 1)))
    for number in range(1, count + 1):
        item, stages = rng.choices(popular, cum_weights=demand)[0]
        case = f"{builder.gov.code}{number:07d}"
        accepted = add_working_days(date.fromordinal(rng.randint(first, last) - 1), 1).toordinal()
        day = accepted
        open_case = rng.random() < 0.04
        done = len(stages) if not open_case else rng.randrange(0, len(stages))
        performers = []
        for index, (step, post, days, department) in enumerate(stages[:done]):
            if 0 < index < len(stages) - 1 and rng.random() < 0.02:
                continue  # a stage skipped
            took = days + rng.randint(1, 5) if rng.random() < 0.06 else rng.randint(0, days)
            finished = add_working_days(date.fromordinal(day), took).toordinal()
            performer = None
            if post and rng.random() >= 0.03:
                for start, end, person in builder.holders.get(post, ()):
                    if start <= day and (end is None or day < end):
                        performer = person
                        break
            if performer is None:
                performer = rng.choice(people[department])
            performers.append(performer)
            steps.append(
                (
                    case,
                    step,
                    performer,
                    iso_day(day),
                    iso_day(finished),
                    rng.choice(("同意", "拟同意", "符合条件", "")),
                )
            )
            day = finished
        outcome = "" if open_case else rng.choice(OUTCOMES)
        cases.append((case, item.code, iso_day(accepted), "" if open_case else iso_day(day), outcome, ""))
        if performers and rng.random() < 0.002:
            records.append(
                (
                    f"W{case}",
                    rng.choice(performers),
                    case,
                    "超期办理",
                    rng.choice(("直接责任", "主要领导责任")),
                    rng.choice(("诫勉谈话", "通报批评", "警告")),
                    iso_day(day + rng.randint(30, 200)),
                    f"{builder.gov.place}纪委监委",
                )
            )
        if len(steps) >= 50_000:
            writer.write("办件", cases)
            writer.write("办件环节", steps)
            cases, steps = [], []
    writer.write("办件", cases)
    writer.write("办件环节", steps)
    writer.write("问责", records)
    builder.truth.counts["cases"] += count
