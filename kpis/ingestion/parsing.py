"""Reading a KPI file (DOMAIN.md "The KPI file"): whole-file checks, raw rows, row validation."""

import codecs
import csv
import gc
import io
import itertools
import math
import os
import re
import zipfile
from array import array
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from pathlib import PurePath
from typing import IO, Any, NamedTuple

import openpyxl  # type: ignore[import-untyped]

from core.catalogue import METRICS, Metric
from core.channels import Channel

REQUIRED_COLUMNS = ("contract", "period", "channel", "metric", "value", "volume")

_CHUNK = 1 << 20
# A genuine workbook's XML compresses 5-30x; a zip bomb declares thousands. Small parts are
# left out of the ratio test because their ratio says nothing.
_MAX_MEMBERS = 10_000
_MAX_UNCOMPRESSED = 1 << 30
_MAX_RATIO = 100
_RATIO_FLOOR = 1 << 20
_MAX_CONTENT_TYPES = 1 << 20
_MAX_NUMBER_CHARS = 40  # bounds Decimal work on hostile input; no real KPI needs more
_CONTRACT_CACHE = 10_000
# Numbers read per notation, remembered: a file repeats the same few thousand values and volumes.
_NUMBER_MEMO = 50_000
# Cells read per file, remembered while it is read: (metric text, value text) -> what _value
# made of it, volume text -> what _volume did (about 20 MB at most each, freed with the file).
_CELL_MEMO = 100_000

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_BINARY = {
    b"%PDF-": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\x1f\x8b": "a gzip archive",
    b"7z\xbc\xaf": "a 7-Zip archive",
    b"Rar!": "a RAR archive",
}
# UTF-32 goes first: its little-endian BOM begins with UTF-16's.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32", ""),
    (codecs.BOM_UTF32_BE, "utf-32", ""),
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
)
_CP1252_UNDEFINED = re.compile(b"[\x81\x8d\x8f\x90\x9d]")
_DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}
_MACRO_SUFFIXES = {".xlsm", ".xltm", ".xlam"}
_WORKBOOK_TYPE = b"spreadsheetml.sheet.main+xml"
_SAVE_AS = "save it as .xlsx or CSV"


class KpiFileError(Exception):
    """A problem with the file as a whole; its message is shown to the uploader as is."""


class DecimalMark(StrEnum):
    """How a file writes decimals: fixed by its delimiter, or either where nothing fixes it."""

    POINT = "point"  # comma-separated: a comma can only group thousands
    COMMA = "comma"  # semicolon-separated: what Excel writes where the comma is the decimal mark
    EITHER = "either"  # tab-separated or workbook text: only numbers that read one way


# A comma file cannot use a decimal comma; Excel writes semicolons exactly where the comma is
# the decimal mark; a tab file (Excel's "Unicode text") may come from either kind of locale.
_MARKS = {",": DecimalMark.POINT, ";": DecimalMark.COMMA, "\t": DecimalMark.EITHER}


_tuple: Any = tuple.__new__  # builds a NamedTuple from a tuple of its fields, in C


class RawRow(NamedTuple):
    """A data row as submitted: text, or a Decimal for a workbook's numeric cell."""

    number: int
    contract: str
    period: str
    channel: str
    metric: str
    value: str | Decimal
    volume: str | Decimal


class ParsedRow(NamedTuple):
    """A row that passed the checks: typed values, and the raw row they came from."""

    number: int
    contract: str
    year: int
    month: int
    day: int | None
    channel: Channel | None
    metric: str
    value: Decimal
    volume: Decimal | None
    raw: RawRow


@dataclass(frozen=True, slots=True)
class Problem:
    """One reason a row is wrong: spreadsheet row number, column, submitted value, message."""

    row: int
    column: str
    value: str
    message: str


@dataclass(frozen=True)
class ContractInfo:
    """What row validation needs to know about a contract."""

    reference: str
    start_date: date
    end_date: date
    vendor_id: int


@dataclass(frozen=True)
class ValidationResult:
    """A whole file's verdict: its problems (the first max_problems) and its row counts."""

    problems: list[Problem]
    more_problems: int
    rows_read: int
    rows_valid: int

    @property
    def ok(self) -> bool:
        """True when no row had a problem, so the file may be stored."""
        return not self.problems


@dataclass(frozen=True)
class KpiTable:
    """An opened KPI file: its format and conventions; rows() streams its data rows."""

    format: str  # "csv" or "xlsx"
    encoding: str | None
    delimiter: str | None
    decimal_mark: DecimalMark
    header_row: int
    columns: tuple[int, ...]  # 0-based positions of REQUIRED_COLUMNS
    stream: IO[bytes] = field(repr=False)
    codec: str = field(default="", repr=False)
    text_offset: int = field(default=0, repr=False)

    def rows(self) -> Generator[RawRow, None, None]:
        """Stream the data rows from the start of the file; raises KpiFileError if it breaks."""
        return _xlsx_rows(self) if self.format == "xlsx" else _csv_rows(self)


