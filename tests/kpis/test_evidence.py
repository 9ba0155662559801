"""Evidence files of disputes: the type is read from the bytes, the name must agree, 10 MB."""

import io

import pytest
from django.core.exceptions import ValidationError

from kpis.evaluation.evidence import EVIDENCE_MAX_BYTES, PDF, evidence_check, safe_name
from tests.support.disputes import PDF_BYTES, PNG_BYTES, xlsx_bytes


def check(data: bytes, name: str):
    return evidence_check(stream=io.BytesIO(data), filename=name)


def refusal(data: bytes, name: str) -> str:
    with pytest.raises(ValidationError) as caught:
        check(data, name)
    return " ".join(caught.value.message_dict["evidence"])


@pytest.mark.parametrize(
    ("data", "name", "content_type"),
    [
        (PDF_BYTES, "report.pdf", "application/pdf"),
        (PNG_BYTES, "screen.PNG", "image/png"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 20, "photo.jpeg", "image/jpeg"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 20, "photo.jpg", "image/jpeg"),
        ("date;calls\n2026-03-02;1200\nCafé;3\n".encode(), "calls.csv", "text/csv"),
        (
            xlsx_bytes(),
            "calls.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    ],
)
def test_each_accepted_type_is_recognised_by_its_content(data, name, content_type):
    accepted = check(data, name)
    assert accepted.kind.content_type == content_type
    assert accepted.size == len(data)


def test_a_script_renamed_to_pdf_is_refused_by_its_content():
    message = refusal(b"#!/bin/sh\nrm -rf /\n\x00\x01", "report.pdf")
    assert "none of the accepted types" in message


def test_a_pdf_named_as_an_image_is_refused_naming_both():
    message = refusal(PDF_BYTES, "screen.png")
    assert "PDF" in message and ".png" in message


def test_a_csv_named_as_a_pdf_is_refused():
    assert ".pdf" in refusal(b"a;b\n1;2\n", "data.pdf")


def test_a_macro_workbook_and_any_other_zip_are_refused():
    assert "none of the accepted types" in refusal(xlsx_bytes(macro=True), "calls.xlsx")
    assert "none of the accepted types" in refusal(b"PK\x03\x04garbage", "calls.xlsx")


def test_an_html_page_renamed_to_png_is_refused_as_the_text_it_is():
    message = refusal(b"<html><script>alert(1)</script></html>", "x.png")
    assert message.startswith("The file's content is CSV but its name ends in “.png”.")


def test_an_empty_file_is_refused():
    assert refusal(b"", "empty.pdf") == "The file is empty."


def test_a_file_over_10_mb_is_refused_with_both_sizes():
    data = PDF_BYTES + b"0" * (EVIDENCE_MAX_BYTES + 1 - len(PDF_BYTES))
    assert refusal(data, "big.pdf") == "The file is 10.0 MB; the limit is 10 MB."
    exactly = PDF_BYTES + b"0" * (EVIDENCE_MAX_BYTES - len(PDF_BYTES))
    assert check(exactly, "big.pdf").size == EVIDENCE_MAX_BYTES


def test_the_download_name_keeps_only_safe_characters():
    assert safe_name('../../etc/"pass wd"\r\n.pdf', PDF) == "pass_wd.pdf"
    assert safe_name("Ünïcode rapport.pdf", PDF) == "Unicode_rapport.pdf"
    assert safe_name("...pdf", PDF) == "evidence.pdf"
