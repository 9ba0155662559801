"""Reading a number as a KPI file writes it: its decimal mark, its thousands separators."""

import re
from decimal import Decimal
from typing import NamedTuple

from kpis.ingestion import texts as T
from kpis.ingestion.table import DecimalMark

MAX_NUMBER_CHARS = 40  # bounds Decimal work on hostile input; no real KPI needs more
_SPACES = " \u00a0\u202f"  # space, no-break space, narrow no-break space


class Notation(NamedTuple):
    """One way of writing numbers: its decimal mark and thousands separators, and the hint
    given for a text that is not a number that way."""

    pattern: re.Pattern[str]  # group 1: the thousands separator used, if any
    hint: str


def _notation(mark: str, group: str, example: str) -> Notation:
    sep = re.escape(group + _SPACES)
    pattern = rf"[-+]?(?:\d+|[1-9]\d{{0,2}}([{sep}])\d{{3}}(?:\1\d{{3}})*)(?:{re.escape(mark)}\d+)?"
    hint = (T.NOT_A_NUMBER_POINT if mark == "." else T.NOT_A_NUMBER_COMMA) % {
        "group": group,
        "example": example,
    }
    return Notation(re.compile(pattern, re.ASCII), hint)


_POINT = _notation(".", ",", "1,234.5")
_COMMA = _notation(",", ".", "1.234,5")
# The notations a file's numbers may be written in, by its decimal mark: one, or both where
# nothing fixes it (then a number must read the same both ways).
NOTATIONS = {
    DecimalMark.POINT: (_POINT,),
    DecimalMark.COMMA: (_COMMA,),
    DecimalMark.EITHER: (_POINT, _COMMA),
}


def read_number(text: str, notations: tuple[Notation, ...]) -> Decimal | str:
    """The number the text writes in any of the notations, or why it is none; a number that
    reads two ways is refused."""
    if len(text) > MAX_NUMBER_CHARS:
        return T.NUMBER_TOO_LONG
    if text.isdigit() and text.isascii():
        return Decimal(text)  # most counts: the same in every notation
    numbers = []
    for notation in notations:
        match = notation.pattern.fullmatch(text)
        if match is not None:
            digits = text.replace(match[1], "") if match[1] else text
            # once grouping is gone, a comma is the decimal mark
            numbers.append(Decimal(digits.replace(",", ".")))
    if not numbers:
        return notations[0].hint if len(notations) == 1 else T.NOT_A_NUMBER
    if len(numbers) > 1 and numbers[0] != numbers[1]:
        return T.NUMBER_AMBIGUOUS % {"point": numbers[0], "comma": numbers[1]}
    return numbers[0]