# --- the file as a whole --------------------------------------------------------------------


def open_kpi_file(*, stream: IO[bytes], filename: str, max_bytes: int) -> KpiTable:
    """Check a KPI file as a whole and read its header; raises KpiFileError with the reason."""
    size = stream.seek(0, io.SEEK_END)
    if size == 0:
        raise KpiFileError("The file is empty.")
    if size > max_bytes:
        raise KpiFileError(f"The file is {_size(size)}; the limit is {_size(max_bytes)}.")
    suffix = PurePath(filename).suffix.lower()
    if suffix in _MACRO_SUFFIXES:
        raise KpiFileError(f"Macro-enabled workbooks are refused: {_SAVE_AS}.")
    if suffix == ".xlsb":
        raise KpiFileError(f"Binary workbooks (.xlsb) are not accepted: {_SAVE_AS}.")
    stream.seek(0)
    head = stream.read(8)
    if head.startswith(_OLE2):
        # Excel also wraps password-protected .xlsx files in OLE2.
        raise KpiFileError(
            f"This is a legacy Excel (.xls) or password-protected workbook: {_SAVE_AS}, "
            "without a password."
        )
    if head.startswith(_ZIP):
        return _open_workbook(stream)
    for magic, kind in _BINARY.items():
        if head.startswith(magic):
            raise KpiFileError(f"This is {kind}, not a CSV or XLSX file.")
    return _open_text(stream, head)


def _size(size: int) -> str:
    return f"{size:,} bytes" if size < 1_000_000 else f"{size / 1_000_000:.1f} MB"


def _column_positions(names: Sequence[str]) -> tuple[int, ...] | list[str]:
    """Positions of the required columns, or the names of those missing."""
    positions: dict[str, int] = {}
    for index, name in enumerate(names):
        key = "".join(name.split()).lower()
        if key in REQUIRED_COLUMNS:
            if key in positions:
                raise KpiFileError(f"The header row names the column {key} twice.")
            positions[key] = index
    missing = [name for name in REQUIRED_COLUMNS if name not in positions]
    return missing or tuple(positions[name] for name in REQUIRED_COLUMNS)


def _missing_columns(missing: list[str]) -> KpiFileError:
    return KpiFileError(
        f"The header row lacks the column(s) {', '.join(missing)}. A KPI file needs the columns "
        f"{', '.join(REQUIRED_COLUMNS)} (channel and volume cells may be empty)."
    )


# --- CSV ------------------------------------------------------------------------------------


def _open_text(stream: IO[bytes], head: bytes) -> KpiTable:
    label, codec, offset = _detect_encoding(stream, head)
    with _text(stream, codec, offset) as lines:
        # The header is the first line with text; blank lines above it still count as rows.
        found = next(((n, line) for n, line in enumerate(lines, start=1) if line.strip()), None)
    if found is None:
        raise KpiFileError("The file has no header row.")
    header_row, line = found
    delimiter, columns = _delimiter_and_columns(line)
    mark = _MARKS[delimiter]
    table = KpiTable("csv", label, delimiter, mark, header_row, columns, stream, codec, offset)
    rows = table.rows()
    try:
        next(rows)  # raises when there is no data row, so that opening finds every file problem
    finally:
        rows.close()
    return table


def _detect_encoding(stream: IO[bytes], head: bytes) -> tuple[str, str, int]:
    """(label, codec, offset of the text): a BOM decides, else strict UTF-8, else Windows-1252."""
    for bom, label, codec in _BOMS:
        if head.startswith(bom):
            if not codec:
                raise KpiFileError(f"{label.upper()} is not accepted: save the file as CSV UTF-8.")
            if not _decodes(stream, codec, len(bom)):
                name = codec.upper()
                raise KpiFileError(
                    f"The file starts with a {name} byte-order mark but is not {name}."
                )
            return label, codec, len(bom)
    if _decodes(stream, "utf-8", 0):
        return "utf-8", "utf-8", 0
    if _cp1252_clean(stream):
        return "cp1252", "cp1252", 0
    raise KpiFileError(
        "The file's encoding is none of UTF-8, UTF-16 (with a byte-order mark) or Windows-1252: "
        "save it as CSV UTF-8."
    )


