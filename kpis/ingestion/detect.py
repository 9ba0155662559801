"""What a KPI file is, from its first bytes: refused formats, workbook or text, and encoding."""

import codecs
import io
import re
from pathlib import PurePath
from typing import IO

from kpis.ingestion import texts as T
from kpis.ingestion.csv_file import open_text
from kpis.ingestion.table import READ_CHUNK, KpiFileError, KpiTable
from kpis.ingestion.xlsx import DEFAULT_MAX_CELLS, open_workbook

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_BINARY = {
    b"%PDF-": T.PDF_DOCUMENT,
    b"\x89PNG": T.PNG_IMAGE,
    b"\xff\xd8\xff": T.JPEG_IMAGE,
    b"GIF8": T.GIF_IMAGE,
    b"\x1f\x8b": T.GZIP_ARCHIVE,
    b"7z\xbc\xaf": T.SEVEN_ZIP_ARCHIVE,
    b"Rar!": T.RAR_ARCHIVE,
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
        raise KpiFileError(T.FILE_EMPTY)
    if size > max_bytes:
        raise KpiFileError(size_refusal(size, max_bytes))
    suffix = PurePath(filename).suffix.lower()
    if suffix in _MACRO_SUFFIXES:
        raise KpiFileError(T.MACROS)
    if suffix == ".xlsb":
        raise KpiFileError(T.XLSB)
    stream.seek(0)
    head = stream.read(8)
    if head.startswith(_OLE2):
        # Excel also wraps password-protected .xlsx files in OLE2.
        raise KpiFileError(T.LEGACY_XLS)
    if head.startswith(_ZIP):
        return open_workbook(stream, max_cells=max_cells)
    for magic, kind in _BINARY.items():
        if head.startswith(magic):
            raise KpiFileError(T.BINARY_KIND % {"kind": kind})
    return open_text(stream, *_detect_encoding(stream, head))


def size_refusal(size: int, limit: int, *, approximate: bool = False) -> str:
    """The message for a file over the size limit (the upload form words it the same way)."""
    message = T.FILE_ABOUT_TOO_LARGE if approximate else T.FILE_TOO_LARGE
    return message % {"size": _megabytes(size), "limit": _megabytes(limit)}


def _megabytes(size: int) -> str:
    if size < 1_000_000:
        return T.BYTES % {"n": f"{size:,}"}
    return T.MEGABYTES % {"n": f"{size / 1_000_000:.1f}"}


def _detect_encoding(stream: IO[bytes], head: bytes) -> tuple[str, str, int]:
    """(label, codec, offset of the text): a BOM decides, else strict UTF-8, else Windows-1252."""
    for bom, label, codec in _BOMS:
        if head.startswith(bom):
            if not codec:
                raise KpiFileError(T.ENCODING_REFUSED % {"encoding": label.upper()})
            if not _decodes(stream, codec, len(bom)):
                name = codec.upper()
                raise KpiFileError(T.BOM_MISMATCH % {"name": name})
            return label, codec, len(bom)
    if _decodes(stream, "utf-8", 0):
        return "utf-8", "utf-8", 0
    if _cp1252_clean(stream):
        return "cp1252", "cp1252", 0
    raise KpiFileError(T.ENCODING_UNKNOWN)


def _nul_error() -> KpiFileError:
    return KpiFileError(T.NUL_BYTES)


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
