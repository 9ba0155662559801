"""Reading an invoice's lines from a one-page CSV or XLSX file, by the KPI file's reading rules.

Columns (header names case- and space-insensitive): `kind` (usage, fixed_fee, one_off_fee,
credit; spaces and dashes read as underscores), `channel` (usage lines; may be empty), `amount`.
The encoding, delimiter, decimal mark and number notations are read exactly as in a KPI file
(kpis.ingestion: detect, csv_file, xlsx, numbers): UTF-8 with or without BOM, UTF-16 with a
BOM, Windows-1252; comma, semicolon or tab; a decimal comma where the delimiter is not a comma;
thousands separators; blank lines. A file is read whole: any wrong row refuses all of it.
"""

import csv
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from django.utils.translation import gettext as _

from core.channels import Channel
from kpis.ingestion import csv_file, detect, xlsx
from kpis.ingestion.numbers import NOTATIONS, read_number
from kpis.ingestion.table import DecimalMark, KpiFileError
from kpis.invoices.reconcile import Line, LineKind

COLUMNS = ("kind", "channel", "amount")
MAX_ROWS = 200  # one page of lines
MAX_CELLS = 2_000


@dataclass(frozen=True)
class Problem:
    """A wrong cell: row, column, value and why."""

    row: int
    column: str
    value: str
    message: str


class InvoiceFileError(Exception):
    """The file cannot be read, or rows are wrong: `problems` lists each (none: the whole file)."""

    def __init__(self, message: str, problems: tuple[Problem, ...] = ()) -> None:
        super().__init__(message)
        self.problems = problems


def read_invoice_lines(*, stream: IO[bytes], filename: str, max_bytes: int) -> list[Line]:
    """The file's lines; InvoiceFileError with every problem otherwise."""
    size = stream.seek(0, io.SEEK_END)
    if size == 0:
        raise InvoiceFileError(_("The file is empty."))
    if size > max_bytes:
        raise InvoiceFileError(detect.size_refusal(size, max_bytes))
    stream.seek(0)
    head = stream.read(8)
    if head.startswith(detect._OLE2) or any(head.startswith(m) for m in detect._BINARY):
        raise InvoiceFileError(_("This is not a CSV or XLSX file."))
    try:
        if head.startswith(detect._ZIP):
            rows, mark = _xlsx_rows(stream), DecimalMark.EITHER
        else:
            label, codec, offset = detect._detect_encoding(stream, head)
            rows, mark = _csv_rows(stream, codec, offset)
        return _lines(rows, mark)
    except KpiFileError as error:
        raise InvoiceFileError(str(error)) from error


def _csv_rows(stream: IO[bytes], codec: str, offset: int) -> tuple[list[list[Any]], DecimalMark]:
    stream.seek(offset)
    text = stream.read().decode(codec)
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        raise InvoiceFileError(_("The file has no header row."))
    header = lines[0]
    for delimiter in csv_file.DELIMITER_NAMES:
        names = next(csv.reader([header], delimiter=delimiter))
        if {"kind", "amount"} <= {_key(n) for n in names}:
            rows = list(csv.reader(lines, delimiter=delimiter))
            return rows, csv_file._MARKS[delimiter]
    raise InvoiceFileError(_header_message())


def _xlsx_rows(stream: IO[bytes]) -> list[list[Any]]:
    xlsx._check_archive(stream)
    with xlsx._workbook(stream) as workbook:
        rows = [
            [cell.value for cell in row]
            for row in xlsx._sheet_rows(workbook, MAX_CELLS)
            if any(cell.value not in (None, "") for cell in row)
        ]
    if not rows:
        raise InvoiceFileError(_("The file has no header row."))
    return rows


def _key(name: Any) -> str:
    return "".join(str(name or "").split()).lower()


def _header_message() -> str:
    return _("The header row needs the columns kind, channel and amount (channel may be empty).")


def _lines(rows: list[list[Any]], mark: DecimalMark) -> list[Line]:
    header = [_key(name) for name in rows[0]]
    if "kind" not in header or "amount" not in header:
        raise InvoiceFileError(_header_message())
    at = {name: header.index(name) for name in COLUMNS if name in header}
    data = rows[1:]
    if not data:
        raise InvoiceFileError(_("The file has a header row but no lines."))
    if len(data) > MAX_ROWS:
        raise InvoiceFileError(_("An invoice file has at most %(n)s lines.") % {"n": MAX_ROWS})
    lines, problems = [], []
    for number, row in enumerate(data, start=2):
        cells = {name: row[i] if i < len(row) else None for name, i in at.items()}
        line = _line(number, cells, mark, problems)
        if line is not None:
            lines.append(line)
    if problems:
        raise InvoiceFileError(_("Nothing was read: correct these rows."), tuple(problems))
    return lines


def _line(number: int, cells: dict, mark: DecimalMark, problems: list[Problem]) -> Line | None:
    kind_text = str(cells.get("kind") or "").strip()
    kind_code = kind_text.lower().replace("-", "_").replace(" ", "_")
    channel = str(cells.get("channel") or "").strip().lower()
    before = len(problems)
    if kind_code not in {k.value for k in LineKind}:
        problems.append(Problem(number, "kind", kind_text,
                                _("Use usage, fixed_fee, one_off_fee or credit.")))  # fmt: skip
    if channel and channel not in {c.value for c in Channel}:
        problems.append(Problem(number, "channel", channel, _("Not a channel.")))
    elif channel and kind_code != LineKind.USAGE:
        problems.append(Problem(number, "channel", channel,
                                _("Only a usage line names a channel.")))  # fmt: skip
    amount = _amount(cells.get("amount"), mark)
    if isinstance(amount, str):
        problems.append(Problem(number, "amount", str(cells.get("amount") or ""), amount))
    if len(problems) > before or isinstance(amount, str):
        return None
    return Line(kind=LineKind(kind_code), channel=channel, amount=amount)


def _amount(value: Any, mark: DecimalMark) -> Decimal | str:
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return Decimal(str(value))
    text = str(value or "").strip()
    if not text:
        return _("Give the amount.")
    found = read_number(text, NOTATIONS[mark])
    if isinstance(found, Decimal) and found.as_tuple().exponent < -2:  # type: ignore[operator]
        return _("An amount has at most two decimals.")
    return found