def _nul_error() -> KpiFileError:
    return KpiFileError(
        "The file contains NUL bytes: it is binary, or UTF-16 without a byte-order mark; "
        "save it as CSV UTF-8 or .xlsx."
    )


def _decodes(stream: IO[bytes], codec: str, offset: int) -> bool:
    """Stream the file once through a strict decoder, in chunks; NUL characters are refused."""
    stream.seek(offset)
    decoder = codecs.getincrementaldecoder(codec)("strict")
    try:
        while chunk := stream.read(_CHUNK):
            if "\x00" in decoder.decode(chunk):
                raise _nul_error()
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _cp1252_clean(stream: IO[bytes]) -> bool:
    """True when no byte that Windows-1252 leaves undefined occurs: then every byte decodes."""
    stream.seek(0)
    while chunk := stream.read(_CHUNK):
        if b"\x00" in chunk:
            raise _nul_error()
        if _CP1252_UNDEFINED.search(chunk):
            return False
    return True


@contextmanager
def _text(stream: IO[bytes], codec: str, offset: int) -> Iterator[io.TextIOWrapper]:
    stream.seek(offset)
    text = io.TextIOWrapper(stream, encoding=codec, errors="strict", newline="")
    try:
        yield text
    finally:
        text.detach()  # the caller owns the stream: closing the wrapper would close it


def _delimiter_and_columns(line: str) -> tuple[str, tuple[int, ...]]:
    """The one delimiter with which the header names every required column."""
    present = [d for d in _DELIMITERS if d in line]
    if not present:
        raise KpiFileError(
            "The header row has no comma, semicolon or tab between column names. A KPI file "
            f"needs the columns {', '.join(REQUIRED_COLUMNS)}."
        )
    fits: list[tuple[str, tuple[int, ...]]] = []
    missing: list[str] = []
    for delimiter in present:
        found = _column_positions(next(csv.reader([line], delimiter=delimiter)))
        if isinstance(found, tuple):
            fits.append((delimiter, found))
        else:
            missing = found
    names = " and ".join(_DELIMITERS[d] for d in present)
    if len(fits) > 1:
        raise KpiFileError(f"The header row reads correctly with both {names}: it is ambiguous.")
    if fits:
        return fits[0]
    if len(present) > 1:
        raise KpiFileError(f"The header row mixes {names}: use one delimiter.")
    raise _missing_columns(missing)


def _csv_rows(table: KpiTable) -> Generator[RawRow, None, None]:
    with _text(table.stream, table.codec, table.text_offset) as lines:
        for _ in range(table.header_row):
            next(lines)
        reader = csv.reader(lines, delimiter=table.delimiter or ",", strict=True)
        count = yield from _records(reader, table.columns, table.header_row)
    if not count:
        raise KpiFileError("The file has a header row but no data rows.")


def _records(
    reader: Iterator[list[str]], columns: tuple[int, ...], number: int
) -> Generator[RawRow, None, int]:
    """The data rows of CSV records, numbered on from `number`; returns how many there were."""
    count = 0
    c, p, ch, m, v, vo = columns
    width = max(columns) + 1
    try:
        for record in reader:
            number += 1  # a record is one spreadsheet row, even with a newline in quotes
            if len(record) < width or not record[c].strip():
                if not any(cell.strip() for cell in record):
                    continue
                record += [""] * (width - len(record))
            count += 1
            # tuple.__new__ skips the NamedTuple's Python-level __new__: this runs for every row
            yield _tuple(RawRow, (number, record[c], record[p], record[ch], record[m], record[v],
                                  record[vo]))  # fmt: skip
    except csv.Error as exc:
        raise KpiFileError(f"Row {number + 1} cannot be read as CSV: {exc}.") from exc
    return count


# --- a large CSV in parts -------------------------------------------------------------------

# Where one line is always one row: no quote anywhere (so no newline inside a cell) and no
# carriage return that does not end a line, in an encoding where "\n" is the byte 0x0A.
_ONE_LINE_CODECS = {"utf-8", "cp1252"}


class CsvPart(NamedTuple):
    """A run of whole lines of a CSV file: bytes [start, end), the first being row first_row."""

    start: int
    end: int
    first_row: int


