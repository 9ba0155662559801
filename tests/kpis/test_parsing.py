"""KPI files: whole-file checks, encodings, delimiters, numbers, rows, whole-file validation."""

import codecs
import io
import re
import tracemalloc
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.catalogue import METRICS
from core.channels import Channel
from kpis.ingestion import rows as row_checks
from kpis.ingestion import xlsx
from kpis.ingestion.detect import open_kpi_file
from kpis.ingestion.rows import ParsedRow, Problem, parse_row
from kpis.ingestion.table import DecimalMark, KpiFileError, KpiTable, RawRow
from kpis.ingestion.validation import ContractInfo, ValidationResult, validate_file

SAMPLES = Path(__file__).parents[1] / "samples"
ACME = ContractInfo("ACME-NL-01", date(2025, 1, 1), date(2027, 12, 31), vendor_id=1)
MIDMONTH = ContractInfo("ACME-DE-02", date(2025, 1, 15), date(2025, 6, 14), vendor_id=1)
OTHER = ContractInfo("OTHER-FR-01", date(2025, 1, 1), date(2027, 12, 31), vendor_id=2)
CONTRACTS = {contract.reference: contract for contract in (ACME, MIDMONTH, OTHER)}
HEADER = "contract;period;channel;metric;value;volume\n"
NBSP = "\u00a0"
NO_HYPOTHESIS_FILES = settings(database=None, deadline=None)


def open_bytes(data: bytes, filename: str = "kpis.csv", max_bytes: int = 10**8) -> KpiTable:
    return open_kpi_file(stream=io.BytesIO(data), filename=filename, max_bytes=max_bytes)


def open_sample(name: str) -> KpiTable:
    return open_bytes((SAMPLES / name).read_bytes(), name)


def ingest(table: KpiTable, vendor_id: int | None = 1) -> tuple[ValidationResult, list[ParsedRow]]:
    stored: list[ParsedRow] = []
    result = validate_file(
        rows=table.rows(),
        decimal_mark=table.decimal_mark,
        lookup_contract=CONTRACTS.get,
        vendor_id=vendor_id,
        on_valid=stored.extend,
    )
    return result, stored


def brief(rows: list[ParsedRow]) -> list[tuple[object, ...]]:
    return [(r.number, r.day, r.channel, r.metric, r.value, r.volume) for r in rows]


def refusal(data: bytes, filename: str = "kpis.csv", max_bytes: int = 10**8) -> str:
    with pytest.raises(KpiFileError) as error:
        table = open_bytes(data, filename, max_bytes)
        list(table.rows())
    return str(error.value)


def row(value: str, metric: str = "handled_minutes", volume: str = "", **fields: str) -> RawRow:
    cells = {"contract": "ACME-NL-01", "period": "2026-03", "channel": "phone", **fields}
    return RawRow(7, cells["contract"], cells["period"], cells["channel"], metric, value, volume)


def number(text: str, mark: DecimalMark) -> Decimal | str:
    """What parse_row makes of a value of handled_minutes (a count with no upper bound)."""
    parsed = parse_row(raw=row(text), decimal_mark=mark)
    return parsed.value if isinstance(parsed, ParsedRow) else parsed[0].message


POINT_HINT = (
    "Not a number here: this file uses a decimal point, and only ',' or a space may group "
    "thousands (e.g. 1,234.5)."
)
COMMA_HINT = (
    "Not a number here: this file uses a decimal comma, and only '.' or a space may group "
    "thousands (e.g. 1.234,5)."
)


# --- the sample files -----------------------------------------------------------------------


def test_a_utf8_comma_file_reads_decimal_points_and_quoted_thousands():
    table = open_sample("utf8_comma.csv")
    result, rows = ingest(table)
    assert (table.format, table.encoding, table.delimiter) == ("csv", "utf-8", ",")
    assert table.decimal_mark is DecimalMark.POINT
    assert result == ValidationResult([], 0, 5, 5)
    assert brief(rows) == [
        (2, None, Channel.PHONE, "service_level", Decimal("78.5"), Decimal(12034)),
        (3, None, Channel.PHONE, "contacts_handled", Decimal(11800), None),
        (4, None, Channel.CHAT, "csat", Decimal("91.25"), Decimal(840)),
        (5, None, None, "production_hours", Decimal("1920.5"), None),
        (6, None, Channel.EMAIL, "email_response_hours", Decimal("6.75"), Decimal(2310)),
    ]
    assert rows[1].raw.value == "11,800"  # the submitted text is kept for provenance


def test_a_utf8_bom_semicolon_file_reads_decimal_commas_percent_signs_and_dot_thousands():
    table = open_sample("utf8_bom_semicolon_percent.csv")
    result, rows = ingest(table)
    assert (table.encoding, table.delimiter, table.decimal_mark) == ("utf-8-sig", ";", "comma")
    assert result.ok
    assert brief(rows) == [
        (2, None, Channel.PHONE, "service_level", Decimal("78.5"), Decimal(12034)),
        (3, None, Channel.PHONE, "abandonment_rate", Decimal("4.2"), Decimal(12034)),
        (4, None, Channel.PHONE, "asa_seconds", Decimal("27.3"), Decimal(9450)),
        (5, None, Channel.PHONE, "contacts_handled", Decimal(11800), None),
    ]


