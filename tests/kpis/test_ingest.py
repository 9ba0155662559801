"""KPI ingestion through kpis.ingestion.service, the path the page, API, task and command share."""

import io
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import connection

from contracts.models import Contract
from kpis.ingestion import service as ingest
from kpis.ingestion.service import kpi_upload_create, kpi_upload_ingest
from kpis.models import KpiRawRow, KpiUpload, KpiValue
from tests.support.factories import VendorFactory

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).parents[1] / "samples"
HEADER = "contract;period;channel;metric;value;volume\n"
D = Decimal
COMMA_HINT = (
    "Not a number here: this file uses a decimal comma, and only '.' or a space may group "
    "thousands (e.g. 1.234,5)."
)


@pytest.fixture
def other_contract():
    return Contract.objects.create(
        reference="OTHER-FR-01", vendor=VendorFactory(), currency="EUR",
        start_date=date(2025, 1, 1), end_date=date(2027, 12, 31),
    )  # fmt: skip


def upload(data: bytes | str, name: str = "kpis.csv", user=None) -> KpiUpload:
    """Create and ingest in this process, as the command does."""
    if isinstance(data, str):
        data = data.encode()
    created = kpi_upload_create(file=ContentFile(data, name=name), name=name, user=user,
                                source=KpiUpload.Source.COMMAND, queue=False)  # fmt: skip
    if created.status == KpiUpload.Status.QUEUED:
        kpi_upload_ingest(upload_id=created.pk)
        created.refresh_from_db()
    return created


def sample(name: str, user=None) -> KpiUpload:
    return upload((SAMPLES / name).read_bytes(), name, user)


def csv(*lines: str) -> str:
    return HEADER + "".join(line + "\n" for line in lines)


def current(contract) -> dict[tuple[str, str], tuple[Decimal | None, Decimal | None]]:
    values = KpiValue.objects.filter(contract=contract, is_current=True)
    return {(v.channel, v.metric): (v.value, v.volume) for v in values}


def problems(done: KpiUpload) -> list[tuple]:
    return [(p["row"], p["column"], p["value"], p["message"]) for p in done.errors]


# --- the sample corpus (tests/samples/README.md) --------------------------------------------

ACCEPTED = {
    "utf8_comma.csv": (("csv", "utf-8", "comma", "point"), {
        ("phone", "service_level"): (D("78.5"), D(12034)),
        ("phone", "contacts_handled"): (D(11800), None),
        ("chat", "csat"): (D("91.25"), D(840)),
        ("", "production_hours"): (D("1920.5"), None),
        ("email", "email_response_hours"): (D("6.75"), D(2310)),
    }),
    "utf8_bom_semicolon_percent.csv": (("csv", "utf-8-sig", "semicolon", "comma"), {
        ("phone", "service_level"): (D("78.5"), D(12034)),
        ("phone", "abandonment_rate"): (D("4.2"), D(12034)),
        ("phone", "asa_seconds"): (D("27.3"), D(9450)),
        ("phone", "contacts_handled"): (D(11800), None),
    }),
    "cp1252_semicolon_quality.csv": (("csv", "cp1252", "semicolon", "comma"), {
        ("email", "qa_score"): (D("87.5"), D(120)),
        ("email", "fcr_rate"): (D("71.25"), D(640)),
        ("email", "handled_minutes"): (D("15230.5"), None),
    }),
    "utf16le_tab_unicode_text.txt": (("csv", "utf-16-le", "tab", "either"), {
        ("chat", "service_level"): (D("82.4"), D(3120)),
        ("chat", "aht_seconds"): (D("412.8"), D(2987)),
        ("chat", "nps"): (D(-12), D(410)),
        ("chat", "contacts_handled"): (D(2987), None),
    }),
    "thousands_point.csv": (("csv", "utf-8", "comma", "point"), {
        ("phone", "contacts_handled"): (D(1234567), None),
        ("phone", "handled_minutes"): (D("1234.5"), None),
        ("phone", "production_hours"): (D("12345.25"), None),
        ("phone", "aht_seconds"): (D("312.5"), D(12034)),
        ("chat", "handled_minutes"): (D("2500.75"), None),
    }),
    "thousands_comma.csv": (("csv", "utf-8", "semicolon", "comma"), {
        ("phone", "contacts_handled"): (D(1234567), None),
        ("phone", "handled_minutes"): (D("1234.5"), None),
        ("phone", "production_hours"): (D("12345.25"), None),
        ("phone", "aht_seconds"): (D("312.5"), D(12034)),
        ("chat", "handled_minutes"): (D("2500.75"), None),
        ("chat", "contacts_handled"): (D(1234), None),
    }),
    "blank_trailing_lines.csv": (("csv", "utf-8", "semicolon", "comma"), {
        ("phone", "service_level"): (D("80.1"), D(9000)),
        ("phone", "contacts_handled"): (D(8700), None),
    }),
    # 1078925.0 / 13950 = 77.342293..., rounded half-up to 4 decimals (not the plain mean 78.1)
    "daily_march.csv": (("csv", "utf-8", "comma", "point"), {
        ("phone", "service_level"): (D("77.3423"), D(13950)),
        ("phone", "contacts_handled"): (D(13144), None),
    }),
    "workbook_excel_saved.xlsx": (("xlsx", "", "", "either"), {
        ("phone", "service_level"): (D("78.5"), D(12034)),
        ("phone", "abandonment_rate"): (D("4.2"), D(12034)),
        ("chat", "csat"): (D("91.25"), D(84)),
        ("", "contacts_handled"): (D(11800), None),
        ("email", "handled_minutes"): (D(17700), None),
        ("chat", "aht_seconds"): (D("245.125"), D(2987)),
        ("chat", "asa_seconds"): (D("31.5"), D(2950)),
    }),
}  # fmt: skip


