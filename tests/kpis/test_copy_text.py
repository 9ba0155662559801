"""COPY text for raw rows: the fast build (cells taken as plain text, then checked by counts)
gives exactly the text of escaping cell by cell, whatever the cells hold. COPY text for
monthly values stores every field as given."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from core.channels import Channel
from kpis.ingestion.copy import VALUE_COLUMNS, copy_lines, copy_text, insert_values
from kpis.ingestion.rows import ParsedRow
from kpis.ingestion.table import RawRow
from kpis.models import KpiUpload, KpiValue

IDS = {"ACME-NL-01": 7}
# Ordinary characters, and what COPY's text format or JSON treat specially, one kind at a time
# (a batch with several kinds would be escaped for the first, hiding the others).
PLAIN = list("ab;,1 N€")
SPECIAL = ['"', "\\", "\t", "\n", "\r", "\x00", "\x01", "\x1f", "\\N\t", "\\N"]


def cells(special: str):
    return st.lists(st.sampled_from([*PLAIN, special]), max_size=6).map("".join)


def batch_of(cells: list[tuple[str, str, str, str, str | Decimal, str | Decimal]]):
    return [
        ParsedRow(
            number,
            "ACME-NL-01",
            2026,
            3,
            number % 28 + 1 if number % 3 else None,
            Channel.PHONE if number % 2 else None,
            "service_level",
            Decimal("80.5"),
            Decimal(100) if number % 4 else None,
            RawRow(number, *row),
        )  # fmt: skip
        for number, row in enumerate(cells, start=2)
    ]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(SPECIAL).flatmap(
    lambda special: st.lists(st.tuples(*[cells(special)] * 6), min_size=1, max_size=6)
))  # fmt: skip
def test_the_fast_build_is_the_escaped_build(rows):
    batch = batch_of(rows)
    assert copy_text(1, IDS, {}, batch) == copy_lines(1, IDS, {}, batch, escape=True).encode()


def test_plain_cells_take_the_fast_build_and_special_ones_are_escaped():
    plain = batch_of([("ACME-NL-01", "2026-03-02", "phone", "service_level", "80,5", "100")])
    assert copy_text(1, IDS, {}, plain) == copy_lines(1, IDS, {}, plain, escape=False).encode()
    special = batch_of([("ACME", 'say "hi"', "a\\b", "tab\there", "80,5", "100")])
    line = copy_text(1, IDS, {}, special).decode()
    assert line.endswith(
        '["ACME", "say \\\\"hi\\\\"", "a\\\\\\\\b", "tab\\\\there", "80,5", "100"]\n'
    )


def test_a_workbook_number_among_the_cells_is_written_with_its_digits():
    batch = batch_of(
        [("ACME-NL-01", "2026-03", "phone", "service_level", Decimal("80.50"), Decimal(12))]
    )
    assert (
        copy_text(1, IDS, {}, batch)
        .decode()
        .endswith('["ACME-NL-01","2026-03","phone","service_level","80.50","12"]\n')
    )


@pytest.mark.postgres  # COPY is PostgreSQL's
@pytest.mark.django_db
def test_monthly_values_written_as_copy_text_read_back_as_given(acme):
    """_values_copy_text stands in for psycopg's write_row: every field comes back as given,
    a note with COPY's special characters, a null value and an exponent included."""
    upload = KpiUpload.objects.create(original_name="k.csv", size=1, sha256="0" * 64,
                                      source=KpiUpload.Source.COMMAND)  # fmt: skip
    now = timezone.now()
    rows = [
        (acme.pk, date(2026, 3, 1), "phone", "service_level", Decimal("80.1235"),
         Decimal("1200"), 31, True, "", 1, True, upload.pk, now),
        (acme.pk, date(2026, 4, 1), "", "csat", None, Decimal("0"), 30, True,
         "tab\there, line\nend, back\\slash \\N and\r", 2, False, upload.pk, now),
        (acme.pk, date(2026, 5, 1), "chat", "contacts_handled", Decimal("1E+3"), None, 1,
         False, "", 1, True, upload.pk, now),
    ]  # fmt: skip
    insert_values(rows)
    stored = KpiValue.objects.filter(upload=upload).order_by("period").values_list(*VALUE_COLUMNS)
    assert list(stored) == rows
