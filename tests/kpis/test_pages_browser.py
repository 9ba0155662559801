"""Headless Chromium and the real worker: a vendor uploads a good file, a bad one, the bad again."""

from datetime import date
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

from contracts.models import Contract
from kpis.models import KpiRawRow, KpiUpload, KpiValue
from tests.support.browser import click_and_load, login_in_browser, wait
from tests.support.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.worker]

SAMPLES = Path(__file__).parents[1] / "samples"


def upload_through_the_page(browser, name: str) -> str:
    """Pick the file in the drop zone, submit, and wait until the upload is finished."""
    browser.get(browser.base_url + "/kpis/")
    browser.find_element(By.CSS_SELECTOR, "input[type=file][name=file]").send_keys(
        str(SAMPLES / name)
    )
    click_and_load(
        browser, browser.find_element(By.CSS_SELECTOR, "form[enctype] button[type=submit]")
    )
    status = wait(browser, 60).until(_finished_status)
    return status


def _finished_status(driver) -> str | None:
    badges = driver.find_elements(By.CSS_SELECTOR, "#upload-outcome [data-testid=upload-status]")
    text = badges[0].text if badges else ""
    return text if text in ("Done", "Failed", "Duplicate") else None


def test_a_vendor_uploads_a_european_file_then_a_bad_one_then_the_bad_one_again(
    celery_worker, browser, vendor_user
):
    Contract.objects.create(
        reference="ACME-NL-01", vendor=vendor_user.vendor, currency="EUR",
        start_date=date(2025, 1, 1), end_date=date(2027, 12, 31),
    )  # fmt: skip
    login_in_browser(browser, vendor_user.username, PASSWORD)

    # Semicolons, Windows-1252 and decimal commas: ingested.
    assert upload_through_the_page(browser, "cp1252_semicolon_quality.csv") == "Done"
    message = browser.find_element(By.CSS_SELECTOR, "[data-testid=upload-message]").text
    assert message == "Ingested 3 rows. 3 monthly values revised, in contract months: 1."
    values = browser.find_elements(By.CSS_SELECTOR, "[data-testid=values] tbody tr")
    assert [row.find_elements(By.TAG_NAME, "td")[4].text for row in values] == [
        "71.25", "15230.5", "87.5"
    ]  # fmt: skip

    # Three bad rows: nothing stored, the page lists the three rows with their reasons.
    assert upload_through_the_page(browser, "three_bad_rows.csv") == "Failed"
    first_bad = browser.current_url
    rows = [
        [cell.text for cell in row.find_elements(By.TAG_NAME, "td")]
        for row in browser.find_elements(By.CSS_SELECTOR, "[data-testid=problems] tbody tr")
    ]
    assert [row[:3] for row in rows] == [
        ["3", "value", "27,x"], ["4", "metric", "first_call_resolution"], ["5", "volume", "(empty)"]
    ]  # fmt: skip
    assert rows[0][3].startswith("Not a number here: this file uses a decimal comma")
    assert rows[1][3].startswith("Unknown metric: the catalogue has service_level")
    assert rows[2][3] == "csat is a weighted mean: it needs a volume (responses)."
    assert KpiRawRow.objects.count() == 3 and KpiValue.objects.count() == 3

    # The same refused file again: a refused file reserves nothing, so it is read and refused
    # again rather than called a duplicate of a file that was never ingested.
    assert upload_through_the_page(browser, "three_bad_rows.csv") == "Failed"
    assert browser.current_url != first_bad
    assert KpiUpload.objects.filter(status="duplicate").count() == 0
    assert KpiUpload.objects.filter(status="failed").count() == 2
    assert KpiRawRow.objects.count() == 3