@pytest.mark.parametrize("name", ACCEPTED)
def test_every_accepted_sample_is_ingested_into_its_monthly_values(name, acme, vendor_user):
    described, expected = ACCEPTED[name]
    done = sample(name, user=vendor_user)
    assert done.status == KpiUpload.Status.DONE, done.message
    assert (done.format, done.encoding, done.delimiter, done.decimal_mark) == described
    assert current(acme) == expected
    assert done.rows == KpiRawRow.objects.filter(upload=done).count()
    assert done.values_revised == len(expected)
    assert done.affected_months == [[acme.pk, "2026-03"]]
    assert done.errors == [] and done.finished_at is not None


REFUSED_FILES = {
    "bad_header.csv": "The header row lacks the column(s) value. A KPI file needs the columns "
    "contract, period, channel, metric, value, volume (channel and volume cells may be empty).",
    "mixed_delimiters.csv": "The header row mixes delimiters (comma, semicolon): use one "
    "delimiter.",
    "no_data_rows.csv": "The file has a header row but no data rows.",
    "legacy.xls": "This is a legacy Excel (.xls) or password-protected workbook: save it as "
    ".xlsx or CSV, without a password.",
    "macro.xlsm": "Macro-enabled workbooks are refused: save it as .xlsx or CSV.",
    "png_renamed.csv": "This is a PNG image, not a CSV or XLSX file.",
    "empty.csv": "The file is empty.",
}


@pytest.mark.parametrize("name", REFUSED_FILES)
def test_every_refused_sample_file_stores_nothing_and_says_why(name, acme):
    done = sample(name)
    assert (done.status, done.failure) == (KpiUpload.Status.FAILED, KpiUpload.Failure.FILE)
    assert done.message == REFUSED_FILES[name]
    assert problems(done) == [(None, None, None, REFUSED_FILES[name])]
    assert not KpiRawRow.objects.exists() and not KpiValue.objects.exists()


