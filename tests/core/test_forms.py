"""Decimal inputs read the reader's format (core.forms.LocalizedDecimalField): `4,20` in a Dutch
rate box is 4.20, never silently empty; a number written wrongly is refused with the expected
form ("write it like 1.234,50"); values are shown back with the reader's decimal mark."""

from decimal import Decimal

import pytest
from django import forms
from django.test import Client
from django.utils import translation

from contracts.models import Contract
from core.forms import LocalizedDecimalField

D = Decimal


class RateForm(forms.Form):
    rate = LocalizedDecimalField(max_digits=12, decimal_places=4)


def clean_rate(text: str, language: str):
    with translation.override(language):
        form = RateForm({"rate": text})
        return form.cleaned_data["rate"] if form.is_valid() else form.errors["rate"][0]


@pytest.mark.parametrize(
    ("language", "text", "value"),
    [
        ("nl", "4,20", D("4.20")),
        ("nl", "1.234,50", D("1234.50")),
        ("nl", "1234,5", D("1234.5")),
        ("ro", "1.234,50", D("1234.50")),
        ("es", "4,20", D("4.20")),
        ("es", "1234,50", D("1234.50")),
        ("en", "1,234.50", D("1234.50")),
        ("en", "4.20", D("4.20")),
        ("nl", "4.20", D("4.20")),  # a lone point, no grouping: a decimal point everywhere
        ("nl", "-0,5", D("-0.5")),
    ],
)
def test_a_decimal_box_reads_the_readers_format(language, text, value):
    assert clean_rate(text, language) == value


@pytest.mark.parametrize(
    ("language", "text", "example"),
    [("nl", "1,234.50", "1.234,50"), ("nl", "4,2,0", "1.234,50"), ("en", "1.234,50", "1,234.50"),
     ("ro", "abc", "1.234,50")],
)  # fmt: skip
def test_a_number_written_wrongly_is_refused_naming_the_expected_form(language, text, example):
    error = clean_rate(text, language)
    # In the reader's language, with the example written their way ("schrijf het als 1.234,50").
    assert isinstance(error, str) and example in error and text in error


def test_an_empty_required_box_says_it_is_required_not_that_the_number_is_wrong():
    assert clean_rate("", "en") == "This field is required."


def test_the_box_is_a_text_box_with_a_decimal_keyboard_showing_the_readers_decimal_mark():
    with translation.override("nl"):
        html = str(RateForm(initial={"rate": D("4.2000")})["rate"])
    assert 'type="text"' in html and 'inputmode="decimal"' in html and 'value="4,2000"' in html
    assert "step=" not in html
    with translation.override("en"):
        assert 'value="4.2000"' in str(RateForm(initial={"rate": D("4.2000")})["rate"])


def test_a_box_declared_as_a_number_input_still_becomes_a_text_box():
    field = LocalizedDecimalField(
        widget=forms.NumberInput(attrs={"step": "any", "placeholder": "1"})
    )
    html = field.widget.render("x", D("0.5"))
    assert 'type="text"' in html and 'placeholder="1"' in html and "step" not in html


def contract_form(vendor, rate: str, minimum: str) -> dict:
    return {
        "reference": "NL-RATE-01", "vendor": vendor.pk, "currency": "EUR",
        "start_date": "2026-01-01", "end_date": "2026-12-31", "minimum_monthly_charge": minimum,
        "at_risk_percent": "12", "pool_percent": "150", "retained_management_monthly": "0",
        "fte_hours": "160",
        "price-TOTAL_FORMS": "1", "price-INITIAL_FORMS": "0",
        "price-0-channel": "phone", "price-0-model": "per_contact", "price-0-rate": rate,
        "fee-TOTAL_FORMS": "0", "fee-INITIAL_FORMS": "0",
        "oneoff-setup": "0", "oneoff-training": "0", "oneoff-project_management": "0",
        "target-TOTAL_FORMS": "1", "target-INITIAL_FORMS": "0",
        "target-0-metric": "service_level", "target-0-channel": "phone",
        "target-0-expected": "80", "target-0-minimum": "70,5", "target-0-critical": "on",
        "target-0-allocation_percent": "40",
    }  # fmt: skip


@pytest.mark.django_db
def test_a_dutch_manager_types_4_20_in_the_rate_box_and_gets_4_20(make_user, vendor):
    client = Client()
    client.force_login(make_user("manager", language="nl"))
    response = client.post("/contracts/new/", contract_form(vendor, "4,20", "1.234,50"))
    assert response.status_code == 302, response.content.decode()
    contract = Contract.objects.get(reference="NL-RATE-01")
    assert D(contract.pricing[0]["rate"]) == D("4.20")
    assert contract.minimum_monthly_charge == D("1234.50")
    assert contract.targets.get().minimum == D("70.5")


@pytest.mark.django_db
def test_a_wrongly_written_rate_is_refused_on_the_page_with_the_expected_form(make_user, vendor):
    client = Client()
    client.force_login(make_user("manager", language="nl"))
    response = client.post("/contracts/new/", contract_form(vendor, "4,2,0", "0"))
    html = response.content.decode()
    assert response.status_code == 200 and not Contract.objects.exists()
    assert "schrijf het als 1.234,50" in html  # Dutch: "write it like 1.234,50"
    assert 'value="4,2,0"' in html  # what was typed is shown back to correct
