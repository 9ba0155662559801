"""Reading a number as a KPI file writes it: its decimal mark, its thousands separators."""

import re
from decimal import Decimal
from typing import NamedTuple

from kpis.ingestion.table import DecimalMark

MAX_NUMBER_CHARS = 40  # bounds Decimal work on hostile input; no real KPI needs more
# Numbers read per notation, remembered: a file repeats the same few thousand values and volumes.
_NUMBER_MEMO = 50_000
_SPACES = " \u00a0\u202f"  # space, no-break space, narrow no-break space


class Notation(NamedTuple):
    pattern: re.Pattern[str]
    hint: str
    memo: dict[
        str, Decimal | str
    ]  # text -> what read_number made of it (bounded, immutable values)


def _notation(mark: str, group: str, example: str) -> Notation:
    sep = re.escape(group + _SPACES)
    pattern = rf"[-+]?(?:\d+|[1-9]\d{{0,2}}([{sep}])\d{{3}}(?:\1\d{{3}})*)(?:{re.escape(mark)}\d+)?"
    hint = (
        f"Not a number here: this file uses a decimal {'point' if mark == '.' else 'comma'}, "
        f"and only '{group}' or a space may group thousands (e.g. {example})."
    )
    return Notation(re.compile(pattern, re.ASCII), hint, {})


_POINT = _notation(".", ",", "1,234.5")
_COMMA = _notation(",", ".", "1.234,5")
NOTATIONS = {
    DecimalMark.POINT: (_POINT,),
    DecimalMark.COMMA: (_COMMA,),
    DecimalMark.EITHER: (_POINT, _COMMA),
}


def _read_number(text: str, notation: Notation) -> Decimal | None:
    match = notation.pattern.fullmatch(text)
    if match is None:
        return None
    if match[1]:
        text = text.replace(match[1], "")
    return Decimal(text.replace(",", "."))  # once grouping is gone, a comma is the decimal mark


def read_number(text: str, notations: tuple[Notation, ...]) -> Decimal | str:
    """The number the text writes, or why it is none; a number that reads two ways is refused."""
    if len(notations) == 1:  # the common case, inlined and remembered: this runs for every row
        notation = notations[0]
        found = notation.memo.get(text)
        if found is None:
            found = _number_once(text, notation)
            if len(notation.memo) < _NUMBER_MEMO and len(text) <= MAX_NUMBER_CHARS:
                notation.memo[text] = found
        return found
    if len(text) > MAX_NUMBER_CHARS:
        return "Not a number: too many characters."
    if text.isdigit() and text.isascii():
        return Decimal(text)  # most counts: the same in every notation
    first, second = _read_number(text, notations[0]), _read_number(text, notations[1])
    if first is None or second is None or first == second:
        found = second if first is None else first
        return "Not a number." if found is None else found
    return (
        f"Ambiguous: {first} with a decimal point but {second} with a decimal comma; "
        "write it without a thousands separator."
    )


def _number_once(text: str, notation: Notation) -> Decimal | str:
    """read_number for one notation, before the memo."""
    if len(text) > MAX_NUMBER_CHARS:
        return "Not a number: too many characters."
    if text.isdigit() and text.isascii():
        return Decimal(text)
    match = notation.pattern.fullmatch(text)
    if match is None:
        return notation.hint
    return Decimal((text.replace(match[1], "") if match[1] else text).replace(",", "."))
