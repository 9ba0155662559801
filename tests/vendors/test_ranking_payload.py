"""The ranking API writes its answer as plain data: exactly what RankingSerializer would write."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from tests.support.profiles import BANDS, EMAIL, HOURLY, PEAK, SCOPED, phone
from tests.support.profiles import closed_seasonal as closed
from tests.support.vendors import closed_event_with_proposals, proposal_make, vendor_make
from vendors.domain.scoring import Weights
from vendors.ranking import comparison_for
from vendors.ranking.api import RankingSerializer
from vendors.ranking.payload import ranking_data

pytestmark = pytest.mark.django_db


def rendered(data) -> object:
    return json.loads(JSONRenderer().render(data))


def same_as_serializer(comparison) -> object:
    fast, slow = rendered(ranking_data(comparison)), rendered(RankingSerializer(comparison).data)
    assert fast == slow
    return fast


def test_a_seasonal_banded_event_with_scoped_hybrids_is_written_as_the_serializer_would(
    procurement_user,
):
    event = closed([phone({"months": PEAK, "bands": BANDS}, patience=120), EMAIL], HOURLY, SCOPED)
    comparison = comparison_for(user=procurement_user, event=event, now=timezone.now())
    body = same_as_serializer(comparison)
    assert len(body["staffing_grid"]) == 36 and body["results"][0]["staffing"]
    assert {r["explanation"]["channels"][0]["staffing"]["channel"] for r in body["results"]} == {
        "phone"
    }


def test_a_flat_event_with_a_disqualified_bid_and_what_if_weights_is_written_the_same(
    procurement_user,
):
    event, _ = closed_event_with_proposals(vendor_make(), vendor_make(certifications=[]))
    what_if = Weights(cost=70, expertise=10, security=10, language=10)
    comparison = comparison_for(user=procurement_user, event=event, now=timezone.now(),
                                weights=what_if)  # fmt: skip
    body = same_as_serializer(comparison)
    assert body["what_if"] is True
    assert [r["qualified"] for r in body["results"]] == [True, False]
    assert body["results"][1]["scores"] is None


def test_a_bid_in_another_currency_keeps_its_fx_rate_and_unrounded_inputs(procurement_user):
    real_now = timezone.now()
    event, _ = closed_event_with_proposals(vendor_make())
    usd = vendor_make()
    event.invited_vendors.add(usd)
    type(event).objects.filter(pk=event.pk).update(bid_deadline=real_now + timedelta(hours=1))
    proposal_make(event=event, vendor=usd, currency="USD", now=real_now)
    type(event).objects.filter(pk=event.pk).update(bid_deadline=real_now - timedelta(minutes=1))
    event.refresh_from_db()
    body = same_as_serializer(comparison_for(user=procurement_user, event=event, now=real_now))
    assert {r["explanation"]["fx_rate"] for r in body["results"]} == {"1", "0.92"}
