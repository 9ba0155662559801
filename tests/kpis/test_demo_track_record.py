"""The demo's 2027 event weighs the track record, and Northwind has one from its contract since
2025-11: its year of evaluated months falls in the 12 months before the event's deadline (the
clock is pinned to 2026-12-02; the deadline is a week before)."""

import pytest
from django.core.management import call_command

from demo.loader import EVENT_TITLE, NORTHWIND
from vendors.models import SourcingEvent
from vendors.ranking import event_ranking

pytestmark = pytest.mark.django_db(transaction=False)


def test_northwind_has_a_track_record_and_the_event_weighs_it(client, procurement_user):
    call_command("load_demo")
    event = SourcingEvent.objects.get(title=EVENT_TITLE)
    assert event.weight_performance == 10
    rows = {r.vendor_name: r for r in event_ranking(event=event).results}
    record = rows[NORTHWIND].explanation.track_record
    assert record.judged >= 6 and not record.newcomer
    assert all(r.explanation.track_record.newcomer for n, r in rows.items() if n != NORTHWIND)
    client.force_login(procurement_user)
    html = client.get(f"/events/{event.pk}/comparison/").content.decode()
    assert 'data-testid="performance"' in html and 'data-testid="newcomer"' in html
