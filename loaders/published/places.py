"""The governments of published lists by level, and how an implementing body's name shows its level.

The lists belong to one city: `city_of` names its government (the place the titles, file names and
implementing bodies name most), `province_of` its province. `Places` knows every level's government:
the province's, the city's, a district the lists name (独山子区人民政府), or one grouped government of
the districts below the city (`克拉玛依市所辖县市区人民政府`); and reads the level and place an implementing
body's name shows (`seat`: `县市区农业农村局` -> county; `克拉玛依市自然资源局独山子区分局` -> county,
独山子区), or a level column, a group row or a sheet's name declares (`declared`).

    >>> places = Places(load_mapping(), "克拉玛依市", "新疆维吾尔自治区")                    # doctest: +SKIP
    >>> places.seat("县市区农业农村局")                                                 # doctest: +SKIP
    ('county', None, '农业农村局')
"""

from __future__ import annotations

import re
from collections import Counter

from graph.errors import InvalidData
from graph.text import normalize
from loaders.mapping import ListMapping
from loaders.published.rows import ListRows
from loaders.published.sheets import file_problem
from loaders.published.text import DECLARED, YEAR, title_of

__all__ = ["Places", "city_of", "is_government", "province_of"]


class Places:
    """The lists' governments by level, and how an implementing body's name shows its level."""

    def __init__(self, mapping: ListMapping, city_place: str, province: str | None) -> None:
        self.mapping = mapping
        self.city = city_place
        self.province = province
        self.list_level = mapping.list_level
        self.place: dict[str, str] = {mapping.list_level: city_place}
        if province:
            self.place["province"] = province
        for level, group in mapping.government_groups.items():
            if level != mapping.list_level and level not in self.place:
                self.place[level] = mapping.grouped_government.format(
                    place=city_place, group=group
                ).removesuffix(mapping.government_suffix)
        self.place.setdefault("province", "省级")
        prefixes = [(province, "province")] if province else []
        prefixes.append((city_place, mapping.list_level))
        for level in ("province", "city", "county", "township"):
            prefixes.extend((word, level) for word in mapping.prefixes(level))
        self._prefixes = sorted(prefixes, key=lambda pair: len(pair[0]), reverse=True)

    def government(self, level: str, place: str | None = None) -> str:
        """The government of a level: the named place's (独山子区人民政府), else the level's own (the
        city's, the province's, or the one grouped government of the counties below the city)."""
        return (place or self.place.get(level, self.city)) + self.mapping.government_suffix

    def seat(self, written: str) -> tuple[str | None, str | None, str]:
        """The level and place an implementing body's name shows (None, None: it shows none), and the
        rest of the name: `县市区农业农村局` -> county; `克拉玛依市自然资源局各区自然资源分局` -> county,
        自然资源分局; `独山子区农业农村局` and `克拉玛依市自然资源局独山子区分局` -> county, 独山子区."""
        level, rest = self.split(written)
        each = _EACH_BELOW.search(rest)
        if each is not None:
            below = "township" if each.group("township") else "county"
            after = rest[each.end() :]
            if len(after) >= 2:
                return below, None, after
            return below, None, _branch(rest[: each.start()])
        if level not in (None, self.list_level):
            return level, None, rest
        branch = _BRANCH.match(rest)
        if branch is not None:
            return "county", branch.group("place"), _branch(branch.group("body"))
        named = _COUNTY_PLACE.match(rest)
        if named is not None and not named.group(1).endswith("自治区") and len(rest) - named.end() >= 2:
            return "county", named.group(1), rest[named.end() :]
        return level, None, rest

    def declared(self, text: str, *, whole: bool = False) -> tuple[str, str | None] | None:
        """The level and place a level column (`县市区级`, `所属行政区划`: `独山子区`), a row over a
        group or a sheet's name (`whole`: all of the text names it) gives; None when it gives none."""
        text = re.sub(r"\s+", "", text)
        level = self.mapping.level_in(text) if whole else self.mapping.level_of(text)
        if level is not None:
            return level, None
        bare = re.sub(r"(?:权责事项|权力事项|事项|权责清单|清单)$", "", DECLARED.sub("", text))
        bare = re.sub(r"^(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十\d]{1,3}[)）])", "", bare)
        if self.province and bare.startswith(self.province):
            return "province", None
        if bare.startswith(self.city):
            bare = bare[len(self.city) :]
            if bare in ("", "本级", "市本级", "辖区", "全市"):
                return self.list_level, None
        named = _COUNTY_PLACE.match(bare + "·")
        if (
            named is not None
            and bare[named.end() :] in ("", "本级")
            and not named.group(1).endswith("自治区")
        ):
            return "county", named.group(1)
        return None

    def split(self, written: str) -> tuple[str | None, str]:
        """The level an implementing body's name starts with (None: no level word) and the rest."""
        text = re.sub(r"\s+", "", written)
        for word, level in self._prefixes:
            if text.startswith(word) and len(text) > len(word):
                rest = text[len(word) :]
                if len(word) == 1 and any(text.startswith(n) for n in self.mapping.not_prefixes):
                    continue
                if rest.startswith("级"):
                    rest = rest[1:]
                return level, rest
        return None, text


