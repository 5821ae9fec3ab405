"""The demo generator at the scale of a province: a workbook of any number of items, and its truth.

    >>> from loaders.demo.province import generate_province
    >>> truth = generate_province(2000, Path("/tmp/province"), cases=200)  # doctest: +SKIP

writes a folder of UTF-8 .csv files named after the sheets (with `cases`, 办件, 办件环节 and 问责
too) and `truth.json`: what was planted, with the ids the analyses report, and what the analyses
must therefore find. The same seed gives the same files, byte for byte (one `random.Random(seed)`,
and for the cases one seeded per government so that the rest of the workbook is the same with or
without them; no clock). `bench/generate.py` is its command line.

How a province is made, step by step (one module each; `build` runs them in order):

- `state`: what all governments share: `kinds` of department (the demo city's, with
  `vocabulary` from `province.toml`), the laws they cite, the standard list of each kind
  (`catalogue`: so one item is held at several levels, a division between levels and never an
  overlap), the `governments` (a province, its cities, their counties and districts), and the
  truth as it is assembled;
- for each government (`government`): its `organisation` (departments named after the place,
  units, posts and their holders over the years, the staffing plants), its `lists` (items from
  the standard lists and its own, named by `naming`, and charters), the `background` made
  unlike across departments, then `plants_overlaps` (SAME_ITEM, JOINT, SHARED_BASIS,
  SIMILAR_TEXT) and `plants_gaps`, `verification` of the plants against the final data, its
  `approvals` (stages, split approvals), and `expectations`: every finding the analyses must
  report, computed from the rows;
- its `rows` and `cases` streamed to the folder; the `laws` sheet last.
"""

from loaders.demo.province.build import DEFAULT_SEED, generate_province, summary

__all__ = ["DEFAULT_SEED", "generate_province", "summary"]