def test_three_bad_rows_are_listed_with_row_column_value_and_reason_and_nothing_is_stored(acme):
    done = sample("three_bad_rows.csv")
    assert (done.status, done.failure) == (KpiUpload.Status.FAILED, KpiUpload.Failure.ROWS)
    (value, metric, volume) = problems(done)
    assert value == (3, "value", "27,x", COMMA_HINT)
    assert metric[:3] == (4, "metric", "first_call_resolution")
    assert metric[3].startswith("Unknown metric: the catalogue has service_level, ")
    assert volume == (5, "volume", "", "csat is a weighted mean: it needs a volume (responses).")
    assert done.message == "Refused: 3 problems, nothing was stored. Rows read: 5."
    assert done.rows == 5 and done.errors_more == 0
    assert not KpiRawRow.objects.exists() and not KpiValue.objects.exists()


def test_a_workbook_formula_without_a_saved_result_refuses_the_file(acme):
    done = sample("workbook.xlsx")
    assert problems(done) == [(6, "value", "", "The value is empty.")]
    assert not KpiRawRow.objects.exists()


def test_a_zip_bomb_is_refused_with_a_clear_message(acme):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (16 << 20))
    done = upload(buffer.getvalue(), "bomb.xlsx")
    assert done.message == "The archive would inflate far beyond its size: it is refused."
    assert done.failure == KpiUpload.Failure.FILE


def test_a_file_over_the_size_limit_is_refused_before_it_is_kept(settings, acme, tmp_path):
    settings.KPI_UPLOAD_MAX_BYTES = 1_000_000
    with pytest.raises(ValidationError) as refused:
        upload(b"x" * 1_200_000)
    assert refused.value.message_dict == {"file": ["The file is 1.2 MB; the limit is 1.0 MB."]}
    assert not KpiUpload.objects.exists()
    assert not any(path.is_file() for path in tmp_path.rglob("*"))


def test_the_size_limit_is_read_from_the_settings_at_ingestion_too(settings, acme):
    queued = kpi_upload_create(file=ContentFile(csv("ACME-NL-01;2026-03;;nps;10;5").encode()),
                               name="k.csv", user=None, source="api", queue=False)  # fmt: skip
    settings.KPI_UPLOAD_MAX_BYTES = 10
    done = kpi_upload_ingest(upload_id=queued.pk)
    assert done.message.startswith("The file is ") and done.message.endswith(
        "the limit is 10 bytes."
    )


# --- whole-file validation ------------------------------------------------------------------


def test_every_kind_of_row_problem_is_reported(acme):
    done = upload(csv(
        "NOPE-01;2026-03;phone;csat;80;10",
        "ACME-NL-01;2024-12;phone;csat;80;10",
        "ACME-NL-01;2026-03;phone;csat;180;10",
        "ACME-NL-01;2026-03;phone;fcr_rate;80;",
        "ACME-NL-01;2026-03;fax;csat;80;10",
        "ACME-NL-01;2026-03;phone;qa;80;10",
        "ACME-NL-01;2026-04;phone;csat;80;10",
        "ACME-NL-01;2026-04;phone;csat;81;10",
    ))  # fmt: skip
    assert [(row, column) for row, column, _, _ in problems(done)] == [
        (2, "contract"), (3, "period"), (4, "value"), (5, "volume"), (6, "channel"),
        (7, "metric"), (9, "period"),
    ]  # fmt: skip
    messages = [message for *_, message in problems(done)]
    assert messages[0] == "No contract has this reference."
    assert messages[1] == "Outside the contract, which runs from 2025-01-01 to 2027-12-31."
    assert messages[2] == "csat must be between 0 and 100."
    assert messages[6] == "Row 8 already gives this contract, period, channel and metric."
    assert not KpiRawRow.objects.exists()


def test_a_vendor_users_row_for_another_vendors_contract_reads_exactly_like_an_unknown_one(
    acme, other_contract, vendor_user
):
    theirs = upload(csv("OTHER-FR-01;2026-03;phone;csat;80;10"), "a.csv", vendor_user)
    unknown = upload(csv("NOPE-FR-01;2026-03;phone;csat;80;10"), "b.csv", vendor_user)
    assert [p[1:] for p in problems(theirs)] == [
        ("contract", "OTHER-FR-01", unknown.errors[0]["message"])
    ]
    assert problems(unknown)[0][3] == "No contract has this reference."