def test_a_windows_1252_file_is_detected_and_its_accented_extra_column_ignored():
    table = open_sample("cp1252_semicolon_quality.csv")
    result, rows = ingest(table)
    assert (table.encoding, table.delimiter, table.decimal_mark) == ("cp1252", ";", "comma")
    assert result.ok
    assert brief(rows) == [
        (2, None, Channel.EMAIL, "qa_score", Decimal("87.5"), Decimal(120)),
        (3, None, Channel.EMAIL, "fcr_rate", Decimal("71.25"), Decimal(640)),
        (4, None, Channel.EMAIL, "handled_minutes", Decimal("15230.5"), None),
    ]


def test_an_excel_unicode_text_export_reads_as_utf16_tab_separated_with_unambiguous_numbers():
    table = open_sample("utf16le_tab_unicode_text.txt")
    result, rows = ingest(table)
    assert (table.encoding, table.delimiter, table.decimal_mark) == ("utf-16-le", "\t", "either")
    assert result.ok
    assert brief(rows) == [
        (2, None, Channel.CHAT, "service_level", Decimal("82.4"), Decimal(3120)),
        (3, None, Channel.CHAT, "aht_seconds", Decimal("412.8"), Decimal(2987)),
        (4, None, Channel.CHAT, "nps", Decimal(-12), Decimal(410)),
        (5, None, Channel.CHAT, "contacts_handled", Decimal(2987), None),
    ]


@pytest.mark.parametrize(
    ("name", "extra"),
    [("thousands_point.csv", []), ("thousands_comma.csv", [Decimal(1234)])],
)
def test_thousands_separators_follow_the_files_decimal_mark(name, extra):
    result, rows = ingest(open_sample(name))
    assert result.ok
    values = [Decimal(1234567), Decimal("1234.5"), Decimal("12345.25"), Decimal("312.5")]
    assert [r.value for r in rows] == [*values, Decimal("2500.75"), *extra]
    assert rows[3].volume == Decimal(12034)


def test_blank_trailing_lines_and_rows_of_empty_cells_are_not_rows():
    result, rows = ingest(open_sample("blank_trailing_lines.csv"))
    assert result == ValidationResult([], 0, 2, 2)
    assert [(r.number, r.metric, r.value) for r in rows] == [
        (2, "service_level", Decimal("80.1")),
        (3, "contacts_handled", Decimal(8700)),
    ]


def test_daily_rows_for_a_month_read_as_days_of_that_month():
    result, rows = ingest(open_sample("daily_march.csv"))
    assert result == ValidationResult([], 0, 62, 62)
    assert [(r.number, r.year, r.month, r.day) for r in rows[:3]] == [
        (2, 2026, 3, 1),
        (3, 2026, 3, 1),
        (4, 2026, 3, 2),
    ]
    assert rows[-1].day == 31


def test_a_workbook_saved_by_excel_reads_values_dates_percentages_and_cached_formulas():
    table = open_sample("workbook_excel_saved.xlsx")
    result, rows = ingest(table)
    assert (table.format, table.encoding, table.delimiter) == ("xlsx", None, None)
    assert result == ValidationResult([], 0, 7, 7)
    assert [(r.number, r.year, r.month, r.day, r.channel, r.metric) for r in rows] == [
        (2, 2026, 3, None, Channel.PHONE, "service_level"),
        (3, 2026, 3, None, Channel.PHONE, "abandonment_rate"),  # a date cell shown as Mar-26
        (4, 2026, 3, 15, Channel.CHAT, "csat"),  # a date cell shown as a day
        (5, 2026, 3, None, None, "contacts_handled"),
        (6, 2026, 3, None, Channel.EMAIL, "handled_minutes"),
        (8, 2026, 3, None, Channel.CHAT, "aht_seconds"),  # row 7 is blank
        (9, 2026, 3, None, Channel.CHAT, "asa_seconds"),
    ]
    assert [(r.value, r.volume) for r in rows] == [
        (Decimal("78.5"), Decimal(12034)),
        (Decimal("4.2"), Decimal(12034)),  # 0.042 formatted 0.0% shows as 4.2%
        (Decimal("91.25"), Decimal(84)),
        (Decimal(11800), None),
        (Decimal(17700), None),  # the formula's saved result
        (Decimal("245.125"), Decimal(2987)),  # a number cell is exact, never ambiguous
        (Decimal("31.5"), Decimal(2950)),  # a text cell "31,5"
    ]


def test_a_formula_written_without_a_saved_result_reads_as_an_empty_value():
    result, _ = ingest(open_sample("workbook.xlsx"))
    assert result == ValidationResult([Problem(6, "value", "", "The value is empty.")], 0, 7, 6)


