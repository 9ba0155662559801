"""The batch evaluation reads and writes in bulk: its query count does not grow with contracts."""

from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kpis.evaluation.service import contract_months_evaluate
from kpis.ingestion.service import kpi_upload_create, kpi_upload_ingest
from kpis.models import Breach, Evaluation, KpiUpload
from tests.support.evaluation import HEADER, make_contract, month_rows

pytestmark = pytest.mark.django_db

FEBRUARY, MARCH = date(2026, 2, 1), date(2026, 3, 1)


def ingest(contracts, period: str, **levels) -> None:
    """One KPI file with the month of every contract."""
    lines = []
    for contract in contracts:
        for (channel, metric), figure in month_rows(**levels).items():
            value, volume = figure if isinstance(figure, tuple) else (figure, "")
            lines.append(f"{contract.reference},{period},{channel},{metric},{value},{volume}")
    data = (HEADER + "\n".join(lines) + "\n").encode()
    upload = kpi_upload_create(file=ContentFile(data), name=f"{period}.csv", user=None,
                               source=KpiUpload.Source.COMMAND, queue=False)  # fmt: skip
    kpi_upload_ingest(upload_id=upload.pk)


def queries(contracts, period) -> int:
    with CaptureQueriesContext(connection) as captured:
        done = contract_months_evaluate(contracts=contracts, period=period)
    assert len(done) == len(contracts)
    return len(captured.captured_queries)


@pytest.mark.postgres  # SQLite's bulk writes are batched by its limit on query parameters
def test_evaluating_10_or_100_contracts_takes_the_same_number_of_queries(vendor):
    contracts = [make_contract(vendor, reference=f"Q-{i:03d}") for i in range(110)]
    few, many = contracts[:10], contracts[10:]
    ingest(contracts, "2026-02", sl="70", asa="35")
    ingest(contracts, "2026-03", sl="70", aht="400")
    contract_months_evaluate(contracts=contracts, period=FEBRUARY)  # a history to read

    first = (queries(few, MARCH), queries(many, MARCH))
    assert first[0] == first[1], first
    assert Breach.objects.filter(period=MARCH).count() == 110 * 2

    # A re-evaluation that revises every month and updates the breaches: the same again.
    ingest(contracts, "2026-03", sl="71", aht="400", asa="35")
    again = (queries(few, MARCH), queries(many, MARCH))
    assert again[0] == again[1], again
    assert Evaluation.objects.filter(period=MARCH, revision=2).count() == 110
    assert Breach.objects.filter(period=MARCH).count() == 110 * 3
