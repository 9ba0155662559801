"""Writes the KPI sample files of tests/samples; README.md states each one's expected outcome.

Run from the repository root: .venv/bin/python tests/samples/make_samples.py
The output is byte-for-byte reproducible (fixed zip timestamps and workbook dates).
"""

import io
import re
import zipfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import openpyxl

HERE = Path(__file__).parent
REF = "ACME-NL-01"
NBSP = "\u00a0"
FIXED = datetime(2026, 4, 2, 9, 0)


def text_file(name: str, lines: list[list[str] | str], encoding: str, delimiter: str) -> None:
    """Cells joined by the delimiter (a str is a line as is), each line CRLF-ended as Excel does."""
    text = "".join((ln if isinstance(ln, str) else delimiter.join(ln)) + "\r\n" for ln in lines)
    (HERE / name).write_bytes(text.encode(encoding))


def header(*extra: str) -> list[str]:
    return ["contract", "period", "channel", "metric", "value", "volume", *extra]


def daily_march() -> list[list[str] | str]:
    """31 daily rows of phone service level (1 March has no calls) and of contacts handled."""
    rows: list[list[str] | str] = [header()]
    for day in range(1, 32):
        period = f"2026-03-{day:02d}"
        value, volume = (100, 0) if day == 1 else (70 + (day % 7) * 2.5, 300 + 10 * day)
        rows.append([REF, period, "phone", "service_level", str(value), str(volume)])
        rows.append([REF, period, "phone", "contacts_handled", str(280 + 9 * day), ""])
    return rows


