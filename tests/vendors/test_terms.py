"""Terms documents in API shape become price lists, or every problem with its field."""

from decimal import Decimal

import pytest

from vendors.domain.pricing import PricingModel
from vendors.domain.terms import TermsError, price_list_from_terms


def test_a_terms_document_becomes_a_price_list():
    price_list = price_list_from_terms(
        currency="EUR",
        pricing=[
            {"channel": "phone", "model": "hybrid", "components": [
                {"model": "per_production_hour", "rate": "35", "share": "0.7"},
                {"model": "per_contact", "rate": "4.5", "share": "0.3"},
            ]},
            {"channel": None, "model": "per_contact", "rate": "4.50"},
        ],
        one_off_fees={"setup": "1000"},
        monthly_fees=[{"name": "Numbers", "amount": "120.00"}],
        minimum_monthly_charge="5000",
    )  # fmt: skip
    phone = price_list.channel_prices[0]
    assert phone.model is PricingModel.HYBRID and phone.components[1].rate == Decimal("4.5")
    assert price_list.one_off_fees.total == Decimal(1000)
    assert price_list.monthly_fees[0].amount == Decimal("120.00")


def test_every_problem_is_reported_with_its_field():
    with pytest.raises(TermsError) as caught:
        price_list_from_terms(
            currency="EUR",
            pricing=[{"channel": "fax", "model": "per_contact", "rate": "abc"}],
            monthly_fees=[{"name": "x", "amount": "NaN"}],
        )
    fields = [field for field, _ in caught.value.problems]
    assert fields == ["pricing[0].channel", "pricing[0].rate", "monthly_fees[0].amount"]


def test_hybrid_shares_that_do_not_sum_to_one_are_refused():
    with pytest.raises(TermsError, match="shares must sum to 1"):
        price_list_from_terms(
            currency="EUR",
            pricing=[{"channel": "chat", "model": "hybrid", "components": [
                {"model": "per_contact", "rate": "3", "share": "0.5"},
                {"model": "per_handled_minute", "rate": "0.8", "share": "0.4"},
            ]}],
        )  # fmt: skip
