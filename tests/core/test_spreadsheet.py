"""CSV exports in the reader's convention (core.spreadsheet): `;` and a decimal comma for nl, ro
and es, `,` and a point for en, UTF-8 with a BOM; the figures a report attaches to its PDF stay
in the machine convention whatever the language."""

import csv
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import translation

from core.spreadsheet import DECIMAL_COMMA, MACHINE, csv_bytes, csv_convention
from tests.support.ranking import hand_event

D = Decimal


@pytest.mark.parametrize(
    ("language", "convention"),
    [("nl", DECIMAL_COMMA), ("ro", DECIMAL_COMMA), ("es", DECIMAL_COMMA), ("en", MACHINE)],
)
def test_each_language_has_its_csv_convention(language, convention):
    assert csv_convention(language) == convention
    with translation.override(language):
        assert csv_convention() == convention


def test_a_dutch_csv_parses_with_semicolons_and_decimal_commas_into_the_right_columns():
    data = csv_bytes(
        ["Vendor", "Rate", "Amount", "Count", "Note"],
        [["Alpha; Beta BV", D("4.20"), "-1234.50", 3, "=SUM(A1)"]],
        bom=True,
        convention=csv_convention("nl"),
    )
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows == [
        ["Vendor", "Rate", "Amount", "Count", "Note"],
        ["Alpha; Beta BV", "4,20", "-1234,50", "3", "'=SUM(A1)"],  # no thousands separator
    ]


def test_an_english_csv_keeps_commas_and_points():
    data = csv_bytes(["a", "b"], [[D("1234.5"), "x,y"]], convention=csv_convention("en"))
    assert list(csv.reader(io.StringIO(data.decode()))) == [["a", "b"], ["1234.5", "x,y"]]


@pytest.mark.django_db
def test_a_dutch_readers_comparison_export_uses_semicolons_and_decimal_commas(make_user):
    event, _ = hand_event(make_user)
    client = Client()
    client.force_login(make_user("procurement", language="nl"))
    response = client.get(f"/events/{event.pk}/comparison/export.csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    alpha = next(row for row in rows if row["Vendor"] == "Alpha Support")
    assert (alpha["Rank"], alpha["TCO (EUR)"], alpha["Total"]) == ("1", "954000,00", "90,19")
    assert D(alpha["Monthly cost (EUR)"].replace(",", ".")) == D("39000.00")


@pytest.mark.django_db
def test_a_reports_attached_figures_stay_in_the_machine_convention_in_any_language():
    from reports.kinds import ReportContent
    from reports.services.rendering import figures_csv

    content = ReportContent(
        title="t", template="x.html", context={}, inputs={}, revisions={},
        csv_header=["month", "credit"], csv_rows=[["2026-03", "-120.50"]],
    )  # fmt: skip
    with translation.override("nl"):
        data = figures_csv(content)
    assert data == b"month,credit\n2026-03,-120.50\n"
