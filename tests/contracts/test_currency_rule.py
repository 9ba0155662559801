"""A contract's currency follows the one rule of events and bids: ISO 4217 money, not a metal."""

import pytest

from contracts.domain.validation import currency_problems
from vendors.services.validation import InvalidValue, currency_code


@pytest.mark.parametrize("code", ["XAU", "XXX", "XDR", "EUX"])
def test_a_contract_refuses_every_currency_an_event_refuses(code):
    with pytest.raises(InvalidValue):
        currency_code(code)
    assert [field for field, _ in currency_problems(code)] == ["currency"]


@pytest.mark.parametrize("code", ["EUR", "usd", "RON"])
def test_a_contract_accepts_every_currency_an_event_accepts(code):
    assert currency_code(code) == code.upper()
    assert currency_problems(code) == []
