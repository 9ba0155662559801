"""Every role's home page answers its first questions, and each panel has an empty state."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.web.home_panels import _history_managers, recent_changes
from contracts.models import Contract
from reports.models import Report
from tests.support.factories import VendorFactory
from tests.support.vendors import closed_event_with_proposals, event_make
from vendors.models import SourcingEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def home(make_user):
    """`home(role)` -> the HTML of that role's home page."""

    def get(role, **kwargs):
        client = Client()
        if role == "vendor":
            kwargs.setdefault("vendor", VendorFactory())
        client.force_login(make_user(role, **kwargs))
        response = client.get("/")
        assert response.status_code == 200
        return response.content.decode()

    return get


def test_each_role_home_shows_an_empty_state_for_every_panel(home):
    procurement = home("procurement")
    assert "No event is open to bids." in procurement and "Nothing to rate" in procurement
    assert "No event is waiting for an award." in procurement and "No drafts" in procurement
    manager = home("manager")
    for text in ("No active contract.", "No contracts yet.", "No open breaches",
                 "No target is chronic.", "No KPI uploads are waiting."):  # fmt: skip
        assert text in manager
    for _model, history in _history_managers():
        history.all().delete()  # whatever the fixtures recorded
    auditor = home("auditor")
    assert "No reports yet." in auditor and "No changes recorded yet." in auditor
    vendor = home("vendor")
    assert "No invitations yet." in vendor and "No proposals yet." in vendor
    assert "No KPI uploads yet." in vendor


def test_procurement_sees_events_waiting_for_an_award_and_drafts(home):
    event, _bids = closed_event_with_proposals(VendorFactory(), VendorFactory())
    event_make(title="Back office RO 2028", opened=False, invited=[VendorFactory()])
    html = home("procurement")
    assert 'data-testid="to-award"' in html and event.title in html
    assert f"/contracts/award/{event.pk}/" in html and f"/events/{event.pk}/comparison/" in html
    assert 'data-testid="draft-events"' in html and "Back office RO 2028" in html
    SourcingEvent.objects.filter(pk=event.pk).update(stage="awarded")
    assert "No event is waiting for an award." in home("procurement")


def test_the_manager_sees_each_active_contracts_latest_evaluated_month(home, contract):
    html = home("manager")
    assert 'data-testid="sla-status"' in html
    row = html.split('data-testid="sla-status-row"')[1].split("</tr>")[0]
    # April 2026 was evaluated with nothing reported: both targets missing, no breach.
    assert "EVAL-NL-01" in row and "April 2026" in row and "latest evaluated" in row
    Contract.objects.filter(pk=contract.pk).update(status="terminated")
    assert "No active contract." in home("manager")


def test_the_auditor_sees_recent_reports_and_recent_changes(home, make_user, contract):
    manager = make_user("manager", username="marta")
    for i in range(12):
        Report.objects.create(kind="roi", parameters={"n": i}, status="done", created_by=manager)
    html = home("auditor")
    reports = html.split('data-testid="recent-reports"')[1].split("</table>")[0]
    assert reports.count("<tr>") == 1 + 10  # the header and the newest ten
    assert "n: 11" in reports and "n: 1<" not in reports and "marta" in reports
    assert 'href="/reports/"' in html
    Report.objects.create(kind="sla", parameters={"contract": contract.pk, "period": "2026-01",
                          "reference": contract.reference}, created_by=manager)  # fmt: skip
    reports = home("auditor").split('data-testid="recent-reports"')[1].split("</table>")[0]
    assert f"Contract: {contract.reference}; Month: January 2026" in reports  # its name, not its id
    changes = html.split('data-testid="recent-changes"')[1].split("</table>")[0]
    assert "<code" in changes and ("EVAL-NL-01" in changes or "KPI value" in changes)
    assert 1 < changes.count("<tr>") <= 16


def test_recent_changes_are_newest_first_across_models_with_who_and_how(make_user):
    from tests.support.evaluation import make_contract
    from tests.support.vendors import vendor_make

    user = make_user("manager", username="ines")
    made = make_contract(vendor_make("Delta Care"), reference="HIST-01", user=user, activate=False)
    made.history.update(history_user=user)
    made.minimum_monthly_charge = 1000
    made.save()  # a change outside any request: nobody is named
    changes = recent_changes(limit=50)
    assert [c.when for c in changes] == sorted((c.when for c in changes), reverse=True)
    assert {c.sign for c in changes} <= {"+", "~", "-"}
    ours = [c for c in changes if c.kind == "contract" and c.label.startswith("HIST-01")]
    assert [(c.sign, c.who) for c in ours] == [("~", ""), ("+", "ines")]
    assert timezone.now() - ours[0].when < timedelta(minutes=1)
    assert len(recent_changes(limit=3)) == 3