def is_government(places: Places, written: str) -> bool:
    """Whether an implementing body's name is the government itself (`克拉玛依市人民政府`)."""
    _, rest = places.split(written)
    return normalize(rest) in ("人民政府", "政府")


def city_of(lists: list[ListRows], mapping: ListMapping, source: str) -> str:
    """The government of the city the lists name most, in their titles, file names and implementing
    bodies (克拉玛依市 -> 克拉玛依市人民政府). Raises `InvalidData` naming `source` when none names one."""
    counts: Counter[str] = Counter()
    level_words = {word for level in mapping.department_prefixes.values() for word in level}
    for found in lists:
        texts = [*found.titles, title_of(mapping, found.file.stem), *found.bodies]
        for text in texts:
            text = YEAR.sub("", re.sub(r"^附件[:：]?", "", re.sub(r"\s+", "", text)))
            match = _PLACE.match(text)
            if match and match.group(1) not in level_words:
                counts[match.group(1)] += 1
    if not counts:
        reason = (
            "cannot tell which government the lists belong to (no title, file name or implementing "
            "body names a city); give it, e.g. government='克拉玛依市人民政府'"
        )
        raise InvalidData(f"{source}: {reason}", [file_problem(source, reason)])
    return counts.most_common(1)[0][0] + mapping.government_suffix


def province_of(lists: list[ListRows], mapping: ListMapping, city: str) -> str | None:
    """The province of the city (`city`'s place, without the government's suffix): the mapping's
    `[places]`, else the province the lists' legal bases name most; None when none does."""
    known = mapping.places.get(city)
    if known:
        return known
    counts: Counter[str] = Counter()
    for found in lists:
        for text in found.bases:
            for province in mapping.provinces:
                if province in text:
                    counts[province] += 1
    return counts.most_common(1)[0][0] if counts else None


_EACH_BELOW = re.compile(
    r"各(?:(?P<township>乡镇|街道|乡（镇）|乡\(镇\))|县市区|县（市、区）|县\(市、区\)|县区|区县|县市|县|区)"
)
#: A district's or county's name at the start of a body's name (独山子区…): two to five characters,
#: none of them what ends a body's name (生态环境局区县 names no place)
_COUNTY_PLACE = re.compile(
    r"^((?:(?![局委厅办院所站队部会处科室司])[\u4e00-\u9fff]){2,5}?(?:区|县|旗))(?=[\u4e00-\u9fff·]{1,})"
)
_BRANCH = re.compile(r"^(?P<body>[\u4e00-\u9fff]{2,}?局)(?P<place>[\u4e00-\u9fff]{2,5}?(?:区|县))分局$")


def _branch(body: str) -> str:
    """A bureau's branch below it, named by the bureau: 自然资源局 -> 自然资源分局."""
    return body.removesuffix("局") + "分局" if body.endswith("局") and not body.endswith("分局") else body


#: A city's (or a prefecture's) name at the start of a title or a body's name.
_PLACE = re.compile(r"^([\u4e00-\u9fff]{2,6}?(?:市|州|盟|地区))")
