"""html -> PDF: the only module that imports WeasyPrint.

Every report is a PDF/A-3b whose machine-readable data travel inside it as PDF/A-3 associated
files: each file is listed once in the catalog's /AF array, with its /AFRelationship and its
MIME type (/Subtype). The PDF carries no wall-clock value: its dates (document information,
XMP, each attachment) and its file identifier (/ID) come from the caller, so the same report
over the same data renders to the same bytes.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from weasyprint import HTML, Attachment

# PDF/A-3b: an archival PDF that may carry other files (here the report's data).
PDF_VARIANT = "pdf/a-3b"


@dataclass(frozen=True)
class PdfAttachment:
    """A file embedded in the PDF as an associated file (PDF/A-3), e.g. the figures as CSV."""

    name: str
    content: bytes
    description: str = ""
    mime_type: str = "application/octet-stream"
    # PDF/A-3 relationship to the document: Data (data the content is built from), Source, ...
    relationship: str = "Data"


@dataclass(frozen=True)
class PdfIdentity:
    """What makes the PDF reproducible: its date and its file identifier, from the stored row."""

    created: datetime  # aware; written in UTC
    identifier: str  # hex digits; the /ID of the file


def _w3c(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _attachment(a: PdfAttachment, moment: datetime | None) -> Attachment:
    attachment = Attachment(
        string=a.content,
        name=a.name,
        description=a.description,
        relationship=a.relationship,
        created=moment,
        modified=moment,
    )
    # WeasyPrint guesses the MIME type from the name; state it so /Subtype is never a guess.
    original = attachment.source

    class _Source:
        def __enter__(self):
            file_obj, url, encoding, _ = original.__enter__()
            return file_obj, url, encoding, a.mime_type

        def __exit__(self, *exc):
            return original.__exit__(*exc)

    attachment.source = _Source()
    return attachment


def _associated_files_once(document, pdf) -> None:
    """WeasyPrint 70 lists every attached file twice in /AF (from /Names and from its
    /Filespec); PDF/A-3 wants each associated file listed once."""
    files = pdf.catalog.get("AF")
    if not files:
        return
    seen: list = []
    for reference in files:
        if reference not in seen:
            seen.append(reference)
    files.clear()
    files.extend(seen)


def html_to_pdf(
    *,
    html: str,
    base_url: str,
    attachments: Sequence[PdfAttachment] = (),
    identity: PdfIdentity | None = None,
) -> bytes:
    """Render print HTML to an archival PDF/A-3b with the given files associated."""
    moment = identity.created.astimezone(UTC).replace(tzinfo=None) if identity else None
    files = [_attachment(a, moment) for a in attachments]
    document = HTML(string=html, base_url=base_url).render()
    options: dict = {}
    if identity is not None:
        document.metadata.created = _w3c(identity.created)
        document.metadata.modified = _w3c(identity.created)
        options["pdf_identifier"] = identity.identifier.encode("ascii")
    return document.write_pdf(
        pdf_variant=PDF_VARIANT,
        attachments=files,
        finisher=_associated_files_once,
        **options,
    )