def rezip(data: bytes, edit: Callable[[str, bytes], bytes] = lambda name, body: body) -> bytes:
    """The archive again with fixed timestamps, each member passed through `edit`."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = edit(info.filename, source.read(info))
            if info.filename == "docProps/core.xml":
                stamp = FIXED.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
                body = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, body)
            member = zipfile.ZipInfo(info.filename, (1980, 1, 1, 0, 0, 0))
            member.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(member, body)
    return out.getvalue()


def workbook() -> bytes:
    """Numbers, a percent cell, month and day date cells, text numbers and one formula."""
    book = openpyxl.Workbook()
    book.properties.created = FIXED
    sheet = book.active
    sheet.title = "KPIs"
    sheet.append(["Contract", "Period ", "Channel", "Metric", "Value", "Volume", "Comment"])
    sheet.append([REF, "2026-03", "phone", "service_level", 78.5, 12034, "typed as numbers"])
    sheet.append([REF, date(2026, 3, 1), "phone", "abandonment_rate", 0.042, 12034, "0.0% cell"])
    sheet["B3"].number_format = "mmm-yy"
    sheet["E3"].number_format = "0.0%"
    sheet.append([REF, datetime(2026, 3, 15), "chat", "csat", 91.25, 84, "a day"])
    sheet["B4"].number_format = "yyyy-mm-dd"
    sheet.append([REF, "2026-03", None, "contacts_handled", 11800, None, "all channels"])
    sheet.append([REF, "2026-03", "email", "handled_minutes", "=E5*1.5", None, "a formula"])
    sheet.append([])
    sheet.append([REF, "2026-03", "chat", "aht_seconds", 245.125, 2987, "three decimals"])
    sheet.append([REF, "2026-03", "chat", "asa_seconds", "31,5", 2950, "number stored as text"])
    book.create_sheet("Notes").append(["Only the first sheet is read."])
    buffer = io.BytesIO()
    book.save(buffer)
    return rezip(buffer.getvalue())


def saved_by_excel(data: bytes) -> bytes:
    """The workbook as Excel saves it: the formula keeps its result (openpyxl writes none)."""

    def cache(name: str, body: bytes) -> bytes:
        if name != "xl/worksheets/sheet1.xml":
            return body
        return body.replace(b"<f>E5*1.5</f><v />", b"<f>E5*1.5</f><v>17700</v>")

    return rezip(data, cache)


def macro_enabled(data: bytes) -> bytes:
    """The workbook with the content type Excel gives a macro-enabled (.xlsm) workbook."""

    def retype(name: str, body: bytes) -> bytes:
        if name != "[Content_Types].xml":
            return body
        return body.replace(
            b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
            b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
        )

    return rezip(data, retype)


# The smallest valid PNG: one transparent pixel.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082"
)


def text_samples() -> dict[str, tuple[str, str, list[list[str] | str]]]:
    """Each text sample: name -> (encoding, delimiter, rows of cells or raw lines)."""
    rows = {
        "utf8_comma.csv": ("utf-8", ",", [
            header(),
            [REF, "2026-03", "phone", "service_level", "78.5", "12034"],
            [REF, "2026-03", "phone", "contacts_handled", '"11,800"', ""],
            [REF, "2026-03", "chat", "csat", "91.25", "840"],
            [REF, "2026-03", "", "production_hours", "1920.5", ""],
            [REF, "2026-03", "email", "email_response_hours", "6.75", "2310"],
        ]),
        "utf8_bom_semicolon_percent.csv": ("utf-8-sig", ";", [
            header(),
            [REF, "2026-03", "phone", "service_level", "78,5%", "12.034"],
            [REF, "2026-03", "phone", "abandonment_rate", "4,2 %", "12.034"],
            [REF, "2026-03", "phone", "asa_seconds", "27,3", "9.450"],
            [REF, "2026-03", "phone", "contacts_handled", "11.800", ""],
        ]),
        "cp1252_semicolon_quality.csv": ("cp1252", ";", [
            ["Contract", "Period", "Channel", "Metric", "Value", "Volume", "Qualité"],
            [REF, "2026-03", "email", "qa_score", "87,5", "120", "très bien"],
            [REF, "2026-03", "email", "fcr_rate", "71,25", "640", "à revoir – août"],
            [REF, "2026-03", "email", "handled_minutes", "15.230,5", "", "coût 2,40 € / min"],
        ]),
        # Python's "utf-16" writes the little-endian BOM first, as Excel's Unicode text does.
        "utf16le_tab_unicode_text.txt": ("utf-16", "\t", [
            header("commentaire"),
            [REF, "2026-03", "chat", "service_level", "82,4", f"3{NBSP}120", "Soirée calme"],
            [REF, "2026-03", "chat", "aht_seconds", "412,8", f"2{NBSP}987", ""],
            [REF, "2026-03", "chat", "nps", "-12", "410", "Łódź ✓"],
            [REF, "2026-03", "chat", "contacts_handled", f"2{NBSP}987", "", ""],
        ]),
        "thousands_point.csv": ("utf-8", ",", [
            header(),
            [REF, "2026-03", "phone", "contacts_handled", '"1,234,567"', ""],
            [REF, "2026-03", "phone", "handled_minutes", "1 234.5", ""],
            [REF, "2026-03", "phone", "production_hours", '"12,345.25"', ""],
            [REF, "2026-03", "phone", "aht_seconds", "312.5", '"12,034"'],
            [REF, "2026-03", "chat", "handled_minutes", f"2{NBSP}500.75", ""],
        ]),
        "thousands_comma.csv": ("utf-8", ";", [
            header(),
            [REF, "2026-03", "phone", "contacts_handled", "1.234.567", ""],
            [REF, "2026-03", "phone", "handled_minutes", "1 234,5", ""],
            [REF, "2026-03", "phone", "production_hours", "12.345,25", ""],
            [REF, "2026-03", "phone", "aht_seconds", "312,5", "12.034"],
            [REF, "2026-03", "chat", "handled_minutes", f"2{NBSP}500,75", ""],
            [REF, "2026-03", "chat", "contacts_handled", "1.234", ""],
        ]),
        "blank_trailing_lines.csv": ("utf-8", ";", [
            header(),
            [REF, "2026-03", "phone", "service_level", "80,1", "9000"],
            [REF, "2026-03", "phone", "contacts_handled", "8700", ""],
            "", "   ", ";;;;;", "",
        ]),
        "daily_march.csv": ("utf-8", ",", daily_march()),
        "bad_header.csv": ("utf-8", ";", [
            ["contract", "period", "channel", "metric", "amount", "volume"],
            [REF, "2026-03", "phone", "service_level", "78,5", "12034"],
        ]),
        "three_bad_rows.csv": ("utf-8", ";", [
            header(),
            [REF, "2026-03", "phone", "service_level", "78,5", "12034"],
            [REF, "2026-03", "phone", "asa_seconds", "27,x", "9450"],
            [REF, "2026-03", "phone", "first_call_resolution", "71,2", "640"],
            [REF, "2026-03", "chat", "csat", "91,25", ""],
            [REF, "2026-03", "phone", "contacts_handled", "11800", ""],
        ]),
        "mixed_delimiters.csv": ("utf-8", ";", [
            "contract;period;channel,metric;value;volume", f"{REF};2026-03;phone,csat;91,25;840",
        ]),
        "no_data_rows.csv": ("utf-8", ",", [header(), "", ",,,,,"]),
    }  # fmt: skip
    return rows


def main() -> None:
    for name, (encoding, delimiter, lines) in text_samples().items():
        text_file(name, lines, encoding, delimiter)
    book = workbook()
    (HERE / "workbook.xlsx").write_bytes(book)
    (HERE / "workbook_excel_saved.xlsx").write_bytes(saved_by_excel(book))
    (HERE / "macro.xlsm").write_bytes(macro_enabled(book))
    (HERE / "legacy.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    (HERE / "png_renamed.csv").write_bytes(PNG)
    (HERE / "empty.csv").write_bytes(b"")


if __name__ == "__main__":
    main()