def csv_parts(table: KpiTable, count: int) -> list[CsvPart] | None:
    """The data lines of a CSV file cut into `count` parts of about the same size, each with
    the spreadsheet row it starts at; None when the file cannot be cut by lines (a workbook,
    UTF-16, a quote, a stray carriage return, a stream with no file descriptor)."""
    if table.format != "csv" or table.codec not in _ONE_LINE_CODECS or count < 2:
        return None
    try:
        fd = table.stream.fileno()
    except (AttributeError, OSError):
        return None
    size = os.fstat(fd).st_size
    data_start = _after_lines(fd, table.text_offset, size, table.header_row)
    if data_start is None:
        return None
    bounds = [data_start]
    for k in range(1, count):
        target = data_start + (size - data_start) * k // count
        cut = _next_line(fd, max(target, bounds[-1]), size)
        if cut < size:
            bounds.append(cut)
    bounds.append(size)
    # One read of the whole file: it may be cut by lines, and each part's line ends are
    # counted, which give the spreadsheet row the next part starts at.
    line_ends, position = [0] * (len(bounds) - 1), table.text_offset
    for chunk in _pieces(fd, table.text_offset, size):
        # bytes.count and `in` run at memory speed; a regex took half a second on 50 MB
        if b'"' in chunk or chunk.count(b"\r") != chunk.count(b"\r\n"):
            return None
        end = position + len(chunk)
        for n, (first, last) in enumerate(itertools.pairwise(bounds)):
            if first < end and position < last:
                line_ends[n] += chunk.count(b"\n", max(first, position) - position,
                                            min(last, end) - position)  # fmt: skip
        position = end
    parts, row = [], table.header_row + 1
    for (first, last), ends in zip(itertools.pairwise(bounds), line_ends, strict=True):
        parts.append(CsvPart(first, last, row))
        row += ends
    return parts if len(parts) > 1 else None


def _after_lines(fd: int, position: int, size: int, lines: int) -> int | None:
    """The offset just after the lines-th line end from position (the header's end), or None
    when the file has fewer."""
    for chunk in _pieces(fd, position, size):
        found = chunk.count(b"\n")
        if found >= lines:
            at = -1
            for _ in range(lines):
                at = chunk.index(b"\n", at + 1)
            return position + at + 1
        lines -= found
        position += len(chunk)
    return None


def _pieces(fd: int, start: int, end: int) -> Iterator[bytes]:
    """Bytes [start, end) of a file in chunks that end at a line end (but the last), read with
    pread so that the file's position, shared with a forked process, is never moved."""
    rest = b""
    while start < end:
        chunk = os.pread(fd, min(_CHUNK, end - start), start)
        if not chunk:
            break
        start += len(chunk)
        chunk = rest + chunk
        cut = chunk.rfind(b"\n") if start < end else len(chunk) - 1
        if cut < 0:
            rest = chunk
            continue
        rest = chunk[cut + 1 :]
        yield chunk[: cut + 1]
    if rest:
        yield rest


def _next_line(fd: int, position: int, size: int) -> int:
    """The offset just after the first line end at or after position (size if none)."""
    while position < size:
        chunk = os.pread(fd, min(1 << 16, size - position), position)
        at = chunk.find(b"\n")
        if at >= 0:
            return position + at + 1
        position += len(chunk)
    return size


def csv_part_rows(table: KpiTable, part: CsvPart) -> Generator[RawRow, None, int]:
    """The data rows of one part, numbered as reading the whole file would number them."""
    codec = table.codec

    def lines(piece: bytes) -> io.StringIO:
        # StringIO with newline="" ends lines where the whole-file reader (TextIOWrapper with
        # newline="") does, at \n, \r\n or \r, unlike str.splitlines.
        return io.StringIO(piece.decode(codec), newline="")

    pieces = _pieces(table.stream.fileno(), part.start, part.end)
    # chain and map iterate in C: no Python frame per line
    text = itertools.chain.from_iterable(map(lines, pieces))
    reader = csv.reader(text, delimiter=table.delimiter or ",", strict=True)
    return (yield from _records(reader, table.columns, part.first_row - 1))


# --- XLSX -----------------------------------------------------------------------------------


def _open_workbook(stream: IO[bytes]) -> KpiTable:
    _check_archive(stream)
    with _workbook(stream) as workbook:
        rows = enumerate(_sheet_rows(workbook), start=1)
        for number, cells in rows:
            names = [_cell_text(cell) for cell in cells]
            if any(name.strip() for name in names):
                columns = _column_positions(names)
                if isinstance(columns, list):
                    raise _missing_columns(columns)
                if not any(_xlsx_row(n, row, columns) for n, row in rows):
                    raise KpiFileError("The first sheet has a header row but no data rows.")
                return KpiTable("xlsx", None, None, DecimalMark.EITHER, number, columns, stream)
    raise KpiFileError("The first sheet of the workbook is empty.")


