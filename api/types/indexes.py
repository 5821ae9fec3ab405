"""Indexes over what the analysis cache holds, made once per cached result and shared by every request:
the overlaps by id, by department and by cluster, the gaps of a date by id and by department, and
the power type of every item (read once per store version: ten look-ups by the indexed `power_type`).

An index is kept while its source is the cache's current result (for the items, while the store's
version is the same), so a new version's analyses make new ones; past `MAX_INDEXES`, the oldest goes.
A view of every department so costs dictionary look-ups, never a pass per department.

    overlaps_by_department(context)["department:…"]      # [Overlap, …] in the cache's order
    item_types(context)["item:XK-001"]                   # '行政许可'
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping
from datetime import date
from typing import Any, TypeVar

from api.context import Context, Loaders
from graph import analyses
from ontology import NodeKind, PowerType

__all__ = [
    "MAX_INDEXES",
    "clusters_by_id",
    "gaps_by_department",
    "gaps_by_id",
    "item_types",
    "overlaps_by_department",
    "overlaps_by_id",
    "splits_by_id",
]

#: indexes kept at once (the gaps of other dates make more): the oldest goes first
MAX_INDEXES = 32

D = TypeVar("D")
X = TypeVar("X")
_indexes: OrderedDict[Hashable, tuple[object, object]] = OrderedDict()
_lock = threading.Lock()
#: each request's item types, so that a page of departments asks for the store's version once
_request_types: weakref.WeakKeyDictionary[Loaders, Mapping[str, str]] = weakref.WeakKeyDictionary()


def overlaps_by_id(context: Context) -> Mapping[str, analyses.Overlap]:
    """Every overlap (of every verdict) by its id."""
    found = context.cache.overlaps()
    return _derived(("overlaps by id",), found, lambda: {overlap.id: overlap for overlap in found})


def overlaps_by_department(context: Context) -> Mapping[str, list[analyses.Overlap]]:
    """Every overlap (of every verdict) under each department it names, in the cache's order."""
    found = context.cache.overlaps()
    return _derived(("overlaps by department",), found, lambda: _grouped(found, lambda o: o.departments))


def clusters_by_id(context: Context) -> Mapping[str, analyses.Cluster]:
    """Every cluster of overlaps by its id: each of every overlap of its id (a cluster of divisions
    holds DIVIDED overlaps only, any other none of them)."""
    found = context.cache.overlaps()
    return _derived(("clusters",), found, lambda: {c.id: c for c in analyses.clusters_of(found)})


def gaps_by_id(context: Context, at: date) -> Mapping[str, analyses.Gap]:
    """Every gap on `at` by its id."""
    found = context.cache.gaps(at)
    return _derived(("gaps by id", at), found, lambda: {gap.id: gap for gap in found})


def gaps_by_department(context: Context, at: date) -> Mapping[str | None, list[analyses.Gap]]:
    """Every gap on `at` under its department (None: of no department), in the cache's order."""
    found = context.cache.gaps(at)
    return _derived(("gaps by department", at), found, lambda: _grouped(found, lambda g: (g.department,)))


def splits_by_id(context: Context) -> Mapping[str, analyses.SplitApproval]:
    """Every split approval (over one department or more) by its id."""
    found = context.cache.splits()
    return _derived(("splits by id",), found, lambda: {split.id: split for split in found})


def item_types(context: Context) -> Mapping[str, str]:
    """The power type of every power item, by item id: read once per store version (whose number is
    asked for once per request)."""
    known = _request_types.get(context.loaders)
    if known is not None:
        return known
    reader = context.reader

    def read() -> dict[str, str]:
        context.check()
        return {
            item.id: power_type.value
            for power_type in PowerType
            for item in reader.find(NodeKind.POWER_ITEM, "power_type", power_type.value)
        }

    found = _derived(("item types", id(reader)), (reader, reader.version), read, same=_same_version)
    _request_types[context.loaders] = found
    return found


def _grouped(found: Iterable[X], keys: Callable[[X], Iterable[Any]]) -> dict[Any, list[X]]:
    grouped: defaultdict[Any, list[X]] = defaultdict(list)
    for entry in found:
        for key in dict.fromkeys(keys(entry)):
            grouped[key].append(entry)
    return dict(grouped)


def _same_version(kept: object, source: object) -> bool:
    """Whether two (store, version) pairs are of one store and one version."""
    assert isinstance(kept, tuple) and isinstance(source, tuple)
    return kept[0] is source[0] and kept[1] == source[1]


def _derived(
    key: Hashable,
    source: object,
    build: Callable[[], D],
    same: Callable[[object, object], bool] = lambda kept, source: kept is source,
) -> D:
    """`build()`, made once for `source` (a cached result, or a store and its version) under `key`."""
    with _lock:
        known = _indexes.get(key)
    if known is not None and same(known[0], source):
        return known[1]  # type: ignore[return-value]
    built = build()
    with _lock:
        _indexes[key] = (source, built)
        _indexes.move_to_end(key)
        while len(_indexes) > MAX_INDEXES:
            _indexes.popitem(last=False)
    return built
