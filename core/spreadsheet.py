"""The one CSV writer of the product, and the text rule every spreadsheet export follows.

A cell a spreadsheet would run as a formula (text starting with =, +, -, @, a tab or a carriage
return: OWASP's "CSV injection" list) gets a leading apostrophe, so it shows as the text it is.
Numbers stay numbers: a Decimal, an int, or a string that is a plain decimal number (the report
builders hand figures over as strings, "-120.50" among them) is written unchanged, so a credit
or a negative saving still sums. Every CSV the product writes goes through `csv_bytes`;
tests/security/test_csv_formulas.py checks that no other module uses `csv.writer`.

Exports a person opens are written in the reader's convention (`csv_convention`): where the
language writes a decimal comma (nl, ro, es) the cells are separated by `;` and numbers carry a
comma (`1234,5`, no thousands separator), as a spreadsheet set to that language expects; elsewhere
(en) `,` and a point. Files read by programs (a report's attached figures, which report_verify
reads) keep `MACHINE`: `,` and a point whatever the language (docs/i18n.md, docs/reports.md).
"""

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from babel import numbers as babel_numbers

from core.formatting import locale_of

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")

Cell = str | int | Decimal | float | bool | date | datetime | None


def spreadsheet_text(text: str) -> str:
    """Text a spreadsheet will show as text: formula-like text gets a leading apostrophe."""
    if text.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


@dataclass(frozen=True)
class CsvConvention:
    """How a CSV separates cells and writes a number's decimals."""

    delimiter: str
    decimal_mark: str


MACHINE = CsvConvention(delimiter=",", decimal_mark=".")
DECIMAL_COMMA = CsvConvention(delimiter=";", decimal_mark=",")


def csv_convention(language: str | None = None) -> CsvConvention:
    """The reader's convention (the active language when None): `;` and a decimal comma where
    the language writes a decimal comma (nl, ro, es), else `,` and a point (en)."""
    comma = babel_numbers.get_decimal_symbol(locale_of(language)) == ","
    return DECIMAL_COMMA if comma else MACHINE


def csv_cell(value: Cell, *, decimal_mark: str = ".") -> str:
    """One cell as CSV text: numbers as written (with `decimal_mark`, never grouped), booleans
    yes/no, dates ISO, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return f"{value:f}".replace(".", decimal_mark)
    if isinstance(value, int | float):
        return str(value).replace(".", decimal_mark)
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = str(value)
    if _NUMBER.fullmatch(text):  # a figure handed over as text ("-120.50")
        return text.replace(".", decimal_mark)
    return spreadsheet_text(text)


def csv_bytes(
    header: Sequence[Cell],
    rows: Iterable[Sequence[Cell]],
    *,
    bom: bool = False,
    lineterminator: str = "\r\n",
    convention: CsvConvention = MACHINE,
) -> bytes:
    """A header and rows as UTF-8 CSV (with a BOM for spreadsheets when `bom`), its cells
    separated and its numbers written by `convention` (`csv_convention()` for a person)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=convention.delimiter, lineterminator=lineterminator)
    mark = convention.decimal_mark
    writer.writerow([csv_cell(value, decimal_mark=mark) for value in header])
    writer.writerows([csv_cell(value, decimal_mark=mark) for value in row] for row in rows)
    return out.getvalue().encode("utf-8-sig" if bom else "utf-8")