def _check_archive(stream: IO[bytes]) -> None:
    """Refuse zip bombs and non-xlsx archives from the zip's directory, before anything inflates."""
    stream.seek(0)
    try:
        archive = zipfile.ZipFile(stream)
    except zipfile.BadZipFile as exc:
        raise KpiFileError(f"The file is a damaged ZIP archive: {_SAVE_AS}.") from exc
    with archive:
        members = archive.infolist()
        # zipfile stops inflating a member at its declared size, so the declared sizes are a bound.
        total = sum(member.file_size for member in members)
        bomb = len(members) > _MAX_MEMBERS or total > _MAX_UNCOMPRESSED
        for member in members:
            if member.flag_bits & 0x1:
                raise KpiFileError(f"The workbook is encrypted: {_SAVE_AS}, without a password.")
            if member.file_size > _RATIO_FLOOR:
                bomb = bomb or member.file_size > _MAX_RATIO * max(member.compress_size, 1)
        if bomb:
            raise KpiFileError("The archive would inflate far beyond its size: it is refused.")
        names = {member.filename: member for member in members}
        types = names.get("[Content_Types].xml")
        if types is None or types.file_size > _MAX_CONTENT_TYPES:
            raise KpiFileError(f"This ZIP file is not an .xlsx workbook: {_SAVE_AS}.")
        content_types = archive.read(types)
    if b"macroEnabled" in content_types:
        raise KpiFileError(f"Macro-enabled workbooks are refused: {_SAVE_AS}.")
    if _WORKBOOK_TYPE not in content_types:
        raise KpiFileError(f"This ZIP file is not an .xlsx workbook: {_SAVE_AS}.")


@contextmanager
def _workbook(stream: IO[bytes]) -> Iterator[Any]:
    """The workbook, read-only with cached cell values; any failure inside is a KpiFileError."""
    workbook = None
    try:
        stream.seek(0)
        workbook = openpyxl.load_workbook(stream, read_only=True, data_only=True, keep_links=False)
        yield workbook
    except KpiFileError:
        raise
    except Exception as exc:  # a corrupt workbook can fail anywhere inside openpyxl
        raise KpiFileError(f"The workbook could not be read ({exc}): {_SAVE_AS}.") from exc
    finally:
        if workbook is not None:
            workbook.close()


def _sheet_rows(workbook: Any) -> Iterator[tuple[Any, ...]]:
    if not workbook.worksheets:
        raise KpiFileError("The workbook has no worksheet.")
    sheet = workbook.worksheets[0]
    sheet.reset_dimensions()  # trust the rows, not the size the writer declared
    rows: Iterator[tuple[Any, ...]] = sheet.iter_rows()
    return rows


def _xlsx_rows(table: KpiTable) -> Generator[RawRow, None, None]:
    with _workbook(table.stream) as workbook:
        for number, cells in enumerate(_sheet_rows(workbook), start=1):
            if number > table.header_row:
                row = _xlsx_row(number, cells, table.columns)
                if row is not None:
                    yield row


def _xlsx_row(number: int, cells: Sequence[Any], columns: tuple[int, ...]) -> RawRow | None:
    c, p, ch, m, v, vo = (cells[i] if i < len(cells) else None for i in columns)
    contract = _cell_text(c)
    if not contract.strip() and not any(_cell_text(cell).strip() for cell in cells):
        return None
    return RawRow(
        number,
        contract,
        _cell_period(p),
        _cell_text(ch),
        _cell_text(m),
        _cell_number(v),
        _cell_number(vo),
    )


def _cell_text(cell: Any) -> str:
    value = None if cell is None else cell.value
    return "" if value is None else str(value)


def _cell_number(cell: Any) -> str | Decimal:
    """A numeric cell as an exact Decimal, scaled as shown when it is formatted as a percentage."""
    value = None if cell is None else cell.value
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return _cell_text(cell)
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if "%" in _format_code(cell.number_format):
        number = number.scaleb(2)
    return number


def _cell_period(cell: Any) -> str:
    """A date cell as the period it shows: a month when its format shows no day, else a day."""
    value = None if cell is None else cell.value
    if isinstance(value, datetime):
        if value.time() != time(0):
            return value.isoformat(sep=" ")
        # Excel turns a typed "2026-03" into 1 March shown as "Mar-26": the user means the month.
        shows_day = "d" in _format_code(cell.number_format)
        return f"{value:%Y-%m-%d}" if shows_day else f"{value:%Y-%m}"
    if isinstance(value, date):
        return value.isoformat()
    return _cell_text(cell)


@lru_cache(maxsize=256)
def _format_code(number_format: str | None) -> str:
    """A number format without its quoted text, escapes and [colour]/[locale] parts."""
    return re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", number_format or "").lower()


# --- rows -----------------------------------------------------------------------------------


_SPACES = " \u00a0\u202f"  # space, no-break space, narrow no-break space


