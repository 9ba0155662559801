"""What a KPI file is, from its first bytes: refused formats, workbook or text, and encoding."""

import codecs
import io
import re
from pathlib import PurePath
from typing import IO

from kpis.ingestion.csv_file import open_text
from kpis.ingestion.table import READ_CHUNK, SAVE_AS, KpiFileError, KpiTable
from kpis.ingestion.xlsx import DEFAULT_MAX_CELLS, open_workbook

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
_MACRO_SUFFIXES = {".xlsm", ".xltm", ".xlam"}


def open_kpi_file(
    *, stream: IO[bytes], filename: str, max_bytes: int, max_cells: int = DEFAULT_MAX_CELLS
) -> KpiTable:
    """Check a KPI file as a whole and read its header; raises KpiFileError with the reason.

    A workbook is read up to `max_cells` cells of its first sheet (KPI_XLSX_MAX_CELLS)."""
    size = stream.seek(0, io.SEEK_END)
    if size == 0:
        raise KpiFileError("The file is empty.")
    if size > max_bytes:
        raise KpiFileError(size_refusal(size, max_bytes))
    suffix = PurePath(filename).suffix.lower()
    if suffix in _MACRO_SUFFIXES:
        raise KpiFileError(f"Macro-enabled workbooks are refused: {SAVE_AS}.")
    if suffix == ".xlsb":
        raise KpiFileError(f"Binary workbooks (.xlsb) are not accepted: {SAVE_AS}.")
    stream.seek(0)
    head = stream.read(8)
    if head.startswith(_OLE2):
        # Excel also wraps password-protected .xlsx files in OLE2.
        raise KpiFileError(
            f"This is a legacy Excel (.xls) or password-protected workbook: {SAVE_AS}, "
            "without a password."
        )
    if head.startswith(_ZIP):
        return open_workbook(stream, max_cells=max_cells)
    for magic, kind in _BINARY.items():
        if head.startswith(magic):
            raise KpiFileError(f"This is {kind}, not a CSV or XLSX file.")
    return open_text(stream, *_detect_encoding(stream, head))


def size_refusal(size: int, limit: int, *, approximate: bool = False) -> str:
    """The message for a file over the size limit (the upload form words it the same way)."""
    about = "about " if approximate else ""
    return f"The file is {about}{_megabytes(size)}; the limit is {_megabytes(limit)}."


def _megabytes(size: int) -> str:
    return f"{size:,} bytes" if size < 1_000_000 else f"{size / 1_000_000:.1f} MB"


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
        while chunk := stream.read(READ_CHUNK):
            if "\x00" in decoder.decode(chunk):
                raise _nul_error()
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _cp1252_clean(stream: IO[bytes]) -> bool:
    """True when no byte that Windows-1252 leaves undefined occurs: then every byte decodes."""
    stream.seek(0)
    while chunk := stream.read(READ_CHUNK):
        if b"\x00" in chunk:
            raise _nul_error()
        if _CP1252_UNDEFINED.search(chunk):
            return False
    return True
