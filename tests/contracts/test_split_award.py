"""Split awards: each channel to one qualified proposal, one contract per awarded proposal,
a justification unless the first-ranked proposal is awarded alone, targets carried over."""

from datetime import date
from decimal import Decimal

import pytest

from contracts.models import Contract
from contracts.services.terms import terms_for_month
from core.channels import Channel
from core.months import add_months
from tests.support.award import VOLUMES, closed_event_with_two_plain_bids
from tests.support.vendors import closed_event_with_proposals, vendor_make
from vendors.domain.pricing import ChannelUsage, price_usage
from vendors.models import EventStage, SourcingEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def priced():
    return closed_event_with_two_plain_bids()


def split_award(client, event, pa, pb, justification="Offshore e-mail saves money."):
    return client.post(
        f"/api/v1/events/{event.pk}/award/",
        {
            "split": [
                {"proposal": pa.pk, "channels": ["phone"], "reference": "ON-PHONE-01"},
                {"proposal": pb.pk, "channels": ["email"], "reference": "OFF-MAIL-01"},
            ],
            "start_date": "2027-03-01",
            "justification": justification,
        },
        format="json",
    )


def _contract_term_cost(contract: Contract) -> Decimal:
    """The contract priced month by month on its own terms, at the event's forecast volumes."""
    total = Decimal(0)
    for n in range(24):
        terms = terms_for_month(contract, add_months(contract.start_date, n))
        channels = [p["channel"] for p in terms.pricing]
        usage = [ChannelUsage(channel=Channel(c), contacts=Decimal(VOLUMES[c])) for c in channels]
        total += price_usage(price_list=terms.price_list(), usage=usage).converted.monthly_total
    return total + terms.price_list().one_off_fees.total


def test_a_split_creates_one_contract_per_proposal_priced_to_the_cent(api_as, make_user, priced):
    event, pa, pb = priced
    response = split_award(api_as(make_user("procurement")), event, pa, pb)
    assert response.status_code == 201, response.content
    body = response.json()
    assert [c["reference"] for c in body["contracts"]] == ["ON-PHONE-01", "OFF-MAIL-01"]
    phone, mail = (Contract.objects.get(reference=r) for r in ("ON-PHONE-01", "OFF-MAIL-01"))
    assert [p["channel"] for p in phone.pricing] == ["phone"]
    assert [p["channel"] for p in mail.pricing] == ["email"]
    # By hand: phone 12,000 x 2.00 = 24,000 + fee 100 = 24,100 x 24 = 578,400 + setup 1,000;
    # e-mail 8,000 x 0.50 = 4,000, below the minimum 5,000: 5,000 + 50 = 5,050 x 24 = 121,200
    # + setup 500.
    assert _contract_term_cost(phone) == Decimal("579400.00")
    assert _contract_term_cost(mail) == Decimal("121700.00")
    assert _contract_term_cost(phone) + _contract_term_cost(mail) == Decimal("701100.00")
    assert phone.end_date == date(2029, 2, 28)
    assert SourcingEvent.objects.get(pk=event.pk).stage == EventStage.AWARDED


def test_the_review_tco_of_a_split_is_the_sum_of_the_restricted_tcos(priced):
    from contracts.services.award import SplitPart, award_plan

    event, pa, pb = priced
    plan = award_plan(
        event=event, split=True,
        parts=[SplitPart(pa.pk, ("phone",), "A-01"), SplitPart(pb.pk, ("email",), "B-01")],
    )  # fmt: skip
    assert [c.tco for c in plan.contracts] == [Decimal("579400"), Decimal("121700")]
    assert plan.tco == Decimal("701100") and plan.needs_justification


def test_a_split_without_a_justification_is_refused_naming_it(api_as, make_user, priced):
    event, pa, pb = priced
    response = split_award(api_as(make_user("procurement")), event, pa, pb, justification=" ")
    assert response.status_code == 400 and "justification" in response.json()
    assert not Contract.objects.exists()


