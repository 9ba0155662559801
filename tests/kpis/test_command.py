"""`manage.py kpis_ingest FILE [--user NAME]`: the upload path, in this process, with exit codes."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from kpis.models import KpiRawRow, KpiUpload, KpiValue
from tests.support.factories import VendorFactory

SAMPLES = Path(__file__).parents[1] / "samples"
ROOT = Path(__file__).resolve().parents[2]


def ingest(*args: str) -> str:
    out = StringIO()
    call_command("kpis_ingest", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_a_file_is_ingested_and_the_outcome_printed(acme):
    out = ingest(str(SAMPLES / "daily_march.csv"))
    upload = KpiUpload.objects.get()
    assert (upload.status, upload.source, upload.created_by) == ("done", "command", None)
    assert out.splitlines()[0] == f"KPI upload #{upload.pk} daily_march.csv: done"
    assert "Ingested 62 rows. 2 monthly values revised, in contract months: 1." in out
    assert "ACME-NL-01 2026-03: revised" in out
    assert KpiValue.objects.count() == 2


@pytest.mark.django_db
def test_a_refused_file_prints_every_problem_and_exits_1(acme):
    out = StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("kpis_ingest", str(SAMPLES / "three_bad_rows.csv"), stdout=out)
    assert refused.value.returncode == 1
    lines = out.getvalue().splitlines()
    assert "Refused: 3 problems, nothing was stored. Rows read: 5." in lines
    assert [line.split(":")[0] for line in lines if line.startswith("  row")] == [
        "  row 3, value '27,x'", "  row 4, metric 'first_call_resolution'", "  row 5, volume ''"
    ]  # fmt: skip
    assert not KpiRawRow.objects.exists()


@pytest.mark.django_db
def test_a_file_refused_as_a_whole_exits_1_with_its_reason(acme):
    out = StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("kpis_ingest", str(SAMPLES / "legacy.xls"), stdout=out)
    assert refused.value.returncode == 1 and "legacy Excel (.xls)" in out.getvalue()


@pytest.mark.django_db
def test_the_same_file_again_is_a_duplicate_and_no_error(acme):
    ingest(str(SAMPLES / "utf8_comma.csv"))
    out = ingest(str(SAMPLES / "utf8_comma.csv"))
    first = KpiUpload.objects.exclude(status="duplicate").get()
    assert ": duplicate" in out.splitlines()[0] and f"uploaded as #{first.pk}" in out


@pytest.mark.django_db
def test_a_file_another_vendor_sent_first_is_not_a_duplicate_for_the_owner(acme, make_user):
    rival = make_user("vendor", vendor=VendorFactory())
    owner = make_user("vendor", vendor=acme.vendor)
    with pytest.raises(CommandError):  # refused: not the rival's contract
        ingest(str(SAMPLES / "utf8_comma.csv"), "--user", rival.username)
    out = ingest(str(SAMPLES / "utf8_comma.csv"), "--user", owner.username)
    assert ": done" in out.splitlines()[0] and "duplicate" not in out


@pytest.mark.django_db
def test_a_vendor_user_named_with_user_may_ingest_only_its_own_contracts(acme, make_user):
    other = make_user("vendor", vendor=VendorFactory())
    with pytest.raises(CommandError):
        ingest(str(SAMPLES / "utf8_comma.csv"), "--user", other.username)
    upload = KpiUpload.objects.get()
    assert (
        upload.created_by == other
        and upload.errors[0]["message"] == "No contract has this reference."
    )


@pytest.mark.django_db
def test_an_unknown_user_or_file_or_a_reading_role_is_refused(acme, tmp_path, auditor_user):
    with pytest.raises(CommandError, match="No user 'nobody'"):
        ingest(str(SAMPLES / "utf8_comma.csv"), "--user", "nobody")
    with pytest.raises(CommandError, match="No file"):
        ingest(str(tmp_path / "missing.csv"))
    with pytest.raises(CommandError, match="does not allow uploading"):
        ingest(str(SAMPLES / "utf8_comma.csv"), "--user", auditor_user.username)
    assert not KpiUpload.objects.exists()


@pytest.mark.django_db
def test_a_file_over_the_size_limit_exits_1_and_is_not_kept(acme, settings):
    settings.KPI_UPLOAD_MAX_BYTES = 100
    with pytest.raises(CommandError, match="the limit is 100 bytes") as refused:
        ingest(str(SAMPLES / "daily_march.csv"))
    assert refused.value.returncode == 1 and not KpiUpload.objects.exists()


@pytest.mark.postgres  # the command's process shares the test database
@pytest.mark.django_db(transaction=True)
def test_the_process_exit_status_is_0_when_ingested_and_1_when_refused(acme, settings):
    database = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
        f"{database['NAME']}",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }

    def run(name: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", "kpis_ingest", str(SAMPLES / name)],
            cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=120,
        )  # fmt: skip

    ok, refused = run("utf8_comma.csv"), run("three_bad_rows.csv")
    assert (ok.returncode, refused.returncode) == (0, 1), ok.stderr + refused.stderr
    assert ": done" in ok.stdout and "row 3, value '27,x'" in refused.stdout
