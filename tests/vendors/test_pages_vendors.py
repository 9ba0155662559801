"""Vendor pages: list with the API's filters and pagination, profile, forms with inline errors,
"My profile" for a vendor user, and another vendor's profile as a 404."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.support.pages import management, page
from tests.support.vendors import vendor_make
from vendors.models import Vendor

pytestmark = pytest.mark.django_db


def vendor_form(**overrides) -> dict:
    data = {
        "name": "Charlie Care",
        "country": "pt",
        "delivery_countries": "PT, ro",
        "headcount": "420",
        "channels": ["phone", "email"],
        **management("lang", 3),
        "lang-0-tag": "pt", "lang-0-level": "native",
        "lang-1-tag": "nl-be", "lang-1-level": "C1",
        **management("cert", 2),
        "cert-0-name": "ISO 27001", "cert-0-valid_until": "2030-06-30",
        **management("ind", 2),
        "ind-0-industry": "telecom", "ind-0-years": "8",
    }  # fmt: skip
    data.update(overrides)
    return data


def errors_of(response) -> dict:
    forms = response.context["forms"]
    return {
        "form": forms.form.errors,
        "languages": [f.errors for f in forms.languages.forms],
        "certifications": [f.errors for f in forms.certifications.forms],
        "industries": [f.errors for f in forms.industries.forms],
    }


# List -----------------------------------------------------------------------------------------


def test_the_list_shows_an_empty_state(client, procurement_user):
    client.force_login(procurement_user)
    html = page(client, "/vendors/")
    assert "No vendors yet." in html and "Add the first vendor" in html


@pytest.fixture
def three(db):
    today = timezone.localdate()
    return {
        "nl": vendor_make("Dutch Desk", country="NL", channels=["phone", "chat"]),
        "be": vendor_make(
            "Flemish Front",
            country="BE",
            languages=[{"tag": "nl-BE", "level": "native"}],
            channels=["email"],
            certifications=[{"name": "ISO 27001", "valid_until": today + timedelta(days=30)}],
        ),
        "pt": vendor_make(
            "Porto Phones",
            country="PT",
            languages=[{"tag": "pt", "level": "native"}, {"tag": "en", "level": "C1"}],
            certifications=[{"name": "ISO 27001", "valid_until": today - timedelta(days=1)}],
        ),
    }


def names(html: str) -> list[str]:
    return [n for n in ("Dutch Desk", "Flemish Front", "Porto Phones") if n in html]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=be", ["Flemish Front"]),
        ("language=nl", ["Dutch Desk", "Flemish Front"]),
        ("language=nl-NL", ["Dutch Desk", "Flemish Front"]),
        ("language=pt", ["Porto Phones"]),
        ("channel=email", ["Flemish Front", "Porto Phones"]),
        ("channel=chat", ["Dutch Desk", "Porto Phones"]),
        ("certification=iso27001", ["Flemish Front"]),
        ("certification=ISO+27001&valid_on=2000-01-01", ["Flemish Front", "Porto Phones"]),
        ("name=front", ["Flemish Front"]),
    ],
)
def test_the_list_filters_like_the_api(client, procurement_user, three, query, expected):
    client.force_login(procurement_user)
    assert names(page(client, f"/vendors/?{query}")) == expected


def test_a_certification_filter_uses_the_valid_on_date(client, procurement_user, three):
    client.force_login(procurement_user)
    later = (timezone.localdate() + timedelta(days=60)).isoformat()
    html = page(client, f"/vendors/?certification=ISO+27001&valid_on={later}")
    assert names(html) == [] and "No vendor matches these filters." in html


def test_a_bad_filter_value_is_a_message_on_the_field_not_a_500(client, procurement_user, three):
    client.force_login(procurement_user)
    html = page(client, "/vendors/?language=klingon")
    assert "is not a BCP 47 language tag" in html and names(html) == []
    assert "Correct the filter above" in html
    assert "Enter a valid date" in page(client, "/vendors/?certification=x&valid_on=31-12-2026")


def test_the_list_is_paginated_and_keeps_its_filters(client, procurement_user):
    for n in range(30):
        vendor_make(f"Vendor {n:02d}", country="NL")
    client.force_login(procurement_user)
    first = page(client, "/vendors/?country=NL")
    assert "Page 1 of 2" in first and "30 vendors" in first
    assert "country=NL&page=2" in first
    second = page(client, "/vendors/?country=NL&page=2")
    assert "Vendor 29" in second and "Vendor 00" not in second


def test_the_vendor_list_runs_a_fixed_number_of_queries(
    client, procurement_user, django_assert_max_num_queries
):
    for n in range(20):
        vendor_make(f"Vendor {n:02d}")
    client.force_login(procurement_user)
    page(client, "/vendors/")
    with django_assert_max_num_queries(12):
        page(client, "/vendors/?channel=phone&language=nl")


# Detail -------------------------------------------------------------------------------------


def test_the_profile_shows_languages_certifications_with_validity_and_industries(
    client, manager_user
):
    vendor = vendor_make(
        "Porto Phones",
        certifications=[
            {"name": "ISO 27001", "valid_until": date(2020, 1, 31)},
            {"name": "PCI DSS", "valid_until": None},
        ],
        industries=[{"industry": "telecom", "years": 9}],
    )
    client.force_login(manager_user)
    html = page(client, f"/vendors/{vendor.pk}/")
    assert "2020-01-31" in html and "expired" in html
    assert "no expiry" in html and "valid" in html
    assert "telecom" in html and ">9<" in html and "C1" in html
    assert "Edit profile" not in html  # managers read


# Forms -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["procurement", "admin"])
def test_procurement_and_admins_create_a_vendor_with_its_rows(client, make_user, role):
    client.force_login(make_user(role))
    response = client.post("/vendors/new/", vendor_form())
    vendor = Vendor.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/vendors/{vendor.pk}/"
    assert (vendor.country, vendor.delivery_countries) == ("PT", ["PT", "RO"])
    assert vendor.channel_list == ["phone", "email"] and vendor.headcount == 420
    assert [(r.tag, r.level) for r in vendor.languages.all()] == [("pt", "native"), ("nl-BE", "C1")]
    assert [(r.name, r.valid_until) for r in vendor.certifications.all()] == [
        ("ISO 27001", date(2030, 6, 30))
    ]
    assert [(r.industry, r.years) for r in vendor.industries.all()] == [("telecom", 8)]


def test_domain_errors_land_on_the_field_and_the_row_they_name(client, procurement_user):
    vendor_make("Charlie Care")
    client.force_login(procurement_user)
    data = vendor_form(
        name="charlie care",
        country="Portugal",
        delivery_countries="PT, XX",
        **{
            "lang-0-tag": "",
            "lang-0-level": "",
            "lang-1-tag": "zz-invalid-tag!",
            "ind-0-years": "500",
        },
    )
    response = client.post("/vendors/new/", data)
    assert response.status_code == 200 and Vendor.objects.count() == 1
    errors = errors_of(response)
    assert errors["form"]["name"] == ["A vendor with this name already exists."]
    assert "is not an ISO 3166-1 alpha-2 country code" in errors["form"]["country"][0]
    assert errors["form"]["delivery_countries"][0].startswith("Entry 2: ")
    assert errors["languages"][0] == {} and "BCP 47" in errors["languages"][1]["tag"][0]
    assert errors["industries"][0]["years"] == ["Must be from 0 to 100."]
    html = response.content.decode()
    assert 'class="field-error"' in html and "A vendor with this name already exists." in html
    assert "Nothing was saved: correct the fields marked in red below." in html


def test_type_errors_are_the_forms_own(client, procurement_user):
    client.force_login(procurement_user)
    data = vendor_form(headcount="many", **{"cert-0-valid_until": "30/06/2030"})
    errors = errors_of(client.post("/vendors/new/", data))
    assert errors["form"]["headcount"] == ["Enter a whole number."]
    assert errors["certifications"][0]["valid_until"] == ["Enter a valid date."]


def test_a_language_listed_twice_is_shown_on_the_second_row(client, procurement_user):
    client.force_login(procurement_user)
    data = vendor_form(**{"lang-2-tag": "PT", "lang-2-level": "B2"})
    errors = errors_of(client.post("/vendors/new/", data))
    assert errors["languages"][2]["tag"] == ["pt is listed more than once."]


@pytest.mark.parametrize("role", ["manager", "auditor"])
def test_other_buyers_cannot_create_or_edit(client, make_user, role):
    vendor = vendor_make()
    client.force_login(make_user(role))
    assert client.get("/vendors/new/").status_code == 403
    assert client.get(f"/vendors/{vendor.pk}/edit/").status_code == 403
    assert client.post("/vendors/new/", vendor_form()).status_code == 403


def test_procurement_edits_a_vendor_with_the_form_prefilled(client, procurement_user):
    vendor = vendor_make("Dutch Desk")
    client.force_login(procurement_user)
    form = page(client, f"/vendors/{vendor.pk}/edit/")
    assert 'value="Dutch Desk"' in form and 'value="GDPR DPA"' in form
    data = vendor_form(name="Dutch Desk BV", **{"cert-0-name": "", "cert-0-valid_until": ""})
    response = client.post(f"/vendors/{vendor.pk}/edit/", data)
    assert response.status_code == 302, errors_of(response)
    vendor.refresh_from_db()
    assert vendor.name == "Dutch Desk BV" and not vendor.certifications.exists()


# A vendor user --------------------------------------------------------------------------------


def test_my_profile_shows_and_edits_the_vendor_users_own_vendor(client, make_user):
    mine, theirs = vendor_make("Alpha Contact"), vendor_make("Bravo Support")
    client.force_login(make_user("vendor", vendor=mine))
    html = page(client, "/vendors/me/")
    assert "Alpha Contact" in html and "Edit my profile" in html and "Bravo" not in html
    response = client.post(
        f"/vendors/{mine.pk}/edit/", vendor_form(name="Alpha Contact", headcount="999")
    )
    assert response.status_code == 302 and response["Location"] == "/vendors/me/"
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.headcount == 999 and theirs.headcount == 250


def test_another_vendor_is_a_404_like_a_missing_one(client, make_user):
    mine, theirs = vendor_make(), vendor_make()
    client.force_login(make_user("vendor", vendor=mine))
    for pk in (theirs.pk, 987654321):
        assert client.get(f"/vendors/{pk}/").status_code == 404
        assert client.get(f"/vendors/{pk}/edit/").status_code == 404
        assert client.post(f"/vendors/{pk}/edit/", vendor_form()).status_code == 404
    assert client.get("/vendors/new/").status_code == 404
    html = page(client, "/vendors/")
    assert mine.name in html and theirs.name not in html


def test_my_profile_is_only_for_vendor_users(client, procurement_user):
    client.force_login(procurement_user)
    assert client.get("/vendors/me/").status_code == 404


def test_anonymous_users_are_sent_to_the_login_page(client):
    for url in ("/vendors/", "/events/", "/proposals/", "/vendors/me/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_the_channel_filter_offers_any_channel(client, procurement_user):
    client.force_login(procurement_user)
    html = page(client, "/vendors/")
    assert '<option value="" selected>any channel</option>' in html and "---------" not in html
