"""The one CSV writer of the product, and the text rule every spreadsheet export follows.

A cell a spreadsheet would run as a formula (text starting with =, +, -, @, a tab or a carriage
return: OWASP's "CSV injection" list) gets a leading apostrophe, so it shows as the text it is.
Numbers stay numbers: a Decimal, an int, or a string that is a plain decimal number (the report
builders hand figures over as strings, "-120.50" among them) is written unchanged, so a credit
or a negative saving still sums. Every CSV the product writes goes through `csv_bytes`;
tests/security/test_csv_formulas.py checks that no other module uses `csv.writer`.
"""

import csv
import io
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")

Cell = str | int | Decimal | float | bool | date | datetime | None


def spreadsheet_text(text: str) -> str:
    """Text a spreadsheet will show as text: formula-like text gets a leading apostrophe."""
    if text.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def csv_cell(value: Cell) -> str:
    """One cell as CSV text: numbers as written, booleans yes/no, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return spreadsheet_text(str(value))


def csv_bytes(
    header: Sequence[Cell],
    rows: Iterable[Sequence[Cell]],
    *,
    bom: bool = False,
    lineterminator: str = "\r\n",
) -> bytes:
    """A header and rows as UTF-8 CSV (with a BOM for spreadsheets when `bom`)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=lineterminator)
    writer.writerow([csv_cell(value) for value in header])
    writer.writerows([csv_cell(value) for value in row] for row in rows)
    return out.getvalue().encode("utf-8-sig" if bom else "utf-8")
