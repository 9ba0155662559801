"""Lookalike vendor names (core/names.py, UTS #39 skeletons) are refused in the API and the
pages, naming the existing vendor only to users who may see it; mixed scripts are refused."""

import pytest

from core.names import look_alike, mixed_scripts, skeleton, skeletons
from tests.support.pages import management
from tests.support.vendors import vendor_make
from vendors.admin import VendorAdmin
from vendors.models import Vendor

pytestmark = pytest.mark.django_db

EXISTING = "Northwind Contact BV"
CYRILLIC_VE = "Northwind Contact \u0412V"  # В: CYRILLIC CAPITAL LETTER VE
GREEK_OMICRON = "N\u03bfrthwind Contact BV"  # ο: GREEK SMALL LETTER OMICRON


@pytest.mark.parametrize(
    ("a", "b"),
    [(EXISTING, CYRILLIC_VE), (EXISTING, GREEK_OMICRON), (EXISTING, "northwind contact bv"),
     (EXISTING, "Northwind  Contact  BV"), ("Modern Care", "Rnodern Care"),
     ("Ivy Support", "ivy Supp\u043ert"), ("0mega BPO", "Omega BPO")],
)  # fmt: skip
def test_names_a_reader_can_mistake_have_the_same_skeleton(a, b):
    assert a != b and look_alike(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [(EXISTING, "Northwind Contact NV"), ("Alpha CX", "Alfa CX"), ("Beta BPO", "Beta 8PO"),
     ("Société Générale", "Societe Generale SA")],
)  # fmt: skip
def test_names_that_read_differently_do_not_look_alike(a, b):
    assert not look_alike(a, b)


def test_the_skeleton_ignores_case_spacing_and_script_lookalikes():
    assert skeleton(CYRILLIC_VE) == skeleton(EXISTING) == skeleton(" Northwind contact bv ")
    assert skeletons("NORTHWIND") & skeletons("Northwind")


def test_mixed_lookalike_scripts_are_named_and_plain_names_are_not():
    assert mixed_scripts(CYRILLIC_VE) == ["Cyrillic", "Latin"]
    assert mixed_scripts(GREEK_OMICRON) == ["Greek", "Latin"]
    assert mixed_scripts(EXISTING) == mixed_scripts("Société Générale 24/7") == []
    assert mixed_scripts("Москва") == mixed_scripts("Αθήνα") == []


@pytest.fixture
def existing():
    return vendor_make(EXISTING)


def create(api_as, user, name):
    return api_as(user).post("/api/v1/vendors/", {"name": name, "country": "NL"}, format="json")


@pytest.mark.parametrize("name", [CYRILLIC_VE, GREEK_OMICRON])
def test_the_api_refuses_a_mixed_script_lookalike(api_as, procurement_user, existing, name):
    response = create(api_as, procurement_user, name)
    assert response.status_code == 400
    assert "different scripts" in response.json()["name"][0]
    assert Vendor.objects.count() == 1


def test_the_api_refuses_a_single_script_lookalike_naming_the_existing_vendor(
    api_as, procurement_user, existing
):
    response = create(api_as, procurement_user, "Northwind Contact 8V")
    assert response.status_code == 201  # 8 is not B: reads differently
    response = create(api_as, procurement_user, "N0rthwind Contact BV")
    assert response.status_code == 400
    assert response.json()["name"] == [
        f"This name can be mistaken for the existing vendor “{EXISTING}”; choose a name that "
        "reads differently."
    ]


def test_a_vendor_renaming_itself_like_another_is_refused_without_learning_its_name(
    api_as, make_user, existing
):
    own = vendor_make("Own Support BV")
    response = api_as(make_user("vendor", vendor=own)).patch(
        f"/api/v1/vendors/{own.pk}/", {"name": "N0rthwind Contact BV"}, format="json"
    )
    assert response.status_code == 400
    message = response.json()["name"][0]
    assert "another vendor's name" in message and "Northwind" not in message
    own.refresh_from_db()
    assert own.name == "Own Support BV"


def test_the_page_form_shows_the_lookalike_refusal_on_the_name(client, procurement_user, existing):
    client.force_login(procurement_user)
    data = {
        "name": CYRILLIC_VE, "country": "nl", "delivery_countries": "NL", "headcount": "10",
        "channels": ["phone"], **management("lang", 1), **management("cert", 1),
        **management("ind", 1),
    }  # fmt: skip
    response = client.post("/vendors/new/", data)
    assert response.status_code == 200 and Vendor.objects.count() == 1
    assert "different scripts (Cyrillic, Latin)" in response.context["forms"].form.errors["name"][0]
    data["name"] = "N0RTHWIND contact bv"
    response = client.post("/vendors/new/", data)
    assert EXISTING in response.context["forms"].form.errors["name"][0]


def test_the_admin_cannot_write_vendor_names_at_all(rf, existing):
    from django.contrib.admin.sites import site

    admin = VendorAdmin(Vendor, site)
    request = rf.get("/admin/vendors/vendor/")
    assert not admin.has_add_permission(request) and not admin.has_change_permission(request)
