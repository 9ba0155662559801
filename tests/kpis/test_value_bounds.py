"""Every figure a KPI file carries is bounded (docs/api.md "Limits") and what is accepted is
stored and shown exactly, on PostgreSQL and SQLite alike; an out-of-bounds figure is a row
problem, never a worker's internal error."""

import io
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from openpyxl import Workbook

from kpis.ingestion.service import kpi_upload_create, kpi_upload_ingest
from kpis.models import KpiRawRow, KpiUpload, KpiValue
from tests.support.evaluation import make_contract

pytestmark = pytest.mark.django_db
HEADER = ["contract", "period", "channel", "metric", "value", "volume"]
VALUE_TOO_LARGE = "Too large: a value lies between -999,999,999,999 and 999,999,999,999."
VOLUME_TOO_LARGE = "Too large: a volume is a whole number from 0 to 999,999,999,999."


def ingest(data: bytes, name: str) -> KpiUpload:
    upload = kpi_upload_create(file=ContentFile(data, name=name), name=name, user=None,
                               source=KpiUpload.Source.COMMAND, queue=False)  # fmt: skip
    kpi_upload_ingest(upload_id=upload.pk)
    upload.refresh_from_db()
    return upload


def csv(*rows: str) -> KpiUpload:
    return ingest((",".join(HEADER) + "\n" + "\n".join(rows) + "\n").encode(), "k.csv")


def xlsx(*rows: list) -> KpiUpload:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return ingest(out.getvalue(), "k.xlsx")


@pytest.fixture
def contract(vendor):
    return make_contract(vendor)


@pytest.mark.parametrize(
    ("volume", "message"),
    [
        ("1000000000000000000000000", VOLUME_TOO_LARGE),  # 1e24 written out
        (str(2**63 - 1), VOLUME_TOO_LARGE),
        ("1000000000000", VOLUME_TOO_LARGE),
    ],
)
def test_a_volume_beyond_the_bound_is_a_row_problem(contract, volume, message):
    done = csv(f"EVAL-NL-01,2026-03,phone,service_level,80,{volume}")
    assert done.status == KpiUpload.Status.FAILED and done.failure == KpiUpload.Failure.ROWS
    assert done.errors == [{"row": 2, "column": "volume", "value": volume, "message": message}]
    assert not KpiRawRow.objects.exists()


def test_a_value_of_1e38_in_an_xlsx_file_is_a_row_problem_not_an_internal_error(contract):
    done = xlsx(["EVAL-NL-01", "2026-03", "phone", "contacts_handled", 1e38, None],
                ["EVAL-NL-01", "2026-03", "phone", "service_level", 80, 1e38])  # fmt: skip
    assert done.status == KpiUpload.Status.FAILED and done.failure == KpiUpload.Failure.ROWS
    assert [(e["row"], e["column"], e["message"]) for e in done.errors] == [
        (2, "value", VALUE_TOO_LARGE),
        (3, "volume", VOLUME_TOO_LARGE),
    ]


def test_a_value_with_too_many_decimals_is_a_row_problem(contract):
    done = xlsx(["EVAL-NL-01", "2026-03", "phone", "aht_seconds", 1e-25, 10])
    assert done.errors[0]["column"] == "value"
    assert done.errors[0]["message"] == "Too many decimals: at most 20 after the decimal mark."


def test_figures_at_the_bounds_are_stored_and_shown_exactly(contract, api_as, manager_user):
    value, volume = "999999999999.12345678", "999999999999"
    done = csv(f"EVAL-NL-01,2026-03,phone,aht_seconds,{value},{volume}",
               "EVAL-NL-01,2026-03,phone,contacts_handled,999999999999,")  # fmt: skip
    assert done.status == KpiUpload.Status.DONE, done.errors
    raw = KpiRawRow.objects.get(metric="aht_seconds")
    assert (raw.value, raw.volume) == (Decimal(value), Decimal(volume))
    assert str(raw.value) == value  # all 20 digits, not a double's 15
    stored = KpiValue.objects.get(metric="aht_seconds", is_current=True)
    assert str(stored.value) == value and str(stored.volume) == volume
    response = api_as(manager_user).get(f"/api/v1/contracts/{contract.pk}/kpis/",
                                        {"period": "2026-03", "metric": "aht_seconds"})  # fmt: skip
    (row,) = response.json()["results"]
    assert (row["value"], row["volume"]) == (value, volume)
