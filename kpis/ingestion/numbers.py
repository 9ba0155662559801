"""Reading a number as a KPI file writes it: its decimal mark, its thousands separators."""

import re
from decimal import Decimal
from typing import NamedTuple

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
    hint = (
        f"Not a number here: this file uses a decimal {'point' if mark == '.' else 'comma'}, "
        f"and only '{group}' or a space may group thousands (e.g. {example})."
    )
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
        return "Not a number: too many characters."
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
        return notations[0].hint if len(notations) == 1 else "Not a number."
    if len(numbers) > 1 and numbers[0] != numbers[1]:
        return (
            f"Ambiguous: {numbers[0]} with a decimal point but {numbers[1]} with a decimal "
            "comma; write it without a thousands separator."
        )
    return numbers[0]
