"""`/api/v1/vendors/`: who may read and write, the shape, the filters, the query count."""

import pytest

from tests.support.vendors import vendor_make

pytestmark = pytest.mark.django_db

URL = "/api/v1/vendors/"

NEW_VENDOR = {
    "name": "Carpathia CX SRL",
    "country": "ro",
    "delivery_countries": ["RO", "md"],
    "channels": ["phone", "email"],
    "languages": [{"tag": "ro", "level": "native"}, {"tag": "de-at", "level": "C1"}],
    "certifications": [{"name": "ISO 27001", "valid_until": "2028-05-31"}],
    "industries": [{"industry": "telecom", "years": 9}],
    "headcount": 1200,
}


@pytest.fixture
def user_of(make_user, vendor):
    def make(role):
        return make_user(role, vendor=vendor if role == "vendor" else None)

    return make


def test_anonymous_requests_are_401(api, vendor):
    assert api.get(URL).status_code == 401
    assert api.get(f"{URL}{vendor.pk}/").status_code == 401
    assert api.post(URL, NEW_VENDOR, format="json").status_code == 401
    assert api.patch(f"{URL}{vendor.pk}/", {"headcount": 1}, format="json").status_code == 401


@pytest.mark.parametrize("role", ["procurement", "admin"])
def test_procurement_and_admins_create_vendors_with_a_normalised_profile(api_as, user_of, role):
    response = api_as(user_of(role)).post(URL, NEW_VENDOR, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["country"] == "RO" and body["delivery_countries"] == ["RO", "MD"]
    assert body["languages"] == [{"tag": "ro", "level": "native"}, {"tag": "de-AT", "level": "C1"}]
    assert body["certifications"] == [{"name": "ISO 27001", "valid_until": "2028-05-31"}]
    assert set(body) == {
        "id",
        "name",
        "country",
        "delivery_countries",
        "channels",
        "languages",
        "certifications",
        "industries",
        "headcount",
    }


@pytest.mark.parametrize("role", ["manager", "auditor", "vendor"])
def test_other_roles_cannot_create_vendors(api_as, user_of, role):
    assert api_as(user_of(role)).post(URL, NEW_VENDOR, format="json").status_code == 403


@pytest.mark.parametrize("role", ["procurement", "manager", "auditor", "admin"])
def test_buyer_roles_read_every_vendor(api_as, user_of, vendor, role):
    other = vendor_make()
    client = api_as(user_of(role))
    assert client.get(URL).json()["count"] == 2
    assert client.get(f"{URL}{other.pk}/").status_code == 200


@pytest.mark.parametrize(
    "role, code", [("procurement", 200), ("admin", 200), ("manager", 403), ("auditor", 403)]
)
def test_only_procurement_and_admins_edit_any_vendor(api_as, user_of, vendor, role, code):
    response = api_as(user_of(role)).patch(f"{URL}{vendor.pk}/", {"headcount": 99}, format="json")
    assert response.status_code == code


def test_a_vendor_user_edits_its_own_profile(api_as, vendor_user, vendor):
    response = api_as(vendor_user).patch(
        f"{URL}{vendor.pk}/",
        {"channels": ["chat"], "languages": [{"tag": "nl", "level": "native"}]},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["channels"] == ["chat"]
    assert response.json()["languages"] == [{"tag": "nl", "level": "native"}]


@pytest.mark.parametrize(
    "body, field",
    [
        ({"country": "Netherlands"}, "country"),
        ({"languages": [{"tag": "dutch", "level": "C1"}]}, "languages[0].tag"),
        ({"languages": [{"tag": "nl", "level": "fluent"}]}, "languages"),
        ({"channels": ["fax"]}, "channels"),
        ({"channels": "phone"}, "channels"),
        ({"certifications": [{"name": "PCI DSS", "valid_until": "soon"}]}, "certifications"),
        ({"industries": {"retail": 5}}, "industries"),
        ({"headcount": "many"}, "headcount"),
        ({"name": ""}, "name"),
    ],
)
def test_bad_vendor_input_is_a_400_naming_the_field(api_as, procurement_user, vendor, body, field):
    response = api_as(procurement_user).patch(f"{URL}{vendor.pk}/", body, format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()


def test_malformed_json_is_a_400(api_as, procurement_user):
    response = api_as(procurement_user).post(URL, "{not json", content_type="application/json")
    assert response.status_code == 400


# Filters ----------------------------------------------------------------------------------


@pytest.fixture
def market(db):
    return {
        "manila": vendor_make(
            "Manila BayServe",
            country="PH",
            channels=["phone", "chat"],
            languages=[{"tag": "en-US", "level": "C2"}, {"tag": "nl-BE", "level": "B2"}],
            certifications=[{"name": "ISO 27001", "valid_until": "2026-12-31"}],
            industries=[{"industry": "Telecom", "years": 12}],
        ),
        "polder": vendor_make(
            "Polder Support BV",
            country="NL",
            channels=["email"],
            languages=[{"tag": "nl", "level": "native"}],
            certifications=[{"name": "iso27001", "valid_until": None}],
            industries=[{"industry": "e-commerce", "years": 4}],
        ),
        "lisbon": vendor_make(
            "Lisbon Atlantic",
            country="PT",
            channels=["chat"],
            languages=[{"tag": "pt", "level": "native"}],
            certifications=[{"name": "PCI DSS", "valid_until": "2029-01-01"}],
            industries=[],
        ),
    }


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return sorted(row["name"] for row in response.json()["results"])


@pytest.mark.parametrize(
    "query, expected",
    [
        ("country=ph", ["Manila BayServe"]),
        ("language=nl", ["Manila BayServe", "Polder Support BV"]),
        ("language=nl-NL", ["Manila BayServe", "Polder Support BV"]),
        ("language=EN", ["Manila BayServe"]),
        ("channel=chat", ["Lisbon Atlantic", "Manila BayServe"]),
        ("industry=telecom", ["Manila BayServe"]),
        ("certification=ISO 27001&valid_on=2026-12-31", ["Manila BayServe", "Polder Support BV"]),
        ("certification=iso 27001&valid_on=2027-01-01", ["Polder Support BV"]),
        ("certification=PCI%20DSS&valid_on=2027-01-01", ["Lisbon Atlantic"]),
        ("certification=SOC 2 Type II", []),
        ("name=bay", ["Manila BayServe"]),
        ("channel=chat&country=PT", ["Lisbon Atlantic"]),
    ],
)
def test_the_vendor_list_filters(api_as, procurement_user, market, query, expected):
    assert names(api_as(procurement_user).get(f"{URL}?{query}")) == expected


def test_a_vendor_with_two_matching_languages_is_listed_once(api_as, procurement_user):
    vendor_make(languages=[{"tag": "nl", "level": "native"}, {"tag": "nl-BE", "level": "native"}])
    assert api_as(procurement_user).get(f"{URL}?language=nl").json()["count"] == 1


@pytest.mark.parametrize(
    "query, field",
    [
        ("language=klingon", "language"),
        ("channel=fax", "channel"),
        ("valid_on=tomorrow", "valid_on"),
    ],
)
def test_a_bad_filter_value_is_a_400_naming_it(api_as, procurement_user, query, field):
    response = api_as(procurement_user).get(f"{URL}?{query}")
    assert response.status_code == 400 and field in response.json()


def test_the_vendor_list_runs_a_fixed_number_of_queries(
    api_as, procurement_user, django_assert_max_num_queries
):
    for _ in range(6):
        vendor_make()
    client = api_as(procurement_user)
    with django_assert_max_num_queries(8):
        assert client.get(URL).json()["count"] == 6