def test_the_first_ranked_alone_needs_no_justification_but_another_does(api_as, make_user, priced):
    event, pa, pb = priced
    client = api_as(make_user("procurement"))
    body = {"reference": "X-01", "start_date": "2027-03-01"}
    url = f"/api/v1/events/{event.pk}/award/"
    refused = client.post(url, {**body, "proposal": pb.pk}, format="json")
    assert refused.status_code == 400 and "justification" in refused.json()
    answer = client.post(url, {**body, "proposal": pa.pk}, format="json")
    assert answer.status_code == 201 and len(answer.json()["contracts"]) == 1
    assert answer.json()["award_justification"] == ""


@pytest.mark.parametrize(
    ("split", "field"),
    [
        ([{"channels": ["phone"], "ref": "A-01", "who": "a"}], "split"),  # e-mail not assigned
        ([{"channels": ["phone", "email"], "ref": "A-01", "who": "a"},
          {"channels": ["email"], "ref": "B-01", "who": "b"}], "split[1].channels"),
        ([{"channels": ["phone"], "ref": "A-01", "who": "a"},
          {"channels": ["email"], "ref": "A-01", "who": "b"}], "split[1].reference"),
        ([{"channels": ["phone", "chat"], "ref": "A-01", "who": "a"},
          {"channels": ["email"], "ref": "B-01", "who": "b"}], "split[0].channels"),
    ],
)  # fmt: skip
def test_bad_split_parts_are_named(api_as, make_user, priced, split, field):
    event, pa, pb = priced
    who = {"a": pa.pk, "b": pb.pk}
    body = {
        "split": [
            {"proposal": who[p["who"]], "channels": p["channels"], "reference": p["ref"]}
            for p in split
        ],
        "start_date": "2027-03-01",
        "justification": "Because.",
    }
    response = api_as(make_user("procurement")).post(
        f"/api/v1/events/{event.pk}/award/", body, format="json"
    )
    assert response.status_code == 400 and field in response.json(), response.json()
    assert not Contract.objects.exists()


def test_a_disqualified_proposal_cannot_get_a_channel(api_as, make_user, priced):
    event, pa, _ = priced
    unqualified = vendor_make("No DPA", certifications=[])
    _, (other,) = closed_event_with_proposals(unqualified)  # another event's proposal
    body = {
        "split": [
            {"proposal": pa.pk, "channels": ["phone"], "reference": "A-01"},
            {"proposal": other.pk, "channels": ["email"], "reference": "B-01"},
        ],
        "start_date": "2027-03-01",
        "justification": "Because.",
    }
    response = api_as(make_user("procurement")).post(
        f"/api/v1/events/{event.pk}/award/", body, format="json"
    )
    assert response.status_code == 400 and "split[1].proposal" in response.json()


def test_each_contract_starts_with_the_events_service_levels(api_as, make_user, priced):
    event, pa, pb = priced
    assert split_award(api_as(make_user("procurement")), event, pa, pb).status_code == 201
    phone = Contract.objects.get(reference="ON-PHONE-01")
    (target,) = phone.targets.all()
    assert (target.metric, target.channel, target.critical) == ("service_level", "phone", True)
    assert (target.expected, target.minimum) == (Decimal(80), Decimal(75))  # event: 80 %
    assert target.allocation_percent == Decimal(100)
    # The event sets no service level for e-mail: that contract starts without targets.
    assert not Contract.objects.get(reference="OFF-MAIL-01").targets.exists()


def test_the_justification_is_kept_and_shown_to_buyers(api_as, client, make_user, priced):
    event, pa, pb = priced
    split_award(api_as(make_user("procurement")), event, pa, pb)
    contract = Contract.objects.get(reference="OFF-MAIL-01")
    assert contract.award_justification == "Offshore e-mail saves money."
    assert contract.history.first().award_justification == "Offshore e-mail saves money."
    client.force_login(make_user("manager"))
    page = client.get(f"/contracts/{contract.pk}/").content.decode()
    assert "Offshore e-mail saves money." in page
    answer = api_as(make_user("manager")).patch(
        f"/api/v1/contracts/{contract.pk}/", {"award_justification": "Other"}, format="json"
    )
    assert answer.status_code == 400 and "award_justification" in answer.json()
