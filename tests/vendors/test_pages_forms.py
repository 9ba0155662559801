"""The mapping of domain error paths (`pricing[1].components[0].share`) onto form rows."""

import pytest
from django.core.exceptions import ValidationError

from tests.support.pages import management, proposal_form
from tests.support.vendors import event_make, vendor_make
from vendors.web.forms.proposal import ProposalForms

pytestmark = pytest.mark.django_db


@pytest.fixture
def forms():
    """A valid bound proposal form whose second table row is blank (so rows shift)."""
    event = event_make(invited=[vendor_make()])
    data = proposal_form(**management("price", 3))
    data.update({f"price-2-{k[8:]}": v for k, v in data.items() if k.startswith("price-1-")})
    data.update({f"price-1-{k[8:]}": "" for k in list(data) if k.startswith("price-1-")})
    group = ProposalForms(data, event=event)
    assert group.is_valid()
    values = group.values()
    assert [p["model"] for p in values["pricing"]] == ["per_production_hour", "hybrid"]
    return group


def show(group, errors: dict) -> None:
    group.show(ValidationError(errors))


def test_a_component_path_lands_on_its_column_of_the_right_row(forms):
    show(forms, {"pricing[1].components[1].share": ["Must be greater than 0."]})
    assert forms.prices.forms[2].errors == {"c2_share": ["Must be greater than 0."]}
    assert forms.prices.forms[1].errors == {}


def test_a_components_sum_lands_on_the_first_share_and_a_list_error_above_the_table(forms):
    show(forms, {"pricing[0].components": ["Shares must sum to 1."], "pricing": ["Price it."]})
    assert forms.prices.forms[0].errors == {"c1_share": ["Shares must sum to 1."]}
    assert list(forms.prices.non_form_errors()) == ["Price it."]


def test_fees_and_form_fields_and_unknown_paths(forms):
    show(
        forms,
        {
            "one_off_fees.setup": ["Must not be negative."],
            "currency": ["No FX rate."],
            "pricing[7].rate": ["Out of range row."],
            "mystery.path": ["Something else."],
            "__all__": ["Whole-form problem."],
        },
    )
    assert forms.one_off.errors == {"setup": ["Must not be negative."]}
    assert forms.form.errors["currency"] == ["No FX rate."]
    assert "Row 8: Out of range row." in forms.prices.non_form_errors()
    assert forms.form.non_field_errors() == ["mystery.path: Something else.", "Whole-form problem."]
    assert forms.has_errors
