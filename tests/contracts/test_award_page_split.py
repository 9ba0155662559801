"""The award page: a split composed channel by channel (pre-filled from `?split=`), reviewed
before it is confirmed, with a justification whenever it is not the first-ranked alone; and
a contract's page shows the terms of its own term."""

import re
from datetime import date

import pytest

from contracts.models import Contract
from tests.support.award import closed_event_with_two_plain_bids

pytestmark = pytest.mark.django_db


@pytest.fixture
def priced():
    return closed_event_with_two_plain_bids()


def _split(event, pa, pb, **extra):
    return {
        "mode": "split", "assign_phone": pa.pk, "assign_email": pb.pk,
        f"reference_{pa.pk}": "ON-PHONE-01", f"reference_{pb.pk}": "OFF-MAIL-01",
        "start_date": "2027-03-01", **extra,
    }  # fmt: skip


def test_the_split_parameter_pre_fills_the_composer(client, make_user, priced):
    event, pa, pb = priced
    client.force_login(make_user("procurement"))
    html = client.get(f"/contracts/award/{event.pk}/?split=phone:{pa.pk},email:{pb.pk}").content
    page = html.decode()
    assert f'<option value="{pa.pk}" selected>' in page
    assert f'<option value="{pb.pk}" selected>' in page
    assert re.search(r'name="mode" value="split"[^>]*checked', page)


def test_a_split_is_reviewed_then_confirmed_with_its_justification(client, make_user, priced):
    event, pa, pb = priced
    client.force_login(make_user("procurement"))
    url = f"/contracts/award/{event.pk}/"
    refused = client.post(url, _split(event, pa, pb, step="review")).content.decode()
    assert "not the first-ranked proposal alone" in refused and "Confirm award" not in refused
    choices = _split(event, pa, pb, justification="Offshore e-mail is cheaper.")
    review = client.post(url, {**choices, "step": "review"}).content.decode()
    assert "ON-PHONE-01" in review and "OFF-MAIL-01" in review and "Confirm award" in review
    assert "579,400.00" in review and "121,700.00" in review and "701,100.00" in review
    assert not Contract.objects.exists()
    done = client.post(url, {**choices, "step": "confirm"})
    assert done.status_code == 302
    assert set(Contract.objects.values_list("reference", flat=True)) == {
        "ON-PHONE-01", "OFF-MAIL-01",
    }  # fmt: skip
    assert Contract.objects.get(reference="ON-PHONE-01").targets.count() == 1


def test_a_channel_left_out_of_the_split_is_named_on_the_page(client, make_user, priced):
    event, pa, pb = priced
    client.force_login(make_user("procurement"))
    choices = _split(event, pa, pb, assign_email="", justification="x", step="review")
    page = client.post(f"/contracts/award/{event.pk}/", choices).content.decode()
    assert "Choose a proposal for this channel." in page and not Contract.objects.exists()


def test_the_terms_page_of_a_later_contract_shows_its_first_month(client, make_user, vendor):
    contract = Contract.objects.create(
        reference="LATER-01", vendor=vendor, currency="EUR",
        start_date=date(2027, 3, 1), end_date=date(2028, 2, 29),
    )  # fmt: skip
    client.force_login(make_user("manager"))
    page = client.get(f"/contracts/{contract.pk}/").content.decode()
    assert "Terms for March 2027" in page
    asked = client.get(f"/contracts/{contract.pk}/?month=2027-06").content.decode()
    assert "Terms for June 2027" in asked
