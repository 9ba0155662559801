"""The demo's split award: phone onshore with Polder, chat and e-mail offshore with Manila,
with a justification; the other 2027 event stays closed for people to award themselves."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from contracts.models import Contract
from demo.loader import EVENT_TITLE
from demo.split_award import SPLIT_EVENT_TITLE, SPLIT_REFERENCES
from vendors.models import EventStage, SourcingEvent
from vendors.selectors import event_status

pytestmark = pytest.mark.django_db(transaction=False)


def test_the_demo_awards_one_2027_event_as_a_split_and_leaves_the_other_to_award():
    call_command("load_demo")
    call_command("load_demo")  # idempotent
    split = SourcingEvent.objects.get(title=SPLIT_EVENT_TITLE)
    assert split.stage == EventStage.AWARDED
    contracts = Contract.objects.filter(proposal__event=split).select_related("vendor")
    by_reference = {c.reference: c for c in contracts}
    assert set(by_reference) == set(SPLIT_REFERENCES.values())
    phone = by_reference[SPLIT_REFERENCES["phone"]]
    offshore = by_reference[SPLIT_REFERENCES["offshore"]]
    assert phone.vendor.name == "Polder Dedicated Support BV"
    assert [p["channel"] for p in phone.pricing] == ["phone"]
    assert sorted(p["channel"] for p in offshore.pricing) == ["chat", "email"]
    assert offshore.vendor.name == "Manila BayServe Inc." and offshore.currency == "USD"
    assert all(c.status == Contract.Status.DRAFT and c.award_justification for c in contracts)
    assert sorted(offshore.targets.values_list("channel", flat=True)) == ["chat"]
    assert phone.targets.get().expected == 80
    other = SourcingEvent.objects.get(title=EVENT_TITLE)
    assert event_status(other, timezone.now()) == "closed"  # bids in, not awarded
