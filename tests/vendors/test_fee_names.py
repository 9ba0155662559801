"""Monthly fee names a vendor writes may not mix lookalike scripts (core/names.py)."""

import pytest

from tests.support.vendors import event_make, proposal_values

pytestmark = pytest.mark.django_db

URL = "/api/v1/proposals/"


def submit(api_as, vendor_user, vendor, fee_name):
    body = {
        "event": event_make(invited=[vendor]).pk,
        **proposal_values(monthly_fees=[{"name": fee_name, "amount": "250.00"}]),
    }
    return api_as(vendor_user).post(URL, body, format="json")


def test_a_fee_name_with_a_cyrillic_lookalike_letter_is_refused(api_as, vendor_user, vendor):
    response = submit(api_as, vendor_user, vendor, "Man\u0430gement fee")  # а: Cyrillic
    assert response.status_code == 400
    assert response.json()["monthly_fees[0].name"] == [
        "This fee name mixes letters of different scripts (Cyrillic, Latin) that look alike; "
        "write it in one script."
    ]


@pytest.mark.parametrize("name", ["Management fee", "Frais de gestion (été)", "Лицензии"])
def test_a_fee_name_in_one_script_is_accepted(api_as, vendor_user, vendor, name):
    assert submit(api_as, vendor_user, vendor, name).status_code == 201