class _Notation(NamedTuple):
    pattern: re.Pattern[str]
    hint: str
    memo: dict[str, Decimal | str]  # text -> what _number made of it (bounded, immutable values)


def _notation(mark: str, group: str, example: str) -> _Notation:
    sep = re.escape(group + _SPACES)
    pattern = rf"[-+]?(?:\d+|[1-9]\d{{0,2}}([{sep}])\d{{3}}(?:\1\d{{3}})*)(?:{re.escape(mark)}\d+)?"
    hint = (
        f"Not a number here: this file uses a decimal {'point' if mark == '.' else 'comma'}, "
        f"and only '{group}' or a space may group thousands (e.g. {example})."
    )
    return _Notation(re.compile(pattern, re.ASCII), hint, {})


_POINT = _notation(".", ",", "1,234.5")
_COMMA = _notation(",", ".", "1.234,5")
_NOTATIONS = {
    DecimalMark.POINT: (_POINT,),
    DecimalMark.COMMA: (_COMMA,),
    DecimalMark.EITHER: (_POINT, _COMMA),
}
_CHANNELS: dict[str, tuple[Channel | None]] = {"": (None,), **{c.value: (c,) for c in Channel}}
_CHANNEL_HINT = f"Unknown channel: use {', '.join(Channel)}, or leave it empty for all."
_METRIC_HINT = f"Unknown metric: the catalogue has {', '.join(METRICS)}."
_PERIOD = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2}))?", re.ASCII)
_PERIOD_HINT = "Write the period as YYYY-MM for a month or YYYY-MM-DD for a day."
_ONE_OR_DAILY = "a month is either one row or daily rows."


def _read_number(text: str, notation: _Notation) -> Decimal | None:
    match = notation.pattern.fullmatch(text)
    if match is None:
        return None
    if match[1]:
        text = text.replace(match[1], "")
    return Decimal(text.replace(",", "."))  # once grouping is gone, a comma is the decimal mark


def _number(text: str, notations: tuple[_Notation, ...]) -> Decimal | str:
    """The number the text writes, or why it is none; a number that reads two ways is refused."""
    if len(notations) == 1:  # the common case, inlined and remembered: this runs for every row
        notation = notations[0]
        found = notation.memo.get(text)
        if found is None:
            found = _number_once(text, notation)
            if len(notation.memo) < _NUMBER_MEMO and len(text) <= _MAX_NUMBER_CHARS:
                notation.memo[text] = found
        return found
    if len(text) > _MAX_NUMBER_CHARS:
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


def _number_once(text: str, notation: _Notation) -> Decimal | str:
    """_number for one notation, before the memo."""
    if len(text) > _MAX_NUMBER_CHARS:
        return "Not a number: too many characters."
    if text.isdigit() and text.isascii():
        return Decimal(text)
    match = notation.pattern.fullmatch(text)
    if match is None:
        return notation.hint
    return Decimal((text.replace(match[1], "") if match[1] else text).replace(",", "."))


@lru_cache(maxsize=4096)
def _period(text: str) -> tuple[int, int, int | None] | str:
    """(year, month, day or None) of a period, or why it is none; periods repeat, so cached."""
    match = _PERIOD.fullmatch(text.strip())
    if match is None:
        return _PERIOD_HINT
    year, month, day = int(match[1]), int(match[2]), int(match[3]) if match[3] else None
    try:
        date(year, month, 1 if day is None else day)
    except ValueError:
        return f"There is no {'month' if day is None else 'day'} {text.strip()}."
    return year, month, day


def parse_row(*, raw: RawRow, decimal_mark: DecimalMark) -> ParsedRow | list[Problem]:
    """Check one row on its own (not against contracts or other rows): typed, or its problems."""
    return _parse(raw, _NOTATIONS[decimal_mark], _CellMemos({}, {}))


class _CellMemos(NamedTuple):
    values: dict[tuple[str, str], Decimal | str]
    volumes: dict[str, Decimal | str | None]