def test_three_bad_rows_are_each_reported_with_row_column_value_and_reason():
    result, stored = ingest(open_sample("three_bad_rows.csv"))
    assert result.problems == [
        Problem(3, "value", "27,x", COMMA_HINT),
        Problem(4, "metric", "first_call_resolution", row_checks._METRIC_HINT),
        Problem(5, "volume", "", "csat is a weighted mean: it needs a volume (responses)."),
    ]
    assert row_checks._METRIC_HINT == (
        "Unknown metric: the catalogue has service_level, asa_seconds, aht_seconds, "
        "abandonment_rate, fcr_rate, csat, nps, qa_score, email_response_hours, "
        "contacts_handled, handled_minutes, production_hours."
    )
    assert (result.ok, result.rows_read, result.rows_valid) == (False, 5, 2)
    assert stored == []  # row 2 was waiting in its batch when row 3 failed: it is never handed over


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "bad_header.csv",
            "The header row lacks the column(s) value. A KPI file needs the columns contract, "
            "period, channel, metric, value, volume (channel and volume cells may be empty).",
        ),
        (
            "mixed_delimiters.csv",
            "The header row mixes delimiters (comma, semicolon): use one delimiter.",
        ),
        ("no_data_rows.csv", "The file has a header row but no data rows."),
        (
            "legacy.xls",
            "This is a legacy Excel (.xls) or password-protected workbook: save it as .xlsx or "
            "CSV, without a password.",
        ),
        ("macro.xlsm", "Macro-enabled workbooks are refused: save it as .xlsx or CSV."),
        ("png_renamed.csv", "This is a PNG image, not a CSV or XLSX file."),
        ("empty.csv", "The file is empty."),
    ],
)
def test_a_malformed_sample_is_refused_as_a_whole_with_a_clear_reason(name, message):
    assert refusal((SAMPLES / name).read_bytes(), name) == message


def test_a_macro_enabled_workbook_renamed_xlsx_is_refused_by_its_content_type():
    data = (SAMPLES / "macro.xlsm").read_bytes()
    assert (
        refusal(data, "kpis.xlsx")
        == "Macro-enabled workbooks are refused: save it as .xlsx or CSV."
    )


# --- whole-file checks ----------------------------------------------------------------------


class Unreadable(io.BytesIO):
    def read(self, size: int | None = -1, /) -> bytes:
        raise AssertionError("read before the size was checked")


def test_a_file_over_the_size_limit_is_refused_before_any_byte_is_read():
    with pytest.raises(
        KpiFileError, match=r"^The file is 2,000 bytes; the limit is 1,000 bytes\.$"
    ):
        open_kpi_file(stream=Unreadable(b"x" * 2000), filename="k.csv", max_bytes=1000)


def test_a_size_over_a_megabyte_is_shown_in_megabytes():
    message = refusal(b"x" * 2_500_000, max_bytes=2_000_000)
    assert message == "The file is 2.5 MB; the limit is 2.0 MB."


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "a PDF document"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "a JPEG image"),
    ],
)
def test_a_known_binary_format_is_named_in_its_refusal(data, kind):
    assert refusal(data) == f"This is {kind}, not a CSV or XLSX file."


def test_nul_bytes_outside_utf16_mean_a_binary_file():
    data = (HEADER + "ACME-NL-01;2026-03;phone;csat;1;2\n").encode("utf-16-le")  # no BOM
    assert refusal(data) == (
        "The file contains NUL bytes: it is binary, or UTF-16 without a byte-order mark; "
        "save it as CSV UTF-8 or .xlsx."
    )


def test_a_binary_workbook_is_refused_by_its_extension():
    message = refusal(b"PK\x03\x04 whatever", "kpis.xlsb")
    assert message == "Binary workbooks (.xlsb) are not accepted: save it as .xlsx or CSV."


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    return buffer.getvalue()


def encrypted(data: bytes) -> bytes:
    """The one-member archive with its "encrypted" flag set, as zipfile cannot write one."""
    patched = bytearray(data)
    for signature, flags_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        patched[patched.index(signature) + flags_at] |= 0x1
    return bytes(patched)


WORKBOOK_TYPES = (
    b'<Types><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    b'officedocument.spreadsheetml.sheet.main+xml"/></Types>'
)


def test_a_zip_bomb_is_refused_from_its_declared_sizes_before_openpyxl_opens_it(monkeypatch):
    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("openpyxl opened a zip bomb")

    monkeypatch.setattr(xlsx.openpyxl, "load_workbook", never)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", WORKBOOK_TYPES)
        with archive.open("xl/worksheets/sheet1.xml", "w") as part:
            for _ in range(16):
                part.write(bytes(1 << 20))  # 16 MB of zeros deflate to about 16 kB
    assert len(buffer.getvalue()) < 100_000
    message = "The archive would inflate far beyond its size: it is refused."
    assert refusal(buffer.getvalue(), "kpis.xlsx") == message


def test_a_workbook_declaring_more_than_the_total_uncompressed_limit_is_refused(monkeypatch):
    monkeypatch.setattr(xlsx, "_MAX_UNCOMPRESSED", 10_000)
    data = (SAMPLES / "workbook_excel_saved.xlsx").read_bytes()
    assert (
        refusal(data, "kpis.xlsx")
        == "The archive would inflate far beyond its size: it is refused."
    )


def test_an_encrypted_zip_is_refused():
    data = encrypted(zip_of({"[Content_Types].xml": WORKBOOK_TYPES}))
    message = "The workbook is encrypted: save it as .xlsx or CSV, without a password."
    assert refusal(data, "kpis.xlsx") == message


