"""Builders of the dispute tests: evidence files, and a breach disputed through the service."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from kpis.evaluation.disputes import dispute_open

PDF_BYTES = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17


def pdf_file(name: str = "outage report.pdf", data: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def xlsx_bytes(*, macro: bool = False) -> bytes:
    """A minimal workbook's parts (enough to be told from any other ZIP)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        if macro:
            archive.writestr("xl/vbaProject.bin", b"\x00macro")
    return buffer.getvalue()


def dispute_made(breach, user, statement: str = "The outage was the buyer's telephony."):
    """Open a dispute of `breach` as the vendor `user`, with a PDF as evidence."""
    evidence = pdf_file()
    return dispute_open(
        breach=breach, user=user, statement=statement, evidence=evidence, filename=evidence.name
    )
