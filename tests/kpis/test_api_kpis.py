"""`kpi-uploads/` and `contracts/{id}/kpis/`: who may do what, shapes as the schema says."""

import re
from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contracts.models import Contract
from kpis.ingestion.service import kpi_upload_create, kpi_upload_ingest
from kpis.models import KpiUpload, KpiValue
from tests.support.factories import VendorFactory
from tests.support.openapi import check

pytestmark = pytest.mark.django_db

HEADER = "contract;period;channel;metric;value;volume\n"
UPLOADS = "/api/v1/kpi-uploads/"


@pytest.fixture
def other(make_user):
    """Another vendor, its user and its contract."""
    vendor = VendorFactory()
    contract = Contract.objects.create(
        reference="OTHER-FR-01", vendor=vendor, currency="EUR",
        start_date=date(2025, 1, 1), end_date=date(2027, 12, 31),
    )  # fmt: skip
    return make_user("vendor", vendor=vendor), contract


def csv_file(*lines: str, name: str = "kpis.csv") -> ContentFile:
    return ContentFile((HEADER + "".join(f"{line}\n" for line in lines)).encode(), name=name)


def ingested(*lines: str, user=None, name: str = "kpis.csv") -> KpiUpload:
    upload = kpi_upload_create(file=csv_file(*lines), name=name, user=user, source="command",
                               queue=False)  # fmt: skip
    return kpi_upload_ingest(upload_id=upload.pk) or upload


# --- kpi-uploads/ ---------------------------------------------------------------------------


