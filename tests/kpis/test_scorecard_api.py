"""`GET /api/v1/vendors/{id}/scorecard/`: per contract and month the targets' statuses, credits,
chronic flags and disputes, and the track record over the months asked for (the ranking's rule).

The clock is pinned to 2026-12-02 (tests/conftest.py): the default months are 2025-12..2026-11.
"""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.support.evaluation import make_contract
from tests.support.openapi import check
from tests.support.track_records import judged_months
from tests.support.vendors import vendor_make

pytestmark = pytest.mark.django_db

M, W, B, X = "met", "warning", "breach", "missing"
# 14 judged: 9 met, 2 warning, 2 breach, 1 missing -> 100 x (9 + 0.5 x 2) / 14 = 71.43
FOURTEEN = {
    "2026-09": [M, M, M, W, M],
    "2026-10": [M, B, M, X, M],
    "2026-11": [M, W, B, M],
}


@pytest.fixture
def contract(vendor):
    contract = make_contract(vendor, reference="SC-NL-01", start=date(2025, 1, 1))
    judged_months(contract, {"2025-11": [B, B, B, B, B], **FOURTEEN})
    return contract


def url(vendor, query: str = "") -> str:
    return f"/api/v1/vendors/{vendor.pk}/scorecard/{query}"


def test_the_scorecard_gives_each_months_targets_and_the_track_record(
    api_as, auditor_user, contract, vendor, openapi
):
    response = api_as(auditor_user).get(url(vendor, "?from=2026-09&to=2026-11"))
    check(openapi, "get", url(vendor, "?from=2026-09&to=2026-11"), response)
    body = response.json()
    assert (body["vendor"], body["from"], body["to"]) == (vendor.pk, "2026-09", "2026-11")
    (card,) = body["contracts"]
    assert card["reference"] == "SC-NL-01" and card["currency"] == "EUR"
    assert [m["period"] for m in card["months"]] == ["2026-09", "2026-10", "2026-11"]
    october = card["months"][1]
    statuses = {t["metric"]: t["status"] for t in october["targets"]}
    assert statuses == {
        "service_level": M, "asa_seconds": B, "abandonment_rate": M, "aht_seconds": X, "csat": M,
    }  # fmt: skip
    asa = next(t for t in october["targets"] if t["metric"] == "asa_seconds")
    assert asa["status_label"] == "breach (below minimum)" and asa["unit"] == "s"
    assert asa["credit"] == "0.00" and asa["critical"] is True and asa["chronic"] is False
    assert october["credit_total"] == "0.00" and october["disputes"] == []
    assert body["track_record"] == {
        "judged": 14, "met": 9, "warning": 2, "breach": 2, "missing": 1, "newcomer": False,
        "score": "71.43", "min_judged": 6,
    }  # fmt: skip


def test_the_default_months_are_the_twelve_before_this_one(api_as, auditor_user, contract, vendor):
    body = api_as(auditor_user).get(url(vendor)).json()
    assert (body["from"], body["to"]) == ("2025-12", "2026-11")
    assert body["track_record"]["judged"] == 14  # 2025-11 is outside


def test_a_short_range_is_a_newcomers_track_record(api_as, auditor_user, contract, vendor):
    body = api_as(auditor_user).get(url(vendor, "?from=2026-11&to=2026-11")).json()
    assert body["track_record"]["judged"] == 4
    assert body["track_record"]["newcomer"] is True and body["track_record"]["score"] is None


def test_a_vendor_reads_its_own_scorecard_and_no_one_elses(api_as, vendor_user, contract, vendor):
    client = api_as(vendor_user)
    assert client.get(url(vendor)).status_code == 200
    other = vendor_make("Other Support BV")
    assert client.get(url(other)).status_code == 404
    assert client.get("/api/v1/vendors/999999/scorecard/").status_code == 404


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("?from=2026-13", "from"),
        ("?from=1999-12", "from"),
        ("?to=soon", "to"),
        ("?from=2026-06&to=2026-01", "to"),
        ("?from=2023-01&to=2026-01", "to"),  # 37 months
        ("?from=2026-11&to=2027-01", "to"),  # ends after this month
    ],
)
def test_a_bad_month_is_a_400_naming_the_parameter(
    api_as, procurement_user, vendor, query, parameter, openapi
):
    response = api_as(procurement_user).get(url(vendor, query))
    assert response.status_code == 400
    assert list(response.json()) == [parameter]
    check(openapi, "get", url(vendor, query), response)


def test_a_vendor_without_contracts_has_an_empty_scorecard(api_as, manager_user):
    lonely = vendor_make("Lonely Support BV")
    body = api_as(manager_user).get(url(lonely)).json()
    assert body["contracts"] == []
    assert body["track_record"]["judged"] == 0 and body["track_record"]["newcomer"] is True


def test_the_query_count_does_not_grow_with_the_months(api_as, auditor_user, contract, vendor):
    client = api_as(auditor_user)
    counts = []
    for query in ("?from=2026-11&to=2026-11", "?from=2025-12&to=2026-11"):
        client.get(url(vendor, query))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(vendor, query)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
