"""The ranking API of a seasonal, banded event: staffing by band and month, monthly costs, peak
and low month, shortfalls by band, and a query count that does not grow with bands or months."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.support.openapi import check
from tests.support.profiles import BANDS, EMAIL, HOURLY, PEAK, SCOPED, phone
from tests.support.profiles import closed_seasonal as closed
from vendors.domain.staffing import erlang_a, required_agents

pytestmark = pytest.mark.django_db


def ranking(client, event):
    response = client.get(f"/api/v1/events/{event.pk}/ranking/")
    assert response.status_code == 200, response.content
    return response.json()


def test_staffing_by_band_and_month_with_erlang_a_on_the_phone(api_as, procurement_user, openapi):
    event = closed([phone({"months": PEAK, "bands": BANDS}, patience=120), EMAIL], HOURLY, SCOPED)
    client = api_as(procurement_user)
    body = ranking(client, event)
    check(openapi, "get", f"/api/v1/events/{event.pk}/ranking/", client.get(
        f"/api/v1/events/{event.pk}/ranking/"
    ))  # fmt: skip
    grid = body["staffing_grid"]
    assert len(grid) == 3 * 12  # phone: three bands x twelve calendar months
    december_day = next(r for r in grid if r["calendar_month"] == 12 and r["band"] == "day")
    # 12,000 x 1.5 x 0.7 / 180 h = 70 calls an hour; A = 70 x 330 / 3600 = 6.4167 Erlangs.
    assert december_day["arrival_rate"] == "70.00" and december_day["traffic"] == "6.42"
    agents = required_agents(
        traffic=Decimal(70) * 330 / 3600,
        sl_target=Decimal("0.8"),
        sl_seconds=20,
        aht_seconds=330,
        max_occupancy=Decimal("0.85"),
        patience_seconds=120,
    )
    assert december_day["agents"] == agents
    figures = erlang_a(
        agents=agents, arrivals_per_hour=70, aht_seconds=330, patience_seconds=120, sl_seconds=20
    )
    assert Decimal(december_day["p_abandon"]) == round(Decimal(figures.p_abandon * 100), 2)
    assert Decimal(december_day["service_level"]) >= 80
    for row in body["results"]:
        assert len(row["monthly_costs"]) == 12
        assert row["peak_month"]["calendar_month"] in (11, 12)
        assert {s["calendar_month"] for s in row["staffing"]} == {
            row["peak_month"]["calendar_month"],
            row["low_month"]["calendar_month"],
        }
        costs = [Decimal(m["cost"]) for m in row["monthly_costs"]]
        assert Decimal(row["peak_month"]["cost"]) == max(costs)
        assert Decimal(row["low_month"]["cost"]) == min(costs)
        # The average is of the unrounded months: within a cent of the rounded ones' average.
        assert abs(Decimal(row["monthly_cost"]) - sum(costs) / 12) <= Decimal("0.01")


def test_stated_hours_short_in_the_peak_name_the_bands_and_months(api_as, procurement_user):
    event = closed([phone({"months": PEAK, "bands": BANDS}), EMAIL], HOURLY)
    (row,) = ranking(api_as(procurement_user), event)["results"]
    assert row["understaffed"] == ["phone"]
    months = {s["calendar_month"] for s in row["shortfalls"]}
    assert months == {11, 12}
    day = next(s for s in row["shortfalls"] if s["calendar_month"] == 12 and s["band"] == "day")
    # 2,000 h cover January's 1,790 h but not December's 2,570 h (10 + 10 + 9 agents).
    assert day["stated_hours"] == "2000.00"
    assert Decimal(day["agents_stated"]) == round(Decimal(2000) / 260, 2)
    assert day["agents_needed"] > Decimal(day["agents_stated"])
    assert day["sentence"].startswith("phone, day, Dec ")
    assert "agents needed" in day["sentence"]


def test_a_flat_event_keeps_its_figures_and_gains_one_band(api_as, procurement_user):
    event = closed([phone(), EMAIL], HOURLY)
    (row,) = ranking(api_as(procurement_user), event)["results"]
    assert row["peak_month"]["cost"] == row["low_month"]["cost"] == row["monthly_cost"]
    assert {m["cost"] for m in row["monthly_costs"]} == {row["monthly_cost"]}
    assert (
        Decimal(row["tco"])
        == Decimal(row["monthly_cost"]) * 12 + sum(Decimal(v) for v in ("5000", "2500", "1500"))
        or row["explanation"]["tco_formula"].count("×") == 1
    )
    assert [s["band"] for s in row["staffing"]] == ["all"]
    assert row["shortfalls"] == []


def test_the_query_count_does_not_grow_with_proposals_bands_or_months(api_as, procurement_user):
    client = api_as(procurement_user)
    counts = []
    for event in (
        closed([phone(), EMAIL], HOURLY, HOURLY),
        closed([phone({"months": PEAK, "bands": BANDS}, 90), EMAIL], *([SCOPED] * 12), term=36),
    ):
        client.get(f"/api/v1/events/{event.pk}/ranking/")  # warm the role cache
        with CaptureQueriesContext(connection) as queries:
            ranking(client, event)
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
