"""A month that has not happened yet is neither ingested nor evaluated, and pages open on the
latest evaluated month up to the current one (the clock is pinned to 2026-12-02 10:30 UTC)."""

from datetime import UTC, date, datetime

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command

from kpis.evaluation import tasks as evaluation_tasks
from kpis.evaluation.selectors import sla_default_range
from kpis.evaluation.service import (
    EvaluationRefused,
    contract_month_evaluate,
    latest_evaluated_month,
)
from kpis.ingestion.service import kpi_upload_create, kpi_upload_ingest
from kpis.ingestion.table import DecimalMark, RawRow
from kpis.ingestion.validation import ContractInfo, validate_file
from kpis.models import Evaluation, EvaluationRequest, KpiRawRow, KpiUpload
from tests.support.evaluation import make_contract, month_rows, report

pytestmark = pytest.mark.django_db
HEADER = "contract,period,channel,metric,value,volume\n"
FUTURE = "This period has not happened yet: a file may report up to this month (2026-12-02)."


def ingest(text: str) -> KpiUpload:
    data = (HEADER + text).encode()
    upload = kpi_upload_create(file=ContentFile(data, name="k.csv"), name="k.csv", user=None,
                               source=KpiUpload.Source.COMMAND, queue=False)  # fmt: skip
    kpi_upload_ingest(upload_id=upload.pk)
    upload.refresh_from_db()
    return upload


def test_a_row_for_a_month_after_the_current_one_is_a_row_problem_and_nothing_is_stored(vendor):
    make_contract(vendor)
    done = ingest(
        "EVAL-NL-01,2026-11,phone,csat,80,10\n"
        "EVAL-NL-01,2026-12,phone,csat,80,10\n"  # the current month: allowed
        "EVAL-NL-01,2027-02,phone,csat,80,10\n"
    )
    assert done.status == KpiUpload.Status.FAILED
    assert done.errors == [{"row": 4, "column": "period", "value": "2027-02", "message": FUTURE}]
    assert not KpiRawRow.objects.exists()
    assert not Evaluation.objects.exists()


def test_a_daily_row_after_today_is_a_row_problem_and_today_is_not():
    info = ContractInfo("EVAL-NL-01", date(2026, 1, 1), date(2027, 12, 31), 1)
    rows = [
        RawRow(2, "EVAL-NL-01", "2026-12-02", "phone", "csat", "80", "10"),
        RawRow(3, "EVAL-NL-01", "2026-12-03", "phone", "csat", "80", "10"),
    ]
    result = validate_file(rows=rows, decimal_mark=DecimalMark.POINT,
                           lookup_contract={"EVAL-NL-01": info}.get, vendor_id=None,
                           today=date(2026, 12, 2))  # fmt: skip
    assert [(p.row, p.column, p.value) for p in result.problems] == [(3, "period", "2026-12-03")]
    assert "up to today (2026-12-02)" in result.problems[0].message


def test_outside_the_term_is_still_named_as_such_before_the_future(vendor):
    make_contract(vendor, end=date(2026, 6, 30))
    done = ingest("EVAL-NL-01,2027-02,phone,csat,80,10\n")
    assert done.errors[0]["message"] == (
        "Outside the contract, which runs from 2026-01-01 to 2026-06-30."
    )


def test_the_local_date_decides_the_current_month(vendor, clock):
    make_contract(vendor)
    clock.move_to(datetime(2026, 12, 31, 23, 30, tzinfo=UTC))  # 00:30 on 1 January in Amsterdam
    assert ingest("EVAL-NL-01,2027-01,phone,csat,80,10\n").status == KpiUpload.Status.DONE


def test_a_future_month_is_never_evaluated(vendor):
    contract = make_contract(vendor)
    with pytest.raises(EvaluationRefused, match="2027-01 has not happened yet"):
        contract_month_evaluate(contract=contract, period=date(2027, 1, 1))
    assert not Evaluation.objects.exists()


def test_kpis_evaluate_refuses_a_future_period_with_a_clear_message(vendor):
    make_contract(vendor)
    with pytest.raises(CommandError, match="2027-01 has not happened yet: months up to 2026-12"):
        call_command("kpis_evaluate", "--period", "2027-01")
    with pytest.raises(CommandError, match="has not happened yet"):
        call_command("kpis_evaluate", "--period", "2027-01", "--contract", "EVAL-NL-01")


def test_ingestion_queues_no_evaluation_after_the_current_month(vendor):
    contract = make_contract(vendor)
    evaluation_tasks.evaluations_queue(
        [(contract.pk, "2026-11"), (contract.pk, "2026-12"), (contract.pk, "2027-01")]
    )
    asked = EvaluationRequest.objects.filter(contract=contract).values_list("period", flat=True)
    assert sorted(asked) == [date(2026, 11, 1), date(2026, 12, 1)]


def test_pages_open_on_the_latest_evaluated_month_not_after_the_current_one(vendor, clock):
    contract = make_contract(vendor)
    report(contract, "2026-10", month_rows())
    contract_month_evaluate(contract=contract, period=date(2026, 10, 1))
    # An evaluation of February 2027 made in March 2027, seen from December 2026 (as a
    # database restored from a later copy, or one evaluated before this rule, holds).
    clock.move_to(datetime(2027, 3, 2, 10, 30, tzinfo=UTC))
    contract_month_evaluate(contract=contract, period=date(2027, 2, 1))
    clock.move_to(datetime(2026, 12, 2, 10, 30, tzinfo=UTC))
    assert latest_evaluated_month(contract) == date(2026, 10, 1)
    assert sla_default_range(contract) == (date(2026, 1, 1), date(2026, 10, 1))