@pytest.mark.parametrize(
    "members",
    [
        {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"},  # an .ods file
        {"[Content_Types].xml": b"<Types>wordprocessingml.document.main+xml</Types>"},
    ],
)
def test_a_zip_that_is_not_an_xlsx_workbook_is_refused(members):
    message = "This ZIP file is not an .xlsx workbook: save it as .xlsx or CSV."
    assert refusal(zip_of(members), "kpis.xlsx") == message


def test_a_damaged_zip_is_refused():
    data = b"PK\x03\x04" + bytes(200)
    assert refusal(data, "k.xlsx") == "The file is a damaged ZIP archive: save it as .xlsx or CSV."


def test_a_workbook_whose_parts_are_broken_is_refused_without_leaking_an_openpyxl_error():
    data = zip_of({"[Content_Types].xml": WORKBOOK_TYPES, "xl/workbook.xml": b"<not xml"})
    message = refusal(data, "kpis.xlsx")
    assert message.startswith("The workbook could not be read (")
    assert message.endswith("): save it as .xlsx or CSV.")


def workbook_bytes(*rows: list[object], formats: dict[str, str] | None = None) -> bytes:
    book = openpyxl.Workbook()
    for cells in rows:
        book.active.append(cells)
    for cell, number_format in (formats or {}).items():
        book.active[cell].number_format = number_format
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


XLSX_HEADER = ["contract", "period", "channel", "metric", "value", "volume"]


def test_a_workbook_date_with_a_time_of_day_is_no_period():
    data = workbook_bytes(
        XLSX_HEADER,
        ["ACME-NL-01", datetime(2026, 3, 5, 14, 30), "", "contacts_handled", 12, None],
    )
    result, _ = ingest(open_bytes(data, "kpis.xlsx"))
    assert result.problems == [Problem(2, "period", "2026-03-05 14:30:00", row_checks._PERIOD_HINT)]


def test_a_workbook_reads_every_row_even_when_its_declared_dimension_is_wrong():
    rows = [["ACME-NL-01", f"2026-03-{d:02d}", "", "contacts_handled", d, None] for d in (1, 2, 3)]
    data = workbook_bytes(XLSX_HEADER, *rows)
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                # openpyxl writes `<dimension ref="A1:F4"/>` with lxml, `... />` without it.
                body, count = re.subn(
                    rb'<dimension ref="A1:F4"\s*/>', b'<dimension ref="A1:B2"/>', body
                )
                assert count == 1
            target.writestr(info, body)
    assert [r.number for r in open_bytes(out.getvalue(), "k.xlsx").rows()] == [2, 3, 4]


def test_a_workbook_whose_first_sheet_is_empty_or_has_only_a_header_is_refused():
    assert refusal(workbook_bytes(), "k.xlsx") == "The first sheet of the workbook is empty."
    message = "The first sheet has a header row but no data rows."
    assert refusal(workbook_bytes(XLSX_HEADER, [], [None, " "]), "k.xlsx") == message


def test_a_workbook_header_missing_a_column_is_refused_naming_it():
    message = refusal(workbook_bytes(XLSX_HEADER[:-1], ["A"]), "k.xlsx")
    assert message.startswith("The header row lacks the column(s) volume.")


def test_a_workbook_percent_format_in_quotes_or_brackets_does_not_scale_the_value():
    data = workbook_bytes(
        XLSX_HEADER,
        ["ACME-NL-01", "2026-03", "", "contacts_handled", 12, None],
        ["ACME-NL-01", "2026-03", "", "production_hours", 0.5, None],
        formats={"E2": '0" %"', "E3": "0.0%"},
    )
    values = [r.value for r in open_bytes(data, "k.xlsx").rows()]
    assert values == [Decimal(12), Decimal(50)]


# --- encodings ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("codec", "label"),
    [("utf-16", "utf-16-le"), ("utf-16-be", "utf-16-be"), ("utf-8-sig", "utf-8-sig")],
)
def test_a_byte_order_mark_decides_the_encoding(codec, label):
    text = HEADER + "ACME-NL-01;2026-03;phone;qa_score;87,5;120;Qualité\n"
    data = text.encode(codec)
    if codec == "utf-16-be":
        data = b"\xfe\xff" + data
    table = open_bytes(data)
    assert table.encoding == label
    assert [r.value for r in table.rows()] == ["87,5"]


def test_without_a_mark_valid_utf8_is_utf8_even_with_accents():
    table = open_bytes((HEADER + "ACME-NL-01;2026-03;;qa_score;87,5;120;Qualité\n").encode())
    assert table.encoding == "utf-8"


def test_text_that_is_not_utf8_is_windows_1252_when_no_undefined_byte_occurs():
    data = (HEADER + "ACME-NL-01;2026-03;;qa_score;87,5;120;Qualité €\n").encode("cp1252")
    table = open_bytes(data)
    assert table.encoding == "cp1252"
    assert next(table.rows()).value == "87,5"


def test_an_undefined_windows_1252_byte_anywhere_refuses_the_file_instead_of_guessing():
    # The 0x81 sits in valid UTF-8 (U+0081) long before the byte that breaks UTF-8.
    early = ("ACME-NL-01;2026-03;;qa_score;87,5;120;\u0081\n").encode()
    filler = b"ACME-NL-01;2026-03;;qa_score;87,5;120;x\n" * 40_000  # past the first chunk
    data = HEADER.encode() + early + filler + b"ACME-NL-01;2026-03;;qa_score;1;2;\xe9\n"
    assert len(data) > 1 << 20
    assert refusal(data) == (
        "The file's encoding is none of UTF-8, UTF-16 (with a byte-order mark) or "
        "Windows-1252: save it as CSV UTF-8."
    )


def test_utf32_is_refused():
    assert refusal(HEADER.encode("utf-32")) == "UTF-32 is not accepted: save the file as CSV UTF-8."


def test_a_byte_order_mark_followed_by_invalid_text_is_refused():
    data = codecs.BOM_UTF8 + HEADER.encode() + b"ACME-NL-01;2026-03;;csat;\xff;1\n"
    assert refusal(data) == "The file starts with a UTF-8 byte-order mark but is not UTF-8."


