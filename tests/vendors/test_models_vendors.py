"""Vendor profiles through `vendor_create` / `vendor_update`: normalisation and validation."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tests.support.vendors import vendor_make
from vendors.services.profiles import vendor_create, vendor_update
from vendors.services.validation import InvalidValue, currency_code, language_tag

pytestmark = pytest.mark.django_db


def errors_of(call) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


def test_a_vendor_is_stored_with_standard_tags_and_upper_case_countries():
    vendor = vendor_make(
        "Manila BayServe",
        country="ph",
        delivery_countries=["ph", "PH", "us"],
        channels=["phone", "chat", "phone"],
        languages=[{"tag": "EN_us", "level": "c2"}, {"tag": "fil", "level": "Native"}],
        certifications=[{"name": "ISO 27001", "valid_until": "2028-03-31"}],
    )
    assert vendor.country == "PH" and vendor.delivery_countries == ["PH", "US"]
    assert vendor.channel_list == ["phone", "chat"]
    assert [(lang.tag, lang.language, lang.level) for lang in vendor.languages.all()] == [
        ("en-US", "en", "C2"),
        ("fil", "fil", "native"),
    ]
    cert = vendor.certifications.get()
    assert (cert.name, cert.name_key, cert.valid_until) == (
        "ISO 27001",
        "iso27001",
        date(2028, 3, 31),
    )


def test_every_bad_profile_field_is_reported_at_once():
    errors = errors_of(
        lambda: vendor_create(
            name=" ",
            country="XX",
            delivery_countries=["UK"],
            channels=["fax"],
            languages=[{"tag": "klingon", "level": "C1"}, {"tag": "nl", "level": "D1"}],
            certifications=[{"name": "PCI DSS", "valid_until": "31-12-2027"}],
            industries=[{"industry": "retail", "years": -2}],
            headcount=-1,
        )
    )
    assert set(errors) == {
        "name",
        "country",
        "delivery_countries[0]",
        "channels[0]",
        "languages[0].tag",
        "languages[1].level",
        "certifications[0].valid_until",
        "industries[0].years",
        "headcount",
    }
    assert errors["country"] == ["'XX' is not an ISO 3166-1 alpha-2 country code (e.g. NL)."]
    assert errors["languages[1].level"] == [
        "'D1' is not a level; use native or A1, A2, B1, B2, C1, C2."
    ]


def test_a_certification_named_twice_in_another_spelling_is_refused():
    errors = errors_of(
        lambda: vendor_make(certifications=[{"name": "ISO 27001"}, {"name": "iso27001"}])
    )
    assert errors["certifications[1].name"] == ["iso27001 is listed more than once."]


def test_vendor_names_are_unique_whatever_the_case():
    vendor_make("Northwind Contact BV")
    errors = errors_of(lambda: vendor_make("northwind contact bv"))
    assert errors["name"] == ["A vendor with this name already exists."]


def test_an_update_replaces_only_the_lists_given():
    vendor = vendor_make()
    vendor_update(vendor=vendor, data={"channels": ["email"], "headcount": 400})
    vendor.refresh_from_db()
    assert vendor.channel_list == ["email"] and vendor.headcount == 400
    assert vendor.languages.count() == 2 and vendor.certifications.count() == 1


def test_an_update_may_keep_the_vendors_own_name():
    vendor = vendor_make("Polder Support BV")
    assert (
        vendor_update(vendor=vendor, data={"name": "Polder Support BV"}).name == "Polder Support BV"
    )


def test_an_unknown_field_is_an_error_not_silently_dropped():
    vendor = vendor_make()
    assert errors_of(lambda: vendor_update(vendor=vendor, data={"rating": 5})) == {
        "rating": ["Not a vendor field."]
    }


@pytest.mark.parametrize(
    "raw, tag", [("nl-be", "nl-BE"), ("iw", "he"), ("zh-hant-tw", "zh-Hant-TW"), ("de_CH", "de-CH")]
)
def test_language_tags_are_standardised(raw, tag):
    assert language_tag(raw) == tag


@pytest.mark.parametrize("code", ["XAU", "XTS", "EURO", "E1R"])
def test_metals_test_codes_and_non_codes_are_no_currency(code):
    with pytest.raises(InvalidValue):
        currency_code(code)
