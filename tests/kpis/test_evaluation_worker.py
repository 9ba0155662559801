"""With the real broker and a real worker: an ingestion leads to a stored evaluation."""

from datetime import date

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.utils import timezone

from kpis.evaluation.service import add_months
from kpis.evaluation.tasks import evaluate_previous_month, evaluations_queue
from kpis.ingestion.service import AFFECTED_MONTHS_HOOKS, kpi_upload_create
from kpis.models import Breach, Evaluation, KpiUpload
from tests.support.evaluation import HEADER, make_contract, month_rows
from tests.support.polling import wait_for

pytestmark = pytest.mark.worker


@pytest.fixture(autouse=True)
def mail_in_memory(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def test_the_evaluation_is_registered_with_the_ingestion():
    assert evaluations_queue in AFFECTED_MONTHS_HOOKS


def test_an_upload_ingested_by_the_worker_is_evaluated_by_the_worker(
    celery_worker, vendor, make_user
):
    make_user("manager", email="anna@example.com")
    contract = make_contract(vendor)
    lines = [
        f"{contract.reference},2026-03,{channel},{metric},{value},{volume}"
        for (channel, metric), (value, volume) in (
            (key, figure if isinstance(figure, tuple) else (figure, ""))
            for key, figure in month_rows(sl="70").items()
        )
    ]
    upload = kpi_upload_create(
        file=ContentFile((HEADER + "\n".join(lines) + "\n").encode()), name="march.csv",
        user=None, source=KpiUpload.Source.API,
    )  # fmt: skip

    assert wait_for(lambda: Evaluation.objects.filter(contract=contract).exists())
    upload.refresh_from_db()
    assert upload.status == "done"
    evaluation = Evaluation.objects.get(contract=contract)
    assert (evaluation.period, evaluation.trigger) == (date(2026, 3, 1), "ingestion")
    assert evaluation.credit_total == 3600
    breach = Breach.objects.get(contract=contract)
    assert breach.status == "open"
    # The e-mail is sent in the worker after the evaluation commits (locmem: its own outbox),
    # so the row's claim is the proof here.
    assert wait_for(lambda: Breach.objects.filter(pk=breach.pk, notified_at__isnull=False).exists())


def test_the_monthly_job_runs_on_the_worker(celery_worker, vendor):
    today = timezone.localdate()
    contract = make_contract(vendor, start=add_months(today.replace(day=1), -3),
                             end=add_months(today.replace(day=1), 12))  # fmt: skip
    evaluate_previous_month.delay()
    assert wait_for(lambda: Evaluation.objects.filter(contract=contract).exists())
    evaluation = Evaluation.objects.get(contract=contract)
    assert evaluation.period == add_months(today.replace(day=1), -1)
    assert evaluation.trigger == "schedule"
    assert {r.status for r in evaluation.results.all()} == {"missing"}
    assert len(mail.outbox) == 0  # a missing report is a finding, not a breach