def _parse(
    raw: RawRow, notations: tuple[_Notation, ...], memos: _CellMemos
) -> ParsedRow | list[Problem]:
    number, contract_text, period_text, channel_text, metric_text, value_text, volume_text = raw
    contract = contract_text.strip()
    period = _period(period_text)
    # Exact spellings first: they are what nearly every row has, and cost one lookup.
    channel = _CHANNELS.get(channel_text) or _CHANNELS.get(channel_text.strip().lower())
    metric = METRICS.get(metric_text) or METRICS.get(metric_text.strip().lower())
    # A value's verdict depends on its metric's spelling too; a non-blank volume's on its text.
    values, volumes = memos
    if type(value_text) is str:
        value = values.get((metric_text, value_text))
        if value is None:
            value = _value(value_text, metric, notations)
            if len(values) < _CELL_MEMO and len(value_text) <= _MAX_NUMBER_CHARS:
                values[metric_text, value_text] = value
    else:
        value = _value(value_text, metric, notations)
    if type(volume_text) is str and volume_text.strip():
        volume = volumes.get(volume_text)
        if volume is None:
            volume = _volume(volume_text, metric, notations)
            if len(volumes) < _CELL_MEMO and len(volume_text) <= _MAX_NUMBER_CHARS:
                volumes[volume_text] = volume
    else:
        volume = _volume(volume_text, metric, notations)
    if (
        contract
        and channel is not None
        and metric is not None
        and type(period) is tuple
        and type(value) is Decimal
        and not isinstance(volume, str)
    ):
        year, month, day = period
        parsed: ParsedRow = _tuple(  # ParsedRow(...) without its Python-level __new__
            ParsedRow,
            (number, contract, year, month, day, channel[0], metric.code, value, volume, raw),
        )
        return parsed
    found = (
        ("contract", contract_text, None if contract else "The contract is empty."),
        ("period", period_text, period if isinstance(period, str) else None),
        ("channel", channel_text, None if channel else _CHANNEL_HINT),
        ("metric", metric_text, None if metric else _METRIC_HINT),
        ("value", value_text, value if isinstance(value, str) else None),
        ("volume", volume_text, volume if isinstance(volume, str) else None),
    )
    return [Problem(number, col, str(text), why) for col, text, why in found if why]


def _value(
    text: str | Decimal, metric: Metric | None, notations: tuple[_Notation, ...]
) -> Decimal | str:
    """The value as a number within the metric's range, or why it is not."""
    if isinstance(text, str):
        text = text.strip()
        percent = text.endswith("%")
        if percent:
            text = text[:-1].rstrip()
        if not text:
            return "The value is empty."
        number = _number(text, notations)
        if isinstance(number, str):
            return number
        if percent and metric is not None and metric.unit != "%":
            return f"{metric.code} is not a percentage: remove the % sign."
        text = number
    if metric is None or metric.in_range(text):
        return text
    if metric.maximum is None:
        return f"{metric.code} cannot be below {metric.minimum}."
    return f"{metric.code} must be between {metric.minimum} and {metric.maximum}."


def _volume(
    text: str | Decimal, metric: Metric | None, notations: tuple[_Notation, ...]
) -> Decimal | None | str:
    """The volume as a count, None when blank and not needed, or why it is wrong."""
    if isinstance(text, str):
        text = text.strip()
        if not text:
            if metric is not None and metric.needs_volume:
                return f"{metric.code} is a weighted mean: it needs a volume ({metric.volume})."
            return None
        number = _number(text, notations)
        if isinstance(number, str):
            return number
        text = number
    # Every volume in the catalogue counts something (offered, answered, responses ...).
    if text < 0 or text != text.to_integral_value():
        return "The volume must be a whole number, 0 or more."
    return text


# --- the file's rows together ---------------------------------------------------------------


# Per (contract, year, month, channel, metric): the row number that gave the whole month
# (slot 0) or each day (slots 1-31); 0 when none did. 33k months for 1M daily rows.
SeenRows = dict[tuple[str, int, int, Channel | None, str], "array[int]"]


def validate_file(
    *,
    rows: Iterable[RawRow],
    decimal_mark: DecimalMark,
    lookup_contract: Callable[[str], ContractInfo | None],
    vendor_id: int | None,
    on_valid: Callable[[list[ParsedRow]], None] | None = None,
    batch_size: int = 250,
    max_problems: int = 1000,
    seen: SeenRows | None = None,
) -> ValidationResult:
    """Check every row, alone, against its contract and against the others, in one pass."""
    # Valid rows reach on_valid in batches of batch_size until the first problem, and none
    # after it; a caller that stores them must discard what it stored unless the result is ok.
    # Small batches are faster: the rows just parsed are still in the CPU's cache when
    # on_valid goes over them (250 rows take about 200 KB; with 5,000, a row took a sixth
    # longer).
    # `seen`, when given, is filled with the periods the valid rows gave (see merge_seen).
    checker = _Checker(lookup_contract, vendor_id, {} if seen is None else seen)
    notations = _NOTATIONS[decimal_mark]
    problems: list[Problem] = []
    more = read = valid = 0
    batch: list[ParsedRow] = []
    check, storing, memos = checker.check, on_valid is not None, _CellMemos({}, {})
    with _collector_paused():
        for raw in rows:
            read += 1
            row = _parse(raw, notations, memos)
            if type(row) is not list:
                row = check(row)  # type: ignore[arg-type]
            if type(row) is list:
                room = max_problems - len(problems)
                problems.extend(row[:room])
                more += len(row[room:])
                batch.clear()
                storing = False
                continue
            valid += 1
            if storing:
                batch.append(row)  # type: ignore[arg-type]
                if len(batch) >= batch_size:
                    on_valid(batch)  # type: ignore[misc]
                    batch = []
    if batch and on_valid is not None:
        on_valid(batch)
    return ValidationResult(problems, more, read, valid)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while the rows stream through.

    The rows are acyclic (reference counting frees them), but each batch and the checker's
    index would be scanned again and again by the collector: a fifth of the time of a
    million-row file. It runs as usual again afterwards.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def merge_seen(into: SeenRows, other: SeenRows) -> bool:
    """Add the periods that another part of the file gave; False if the two parts give the
    same day or month twice, or a whole month and a day of it (the whole file then has a row
    problem, which reading it in one pass words)."""
    for key, rows in other.items():
        mine = into.get(key)
        if mine is None:
            into[key] = rows
            continue
        if (mine[0] and any(rows)) or (rows[0] and any(mine)):
            return False
        if any(a and b for a, b in zip(mine, rows, strict=True)):
            return False
        for slot, number in enumerate(rows):
            if number:
                mine[slot] = number
    return True


