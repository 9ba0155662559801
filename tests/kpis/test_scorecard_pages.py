"""The vendor scorecard page, linked from the vendor's profile: the same figures and access rule
as the API (tests/kpis/test_scorecard_api.py). Clock pinned to 2026-12-02."""

from datetime import date

import pytest

from tests.support.evaluation import make_contract
from tests.support.track_records import judged_months
from tests.support.vendors import vendor_make

pytestmark = pytest.mark.django_db

M, W, B, X = "met", "warning", "breach", "missing"


@pytest.fixture
def contract(vendor):
    contract = make_contract(vendor, reference="SC-NL-01", start=date(2025, 1, 1))
    judged_months(contract, {
        "2026-09": [M, M, M, W, M], "2026-10": [M, B, M, X, M], "2026-11": [M, W, B, M],
    })  # fmt: skip
    return contract


def page(client, vendor, query: str = ""):
    return client.get(f"/vendors/{vendor.pk}/scorecard/{query}")


def test_the_page_shows_every_target_month_and_the_track_record(client, auditor_user, contract):
    client.force_login(auditor_user)
    response = page(client, contract.vendor)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="track-record-score">71.43<' in html
    assert "with 9 met, 2 warning, 2 breach and 1 missing of 14 judged target-months" in html
    assert html.count('data-testid="scorecard-row"') == 5
    assert html.count('data-status="breach"') == 2
    assert "breach: below minimum" in html  # the legend's human label
    assert 'name="from" id="scorecard-from" value="2025-12"' in html
    assert 'data-testid="scorecard-pdf"' in html and 'value="scorecard"' in html


def test_the_vendor_sees_its_own_scorecard_from_its_profile(client, vendor_user, contract):
    client.force_login(vendor_user)
    profile = client.get("/vendors/me/").content.decode()
    assert f'href="/vendors/{contract.vendor_id}/scorecard/"' in profile
    assert page(client, contract.vendor).status_code == 200


def test_another_vendors_scorecard_is_a_404(client, vendor_user, contract):
    client.force_login(vendor_user)
    assert page(client, vendor_make("Other Support BV")).status_code == 404


def test_a_vendor_without_contracts_sees_the_empty_state(client, procurement_user):
    client.force_login(procurement_user)
    html = page(client, vendor_make("Lonely Support BV")).content.decode()
    assert 'data-testid="scorecard-empty"' in html
    assert 'data-testid="track-record-newcomer"' in html


def test_a_bad_month_shows_the_default_months_with_the_error(client, manager_user, contract):
    client.force_login(manager_user)
    response = page(client, contract.vendor, "?from=2026-06&to=2026-01")
    html = response.content.decode()
    assert response.status_code == 400
    assert 'data-testid="error-to"' in html and "The range ends before it starts." in html
    assert 'data-testid="track-record-score">71.43<' in html  # the default months, shown


def test_a_chosen_range_limits_the_months(client, manager_user, contract):
    client.force_login(manager_user)
    html = page(client, contract.vendor, "?from=2026-11&to=2026-11").content.decode()
    assert 'data-testid="track-record-newcomer"' in html  # 4 judged in November alone
    assert html.count('data-testid="month-credit"') == 1
