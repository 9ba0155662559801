"""The `reports/` list filters by contract id; a number that is no id finds nothing, never 500
(schemathesis found `?contract=5.45e16` answering 500 before)."""

import pytest

from reports.models import Report

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports(auditor_user):
    def make(contract):
        return Report.objects.create(
            kind=Report.Kind.SLA, parameters={"contract": contract}, created_by=auditor_user
        )

    return make(7), make(8)


@pytest.mark.parametrize(
    ("query", "expected"),
    [("7", [0]), ("8", [1]), ("7.0", [0]), ("7.5", []), ("5.451727818148082e+16", []), ("9", [])],
)
def test_the_contract_filter_takes_ids_only(api, auditor_user, reports, query, expected):
    api.force_authenticate(auditor_user)
    response = api.get("/api/v1/reports/", {"contract": query})
    assert response.status_code == 200
    ids = {row["id"] for row in response.json()["results"]}
    assert ids == {reports[i].pk for i in expected}


def test_a_contract_that_is_not_a_number_is_a_400(api, auditor_user, reports):
    api.force_authenticate(auditor_user)
    response = api.get("/api/v1/reports/", {"contract": "seven"})
    assert response.status_code == 400 and "contract" in response.json()
