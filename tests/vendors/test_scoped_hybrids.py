"""Hybrid components scoped by bands and months: API, portal form, coverage messages, ranking."""

from decimal import Decimal

import pytest

from tests.support.openapi import check
from tests.support.pages import page, proposal_form
from tests.support.vendors import event_make, proposal_make, proposal_values
from vendors.models import Proposal
from vendors.ranking.adapter import event_spec

pytestmark = pytest.mark.django_db

PEAK = ["0.9"] * 10 + ["1.5", "1.5"]
BANDS = [
    {"name": "day", "hours": "180", "share": "0.7"},
    {"name": "evening", "hours": "50", "share": "0.2"},
    {"name": "weekend", "hours": "30", "share": "0.1"},
]
PHONE = {
    "channel": "phone",
    "monthly_volume": 12000,
    "aht_seconds": 330,
    "sl_percent": "80",
    "sl_seconds": 20,
    "opening_hours": "260",
    "profile": {"months": PEAK, "bands": BANDS},
    "patience_seconds": 120,
}
EMAIL = {"channel": "email", "monthly_volume": 8000, "aht_seconds": 480}
SCOPED = [
    {"model": "per_production_hour", "rate": "38", "bands": ["day"], "months": [11, 12]},
    {"model": "per_contact", "rate": "3.10", "bands": ["day"], "months": list(range(1, 11))},
    {"model": "per_contact", "rate": "3.10", "bands": ["evening", "weekend"]},
]


@pytest.fixture
def seasonal(vendor):
    return event_make(invited=[vendor], channels=[PHONE, EMAIL])


def scoped_pricing(components):
    return [
        {"channel": "phone", "model": "hybrid", "components": components},
        {"channel": "email", "model": "per_contact", "rate": "2.50"},
    ]


def test_a_scoped_hybrid_is_stored_answered_and_ranked(
    openapi, api_as, make_user, seasonal, vendor
):
    user = make_user("vendor", vendor=vendor)
    payload = proposal_values(pricing=scoped_pricing(SCOPED)) | {"event": seasonal.pk}
    response = api_as(user).post("/api/v1/proposals/", payload, format="json")
    assert response.status_code == 201, response.content
    check(openapi, "post", "/api/v1/proposals/", response)
    components = response.json()["pricing"][0]["components"]
    assert [(c["bands"], c["months"], c["share"]) for c in components] == [
        (["day"], [11, 12], None),
        (["day"], list(range(1, 11)), None),
        (["evening", "weekend"], [], None),
    ]
    spec = event_spec(seasonal)
    assert spec.channels[0].patience_seconds == 120
    assert [b.name for b in spec.channels[0].profile.bands] == ["day", "evening", "weekend"]


@pytest.mark.parametrize(
    ("components", "words"),
    [
        (
            SCOPED[:2],
            "phone: band evening is priced by no component in every month. The components "
            "must price each band (day, evening, weekend) in each month exactly once.",
        ),
        (
            [{**SCOPED[0], "months": [10, 11, 12]}, *SCOPED[1:]],
            "phone: band day is priced twice in October (components 1 and 2).",
        ),
        (
            [*SCOPED[:2], {**SCOPED[2], "bands": ["evening", "night"]}],
            "component 3 names band night, which the channel does not have",
        ),
    ],
)
def test_a_coverage_gap_or_overlap_is_a_400_that_explains_the_rule(
    api_as, make_user, seasonal, vendor, components, words
):
    user = make_user("vendor", vendor=vendor)
    payload = proposal_values(pricing=scoped_pricing(components)) | {"event": seasonal.pk}
    response = api_as(user).post("/api/v1/proposals/", payload, format="json")
    assert response.status_code == 400, response.content
    assert any(words in m for m in response.json()["pricing[0].components"]), response.json()


def test_a_component_cannot_have_both_a_share_and_a_scope(api_as, make_user, seasonal, vendor):
    user = make_user("vendor", vendor=vendor)
    components = [{**SCOPED[0], "share": "0.5"}, *SCOPED[1:]]
    payload = proposal_values(pricing=scoped_pricing(components)) | {"event": seasonal.pk}
    response = api_as(user).post("/api/v1/proposals/", payload, format="json")
    assert response.status_code == 400
    assert response.json()["pricing[0].components[0].share"] == [
        "Components scoped by bands or months take no share."
    ]


def test_the_portal_form_takes_bands_and_month_ranges(client, make_user, seasonal, vendor):
    client.force_login(make_user("vendor", vendor=vendor))
    url = f"/portal/events/{seasonal.pk}/propose/"
    html = page(client, url)
    assert 'data-testid="event-bands"' in html and "phone: day, evening, weekend" in html
    form = proposal_form(
        **{
            "price-0-model": "hybrid",
            "price-0-rate": "",
            "price-0-stated_hours": "",
            "price-0-c1_model": "per_production_hour",
            "price-0-c1_rate": "38",
            "price-0-c1_bands": "day",
            "price-0-c1_months": "11-12",
            "price-0-c2_model": "per_contact",
            "price-0-c2_rate": "3.1",
            "price-0-c2_bands": "day",
            "price-0-c2_months": "1-10",
            "price-0-c3_model": "per_contact",
            "price-0-c3_rate": "3.1",
            "price-0-c3_bands": "evening, weekend",
        }  # fmt: skip
    )
    response = client.post(url, form)
    assert response.status_code == 302, response.context["forms"].prices.forms[0].errors
    phone = Proposal.objects.get(vendor=vendor).prices.get(channel="phone")
    assert [(c.bands, c.months, c.share) for c in phone.components.all()] == [
        (["day"], [11, 12], None),
        (["day"], list(range(1, 11)), None),
        (["evening", "weekend"], [], None),
    ]
    edit = page(client, f"/proposals/{Proposal.objects.get(vendor=vendor).pk}/edit/")
    assert 'value="1-10"' in edit and 'value="evening, weekend"' in edit


def test_the_portal_form_names_a_bad_month_and_a_coverage_gap(client, make_user, seasonal, vendor):
    client.force_login(make_user("vendor", vendor=vendor))
    url = f"/portal/events/{seasonal.pk}/propose/"
    base = {
        "price-0-model": "hybrid", "price-0-rate": "", "price-0-stated_hours": "",
        "price-0-c1_model": "per_production_hour", "price-0-c1_rate": "38",
        "price-0-c1_bands": "day", "price-0-c1_months": "11-13",
    }  # fmt: skip
    errors = client.post(url, proposal_form(**base)).context["forms"].prices.forms[0].errors
    assert errors["c1_months"] == [
        "11-13 is not a month; use 1-12, commas and ranges such as 1-10."
    ]
    base["price-0-c1_months"] = "11-12"
    response = client.post(url, proposal_form(**base))
    text = " ".join(response.context["forms"].prices.forms[0].errors["c1_share"])
    assert "band day is priced by no component in January" in text
    assert not Proposal.objects.filter(vendor=vendor).exists()


def test_a_shared_hybrid_still_works_on_a_seasonal_event(seasonal, vendor):
    proposal = proposal_make(event=seasonal, vendor=vendor)
    components = proposal.prices.get(channel="").components.all()
    assert [(c.share, c.bands, c.months) for c in components] == [
        (Decimal("0.5"), [], []),
        (Decimal("0.5"), [], []),
    ]
