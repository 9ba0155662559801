"""Fixtures the KPI tests share."""

from datetime import date

import pytest

from contracts.models import Contract
from tests.support.evaluation import breached_contract


@pytest.fixture
def acme(vendor):
    """A three-year contract of the `vendor` fixture, the one the KPI files in tests name."""
    return Contract.objects.create(
        reference="ACME-NL-01", vendor=vendor, currency="EUR",
        start_date=date(2025, 1, 1), end_date=date(2027, 12, 31),
    )  # fmt: skip


@pytest.fixture
def contract(vendor):
    """Jan-Mar: the service level in breach three times (chronic in March), April unreported."""
    return breached_contract(vendor)
