"""html -> PDF: the only module that imports WeasyPrint."""

from collections.abc import Sequence
from dataclasses import dataclass

from weasyprint import HTML, Attachment

# PDF/A-3b: an archival PDF that may carry other files (here the report's figures as CSV).
PDF_VARIANT = "pdf/a-3b"


@dataclass(frozen=True)
class PdfAttachment:
    """A file embedded in the PDF, e.g. the report's figures as CSV."""

    name: str
    content: bytes
    description: str = ""


def html_to_pdf(*, html: str, base_url: str, attachments: Sequence[PdfAttachment] = ()) -> bytes:
    """Render print HTML to an archival PDF/A-3b with the given files attached."""
    files = [
        Attachment(string=a.content, name=a.name, description=a.description, relationship="Data")
        for a in attachments
    ]
    document = HTML(string=html, base_url=base_url)
    return document.write_pdf(pdf_variant=PDF_VARIANT, attachments=files)