def test_managers_and_the_command_may_upload_for_any_vendors_contract(
    acme, other_contract, manager_user
):
    assert (
        upload(csv("OTHER-FR-01;2026-03;phone;csat;80;10"), "a.csv", manager_user).status == "done"
    )
    assert upload(csv("OTHER-FR-01;2026-04;phone;csat;80;10"), "b.csv").status == "done"


def test_roles_that_only_read_cannot_upload(make_user, acme):
    for role in ("auditor", "procurement"):
        with pytest.raises(PermissionDenied):
            upload(csv("ACME-NL-01;2026-03;phone;csat;80;10"), user=make_user(role))
    assert not KpiUpload.objects.exists()


def test_a_vendor_user_without_a_vendor_cannot_upload(make_user, acme):
    orphan = make_user("vendor", vendor=acme.vendor)
    type(orphan).objects.filter(pk=orphan.pk).update(vendor=None)
    orphan.refresh_from_db()
    with pytest.raises(PermissionDenied):
        upload(csv("ACME-NL-01;2026-03;phone;csat;80;10"), user=orphan)


def test_a_period_after_an_early_termination_is_outside_the_contract(acme):
    Contract.objects.filter(pk=acme.pk).update(termination_date=date(2026, 2, 14))
    done = upload(csv("ACME-NL-01;2026-03;phone;csat;80;10"))
    assert problems(done)[0][3] == "Outside the contract, which runs from 2025-01-01 to 2026-02-14."


def test_a_reference_in_lower_case_names_the_contract(acme):
    done = upload(csv("acme-nl-01;2026-03;phone;csat;80;10"))
    assert done.status == "done"
    row = KpiRawRow.objects.get()
    assert row.contract_id == acme.pk and row.raw[0] == "acme-nl-01"


def test_problems_are_listed_up_to_1000_and_the_rest_counted(acme):
    done = upload(csv(*(f"NOPE-{n};2026-03;phone;csat;80;10" for n in range(1200))))
    assert len(done.errors) == 1000 and done.errors_more == 200
    assert done.message == "Refused: 1,200 problems, nothing was stored. Rows read: 1,200."


def test_rows_already_copied_before_the_first_problem_are_not_kept(acme):
    metrics = ("contacts_handled", "handled_minutes", "production_hours")
    days = [f"ACME-NL-01;2026-{m:02d}-{d:02d};{c};{metric};1;" for m in range(1, 13)
            for d in range(1, 29) for c in ("phone", "chat", "email", "social", "backoffice")
            for metric in metrics]  # fmt: skip
    done = upload(csv(*days, "ACME-NL-01;2026-03;phone;csat;x;10"))
    assert len(days) > 5000  # more than one batch went to COPY before the bad row
    assert done.status == "failed" and done.rows == len(days) + 1
    assert not KpiRawRow.objects.exists() and not KpiValue.objects.exists()


def test_a_file_that_breaks_half_way_is_refused_whole(acme):
    done = upload(
        csv("ACME-NL-01;2026-03;phone;csat;80;10", 'ACME-NL-01;2026-04;"phone;csat;80;10')
    )
    assert done.failure == KpiUpload.Failure.FILE and done.message.startswith(
        "Row 3 cannot be read"
    )
    assert done.format == "csv" and not KpiRawRow.objects.exists()


# --- what is stored -------------------------------------------------------------------------


def test_raw_rows_are_kept_as_submitted_beside_the_values_read_from_them(acme):
    done = sample("utf8_bom_semicolon_percent.csv")
    row = KpiRawRow.objects.get(upload=done, row=2)
    assert row.raw == ["ACME-NL-01", "2026-03", "phone", "service_level", "78,5%", "12.034"]
    assert (row.contract_id, row.period, row.day, row.channel, row.metric) == (
        acme.pk, date(2026, 3, 1), None, "phone", "service_level"
    )  # fmt: skip
    assert (row.value, row.volume) == (D("78.5"), D(12034))


