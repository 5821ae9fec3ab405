"""Chinese numerals, both ways: `chinese_numeral(105)` writes 一百零五, `parse_chinese_numeral("一百零五")`
reads 105.

Laws number their articles, paragraphs and items in Chinese numerals (第一百零五条第二款); lists
cite them in those, in Arabic or in full-width digits, in traditional script and in the financial
forms (壹, 拾). Reading accepts all of them; writing gives the form laws print.

    >>> chinese_numeral(10), chinese_numeral(105), chinese_numeral(120), chinese_numeral(1010)
    ('十', '一百零五', '一百二十', '一千零一十')
    >>> parse_chinese_numeral("四十"), parse_chinese_numeral("一百零五"), parse_chinese_numeral("４０")
    (40, 105, 40)
    >>> parse_chinese_numeral("二〇二四")
    2024
"""

from __future__ import annotations

import re

from graph.errors import QuanzeError
from graph.text import fold_width

__all__ = ["NumeralError", "chinese_numeral", "parse_chinese_numeral"]


class NumeralError(QuanzeError):
    """A text that should be a number (Chinese, Arabic or full-width digits) is not one, or a number
    has no Chinese numeral here (below 0 or above 9999)."""


def chinese_numeral(number: int) -> str:
    """`number` (0 to 9999) in Chinese numerals as laws write them: 零, 十, 十二, 一百零五, 一百一十, 一千零一十.

    Raises `NumeralError` for a number outside 0 to 9999.
    """
    if not 0 <= number < 10000:
        raise NumeralError(f"no Chinese numeral for {number}")
    if number < 10:
        return _WRITTEN_DIGITS[number]
    if number < 20:
        return "十" + (_WRITTEN_DIGITS[number - 10] if number > 10 else "")
    parts = []
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, number = divmod(number, value)
        if digit:
            parts.append(_WRITTEN_DIGITS[digit] + unit)
        elif parts and number and not parts[-1].endswith("零"):
            parts.append("零")
    return "".join(parts).rstrip("零")


def parse_chinese_numeral(text: str) -> int:
    """The value of a number written in Chinese numerals, Arabic digits or full-width digits.

    Raises `NumeralError` when `text` is not such a number.

    >>> parse_chinese_numeral("十"), parse_chinese_numeral("一百五"), parse_chinese_numeral("肆拾")
    (10, 150, 40)
    """
    value = fold_width(text).strip()
    if not value:
        raise NumeralError(f"{text!r} is not a number: it is empty")
    if _ARABIC.fullmatch(value):
        return int(value)
    if all(character in _DIGITS for character in value):
        if len(value) > 1 and "两" in value:
            raise NumeralError(f"{text!r} is not a number: 两 is not a positional digit")
        return int("".join(str(_DIGITS[character]) for character in value))
    return _read_with_units(text, value)


_WRITTEN_DIGITS = "零一二三四五六七八九"
_ARABIC = re.compile(r"[0-9]+")
_DIGITS = {
    **dict.fromkeys("零〇○", 0),
    **dict.fromkeys("一壹", 1),
    **dict.fromkeys("二两兩贰貳", 2),
    **dict.fromkeys("三叁", 3),
    **dict.fromkeys("四肆", 4),
    **dict.fromkeys("五伍", 5),
    **dict.fromkeys("六陆陸", 6),
    **dict.fromkeys("七柒", 7),
    **dict.fromkeys("八捌", 8),
    **dict.fromkeys("九玖", 9),
}
_UNITS = {
    **dict.fromkeys("十拾", 10),
    **dict.fromkeys("百佰", 100),
    **dict.fromkeys("千仟", 1000),
    **dict.fromkeys("万萬", 10000),
}


def _read_with_units(text: str, value: str) -> int:
    """`value` (四十, 一百零五, 一百五) read as a number with units; `text` names it in errors."""
    total = 0
    digit: int | None = None
    last_unit: int | None = None
    zero = False
    for character in value:
        if character in _DIGITS:
            number = _DIGITS[character]
            if number == 0:
                if digit is not None or last_unit is None or zero:
                    raise NumeralError(f"{text!r} is not a number: misplaced 零")
                zero = True
            elif digit is not None:
                raise NumeralError(f"{text!r} is not a number: two digits without a unit between them")
            else:
                digit = number
        elif character in _UNITS:
            unit = _UNITS[character]
            if last_unit is not None and unit >= last_unit:
                raise NumeralError(f"{text!r} is not a number: units out of order")
            if digit is None:
                if unit != 10 or last_unit is not None:
                    raise NumeralError(f"{text!r} is not a number: a unit without a digit")
                digit = 1  # 十, 十二
            total += digit * unit
            last_unit, digit, zero = unit, None, False
        else:
            raise NumeralError(f"{text!r} is not a number: {character!r} is not a numeral")
    if digit is not None:
        # 一百五 is 150, 一百零五 is 105, 二十五 is 25
        shorthand = last_unit is not None and last_unit >= 100 and not zero
        total += digit * (last_unit // 10 if shorthand and last_unit is not None else 1)
    elif zero:
        raise NumeralError(f"{text!r} is not a number: it ends in 零")
    return total