def test_a_vendor_upload_answers_202_at_once_with_the_queued_row(
    api_as, vendor_user, acme, openapi, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as queued:
        response = api_as(vendor_user).post(
            UPLOADS, {"file": csv_file("ACME-NL-01;2026-03;phone;csat;80;10", name="march.csv")}
        )
    assert response.status_code == 202
    check(openapi, "post", UPLOADS, response)
    body = response.json()
    assert (body["status"], body["rows"], body["errors"], body["duplicate_of"]) == (
        "queued", None, [], None
    )  # fmt: skip
    assert (body["created_by"], body["vendor"], body["source"]) == (
        vendor_user.username, vendor_user.vendor_id, "api"
    )  # fmt: skip
    assert body["original_name"] == "march.csv" and len(body["sha256"]) == 64
    assert len(queued) == 1  # the task is sent once the row is committed


def test_a_rivals_refused_upload_of_the_same_bytes_neither_blocks_nor_names_anything(
    api_as, vendor_user, acme, other, django_capture_on_commit_callbacks
):
    rival, _contract = other
    data = "ACME-NL-01;2026-03;phone;csat;80;10"
    with django_capture_on_commit_callbacks():
        stolen = api_as(rival).post(UPLOADS, {"file": csv_file(data)})
    kpi_upload_ingest(upload_id=stolen.json()["id"])
    assert KpiUpload.objects.get(pk=stolen.json()["id"]).status == "failed"
    with django_capture_on_commit_callbacks():
        mine = api_as(vendor_user).post(UPLOADS, {"file": csv_file(data)})
    assert (mine.json()["status"], mine.json()["duplicate_of"]) == ("queued", None)
    kpi_upload_ingest(upload_id=mine.json()["id"])
    with django_capture_on_commit_callbacks():
        again = api_as(rival).post(UPLOADS, {"file": csv_file(data)})
    body = again.json()
    assert body["duplicate_of"] is None and body["status"] == "queued"
    assert f"#{mine.json()['id']}" not in str(api_as(rival).get(UPLOADS).json())


def test_the_same_file_again_answers_202_with_a_duplicate_pointing_to_the_first(
    api_as, manager_user, acme, openapi
):
    client = api_as(manager_user)
    first = client.post(UPLOADS, {"file": csv_file("ACME-NL-01;2026-03;phone;csat;80;10")})
    again = client.post(UPLOADS, {"file": csv_file("ACME-NL-01;2026-03;phone;csat;80;10")})
    assert again.status_code == 202
    check(openapi, "post", UPLOADS, again)
    assert (again.json()["status"], again.json()["duplicate_of"]) == (
        "duplicate",
        first.json()["id"],
    )


def test_an_upload_without_a_file_answers_400(api_as, manager_user, openapi):
    response = api_as(manager_user).post(UPLOADS, {}, format="multipart")
    assert response.status_code == 400
    check(openapi, "post", UPLOADS, response)
    assert response.json() == {"file": ["No file was submitted."]}


def test_a_file_over_the_size_limit_answers_400_and_is_never_kept(
    api_as, manager_user, settings, tmp_path, openapi
):
    settings.KPI_UPLOAD_MAX_BYTES = 100_000
    response = api_as(manager_user).post(UPLOADS, {"file": ContentFile(b"x" * 300_000, "big.csv")})
    assert response.status_code == 400
    check(openapi, "post", UPLOADS, response)
    (message,) = response.json()["file"]
    assert re.fullmatch(r"The file is about 300,\d{3} bytes; the limit is 100,000 bytes\.", message)
    assert not KpiUpload.objects.exists()
    assert not [path for path in tmp_path.rglob("*") if path.is_file()]


def test_a_refused_file_lists_every_problem_in_the_api(api_as, vendor_user, acme, openapi):
    upload = ingested("ACME-NL-01;2026-03;phone;csat;x;10", "NOPE;2026-03;phone;csat;80;10",
                      user=vendor_user)  # fmt: skip
    response = api_as(vendor_user).get(f"{UPLOADS}{upload.pk}/")
    check(openapi, "get", f"{UPLOADS}{upload.pk}/", response)
    body = response.json()
    assert body["status"] == "failed" and body["rows"] == 2 and body["errors_more"] == 0
    assert [(e["row"], e["column"], e["value"]) for e in body["errors"]] == [
        (2, "value", "x"), (3, "contract", "NOPE")
    ]  # fmt: skip


def test_a_whole_file_refusal_is_one_problem_without_a_row(api_as, manager_user, openapi):
    upload = kpi_upload_create(file=ContentFile(b"", "empty.csv"), name="empty.csv",
                               user=manager_user, source="api", queue=False)  # fmt: skip
    kpi_upload_ingest(upload_id=upload.pk)
    response = api_as(manager_user).get(f"{UPLOADS}{upload.pk}/")
    check(openapi, "get", f"{UPLOADS}{upload.pk}/", response)
    assert response.json()["errors"] == [
        {"row": None, "column": None, "value": None, "message": "The file is empty."}
    ]


def test_vendors_see_only_their_own_uploads_and_get_404_on_others(
    api_as, vendor_user, other, acme, openapi
):
    other_user, other_contract = other
    mine = ingested("ACME-NL-01;2026-03;phone;csat;80;10", user=vendor_user)
    theirs = ingested("OTHER-FR-01;2026-03;phone;csat;80;10", user=other_user)
    client = api_as(vendor_user)
    listed = client.get(UPLOADS)
    check(openapi, "get", UPLOADS, listed)
    assert [u["id"] for u in listed.json()["results"]] == [mine.pk]
    assert client.get(f"{UPLOADS}{theirs.pk}/").status_code == 404
    assert client.get(f"{UPLOADS}{mine.pk}/").status_code == 200


@pytest.mark.parametrize("role", ["manager", "admin", "auditor", "procurement"])
def test_buyer_roles_read_every_upload(api_as, make_user, vendor_user, other, acme, role):
    ingested("ACME-NL-01;2026-03;phone;csat;80;10", user=vendor_user)
    ingested("OTHER-FR-01;2026-03;phone;csat;80;10", user=other[0])
    assert api_as(make_user(role)).get(UPLOADS).json()["count"] == 2


@pytest.mark.parametrize("role", ["auditor", "procurement"])
def test_auditors_and_procurement_cannot_upload(api_as, make_user, acme, role):
    response = api_as(make_user(role)).post(
        UPLOADS, {"file": csv_file("ACME-NL-01;2026-03;phone;csat;80;10")}
    )
    assert response.status_code == 403
    assert not KpiUpload.objects.exists()


@pytest.mark.parametrize("role", ["manager", "admin"])
def test_managers_and_admins_upload_for_any_vendors_contract(api_as, make_user, other, role):
    response = api_as(make_user(role)).post(
        UPLOADS, {"file": csv_file("OTHER-FR-01;2026-03;phone;csat;80;10")}
    )
    assert response.status_code == 202
    assert kpi_upload_ingest(upload_id=response.json()["id"]).status == "done"


def test_a_vendor_upload_for_another_vendors_contract_is_refused_like_an_unknown_one(
    api_as, vendor_user, other, acme
):
    response = api_as(vendor_user).post(
        UPLOADS, {"file": csv_file("OTHER-FR-01;2026-03;phone;csat;80;10")}
    )
    upload = kpi_upload_ingest(upload_id=response.json()["id"])
    assert upload.errors == [{"row": 2, "column": "contract", "value": "OTHER-FR-01",
                              "message": "No contract has this reference."}]  # fmt: skip


def test_anonymous_requests_answer_401(api):
    assert api.get(UPLOADS).status_code == 401
    assert api.post(UPLOADS, {}).status_code == 401


def test_uploads_filter_by_status(api_as, manager_user, acme):
    ingested("ACME-NL-01;2026-03;phone;csat;80;10", name="a.csv")
    ingested("ACME-NL-01;2026-03;phone;csat;x;10", name="b.csv")
    client = api_as(manager_user)
    assert [u["status"] for u in client.get(UPLOADS, {"status": "failed"}).json()["results"]] == [
        "failed"
    ]
    assert client.get(UPLOADS, {"status": "nope"}).status_code == 400


def test_the_upload_list_costs_the_same_queries_for_3_or_30_uploads(api_as, manager_user, acme):
    client = api_as(manager_user)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(UPLOADS).status_code == 200
        return len(captured)

    for n in range(3):
        ingested(f"ACME-NL-01;2026-0{n + 1};phone;csat;80;10", user=manager_user, name=f"{n}")
    few = queries()
    for n in range(27):
        ingested(f"ACME-NL-01;2025-{n % 12 + 1:02d};phone;csat;{n};10", name=f"more-{n}")
    assert queries() == few


# --- contracts/{id}/kpis/ -------------------------------------------------------------------


def kpis_url(contract) -> str:
    return f"/api/v1/contracts/{contract.pk}/kpis/"


def test_decimals_are_answered_with_their_stored_places_on_every_database(
    api_as, manager_user, acme
):
    """PostgreSQL's numeric keeps the 4 places of a weighted mean of days ("87.5000"), SQLite
    none of its trailing zeros: the API answers what PostgreSQL stores on both (this test runs
    in both halves of `make test`)."""
    upload = ingested("ACME-NL-01;2026-03-01;phone;service_level;80;100",
                      "ACME-NL-01;2026-03-02;phone;service_level;90;300",
                      "ACME-NL-01;2026-03;phone;aht_seconds;271,25;9000",
                      "ACME-NL-01;2026-03;;contacts_handled;11800;")  # fmt: skip
    assert upload.status == "done", upload.errors
    response = api_as(manager_user).get(kpis_url(acme), {"period": "2026-03"})
    values = {r["metric"]: (r["value"], r["volume"]) for r in response.json()["results"]}
    assert values == {
        "service_level": ("87.5000", "400"),  # (80 x 100 + 90 x 300) / 400, to 4 places
        "aht_seconds": ("271.25", "9000"),  # a month given as one row: as the file wrote it
        "contacts_handled": ("11800", None),
    }


def test_a_contracts_kpis_are_its_current_monthly_values(api_as, manager_user, acme, openapi):
    ingested("ACME-NL-01;2026-03-01;phone;service_level;80;100",
             "ACME-NL-01;2026-03-02;phone;service_level;90;300",
             "ACME-NL-01;2026-03;;contacts_handled;11800;",
             "ACME-NL-01;2026-04;phone;service_level;70;10")  # fmt: skip
    response = api_as(manager_user).get(kpis_url(acme), {"period": "2026-03"})
    assert response.status_code == 200
    check(openapi, "get", kpis_url(acme), response)
    rows = [{k: r[k] for k in ("period", "channel", "metric", "value", "volume", "revision")}
            for r in response.json()["results"]]  # fmt: skip
    assert rows == [
        {"period": "2026-03", "channel": None, "metric": "contacts_handled", "value": "11800",
         "volume": None, "revision": 1},
        {"period": "2026-03", "channel": "phone", "metric": "service_level", "value": "87.5000",
         "volume": "400", "revision": 1},
    ]  # fmt: skip


def test_earlier_revisions_are_listed_with_revision_all(api_as, auditor_user, acme, openapi):
    ingested("ACME-NL-01;2026-03;phone;csat;80;10", name="a.csv")
    ingested("ACME-NL-01;2026-03;phone;csat;85;10", name="b.csv")
    client = api_as(auditor_user)
    current = client.get(kpis_url(acme)).json()["results"]
    assert [(r["value"], r["revision"], r["is_current"]) for r in current] == [("85", 2, True)]
    history = client.get(kpis_url(acme), {"revision": "all"})
    check(openapi, "get", kpis_url(acme), history)
    assert [(r["value"], r["revision"], r["is_current"]) for r in history.json()["results"]] == [
        ("85", 2, True), ("80", 1, False)
    ]  # fmt: skip


def test_kpis_filter_by_channel_metric_and_month_range(api_as, manager_user, acme):
    ingested("ACME-NL-01;2026-01;;csat;80;10", "ACME-NL-01;2026-02;chat;csat;81;10",
             "ACME-NL-01;2026-03;chat;nps;5;10")  # fmt: skip
    client = api_as(manager_user)

    def periods(**query) -> list[str]:
        return [r["period"] for r in client.get(kpis_url(acme), query).json()["results"]]

    assert periods(channel="all") == ["2026-01"]
    assert periods(channel="chat", metric="csat") == ["2026-02"]
    assert periods(period_from="2026-02", period_to="2026-03") == ["2026-02", "2026-03"]


def test_a_bad_month_answers_400(api_as, manager_user, acme):
    response = api_as(manager_user).get(kpis_url(acme), {"period": "March"})
    assert response.status_code == 400 and "period" in response.json()


def test_a_vendor_reads_its_own_contracts_kpis_and_gets_404_on_others(
    api_as, vendor_user, other, acme
):
    ingested("OTHER-FR-01;2026-03;phone;csat;80;10")
    client = api_as(vendor_user)
    assert client.get(kpis_url(acme)).status_code == 200
    assert client.get(kpis_url(other[1])).status_code == 404
    assert client.get("/api/v1/contracts/999999/kpis/").status_code == 404


def test_the_kpi_list_costs_the_same_queries_for_few_or_many_values(api_as, manager_user, acme):
    client = api_as(manager_user)
    ingested("ACME-NL-01;2026-03;phone;csat;80;10", name="a")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(kpis_url(acme)).status_code == 200
        return len(captured)

    few = queries()
    ingested(*(f"ACME-NL-01;2025-{m:02d};{c};csat;80;10" for m in range(1, 13)
               for c in ("phone", "chat", "email")), name="b")  # fmt: skip
    assert KpiValue.objects.count() == 37 and queries() == few
