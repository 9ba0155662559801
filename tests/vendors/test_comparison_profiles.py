"""The comparison page and its exports for a seasonal, banded event: the peak and low month
beside the average, a chart of monthly cost, staffing by band and month, understaffed months."""

import csv
import io

import pytest
from openpyxl import load_workbook

from core import formatting
from tests.support.profiles import BANDS, EMAIL, HOURLY, PEAK, SCOPED, closed_seasonal, phone

pytestmark = pytest.mark.django_db


@pytest.fixture
def seasonal():
    return closed_seasonal(
        [phone({"months": PEAK, "bands": BANDS}, patience=120), EMAIL], HOURLY, SCOPED
    )


def test_the_page_shows_peak_low_chart_staffing_and_short_months(
    client, api_as, procurement_user, seasonal
):
    body = api_as(procurement_user).get(f"/api/v1/events/{seasonal.pk}/ranking/").json()
    client.force_login(procurement_user)
    html = client.get(f"/events/{seasonal.pk}/comparison/").content.decode()
    for row in body["results"]:
        peak, low = row["peak_month"], row["low_month"]
        # Months by name in the reader's language ("November 2027").
        assert (
            f"{float(peak['cost']):,.2f} <small>{formatting.month(peak['month'])}</small>" in html
        )
        assert f"{float(low['cost']):,.2f} <small>{formatting.month(low['month'])}</small>" in html
    assert 'data-testid="monthly-cost-chart"' in html and "<svg" in html
    assert 'data-testid="staffing-grid"' in html and html.count('data-testid="row-staffing"') == 2
    hourly = next(r for r in body["results"] if r["understaffed"])
    for shortfall in hourly["shortfalls"]:
        assert shortfall["sentence"] in html
    assert "Abandoned %" in html


def test_a_flat_event_shows_no_peak_columns_nor_chart(client, procurement_user):
    event = closed_seasonal([phone(), EMAIL], HOURLY)
    client.force_login(procurement_user)
    html = client.get(f"/events/{event.pk}/comparison/").content.decode()
    assert 'data-testid="peak-month"' not in html
    assert 'data-testid="monthly-cost-chart"' not in html


def test_the_exports_carry_monthly_costs_staffing_and_understaffing(
    client, api_as, procurement_user, seasonal
):
    body = api_as(procurement_user).get(f"/api/v1/events/{seasonal.pk}/ranking/").json()
    client.force_login(procurement_user)
    text = client.get(f"/events/{seasonal.pk}/comparison/export.csv").content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    first = body["results"][0]
    assert rows[0]["Peak month"] == first["peak_month"]["month"]
    assert rows[0]["Peak month cost (EUR)"] == first["peak_month"]["cost"]
    assert rows[0]["Low month cost (EUR)"] == first["low_month"]["cost"]
    book = load_workbook(
        io.BytesIO(client.get(f"/events/{seasonal.pk}/comparison/export.xlsx").content)
    )
    monthly = list(book["Monthly costs"].iter_rows(min_row=2, values_only=True))
    assert len(monthly) == 12 * len(body["results"])
    assert [f"{m[3]:.2f}" for m in monthly[:12]] == [m["cost"] for m in first["monthly_costs"]]
    staffing = list(book["Staffing"].iter_rows(min_row=2, values_only=True))
    assert len(staffing) == len(body["staffing_grid"]) == 36
    assert {row[10] is not None for row in staffing} == {True}  # Erlang A: abandonment given
    short = list(book["Understaffing"].iter_rows(min_row=2, values_only=True))
    hourly = next(r for r in body["results"] if r["understaffed"])
    assert [row[9] for row in short] == [s["sentence"] for s in hourly["shortfalls"]]
