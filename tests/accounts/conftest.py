"""Fixtures the account tests share."""

import pytest

from tests.support.evaluation import breached_contract


@pytest.fixture
def contract(vendor):
    """Jan-Mar: the service level in breach three times (chronic in March), April unreported."""
    return breached_contract(vendor)