def test_a_file_of_blank_lines_has_no_header_row():
    assert refusal(b"\r\n  \r\n\r\n") == "The file has no header row."


class ChunkSpy(io.BytesIO):
    """Records how much each read asks for, to show the file is never read whole."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.sizes: list[int] = []

    def read(self, size: int | None = -1, /) -> bytes:
        self.sizes.append(-1 if size is None else size)
        return super().read(size)

    def read1(self, size: int = -1, /) -> bytes:
        self.sizes.append(size)
        return super().read1(size)


def test_a_csv_is_streamed_in_chunks_and_never_read_whole():
    line = "ACME-NL-01;2026-03-{day:02d};phone;contacts_handled;{n};\n"
    body = "".join(line.format(day=1 + n % 28, n=n) for n in range(60_000))
    header = HEADER.replace("\n", ";Qualité\n")  # cp1252, so both encoding passes run
    spy = ChunkSpy((header + body).encode("cp1252"))
    table = open_kpi_file(stream=spy, filename="k.csv", max_bytes=10**8)
    assert sum(1 for _ in table.rows()) == 60_000
    assert len(spy.getvalue()) > 3_000_000
    assert all(0 < size <= 1 << 20 for size in spy.sizes[1:])  # the first read is the magic


def test_reading_rows_leaves_the_callers_stream_open_even_when_abandoned():
    stream = io.BytesIO((SAMPLES / "utf8_comma.csv").read_bytes())
    table = open_kpi_file(stream=stream, filename="k.csv", max_bytes=10**6)
    rows = table.rows()
    next(rows)
    rows.close()
    assert list(table.rows())[0].number == 2  # rows() rereads from the start
    assert not stream.closed


# --- headers, delimiters and rows -----------------------------------------------------------


def test_header_names_ignore_case_spaces_and_order_and_extra_columns():
    data = (
        b"Volume ;Comment; METRIC;Value;Channel;PERIOD;Con tract\n"
        b"12034;ok;csat;91,5;chat;2026-03;ACME-NL-01\n"
    )
    table = open_bytes(data)
    assert table.columns == (6, 5, 4, 2, 3, 0)
    assert list(table.rows()) == [
        RawRow(2, "ACME-NL-01", "2026-03", "chat", "csat", "91,5", "12034")
    ]


def test_a_header_naming_a_column_twice_is_refused():
    message = refusal(b"contract;period;channel;metric;value;volume;Value\n")
    assert message == "The header row names the column value twice."


def test_a_header_without_any_delimiter_is_refused():
    assert refusal(b"contract period channel metric value volume\n") == (
        "The header row has no comma, semicolon or tab between column names. A KPI file needs "
        "the columns contract, period, channel, metric, value, volume."
    )


def test_a_header_that_reads_correctly_with_two_delimiters_is_ambiguous():
    data = b"contract,period,channel,metric,value,volume,x;" + HEADER.replace(";x", "").encode()
    message = (
        "The header row reads correctly with more than one delimiter (comma, semicolon): "
        "it is ambiguous."
    )
    assert refusal(data) == message


def test_tab_is_detected_from_the_header_line():
    table = open_bytes(
        b"contract\tperiod\tchannel\tmetric\tvalue\tvolume\nA\t2026-03\t\tcsat\t9\t1\n"
    )
    assert (table.delimiter, table.decimal_mark) == ("\t", DecimalMark.EITHER)


def test_rows_are_numbered_as_a_spreadsheet_shows_them():
    data = (
        "\n" + HEADER + "A;2026-03;phone;csat;1;2\n\n"
        'A;2026-03;phone;qa_score;"multi\nline";2\nA;2026-03;phone;fcr_rate;3;4\n'
    ).encode()
    table = open_bytes(data)
    assert table.header_row == 2
    assert [r.number for r in table.rows()] == [3, 5, 6]


def test_missing_trailing_cells_read_as_empty():
    table = open_bytes((HEADER + "ACME-NL-01;2026-03;;contacts_handled;12\n").encode())
    assert list(table.rows()) == [
        RawRow(2, "ACME-NL-01", "2026-03", "", "contacts_handled", "12", "")
    ]


def test_a_quote_that_is_never_closed_refuses_the_file_at_its_row():
    data = (HEADER + 'A;2026-03;phone;csat;1;2\nA;2026-03;"phone;csat;1;2\nB;x\n').encode()
    assert refusal(data) == "Row 3 cannot be read as CSV: unexpected end of data."


# --- numbers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "mark", "expected"),
    [
        ("1234", DecimalMark.POINT, Decimal(1234)),
        (" 12.5 ", DecimalMark.POINT, Decimal("12.5")),
        ("1,234.5", DecimalMark.POINT, Decimal("1234.5")),
        ("1,234,567", DecimalMark.POINT, Decimal(1234567)),
        ("1 234.5", DecimalMark.POINT, Decimal("1234.5")),
        (f"1{NBSP}234.5", DecimalMark.POINT, Decimal("1234.5")),
        ("1\u202f234.5", DecimalMark.POINT, Decimal("1234.5")),
        ("12,5", DecimalMark.POINT, POINT_HINT),
        ("1,23", DecimalMark.POINT, POINT_HINT),
        ("1,234 567", DecimalMark.POINT, POINT_HINT),  # one grouping character per number
        ("01,234", DecimalMark.POINT, POINT_HINT),
        ("12,5", DecimalMark.COMMA, Decimal("12.5")),
        ("1.234,5", DecimalMark.COMMA, Decimal("1234.5")),
        ("1.234", DecimalMark.COMMA, Decimal(1234)),
        ("1 234,5", DecimalMark.COMMA, Decimal("1234.5")),
        ("12.5", DecimalMark.COMMA, COMMA_HINT),
        ("1.23", DecimalMark.COMMA, COMMA_HINT),
        ("1,234.5", DecimalMark.COMMA, COMMA_HINT),
        ("12,5", DecimalMark.EITHER, Decimal("12.5")),
        ("12.5", DecimalMark.EITHER, Decimal("12.5")),
        ("1.234,5", DecimalMark.EITHER, Decimal("1234.5")),
        ("1,234.5", DecimalMark.EITHER, Decimal("1234.5")),
        ("1.234.567", DecimalMark.EITHER, Decimal(1234567)),
        ("1 234", DecimalMark.EITHER, Decimal(1234)),
        ("0.500", DecimalMark.EITHER, Decimal("0.5")),  # "0.500" cannot be grouped thousands
        (
            "1.234",
            DecimalMark.EITHER,
            "Ambiguous: 1.234 with a decimal point but 1234 with a decimal comma; write it "
            "without a thousands separator.",
        ),
        ("12,5,5", DecimalMark.EITHER, "Not a number."),
        ("1e5", DecimalMark.POINT, POINT_HINT),
        ("1_000", DecimalMark.POINT, POINT_HINT),
        ("NaN", DecimalMark.POINT, POINT_HINT),
        ("Infinity", DecimalMark.COMMA, COMMA_HINT),
        ("\u0661\u0662", DecimalMark.POINT, POINT_HINT),  # Arabic-Indic digits
        ("twelve", DecimalMark.POINT, POINT_HINT),
        ("1" * 41, DecimalMark.POINT, "Not a number: too many characters."),
    ],
)
def test_a_number_is_read_only_the_way_the_file_writes_numbers(text, mark, expected):
    assert number(text, mark) == expected


@NO_HYPOTHESIS_FILES
# up to the bound of a KPI value (docs/api.md "Limits"): below 10^12
@given(st.decimals(min_value=0, max_value=Decimal("999999999999.99"), places=2, allow_nan=False))
def test_any_number_written_with_grouped_thousands_reads_back_exactly(value):
    point = f"{value:,}"
    comma = point.translate(str.maketrans(",.", ".,"))
    assert number(point, DecimalMark.POINT) == value
    assert number(point.replace(",", NBSP), DecimalMark.POINT) == value
    assert number(comma, DecimalMark.COMMA) == value
    assert number(comma.replace(".", " "), DecimalMark.COMMA) == value


@NO_HYPOTHESIS_FILES
@given(st.decimals(min_value=0, max_value=10**9, places=3, allow_nan=False), st.booleans())
def test_either_mark_reads_a_number_its_one_way_or_refuses_it_as_ambiguous(value, commas):
    text = f"{value:,}"
    if commas:
        text = text.translate(str.maketrans(",.", ".,"))
    read = number(text, DecimalMark.EITHER)
    assert read == value or (isinstance(read, str) and read.startswith("Ambiguous"))


def test_a_percent_sign_is_read_for_percentage_metrics_only():
    parsed = parse_row(raw=row("78,5 %", "service_level", "100"), decimal_mark=DecimalMark.COMMA)
    assert isinstance(parsed, ParsedRow) and parsed.value == Decimal("78.5")
    refused = parse_row(raw=row("12%", "contacts_handled"), decimal_mark=DecimalMark.COMMA)
    message = "contacts_handled is not a percentage: remove the % sign."
    assert refused == [Problem(7, "value", "12%", message)]


@pytest.mark.parametrize(
    ("metric", "value", "message"),
    [
        ("service_level", "100.5", "service_level must be between 0 and 100."),
        ("nps", "-101", "nps must be between -100 and 100."),
        ("asa_seconds", "-1", "asa_seconds cannot be below 0."),
    ],
)
def test_a_value_outside_its_metrics_range_is_a_problem(metric, value, message):
    parsed = parse_row(raw=row(value, metric, "10"), decimal_mark=DecimalMark.POINT)
    assert parsed == [Problem(7, "value", value, message)]


def test_range_limits_themselves_are_accepted():
    for metric, value in (("nps", "-100"), ("service_level", "100"), ("csat", "0")):
        assert isinstance(parse_row(raw=row(value, metric, "5"), decimal_mark="point"), ParsedRow)


@pytest.mark.parametrize(
    ("metric", "volume", "message"),
    [
        ("service_level", "", "service_level is a weighted mean: it needs a volume (offered)."),
        ("aht_seconds", " ", "aht_seconds is a weighted mean: it needs a volume (handled)."),
        ("csat", "-3", "The volume must be a whole number, 0 or more."),
        ("csat", "12.5", "The volume must be a whole number, 0 or more."),
        ("contacts_handled", "-1", "The volume must be a whole number, 0 or more."),
        ("csat", "many", POINT_HINT),
    ],
)
def test_a_volume_is_a_whole_count_required_for_weighted_metrics(metric, volume, message):
    parsed = parse_row(raw=row("50", metric, volume), decimal_mark=DecimalMark.POINT)
    assert parsed == [Problem(7, "volume", volume, message)]


def test_a_volume_may_be_zero_and_may_be_left_out_for_sums():
    weighted = parse_row(raw=row("100", "service_level", "0"), decimal_mark=DecimalMark.POINT)
    count = parse_row(raw=row("250", "contacts_handled", ""), decimal_mark=DecimalMark.POINT)
    assert isinstance(weighted, ParsedRow) and weighted.volume == Decimal(0)
    assert isinstance(count, ParsedRow) and count.volume is None


@pytest.mark.parametrize(
    ("period", "parts"),
    [("2026-03", (2026, 3, None)), (" 2026-03-31 ", (2026, 3, 31)), ("2024-02-29", (2024, 2, 29))],
)
def test_a_period_is_a_month_or_a_day(period, parts):
    parsed = parse_row(raw=row("1", period=period), decimal_mark=DecimalMark.POINT)
    assert isinstance(parsed, ParsedRow)
    assert (parsed.year, parsed.month, parsed.day) == parts


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ("2026-13", "There is no month 2026-13."),
        ("2026-02-29", "There is no day 2026-02-29."),
        ("2026-03-00", "There is no day 2026-03-00."),
        ("2026-00", "There is no month 2026-00."),
        ("0000-01", "There is no month 0000-01."),
        ("2026-3", row_checks._PERIOD_HINT),
        ("03/2026", row_checks._PERIOD_HINT),
        ("2026-03-01T00:00", row_checks._PERIOD_HINT),
        ("", row_checks._PERIOD_HINT),
    ],
)
def test_a_period_that_is_no_month_or_day_is_a_problem(period, message):
    parsed = parse_row(raw=row("1", period=period), decimal_mark=DecimalMark.POINT)
    assert parsed == [Problem(7, "period", period, message)]
    assert row_checks._PERIOD_HINT == (
        "Write the period as YYYY-MM for a month or YYYY-MM-DD for a day."
    )


def test_channel_and_metric_are_read_regardless_of_case_and_surrounding_spaces():
    parsed = parse_row(raw=row("1", " Contacts_Handled", channel="Phone "), decimal_mark="point")
    assert isinstance(parsed, ParsedRow)
    assert (parsed.channel, parsed.metric) == (Channel.PHONE, "contacts_handled")


def test_every_problem_of_a_row_is_reported_together():
    raw = RawRow(4, " ", "2026/03", "fax", "speed", "", "x")
    assert parse_row(raw=raw, decimal_mark=DecimalMark.POINT) == [
        Problem(4, "contract", " ", "The contract is empty."),
        Problem(4, "period", "2026/03", row_checks._PERIOD_HINT),
        Problem(4, "channel", "fax", row_checks._CHANNEL_HINT),
        Problem(4, "metric", "speed", row_checks._METRIC_HINT),
        Problem(4, "value", "", "The value is empty."),
        Problem(4, "volume", "x", POINT_HINT),
    ]
    assert row_checks._CHANNEL_HINT == (
        "Unknown channel: use phone, chat, email, social, backoffice, or leave it empty for all."
    )


def test_a_workbook_number_arrives_as_a_decimal_and_is_not_parsed_again():
    raw = RawRow(2, "ACME-NL-01", "2026-03", "", "aht_seconds", Decimal("245.125"), Decimal(12))
    parsed = parse_row(raw=raw, decimal_mark=DecimalMark.EITHER)
    assert isinstance(parsed, ParsedRow)
    assert (parsed.value, parsed.volume) == (Decimal("245.125"), Decimal(12))


# --- the whole file -------------------------------------------------------------------------


def raws(*lines: str) -> list[RawRow]:
    """Rows from 'contract;period;channel;metric;value;volume' lines, numbered from 2."""
    return [RawRow(n, *line.split(";")) for n, line in enumerate(lines, start=2)]


def validate(rows: list[RawRow], vendor_id: int | None = 1, **options: object) -> ValidationResult:
    return validate_file(
        rows=rows,
        decimal_mark=DecimalMark.COMMA,
        lookup_contract=CONTRACTS.get,
        vendor_id=vendor_id,
        **options,
    )


def test_an_unknown_contract_is_a_problem():
    result = validate(raws("NOPE-01;2026-03;phone;csat;80;10"))
    assert result.problems == [Problem(2, "contract", "NOPE-01", "No contract has this reference.")]


def test_another_vendors_contract_is_reported_exactly_like_an_unknown_one():
    theirs = validate(raws("OTHER-FR-01;2026-03;phone;csat;80;10"), vendor_id=1)
    unknown = validate(raws("OTHER-FR-02;2026-03;phone;csat;80;10"), vendor_id=1)
    assert [(p.row, p.column, p.message) for p in theirs.problems] == [
        (p.row, p.column, p.message) for p in unknown.problems
    ]


def test_a_manager_may_upload_for_any_vendors_contract():
    assert validate(raws("OTHER-FR-01;2026-03;phone;csat;80;10"), vendor_id=None).ok


def test_a_period_outside_the_contract_is_checked_by_month_or_by_day():
    result = validate(
        raws(
            "ACME-DE-02;2025-01;phone;csat;80;10",  # the contract starts on 15 January
            "ACME-DE-02;2025-01-15;chat;csat;80;10",
            "ACME-DE-02;2025-01-14;chat;csat;80;10",
            "ACME-DE-02;2025-06-15;chat;csat;80;10",
            "ACME-DE-02;2025-07;phone;csat;80;10",
        )
    )
    message = "Outside the contract, which runs from 2025-01-15 to 2025-06-14."
    assert result.problems == [
        Problem(4, "period", "2025-01-14", message),
        Problem(5, "period", "2025-06-15", message),
        Problem(6, "period", "2025-07", message),
    ]


def test_the_same_measurement_twice_is_a_duplicate_naming_the_first_row():
    result = validate(
        raws(
            "ACME-NL-01;2026-03-02;phone;csat;80;10",
            "ACME-NL-01;2026-03-02;chat;csat;80;10",
            "ACME-NL-01;2026-03-02;;csat;80;10",
            "ACME-NL-01;2026-03-02;phone;csat;81;10",
        )
    )
    message = "Row 2 already gives this contract, period, channel and metric."
    assert result.problems == [Problem(5, "period", "2026-03-02", message)]


def test_a_month_given_whole_and_by_day_is_a_problem_either_way_round():
    result = validate(
        raws(
            "ACME-NL-01;2026-03;phone;csat;80;10",
            "ACME-NL-01;2026-03-05;phone;csat;80;10",
            "ACME-NL-01;2026-04-09;phone;csat;80;10",
            "ACME-NL-01;2026-04-03;phone;csat;80;10",
            "ACME-NL-01;2026-04;phone;csat;80;10",
        )
    )
    assert result.problems == [
        Problem(
            3,
            "period",
            "2026-03-05",
            "Row 2 gives this whole month; a month is either one row or daily rows.",
        ),
        Problem(
            6,
            "period",
            "2026-04",
            "Row 4 gives a day of this month; a month is either one row or daily rows.",
        ),
    ]


def test_problems_are_capped_and_the_rest_counted():
    rows = raws(*["NOPE;2026-13;phone;csat;80;10"] * 4)
    result = validate(rows, max_problems=3)
    assert [(p.row, p.column) for p in result.problems] == [
        (2, "period"),
        (3, "period"),
        (4, "period"),
    ]
    assert (result.more_problems, result.rows_read, result.rows_valid) == (1, 4, 0)


def test_valid_rows_arrive_in_batches_until_the_first_problem():
    lines = [f"ACME-NL-01;2026-03-{day:02d};phone;csat;80;10" for day in range(1, 8)]
    batches: list[list[int]] = []
    result = validate(
        raws(*lines), on_valid=lambda b: batches.append([r.number for r in b]), batch_size=3
    )
    assert result == ValidationResult([], 0, 7, 7)
    assert batches == [[2, 3, 4], [5, 6, 7], [8]]

    batches.clear()
    lines[4] = "ACME-NL-01;2026-03-05;phone;csat;800;10"
    result = validate(
        raws(*lines), on_valid=lambda b: batches.append([r.number for r in b]), batch_size=3
    )
    assert result.rows_valid == 6 and not result.ok
    assert batches == [[2, 3, 4]]  # the rows after it are checked but never handed over


def test_each_contract_is_looked_up_once_per_file():
    asked: list[str] = []

    def lookup(reference: str) -> ContractInfo | None:
        asked.append(reference)
        return CONTRACTS.get(reference)

    lines = [
        f"{ref};2026-03-0{day};phone;csat;80;10"
        for ref in ("ACME-NL-01", "NOPE")
        for day in (1, 2, 3)
    ]
    validate_file(rows=raws(*lines), decimal_mark="comma", lookup_contract=lookup, vendor_id=1)
    assert asked == ["ACME-NL-01", "NOPE"]


def test_rows_carry_the_contracts_own_reference_when_the_lookup_is_lenient():
    stored: list[ParsedRow] = []
    validate_file(
        rows=raws("acme-nl-01;2026-03;phone;csat;80;10"),
        decimal_mark=DecimalMark.COMMA,
        lookup_contract=lambda ref: CONTRACTS.get(ref.upper()),
        vendor_id=1,
        on_valid=stored.extend,
    )
    assert [r.contract for r in stored] == ["ACME-NL-01"]
    assert stored[0].raw.contract == "acme-nl-01"


def daily_rows(count: int) -> Iterator[RawRow]:
    """Distinct daily rows: 28 days x 12 metrics x 5 channels x 36 months of ACME-NL-01."""
    for n in range(count):
        day, rest = n % 28 + 1, n // 28
        metric, rest = list(METRICS)[rest % 12], rest // 12
        channel, rest = list(Channel)[rest % 5], rest // 5
        period = f"{2025 + rest // 12}-{rest % 12 + 1:02d}-{day:02d}"
        yield RawRow(n + 2, "ACME-NL-01", period, channel, metric, "80,5", "10")


def peak_memory_validating(count: int) -> int:
    tracemalloc.start()
    result = validate_file(
        rows=daily_rows(count),
        decimal_mark=DecimalMark.COMMA,
        lookup_contract=CONTRACTS.get,
        vendor_id=1,
        on_valid=lambda batch: None,
        batch_size=1000,
    )
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert result.ok and result.rows_valid == count
    return peak


def test_validation_streams_keeping_far_less_than_a_row_per_row():
    # What must grow is one duplicate-check entry per contract-month-channel-metric (here one
    # per 28 rows); a kept row alone (RawRow, ParsedRow, strings, Decimals) would be ~700 bytes.
    small, large = peak_memory_validating(10_000), peak_memory_validating(40_000)
    assert (large - small) / 30_000 < 50