class _Contract(NamedTuple):
    """A contract's dates as yyyymm and yyyymmdd numbers: cheap to compare on every row."""

    info: ContractInfo
    reference: str
    first_month: int
    last_month: int
    first_day: int
    last_day: int


class _Checker:
    """Checks of a row against its contract and the rows before it; keeps what that needs."""

    def __init__(
        self, lookup: Callable[[str], ContractInfo | None], vendor_id: int | None, seen: SeenRows
    ):
        self.lookup, self.vendor_id = lookup, vendor_id
        self.contracts: dict[str, _Contract | None] = {}
        self.seen = seen

    def check(self, row: ParsedRow) -> ParsedRow | list[Problem]:
        number, reference, year, month, day, channel, metric = row[:7]
        contract = self.contracts.get(reference) or self.contract(reference)
        if contract is None:
            message = "No contract has this reference."
            return [Problem(number, "contract", row.raw.contract, message)]
        if contract.reference != reference:
            reference = contract.reference
            row = row._replace(contract=reference)
        yyyymm = year * 100 + month
        if day is None:
            inside = contract.first_month <= yyyymm <= contract.last_month
        else:
            inside = contract.first_day <= yyyymm * 100 + day <= contract.last_day
        if not inside:
            return [_outside(contract.info, row)]
        # repeated()'s common case inline (a day, or a month, not given before): every row
        rows = self.seen.get((reference, year, month, channel, metric))
        if rows is not None and not rows[0] and (not rows[day] if day else not any(rows)):
            rows[day or 0] = number
            return row
        problem = self.repeated(row)
        return row if problem is None else [problem]

    def contract(self, reference: str) -> _Contract | None:
        if reference in self.contracts:
            return self.contracts[reference]
        info = self.lookup(reference)
        # Another vendor's contract looks exactly like an unknown one: nothing leaks.
        if info is not None and self.vendor_id is not None and info.vendor_id != self.vendor_id:
            info = None
        found = None
        if info is not None:
            start, end = info.start_date, info.end_date
            first, last = start.year * 100 + start.month, end.year * 100 + end.month
            found = _Contract(
                info, info.reference, first, last, first * 100 + start.day, last * 100 + end.day
            )
        if len(self.contracts) < _CONTRACT_CACHE:
            self.contracts[reference] = found
        return found

    def repeated(self, row: ParsedRow) -> Problem | None:
        key = (row.contract, row.year, row.month, row.channel, row.metric)
        rows = self.seen.get(key)
        if rows is None:
            rows = self.seen[key] = array("I", bytes(4 * 32))
        slot = row.day or 0
        earlier = rows[slot]
        if earlier:
            message = f"Row {earlier} already gives this contract, period, channel and metric."
        elif slot and rows[0]:
            message = f"Row {rows[0]} gives this whole month; {_ONE_OR_DAILY}"
        elif not slot and any(rows):
            first = min(n for n in rows if n)
            message = f"Row {first} gives a day of this month; {_ONE_OR_DAILY}"
        else:
            rows[slot] = row.number
            return None
        return Problem(row.number, "period", row.raw.period, message)


def _outside(info: ContractInfo, row: ParsedRow) -> Problem:
    message = f"Outside the contract, which runs from {info.start_date} to {info.end_date}."
    return Problem(row.number, "period", row.raw.period, message)
