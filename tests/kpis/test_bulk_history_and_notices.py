"""History rows written by INSERT ... SELECT (core.audit.history_insert_select) are the rows
simple-history's bulk_history_create writes; breach e-mails are claimed in batches, still one
e-mail per breach and manager through the outbox, a failed one retried there."""

import contextlib
import smtplib
from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.audit import history_insert_select, history_record_updated
from kpis.evaluation import notices as evaluation_notices
from kpis.evaluation.service import contract_month_evaluate
from kpis.models import Breach, KpiUpload, KpiValue
from outbox.models import OutboxMail
from outbox.services import MailNotSent, mail_send
from tests.support.evaluation import make_contract, month_rows, report
from tests.support.outbox import deliver_outbox

pytestmark = pytest.mark.django_db

MARCH = date(2026, 3, 1)
SKIP = {"history_id", "history_date"}


@pytest.fixture(autouse=True)
def mail_in_memory(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def managers(make_user):
    return [make_user("manager", email="anna@example.com"),
            make_user("manager", email="ben@example.com")]  # fmt: skip


def versions(queryset) -> list[dict]:
    rows = queryset.order_by("id", "history_id").values()
    return [{k: v for k, v in row.items() if k not in SKIP} for row in rows]


def test_insert_select_writes_the_rows_bulk_history_create_writes(vendor, manager_user):
    contract = make_contract(vendor)
    report(contract, "2026-03", month_rows(sl="82"), user=manager_user)
    values = KpiValue.objects.filter(contract=contract)
    KpiValue.history.all().delete()
    when = timezone.now() - timedelta(days=1)

    history_record_updated(list(values), user=manager_user, reason="by objects")
    by_objects = versions(KpiValue.history.all())
    KpiValue.history.all().delete()
    written = history_insert_select(values, update=True, user=manager_user, reason="by objects",
                                    when=when)  # fmt: skip

    assert written == values.count() == len(by_objects) > 0
    assert versions(KpiValue.history.all()) == by_objects
    assert set(KpiValue.history.values_list("history_date", flat=True)) == {when}
    assert {row["history_type"] for row in by_objects} == {"~"}


def test_an_upload_records_a_version_per_value_and_one_per_value_it_supersedes(
    vendor, manager_user
):
    contract = make_contract(vendor)
    first = report(contract, "2026-03", month_rows(sl="82"), user=manager_user)
    created = KpiValue.history.filter(history_type="+")
    values = KpiValue.objects.count()
    assert created.count() == values > 0
    assert set(created.values_list("history_user_id", "history_change_reason")) == {
        (manager_user.pk, f"KPI upload #{first.pk}")
    }
    second = report(contract, "2026-03", {("phone", "service_level"): ("70", "10000")})
    superseded = KpiValue.history.filter(history_type="~")
    assert [(row.metric, row.is_current, row.history_change_reason) for row in superseded] == [
        ("service_level", False, f"Superseded by KPI upload #{second.pk}")
    ]
    assert KpiValue.history.filter(history_type="+", upload_id=second.pk).count() == 1
    unchanged = report(contract, "2026-03", {("phone", "asa_seconds"): ("18", "9000")})
    assert unchanged.values_revised == 0 and KpiValue.history.count() == values + 2
    assert KpiUpload.objects.count() == 3


def test_new_breaches_get_a_version_written_by_the_database(vendor):
    contract = make_contract(vendor)
    report(contract, "2026-03", month_rows(sl="70", asa="35"))
    contract_month_evaluate(contract=contract, period=MARCH)
    breaches = Breach.objects.filter(contract=contract)
    assert breaches.count() == 2
    rows = Breach.history.filter(history_type="+")
    assert sorted(rows.values_list("id", flat=True)) == sorted(b.pk for b in breaches)
    assert set(rows.values_list("history_change_reason", flat=True)) == {"Evaluation of 2026-03"}


def breaches_of_three_contracts(vendor) -> list[int]:
    ids = []
    for n in range(3):
        contract = make_contract(vendor, reference=f"BATCH-{n}")
        report(contract, "2026-03", month_rows(sl="70", asa="35"))
        contract_month_evaluate(contract=contract, period=MARCH)
        ids += list(Breach.objects.filter(contract=contract).values_list("pk", flat=True))
    Breach.objects.update(notified_at=None)  # as if the e-mails had not gone out yet
    mail.outbox = []
    return ids


def test_breaches_are_claimed_in_batches_one_e_mail_each(vendor, managers, monkeypatch):
    ids = breaches_of_three_contracts(vendor)
    assert len(ids) == 6
    monkeypatch.setattr(evaluation_notices, "BATCH", 4)
    with CaptureQueriesContext(connection) as queries:
        assert evaluation_notices.findings_notify(breach_ids=ids) == 6
    # managers, then per batch of 4: claim, read, three outbox queries, commit around them
    assert len(queries) <= 18
    assert not Breach.objects.filter(notified_at__isnull=True).exists()
    assert evaluation_notices.findings_notify(breach_ids=ids) == 0
    assert deliver_outbox() == 12  # six breaches, two managers each
    assert len({m.subject for m in mail.outbox}) == 6
    assert deliver_outbox() == 0 and len(mail.outbox) == 12


def test_a_failed_e_mail_stays_in_the_outbox_and_is_sent_once_on_retry(
    vendor, managers, monkeypatch
):
    from django.core.mail import EmailMessage

    ids = breaches_of_three_contracts(vendor)
    assert evaluation_notices.findings_notify(breach_ids=ids) == 6
    send = EmailMessage.send

    def refuse_asa(self, *args, **kwargs):
        if "Average speed of answer" in self.subject:
            raise smtplib.SMTPServerDisconnected("mail server went away")
        return send(self, *args, **kwargs)

    monkeypatch.setattr(EmailMessage, "send", refuse_asa)
    pending = OutboxMail.objects.order_by("pk").values_list("pk", flat=True)
    for pk in pending:
        with contextlib.suppress(MailNotSent):
            mail_send(mail_id=pk)
    assert len(mail.outbox) == 6
    failed = OutboxMail.objects.filter(status="pending")
    assert failed.count() == 6 and all("went away" in m.last_error for m in failed)
    monkeypatch.undo()
    assert evaluation_notices.findings_notify(breach_ids=ids) == 0  # composed once only
    assert deliver_outbox() == 6 and len(mail.outbox) == 12
