"""CSV and XLSX exports of the comparison: the page's figures, formula-safe, same rules."""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from core.spreadsheet import csv_cell, spreadsheet_text
from tests.support.ranking import BIDS, hand_event
from tests.support.vendors import closed_event_with_proposals, vendor_make
from vendors.ranking.exports import _xlsx_value

pytestmark = pytest.mark.django_db

FORMULA_NAMES = ['=HYPERLINK("http://x")', "+1+2", "-3+4", "@SUM(A1)", "\tTabbed", "\rReturn"]


@pytest.mark.parametrize("text", FORMULA_NAMES)
def test_text_a_spreadsheet_would_run_as_a_formula_gets_a_leading_apostrophe(text):
    assert spreadsheet_text(text) == "'" + text


@pytest.mark.parametrize("text", ["Alpha Support", "100% e-commerce", "a=b", " =spaced", ""])
def test_other_text_is_left_alone(text):
    assert spreadsheet_text(text) == text


@pytest.fixture
def hand(make_user):
    return hand_event(make_user)


def download(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return response


def test_the_csv_has_the_pages_figures_as_plain_numbers(client, procurement_user, hand):
    event, _ = hand
    response = download(client, procurement_user, f"/events/{event.pk}/comparison/export.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    name = f"event-{event.pk}-ranking-cost40-expertise20-security20-language20.csv"
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    assert response.content.startswith(b"\xef\xbb\xbf")  # BOM: spreadsheets read UTF-8
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r["Vendor"] for r in rows] == [
        "Alpha Support",
        "Bravo Support",
        "Charlie Support",
        "Delta Support",
    ]
    alpha, bravo, _, delta = rows
    assert (alpha["Rank"], alpha["TCO (EUR)"], alpha["Monthly cost (EUR)"], alpha["Total"]) == (
        "1",
        "954000.00",
        "39000.00",
        "90.19",
    )
    assert (alpha["phone monthly (EUR)"], alpha["email monthly (EUR)"]) == ("32000.00", "5500.00")
    assert alpha["Understaffed channels"] == "phone" and alpha["Cost score"] == "99.97"
    assert (bravo["Minimum top-up (EUR)"], bravo["Security score"]) == ("2160.00", "100.00")
    assert (delta["Qualified"], delta["Total"], delta["Cost score"]) == ("no", "", "")
    assert delta["Disqualification reasons"] == "must-have certification GDPR DPA is missing"


def test_the_csv_uses_the_what_if_weights_it_is_given(client, procurement_user, hand):
    event, _ = hand
    weights = "cost:10,expertise:10,security:70,language:10"
    url = f"/events/{event.pk}/comparison/export.csv?weights={weights}"
    response = download(client, procurement_user, url)
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0]["Vendor"] == "Bravo Support"
    assert "security70" in response["Content-Disposition"]
    bad = client.get(f"/events/{event.pk}/comparison/export.csv?weights=cost:101")
    assert bad.status_code == 400


def test_the_xlsx_writes_numbers_as_numbers_and_text_as_text(client, procurement_user, hand):
    event, _ = hand
    response = download(client, procurement_user, f"/events/{event.pk}/comparison/export.xlsx")
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Ranking",
        "Sensitivity",
        "Priced lines",
        "Monthly costs",
        "Staffing",
        "Understaffing",
        "About",
    ]
    sheet = book["Ranking"]
    header = [c.value for c in sheet[1]]
    alpha = dict(zip(header, sheet[2], strict=True))
    assert alpha["Vendor"].value == "Alpha Support"
    tco = alpha["TCO (EUR)"]
    assert (tco.data_type, tco.value, tco.number_format) == ("n", 954000, "#,##0.00")
    assert (alpha["Total"].data_type, alpha["Total"].value) == ("n", pytest.approx(90.19))
    assert alpha["Rank"].value == 1
    delta = dict(zip(header, sheet[5], strict=True))
    assert delta["Total"].value is None and delta["Qualified"].value == "no"
    sensitivity = {row[0].value: row for row in book["Sensitivity"].iter_rows(min_row=2)}
    assert sensitivity["security"][2].value == pytest.approx(36.03)
    assert sensitivity["language"][2].value is None
    lines = list(book["Priced lines"].iter_rows(min_row=2, values_only=True))
    assert lines[2][1:4] == ("Bravo Support", "phone", "per_fte_month")
    assert lines[2][5:8] == (3800, 10, 38000)  # rate, FTE, amount in USD
    about = {row[0]: row[1] for row in book["About"].iter_rows(min_row=2, values_only=True)}
    assert about["Weights used"] == "cost 40, expertise 20, security 20, language 20"


@pytest.mark.parametrize("name", FORMULA_NAMES)
def test_a_vendor_name_that_looks_like_a_formula_is_escaped_in_both_files(
    client, make_user, procurement_user, name
):
    bids = {"Alpha": BIDS["Alpha"]}
    event, _ = hand_event(make_user, bids=bids)
    vendor = event.proposals.get().vendor
    vendor.name = name  # as a vendor could type it into its own profile
    vendor.save()
    client.force_login(procurement_user)
    text = client.get(f"/events/{event.pk}/comparison/export.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][1] == "'" + name
    workbook = client.get(f"/events/{event.pk}/comparison/export.xlsx").content
    cell = load_workbook(io.BytesIO(workbook))["Ranking"]["B2"]
    # Some XML readers give a carriage return back as a newline; the apostrophe is what matters.
    assert cell.data_type == "s"
    assert cell.value in ("'" + name, "'" + name.replace("\r", "\n"))


def test_numbers_are_never_escaped_even_when_negative():
    assert csv_cell(Decimal("-5.00")) == "-5.00"
    assert _xlsx_value(Decimal("-5.00")) == Decimal("-5.00")
    # The reports hand figures over as strings: a plain number stays a number, anything more
    # (an expression, a formula behind a sign) is text and escaped.
    assert csv_cell("-5.00") == "-5.00" and csv_cell("+1.5e3") == "+1.5e3"
    assert (
        csv_cell("-5+3") == "'-5+3" and csv_cell("-1-cmd|' /C calc'!A0") == "'-1-cmd|' /C calc'!A0"
    )


@pytest.mark.parametrize("suffix", ["export.csv", "export.xlsx"])
@pytest.mark.parametrize("role", ["manager", "auditor", "admin"])
def test_every_buyer_role_may_export(client, make_user, role, suffix):
    event, _ = closed_event_with_proposals(vendor_make())
    response = download(client, make_user(role), f"/events/{event.pk}/comparison/{suffix}")
    assert response["Content-Disposition"].startswith("attachment;")
