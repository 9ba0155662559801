"""Breaches: acknowledge, waive (credit kept visible, no longer deducted), e-mails sent once."""

import smtplib
from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from core.errors import Conflict
from kpis.evaluation import notices as evaluation_notices
from kpis.evaluation.breaches import breach_acknowledge, breach_waive
from kpis.evaluation.service import contract_month_evaluate
from kpis.models import Breach, ChronicFlag, Evaluation
from kpis.roi.service import contract_roi
from outbox.models import OutboxMail
from outbox.services import MailNotSent, mail_send
from tests.support.evaluation import make_contract, month_rows, report, set_baseline
from tests.support.jobs import run_waiver_reevaluations
from tests.support.outbox import deliver_outbox

pytestmark = pytest.mark.django_db

D = Decimal
MARCH = date(2026, 3, 1)


@pytest.fixture(autouse=True)
def mail_in_memory(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def contract(vendor):
    return make_contract(vendor)


@pytest.fixture
def managers(make_user):
    return [make_user("manager", email="anna@example.com"),
            make_user("manager", email="ben@example.com")]  # fmt: skip


def evaluate(contract, period=MARCH, **kwargs):
    return contract_month_evaluate(contract=contract, period=period, **kwargs)


@pytest.fixture
def breached(contract):
    """March with the service level (30 %) and the ASA (25 %) in breach: 6,600 credit."""
    report(contract, "2026-03", month_rows(sl="70", asa="35"))
    evaluate(contract)
    return Breach.objects.get(contract=contract, period=MARCH, target__metric="service_level")


def test_a_breach_row_per_target_in_breach_opens_with_its_credit(contract, breached):
    breaches = Breach.objects.filter(contract=contract).order_by("target__metric")
    assert [(b.target.metric, b.status, b.credit) for b in breaches] == [
        ("asa_seconds", "open", D("3000.00")), ("service_level", "open", D("3600.00")),
    ]  # fmt: skip
    assert breached.actual == D("70") and not breached.cleared


def test_waiving_a_breach_keeps_its_credit_visible_but_no_longer_deducted(
    contract, breached, manager_user
):
    waived = breach_waive(breach=breached, user=manager_user, reason="Telephony outage at our end")
    run_waiver_reevaluations()

    assert waived.status == "waived"
    assert (waived.decided_by, waived.reason) == (manager_user, "Telephony outage at our end")
    assert waived.decided_at is not None
    assert waived.credit == D("3600.00")  # still visible
    current = Evaluation.objects.get(contract=contract, period=MARCH, is_current=True)
    assert (current.revision, current.trigger, current.created_by) == (2, "waiver", manager_user)
    assert current.credit_total == D("3000.00")
    assert current.credit_waived == D("3600.00")
    sl = current.results.get(metric="service_level")
    assert (sl.credit, sl.waived) == (D("3600.00"), True)
    earlier = Evaluation.objects.get(contract=contract, period=MARCH, revision=1)
    assert earlier.credit_total == D("6600.00") and not earlier.is_current


def test_the_roi_leaves_a_waived_credit_out(contract, breached, manager_user):
    set_baseline(contract, "150000")
    before = contract_roi(contract=contract).roi.totals.credits
    breach_waive(breach=breached, user=manager_user, reason="Our outage")
    run_waiver_reevaluations()
    after = contract_roi(contract=contract).roi.totals.credits
    assert (before, after) == (D("6600.00"), D("3000.00"))


def test_a_later_evaluation_keeps_the_waiver(contract, breached, manager_user):
    breach_waive(breach=breached, user=manager_user, reason="Our outage")
    run_waiver_reevaluations()
    report(contract, "2026-03", {("phone", "service_level"): ("71", "10000")})
    evaluation = evaluate(contract, trigger="ingestion")
    assert evaluation.credit_total == D("3000.00")
    assert evaluation.results.get(metric="service_level").waived


def test_acknowledge_then_waive_and_refuse_what_the_state_does_not_allow(breached, manager_user):
    acknowledged = breach_acknowledge(breach=breached, user=manager_user, reason="Seen")
    assert acknowledged.status == "acknowledged" and acknowledged.reason == "Seen"
    with pytest.raises(Conflict, match="acknowledged cannot be acknowledged"):
        breach_acknowledge(breach=breached, user=manager_user)
    breach_waive(breach=breached, user=manager_user, reason="Agreed in the steering meeting")
    run_waiver_reevaluations()
    with pytest.raises(Conflict, match="waived cannot be waived"):
        breach_waive(breach=breached, user=manager_user, reason="again")
    with pytest.raises(Conflict):
        breach_acknowledge(breach=breached, user=manager_user)


def test_a_waiver_needs_a_reason(breached, manager_user):
    with pytest.raises(ValidationError):
        breach_waive(breach=breached, user=manager_user, reason="  ")
    breached.refresh_from_db()
    assert breached.status == "open"


def test_a_breach_the_data_no_longer_show_cannot_be_waived(contract, breached, manager_user):
    report(contract, "2026-03", {("phone", "service_level"): ("90", "10000")})
    evaluate(contract)
    breached.refresh_from_db()
    assert breached.cleared
    with pytest.raises(Conflict, match="no longer shows"):
        breach_waive(breach=breached, user=manager_user, reason="x")


def test_managers_are_e_mailed_once_per_new_breach_never_again_on_re_evaluation(
    contract, managers, django_capture_on_commit_callbacks
):
    report(contract, "2026-03", month_rows(sl="70", asa="35"))
    with django_capture_on_commit_callbacks(execute=True):
        evaluate(contract)
    assert deliver_outbox() == 4  # two breaches, two managers
    subjects = sorted({m.subject for m in mail.outbox})
    assert subjects == [
        "EVAL-NL-01 2026-03: breach of Average speed of answer (Phone)",
        "EVAL-NL-01 2026-03: breach of Service level (Phone)",
    ]
    assert (
        sorted(m.to[0] for m in mail.outbox) == ["anna@example.com"] * 2 + ["ben@example.com"] * 2
    )
    bodies = {m.subject: m.body for m in mail.outbox}
    service_level = bodies["EVAL-NL-01 2026-03: breach of Service level (Phone)"]
    assert (
        "March 2026" in service_level
        and "was 70%, outside the minimum level (min 75%" in service_level
    )
    assert all(b.notified_at for b in Breach.objects.all())

    # Revised data (a new revision, both still in breach) and a plain re-run: nothing new.
    report(contract, "2026-03", {("phone", "service_level"): ("72", "10000")})
    with django_capture_on_commit_callbacks(execute=True):
        assert evaluate(contract).revision == 2
        evaluate(contract)
    assert deliver_outbox() == 0 and len(mail.outbox) == 4

    # A new breach in April is a new e-mail.
    report(contract, "2026-04", month_rows(sl="70"))
    with django_capture_on_commit_callbacks(execute=True):
        evaluate(contract, period=date(2026, 4, 1))
    assert deliver_outbox() == 2 and len(mail.outbox) == 6


def test_managers_are_e_mailed_once_per_new_chronic_flag(
    contract, managers, django_capture_on_commit_callbacks
):
    for period in ("2026-01", "2026-02", "2026-03"):
        report(contract, period, month_rows(sl="70"))
        year, month = map(int, period.split("-"))
        with django_capture_on_commit_callbacks(execute=True):
            evaluate(contract, period=date(year, month, 1))
    deliver_outbox()
    chronic = [
        m for m in mail.outbox if "chronic failure" in m.subject and m.to == ["anna@example.com"]
    ]
    assert [m.subject for m in chronic] == [
        "EVAL-NL-01 2026-03: chronic failure of Service level (Phone)"
    ]
    assert "termination right" in chronic[0].body
    with django_capture_on_commit_callbacks(execute=True):
        report(contract, "2026-03", {("phone", "service_level"): ("69", "10000")})
        evaluate(contract)
    deliver_outbox()
    assert len([m for m in mail.outbox if "chronic failure" in m.subject]) == 2  # two managers
    assert ChronicFlag.objects.get().notified_at is not None


def test_a_failed_e_mail_waits_in_the_outbox_and_is_sent_once_the_server_answers(
    contract, managers, django_capture_on_commit_callbacks, monkeypatch
):
    from django.core.mail import EmailMessage

    report(contract, "2026-03", month_rows(sl="70"))

    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("mail server went away")

    monkeypatch.setattr(EmailMessage, "send", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        evaluate(contract)
    for pk in OutboxMail.objects.values_list("pk", flat=True):
        with pytest.raises(MailNotSent):
            mail_send(mail_id=pk)
    breach = Breach.objects.get()
    assert breach.notified_at is not None  # kept in the outbox: not composed again
    assert all("went away" in m.last_error for m in OutboxMail.objects.all())

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        evaluate(contract)
    assert deliver_outbox() == 2 and len(mail.outbox) == 2


def test_a_claimed_notification_is_not_sent_twice(contract, managers):
    report(contract, "2026-03", month_rows(sl="70"))
    evaluate(contract)
    breach = Breach.objects.get()
    assert evaluation_notices.findings_notify(breach_ids=[breach.pk]) == 1
    assert evaluation_notices.findings_notify(breach_ids=[breach.pk]) == 0
    assert deliver_outbox() == 2 and len(mail.outbox) == 2
