"""Disputes in the reports: the SLA report prints the exchange, the scorecard the comments."""

from datetime import date

import pytest

from kpis.evaluation.disputes import dispute_reject
from kpis.evaluation.scorecard import breach_disputes, vendor_scorecard
from kpis.evaluation.service import contract_month_evaluate
from kpis.models import Breach
from reports.builders.sla import build_sla
from tests.support.disputes import dispute_made
from tests.support.evaluation import make_contract, month_rows, report

pytestmark = pytest.mark.django_db

MARCH = date(2026, 3, 1)


@pytest.fixture
def disputed(vendor, vendor_user, manager_user):
    contract = make_contract(vendor)
    report(contract, "2026-03", month_rows(sl="70"))
    contract_month_evaluate(contract=contract, period=MARCH)
    breach = Breach.objects.get(contract=contract, period=MARCH)
    dispute_made(breach, vendor_user, statement="Buyer-side outage on 3 March.")
    dispute_reject(breach=breach, user=manager_user, reason="Our logs show 70 %.")
    return breach


def test_the_sla_report_prints_the_statement_the_decision_and_the_reason(disputed):
    content = build_sla({"contract": disputed.contract_id, "period": "2026-03"})
    row = next(b for b in content.context["breaches"] if b["breach"].pk == disputed.pk)
    assert row["dispute"]["statement"] == "Buyer-side outage on 3 March."
    assert row["dispute"]["status"] == "rejected"
    from django.template.loader import render_to_string

    html = render_to_string(content.template, content.context)
    assert "Buyer-side outage on 3 March." in html and "Our logs show 70 %." in html
    assert 'data-testid="report-dispute"' in html


def test_the_scorecard_hook_gives_the_vendors_comment_per_disputed_breach(disputed, vendor):
    found = breach_disputes([disputed])
    assert found[disputed.pk]["statement"] == "Buyer-side outage on 3 March."
    assert found[disputed.pk]["reason"] == "Our logs show 70 %."
    card = vendor_scorecard(vendor=vendor, period_from=MARCH, period_to=MARCH)
    (row,) = card.contracts[0].breaches
    assert row["dispute"]["status_label"].startswith("Rejected")


def test_an_undisputed_breach_has_no_entry(vendor):
    contract = make_contract(vendor)
    report(contract, "2026-03", month_rows(sl="70"))
    contract_month_evaluate(contract=contract, period=MARCH)
    assert breach_disputes(list(Breach.objects.all())) == {}
