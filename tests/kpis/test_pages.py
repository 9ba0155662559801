"""The KPI upload pages: upload, live status, the problems table, panels and navigation."""

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kpis.ingestion.service import kpi_upload_create, kpi_upload_ingest
from kpis.models import KpiUpload
from tests.support.factories import VendorFactory

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).parents[1] / "samples"
HEADER = "contract;period;channel;metric;value;volume\n"


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def ingested(name: str, user=None) -> KpiUpload:
    upload = kpi_upload_create(file=ContentFile((SAMPLES / name).read_bytes(), name), name=name,
                               user=user, source="page", queue=False)  # fmt: skip
    return kpi_upload_ingest(upload_id=upload.pk) or upload


def sample_file(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (SAMPLES / name).read_bytes())


@pytest.mark.parametrize(
    ("role", "listed"),
    [
        ("manager", True),
        ("vendor", True),
        ("auditor", True),
        ("admin", True),
        ("procurement", False),
    ],
)
def test_the_navigation_shows_kpi_uploads_to_the_roles_that_work_with_them(
    make_user, vendor, role, listed
):
    user = make_user(role, vendor=vendor if role == "vendor" else None)
    page = logged_in(user).get("/").content.decode()
    assert ('href="/kpis/"' in page) is listed


def test_uploaders_see_the_drop_zone_and_readers_do_not(
    vendor_user, auditor_user, procurement_user
):
    assert 'type="file"' in logged_in(vendor_user).get("/kpis/").content.decode()
    for reader in (auditor_user, procurement_user):
        response = logged_in(reader).get("/kpis/")
        assert response.status_code == 200 and 'type="file"' not in response.content.decode()


def test_an_upload_from_the_page_is_queued_and_its_page_polls_until_it_is_finished(
    vendor_user, acme, django_capture_on_commit_callbacks
):
    client = logged_in(vendor_user)
    with django_capture_on_commit_callbacks() as queued:
        response = client.post("/kpis/", {"file": sample_file("cp1252_semicolon_quality.csv")})
    upload = KpiUpload.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/kpis/uploads/{upload.pk}/"
    assert (upload.source, upload.created_by, upload.vendor_id) == (
        "page",
        vendor_user,
        acme.vendor_id,
    )
    assert len(queued) == 1
    page = client.get(response["Location"]).content.decode()
    assert f'hx-get="/kpis/uploads/{upload.pk}/outcome/"' in page and "Queued" in page
    kpi_upload_ingest(upload_id=upload.pk)
    outcome = client.get(f"/kpis/uploads/{upload.pk}/outcome/").content.decode()
    assert "hx-get" not in outcome  # finished: polling stops
    assert "Done" in outcome and "Ingested 3 rows. 3 monthly values revised" in outcome
    assert "CP1252" not in outcome and "cp1252" in outcome and "decimal comma" in outcome
    assert outcome.count("<tr>") == 1 + 3  # the values revised


def test_a_refused_upload_lists_every_problem_with_its_row_column_value_and_reason(
    vendor_user, acme
):
    upload = ingested("three_bad_rows.csv", vendor_user)
    page = logged_in(vendor_user).get(f"/kpis/uploads/{upload.pk}/").content.decode()
    assert "Failed" in page and "Refused: 3 problems, nothing was stored. Rows read: 5." in page
    table = page[page.index('data-testid="problems"') :]
    for row, value, reason in [
        ("3", "27,x", "Not a number here"),
        ("4", "first_call_resolution", "Unknown metric"),
        ("5", "", "csat is a weighted mean: it needs a volume (responses)."),
    ]:
        assert f"<td>{row}</td>" in table and reason in table and value in table


def test_more_than_1000_problems_say_how_many_more_there_are(manager_user, acme):
    body = HEADER + "".join("NOPE;2026-03;phone;csat;80;10\n" for _ in range(1005))
    upload = kpi_upload_create(file=ContentFile(body.encode(), "many.csv"), name="many.csv",
                               user=manager_user, source="page", queue=False)  # fmt: skip
    kpi_upload_ingest(upload_id=upload.pk)
    page = logged_in(manager_user).get(f"/kpis/uploads/{upload.pk}/").content.decode()
    assert "… and 5 more problems, not listed." in page


