"""Evidence files of disputes: what a file is, judged by its bytes, and whether it is accepted.

DOMAIN.md "Disputes": a PDF, a CSV, an XLSX workbook or an image (PNG, JPEG), at most 10 MB.
The type is read from the content (magic bytes; a workbook's parts), and the name's ending must
agree with it, so a script renamed `.pdf` or a page renamed `.png` is refused. The file is kept
under a random name in a folder of its contract (kpis.models.disputes.evidence_path) and served
only through the evidence view, as an attachment with `X-Content-Type-Options: nosniff`.
"""

import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

EVIDENCE_MAX_BYTES = 10_000_000  # 10 MB
ACCEPT = ".pdf,.csv,.xlsx,.png,.jpg,.jpeg"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Kind:
    """A type of evidence: its content type and the name endings it may carry."""

    code: str
    content_type: str
    suffixes: tuple[str, ...]


PDF = Kind("pdf", "application/pdf", (".pdf",))
CSV = Kind("csv", "text/csv", (".csv",))
XLSX = Kind("xlsx", XLSX_TYPE, (".xlsx",))
PNG = Kind("png", "image/png", (".png",))
JPEG = Kind("jpeg", "image/jpeg", (".jpg", ".jpeg"))
KINDS = (PDF, CSV, XLSX, PNG, JPEG)

_MAGIC = ((b"%PDF-", PDF), (b"\x89PNG\r\n\x1a\n", PNG), (b"\xff\xd8\xff", JPEG))
_ZIP = b"PK\x03\x04"
_TEXT_PROBE = 65_536


@dataclass(frozen=True)
class Evidence:
    """An accepted file: what it is, its size and a name safe to offer for download."""

    kind: Kind
    size: int
    name: str


def evidence_kind(stream: IO[bytes]) -> Kind | None:
    """What the bytes are (PDF, PNG, JPEG, XLSX, CSV), or None for anything else."""
    stream.seek(0)
    head = stream.read(8)
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if head.startswith(_ZIP):
        return XLSX if _is_workbook(stream) else None
    stream.seek(0)
    return CSV if _is_text(stream.read(_TEXT_PROBE)) else None


def _is_workbook(stream: IO[bytes]) -> bool:
    """A ZIP holding an Excel workbook, without macros."""
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    return (
        "[Content_Types].xml" in names
        and "xl/workbook.xml" in names
        and not any(n.lower().endswith("vbaproject.bin") for n in names)
    )


def _is_text(sample: bytes) -> bool:
    """Plain text (UTF-8, or Windows-1252), with no NUL nor other control bytes."""
    if not sample or b"\x00" in sample:
        return False
    if re.search(rb"[\x01-\x08\x0b\x0e-\x1f\x7f]", sample):
        return False
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(sample) - 3:  # not just a character cut at the probe's end
            try:
                sample.decode("cp1252")
            except UnicodeDecodeError:
                return False
    return True


def safe_name(filename: str, kind: Kind) -> str:
    """The uploaded name reduced to letters, digits, dots, dashes and underscores (download)."""
    stem = PurePath(PurePath(filename.replace("\\", "/")).name).stem
    stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("._-")[:80] or "evidence"
    suffix = PurePath(filename).suffix.lower()
    return stem + (suffix if suffix in kind.suffixes else kind.suffixes[0])


def evidence_check(*, stream: IO[bytes], filename: str) -> Evidence:
    """Accept an evidence file or raise ValidationError({"evidence": [why]})."""
    size = stream.seek(0, 2)
    if size == 0:
        raise _refused(_("The file is empty."))
    if size > EVIDENCE_MAX_BYTES:
        raise _refused(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": f"{size / 1_000_000:.1f}", "limit": f"{EVIDENCE_MAX_BYTES // 1_000_000}"}
        )
    kind = evidence_kind(stream)
    stream.seek(0)
    allowed = _("Send a PDF, CSV, XLSX, PNG or JPEG file.")
    if kind is None:
        raise _refused(_("This file is none of the accepted types.") + " " + allowed)
    suffix = PurePath(filename).suffix.lower()
    if suffix not in kind.suffixes:
        raise _refused(
            _("The file's content is %(kind)s but its name ends in “%(suffix)s”.")
            % {"kind": kind.code.upper(), "suffix": suffix or _("no extension")}
            + " "
            + allowed
        )
    return Evidence(kind=kind, size=size, name=safe_name(filename, kind))


def _refused(message: str) -> ValidationError:
    return ValidationError({"evidence": [message]})