def test_cells_with_characters_that_need_escaping_are_kept_exactly(acme):
    # A tab around the channel still names it; in JSON it is written \t, and COPY's text
    # format must then double that backslash or the row would not load.
    done = upload(
        csv("ACME-NL-01;2026-03;\tphone ;csat;80;10", "ACME-NL-01;2026-04;chat;nps;-5;\x0b7")
    )
    assert done.status == "done", done.message
    assert KpiRawRow.objects.get(row=2).raw == [
        "ACME-NL-01",
        "2026-03",
        "\tphone ",
        "csat",
        "80",
        "10",
    ]
    assert KpiRawRow.objects.get(row=3).raw[5] == "\x0b7"
    refused = upload(csv('ACME-NL-01;2026-05;chat;nps;-5;"1 ""é"" \\"'))
    assert problems(refused)[0][:3] == (2, "volume", '1 "é" \\')


def test_a_workbook_number_is_kept_with_its_exact_digits(acme):
    sample("workbook_excel_saved.xlsx")
    row = KpiRawRow.objects.get(metric="aht_seconds")
    assert row.raw[4:] == ["245.125", "2987"] and row.value == D("245.125")


def test_daily_rows_are_stored_day_by_day_and_aggregated_by_volume(acme):
    done = sample("daily_march.csv")
    value = KpiValue.objects.get(metric="service_level")
    assert (value.rows, value.daily, value.revision, value.upload_id) == (31, True, 1, done.pk)
    assert KpiRawRow.objects.filter(metric="service_level").count() == 31
    assert set(KpiRawRow.objects.values_list("day", flat=True)) == set(range(1, 32))


def test_a_month_whose_daily_volumes_are_all_zero_has_no_value_and_says_why(acme):
    upload(csv("ACME-NL-01;2026-03-01;phone;csat;80;0", "ACME-NL-01;2026-03-02;phone;csat;90;0"))
    value = KpiValue.objects.get()
    assert value.value is None and value.volume == 0
    assert (
        value.note == "The month's rows report a total volume of 0, so there is no weighted mean."
    )


# --- idempotency and history ----------------------------------------------------------------


def test_the_same_file_again_is_a_duplicate_pointing_to_the_first_upload(acme):
    first = sample("utf8_comma.csv")
    again = sample("utf8_comma.csv")
    assert (again.status, again.duplicate_of_id, again.sha256) == (
        "duplicate",
        first.pk,
        first.sha256,
    )
    assert again.message.startswith(f"The same file (same SHA-256) was uploaded as #{first.pk} on ")
    assert again.file.name == first.file.name  # the bytes are kept once
    assert KpiRawRow.objects.count() == 5 and KpiValue.objects.count() == 5


def test_a_refused_file_reserves_nothing_and_is_checked_again(acme):
    first = sample("three_bad_rows.csv")
    again = sample("three_bad_rows.csv")
    assert (first.status, again.status, again.duplicate_of) == ("failed", "failed", None)


def test_a_file_refused_for_a_competitor_does_not_block_the_vendor_that_owns_it(
    acme, vendor, make_user
):
    owner = make_user("vendor", vendor=vendor)
    competitor = make_user("vendor", vendor=VendorFactory(name="Rival Contact BV"))
    data = csv("ACME-NL-01;2026-03;phone;service_level;78,5;12034")
    stolen = upload(data, "theirs.csv", user=competitor)
    assert (stolen.status, stolen.failure) == ("failed", "rows")
    mine = upload(data, "mine.csv", user=owner)
    assert (mine.status, mine.duplicate_of, mine.rows) == ("done", None, 1)


def test_another_vendors_upload_of_the_same_bytes_is_never_named(acme, vendor, make_user):
    other = VendorFactory(name="Rival Contact BV")
    Contract.objects.create(reference="RIVAL-01", vendor=other, currency="EUR",
                            start_date=date(2025, 1, 1), end_date=date(2027, 12, 31))  # fmt: skip
    data = csv("ACME-NL-01;2026-03;phone;service_level;78,5;12034")
    first = upload(data, user=make_user("vendor", vendor=vendor))
    theirs = upload(data, user=make_user("vendor", vendor=other))
    assert first.status == "done"
    assert theirs.duplicate_of is None and theirs.status == "failed"
    assert f"#{first.pk}" not in theirs.message
    assert all(f"#{first.pk}" not in str(problem) for problem in theirs.errors)