def test_the_same_file_again_links_to_the_first_upload(vendor_user, acme):
    first = ingested("utf8_comma.csv", vendor_user)
    client = logged_in(vendor_user)
    response = client.post("/kpis/", {"file": sample_file("utf8_comma.csv")}, follow=True)
    page = response.content.decode()
    assert "Duplicate" in page and f'href="/kpis/uploads/{first.pk}/"' in page


def test_a_file_over_the_limit_is_refused_inline_and_never_kept(
    settings, vendor_user, acme, tmp_path
):
    settings.KPI_UPLOAD_MAX_BYTES = 100_000
    response = logged_in(vendor_user).post(
        "/kpis/", {"file": SimpleUploadedFile("big.csv", b"x" * 250_000)}
    )
    assert response.status_code == 400
    assert 'data-testid="file-error"' in response.content.decode()
    assert "The file is about 250," in response.content.decode()
    assert not KpiUpload.objects.exists()
    assert not [path for path in tmp_path.rglob("*") if path.is_file()]


def test_submitting_without_a_file_shows_an_inline_error(vendor_user):
    response = logged_in(vendor_user).post("/kpis/", {})
    assert response.status_code == 400 and "This field is required." in response.content.decode()


def test_the_upload_form_is_protected_against_csrf(vendor_user, acme):
    client = Client(enforce_csrf_checks=True)
    client.force_login(vendor_user)
    response = client.post("/kpis/", {"file": sample_file("utf8_comma.csv")})
    assert response.status_code == 403 and not KpiUpload.objects.exists()


def test_readers_cannot_upload_from_the_page(auditor_user, acme):
    response = logged_in(auditor_user).post("/kpis/", {"file": sample_file("utf8_comma.csv")})
    assert response.status_code == 403 and not KpiUpload.objects.exists()


def test_a_vendor_gets_404_on_another_vendors_upload(vendor_user, make_user, acme):
    other = make_user("vendor", vendor=VendorFactory())
    theirs = ingested("utf8_comma.csv", other)
    client = logged_in(vendor_user)
    for url in ("", "outcome/", "row/"):
        assert client.get(f"/kpis/uploads/{theirs.pk}/{url}").status_code == 404
    assert f"#{theirs.pk}" not in client.get("/kpis/").content.decode()


def test_the_upload_list_filters_by_status_and_polls_unfinished_rows(manager_user, acme):
    done = ingested("utf8_comma.csv", manager_user)
    waiting = kpi_upload_create(file=ContentFile(b"x", "wait.csv"), name="wait.csv",
                                user=manager_user, source="page", queue=False)  # fmt: skip
    client = logged_in(manager_user)
    page = client.get("/kpis/").content.decode()
    assert f'hx-get="/kpis/uploads/{waiting.pk}/row/"' in page
    assert f'hx-get="/kpis/uploads/{done.pk}/row/"' not in page
    filtered = client.get("/kpis/", {"status": "done"}).content.decode()
    assert f"#{done.pk}" in filtered and f"#{waiting.pk}" not in filtered
    row = client.get(f"/kpis/uploads/{waiting.pk}/row/").content.decode()
    assert row.startswith("<tr") and "Queued" in row


def test_the_vendor_home_lists_its_uploads_and_their_findings(vendor_user, acme):
    upload = ingested("three_bad_rows.csv", vendor_user)
    page = logged_in(vendor_user).get("/").content.decode()
    assert "Your KPI uploads" in page and f"#{upload.pk}" in page and "3 problems" in page


def test_the_manager_home_lists_uploads_in_progress(manager_user, acme):
    waiting = kpi_upload_create(file=ContentFile(b"x", "wait.csv"), name="wait.csv",
                                user=None, source="command", queue=False)  # fmt: skip
    page = logged_in(manager_user).get("/").content.decode()
    assert "KPI uploads in progress" in page and f"#{waiting.pk}" in page
    kpi_upload_ingest(upload_id=waiting.pk)
    assert "No KPI uploads are waiting." in logged_in(manager_user).get("/").content.decode()
