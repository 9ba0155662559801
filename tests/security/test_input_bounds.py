"""No 500 for any input: ids and numbers out of range, periods out of bounds, ranges too long
and JSON nested too deep answer 400 (or 404) naming what is wrong."""

import json

import pytest

from tests.support.evaluation import make_contract, set_baseline

pytestmark = pytest.mark.django_db
HUGE = "9999999999999999999999999"


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("/api/v1/proposals/", "event"),
        ("/api/v1/proposals/", "vendor"),
        ("/api/v1/breaches/", "contract"),
        ("/api/v1/contracts/", "vendor"),
        ("/api/v1/reports/", "contract"),
        ("/api/v1/reports/", "created_by"),
    ],
)
def test_a_filter_id_beyond_a_64_bit_integer_is_a_400_naming_the_parameter(
    api_as, make_user, path, parameter
):
    response = api_as(make_user("auditor")).get(path, {parameter: HUGE})
    assert response.status_code == 400, response.content[:300]
    assert parameter in response.json()


def test_the_largest_64_bit_id_is_accepted_and_finds_nothing(api_as, make_user):
    response = api_as(make_user("auditor")).get("/api/v1/breaches/", {"contract": 2**63 - 1})
    assert response.status_code == 200
    assert response.json()["count"] == 0


@pytest.mark.parametrize("path", ["/breaches/", "/reports/"])
def test_a_list_page_shows_the_filter_error_for_a_huge_id(client, make_user, path):
    client.force_login(make_user("auditor"))
    response = client.get(path, {"contract": HUGE})
    assert response.status_code in (200, 400)
    assert "9223372036854775807" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    ["/api/v1/contracts/{big}/roi/", "/api/v1/contracts/{big}/", "/api/v1/events/{big}/ranking/"],
)
def test_a_path_id_beyond_a_64_bit_integer_is_a_404(api_as, make_user, path):
    response = api_as(make_user("manager")).get(path.format(big=HUGE))
    assert response.status_code == 404


@pytest.fixture
def roi_contract(vendor):
    contract = make_contract(vendor)
    set_baseline(contract, "100000")
    return contract


@pytest.mark.parametrize(
    ("query", "field", "words"),
    [
        ({"from": "0001-01", "to": "9999-12"}, "from", "2000-01"),
        ({"from": "2026-01", "to": "2100-01"}, "to", "2099-12"),
        ({"from": "2000-01", "to": "2099-12"}, "to", "120 months"),
        ({"from": "2026-13"}, "from", "YYYY-MM"),
    ],
)
def test_the_roi_api_refuses_periods_out_of_bounds_and_ranges_too_long(
    api_as, manager_user, roi_contract, query, field, words
):
    response = api_as(manager_user).get(f"/api/v1/contracts/{roi_contract.pk}/roi/", query)
    assert response.status_code == 400, response.content[:300]
    assert words in " ".join(response.json()[field])


def test_the_roi_page_shows_the_range_error_on_its_form(client, manager_user, roi_contract):
    client.force_login(manager_user)
    url = f"/contracts/{roi_contract.pk}/roi/"
    response = client.get(url, {"from": "0001-01", "to": "9999-12"})
    assert response.status_code == 400  # the page, with the error on its form
    body = response.content.decode()
    assert "Use a month from 2000-01 to 2099-12." in body and "<form" in body
    response = client.get(url, {"from": "2000-01", "to": "2099-12"})
    assert response.status_code == 400
    assert "Ask for at most 120 months." in response.content.decode()


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def test_a_json_body_nested_deeper_than_32_is_a_400(api_as, procurement_user):
    body = '{"title": ' + nested(5000) + "}"
    response = api_as(procurement_user).post(
        "/api/v1/events/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "nest" in json.dumps(response.json())


def test_a_json_body_nested_within_the_bound_reaches_the_serializer(api_as, procurement_user):
    body = '{"title": ' + nested(20) + "}"
    response = api_as(procurement_user).post(
        "/api/v1/events/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "title" in response.json()


@pytest.mark.parametrize("pk", ["null", "true", "AAA", "null,null", "%C2%A0"])
def test_a_report_download_with_a_non_numeric_id_is_a_404(api_as, auditor_user, pk):
    response = api_as(auditor_user).get(f"/api/v1/reports/{pk}/download/")
    assert response.status_code == 404


@pytest.mark.parametrize("tag", ["%", "%s", "100%", "nl-%d"])
def test_a_language_filter_with_a_percent_sign_is_a_400_naming_it(api_as, procurement_user, tag):
    response = api_as(procurement_user).get("/api/v1/vendors/", {"language": tag})
    assert response.status_code == 400
    assert "language" in response.json()


def test_the_schema_describes_months_and_lists_as_the_server_answers_them(openapi):
    """Found by `make fuzz`: breach periods are `YYYY-MM`, not dates; a contract's amendments
    are a plain list; a vendor reads `retained_management_monthly` as null."""
    components = openapi["components"]["schemas"]
    assert components["Breach"]["properties"]["period"]["pattern"] == r"^\d{4}-\d{2}$"
    assert "format" not in components["Breach"]["properties"]["period"]
    retained = components["Contract"]["properties"]["retained_management_monthly"]
    assert retained.get("nullable") is True
    amendments = openapi["paths"]["/api/v1/contracts/{id}/amendments/"]["get"]["responses"]["200"]
    assert amendments["content"]["application/json"]["schema"]["type"] == "array"


@pytest.mark.parametrize("contract", [HUGE, 2**63, -(2**63) - 1, "1e30"])
def test_a_report_request_naming_a_contract_id_out_of_range_is_a_400(
    api_as, auditor_user, contract
):
    body = {"kind": "roi", "contract": contract, "from": "2026-01", "to": "2026-03"}
    response = api_as(auditor_user).post("/api/v1/reports/", body, format="json")
    assert response.status_code == 400, response.content[:300]
    assert "contract" in response.json()