def test_the_same_vendors_second_user_gets_a_duplicate_of_its_colleagues_upload(
    acme, vendor, make_user
):
    data = csv("ACME-NL-01;2026-03;phone;service_level;78,5;12034")
    first = upload(data, user=make_user("vendor", vendor=vendor))
    again = upload(data, user=make_user("vendor", vendor=vendor))
    assert (again.status, again.duplicate_of) == ("duplicate", first)


def test_a_buyer_side_upload_is_compared_with_that_users_own_uploads(acme, make_user):
    data = csv("ACME-NL-01;2026-03;phone;service_level;78,5;12034")
    manager, colleague = make_user("manager"), make_user("manager")
    first = upload(data, user=manager)
    assert upload(data, user=manager).duplicate_of == first
    assert upload(data, user=colleague).duplicate_of is None


def test_a_file_whose_processing_failed_internally_can_be_sent_again(acme, monkeypatch):
    monkeypatch.setattr(ingest, "_revise", lambda *args: 1 / 0)
    failed = sample("utf8_comma.csv")
    assert (failed.status, failed.failure) == ("failed", "error")
    assert failed.message.startswith("Processing failed because of an internal error")
    monkeypatch.undo()
    again = sample("utf8_comma.csv")
    assert again.status == "done" and again.duplicate_of is None


def test_two_identical_uploads_racing_leave_one_first_and_one_duplicate(acme, monkeypatch):
    first = kpi_upload_create(file=ContentFile(b"same bytes"), name="a.csv", user=None,
                              source="api", queue=False)  # fmt: skip
    answers = iter([None, first])  # None: the race, where neither has committed yet
    monkeypatch.setattr(ingest, "_first_upload", lambda sha256, scope: next(answers))
    loser = kpi_upload_create(file=ContentFile(b"same bytes"), name="b.csv", user=None,
                              source="api", queue=False)  # fmt: skip
    assert (loser.status, loser.duplicate_of) == ("duplicate", first)
    assert KpiUpload.objects.exclude(status="duplicate").count() == 1


def test_a_new_value_is_a_new_revision_and_the_earlier_one_stays_readable(acme):
    first = upload(csv("ACME-NL-01;2026-03;phone;service_level;78,5;12034"), "a.csv")
    second = upload(csv("ACME-NL-01;2026-03;phone;service_level;81;12000"), "b.csv")
    old, new = KpiValue.objects.order_by("revision")
    assert (old.revision, old.value, old.is_current, old.upload) == (1, D("78.5"), False, first)
    assert (new.revision, new.value, new.is_current, new.upload) == (2, D(81), True, second)
    assert second.affected_months == [[acme.pk, "2026-03"]]


def test_the_same_values_in_another_file_make_no_new_revision(acme):
    upload(csv("ACME-NL-01;2026-03;phone;service_level;78,5;12034"), "a.csv")
    again = upload(csv("ACME-NL-01;2026-03;phone;service_level;78,50;12034"), "b.csv")
    assert again.status == "done" and again.values_revised == 0 and again.affected_months == []
    assert again.message == "Ingested 1 row. Every monthly value was already as stored."
    assert KpiValue.objects.count() == 1


def test_daily_rows_arriving_in_several_uploads_are_recomputed_from_the_stored_rows(acme):
    def day(d: int, value: str, volume: int) -> str:
        return f"ACME-NL-01;2026-03-{d:02d};phone;service_level;{value};{volume}"

    upload(csv(day(1, "80", 100), day(2, "90", 300)), "first-half.csv")
    upload(csv(day(3, "70", 100)), "third.csv")
    value = KpiValue.objects.get(is_current=True)
    assert (value.value, value.volume, value.rows, value.revision) == (D(84), D(500), 3, 2)
    upload(csv(day(2, "50", 300)), "correction.csv")  # day 2 again: the later upload wins
    value = KpiValue.objects.get(is_current=True)
    assert (value.value, value.volume, value.rows, value.revision) == (D(60), D(500), 3, 3)


def test_a_whole_month_row_supersedes_earlier_days_and_later_days_supersede_it(acme):
    upload(csv("ACME-NL-01;2026-03-01;phone;contacts_handled;10;",
               "ACME-NL-01;2026-03-02;phone;contacts_handled;20;"), "days.csv")  # fmt: skip
    upload(csv("ACME-NL-01;2026-03;phone;contacts_handled;1000;"), "month.csv")
    value = KpiValue.objects.get(is_current=True)
    assert (value.value, value.daily, value.rows) == (D(1000), False, 1)
    upload(csv("ACME-NL-01;2026-03-05;phone;contacts_handled;7;"), "late-day.csv")
    value = KpiValue.objects.get(is_current=True)
    assert (value.value, value.daily, value.rows, value.revision) == (D(7), True, 1, 3)


def test_an_earlier_upload_processed_late_does_not_override_a_later_one(acme):
    early = kpi_upload_create(file=ContentFile(csv("ACME-NL-01;2026-03;phone;csat;70;10").encode()),
                              name="early.csv", user=None, source="api", queue=False)  # fmt: skip
    upload(csv("ACME-NL-01;2026-03;phone;csat;90;10"), "later.csv")
    kpi_upload_ingest(upload_id=early.pk)
    early.refresh_from_db()
    assert early.status == "done" and early.values_revised == 0
    assert current(acme) == {("phone", "csat"): (D(90), D(10))}


def test_months_of_other_channels_and_metrics_are_left_alone(acme):
    upload(
        csv("ACME-NL-01;2026-03;phone;csat;70;10", "ACME-NL-01;2026-03;chat;csat;60;10"), "a.csv"
    )
    upload(csv("ACME-NL-01;2026-03;phone;csat;75;10"), "b.csv")
    assert current(acme) == {("phone", "csat"): (D(75), D(10)), ("chat", "csat"): (D(60), D(10))}
    assert KpiValue.objects.filter(channel="chat").get().revision == 1


def test_the_affected_months_go_to_the_hooks_in_the_upload_s_transaction(acme, monkeypatch):
    seen: list = []
    monkeypatch.setattr(ingest, "AFFECTED_MONTHS_HOOKS", [seen.append, seen.append])
    done = upload(csv("ACME-NL-01;2026-03;phone;csat;70;10", "ACME-NL-01;2026-04;;nps;5;10"))
    months = [(acme.pk, "2026-03"), (acme.pk, "2026-04")]
    assert done.status == "done" and seen == [months, months]
    upload(csv("ACME-NL-01;2026-03;phone;csat;70;10", "ACME-NL-01;2026-04;;nps;5;10", ""), "b")
    assert len(seen) == 2  # nothing changed, nothing to re-evaluate


def test_a_hook_that_fails_fails_the_upload_and_nothing_is_stored(acme, monkeypatch):
    # What a hook records (the evaluation's requests) is kept with the values or not at all.
    monkeypatch.setattr(ingest, "AFFECTED_MONTHS_HOOKS", [lambda months: 1 / 0])
    done = upload(csv("ACME-NL-01;2026-03;phone;csat;70;10"))
    assert done.status == "failed" and "internal error" in done.message
    assert not KpiValue.objects.exists() and not KpiRawRow.objects.exists()


def test_without_postgresql_the_rows_are_stored_with_bulk_create(acme, monkeypatch):
    monkeypatch.setattr(connection, "vendor", "sqlite")
    done = sample("utf8_bom_semicolon_percent.csv")
    monkeypatch.undo()
    assert done.status == "done" and KpiRawRow.objects.count() == 4
    assert KpiRawRow.objects.get(row=2).raw[4] == "78,5%"
    assert current(acme)[("phone", "service_level")] == (D("78.5"), D(12034))
