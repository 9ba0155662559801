"""The whole product in one journey, in headless Chromium with a real Celery worker, through
the pages only (the ORM sets up users, moves the deadline, waits and asserts):

procurement opens an event inviting two vendors -> both bid -> the deadline passes ->
procurement rates, compares with a what-if on the weights and awards -> the manager sets SLA
targets and a baseline and activates the contract -> the vendor uploads a KPI file with an
error, reads it, fixes the file and uploads again -> a breach appears on the manager's home
-> the manager waives its credit with a reason -> the auditor generates and downloads the
ROI report from the report centre.

When a step fails, a screenshot of the page it failed on is saved as
test-artifacts/journey-<n>-<step>.png.
"""

import contextlib
from datetime import timedelta

import pytest
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from contracts.models import Contract
from core import formatting
from kpis.models import Breach, KpiUpload, WaiverReevaluation
from reports.models import Report
from tests.support.browser import (
    ARTIFACTS,
    BIDS,
    choose,
    click_and_load,
    click_link,
    create_and_open_event,
    fill,
    log_in_as,
    message_wait,
    set_value,
    submit_proposal,
    text_of,
    wait,
)
from tests.support.polling import wait_for
from tests.support.vendors import vendor_make
from vendors.domain.scoring import Criterion, parse_weights_query, rescale_weights
from vendors.models import SourcingEvent

pytestmark = [pytest.mark.browser, pytest.mark.worker]

REFERENCE = "JOURNEY-NL-01"
HEADER = "contract;period;channel;metric;value;volume\n"


class Steps:
    """Numbered steps; the first one to fail leaves a screenshot of its page."""

    def __init__(self, driver):
        self.driver = driver
        self.number = 0

    @contextlib.contextmanager
    def __call__(self, name: str):
        self.number += 1
        try:
            yield
        except BaseException:
            ARTIFACTS.mkdir(exist_ok=True)
            self.driver.set_window_size(1366, 2400)
            self.driver.save_screenshot(str(ARTIFACTS / f"journey-{self.number}-{name}.png"))
            raise


def reload_until(driver, condition, seconds: int = 60):
    """Reload the page until `condition(driver)` holds (a background job finishes)."""

    def check(d):
        d.refresh()
        return condition(d)

    return wait(driver, seconds).until(check)


def kpi_file(tmp_path, name: str, service_level: str, period: str):
    """A semicolon, decimal-comma KPI file as a European vendor's spreadsheet writes it."""
    path = tmp_path / name
    path.write_text(
        HEADER
        + f"{REFERENCE};{period};phone;service_level;{service_level};10000\n"
        + f"{REFERENCE};{period};phone;contacts_handled;9800;\n",
        encoding="utf-8",
    )
    return path


def upload(driver, path) -> str:
    """Pick the file on the uploads page, submit, and wait until the worker has read it."""
    click_link(driver, "KPI uploads")
    driver.find_element(By.CSS_SELECTOR, "input[type=file][name=file]").send_keys(str(path))
    click_and_load(
        driver, driver.find_element(By.CSS_SELECTOR, "form[enctype] button[type=submit]")
    )

    def finished(d):
        badges = d.find_elements(By.CSS_SELECTOR, "#upload-outcome [data-testid=upload-status]")
        text = badges[0].text if badges else ""
        return text if text in ("Done", "Failed", "Duplicate") else None

    return wait(driver, 60).until(finished)


def rate_every_proposal(driver, event) -> None:
    """Procurement gives each proposal a rating from the event page."""
    driver.get(f"{driver.base_url}/events/{event.pk}/")
    unrated = "//table[@data-testid='ratings']//tr[.//button[normalize-space()='Rate']]"
    for rating in ("4", "3"):
        left = driver.find_elements(By.XPATH, unrated)
        row = left[0]
        field = row.find_element(By.CSS_SELECTOR, "[name$='-rating']")
        if field.tag_name == "select":
            Select(field).select_by_value(rating)
        else:
            field.clear()
            field.send_keys(rating)
        row.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        remaining = len(left) - 1
        wait(driver).until(lambda d: len(d.find_elements(By.XPATH, unrated)) == remaining)  # noqa: B023
    ratings = text_of(driver, "ratings")
    assert "4/5" in ratings and "3/5" in ratings


def compare_with_a_what_if(driver, event) -> None:
    """The comparison re-ranks live when the weights change, and back."""
    click_link(driver, "Home")
    click_and_load(
        driver,
        driver.find_element(
            By.CSS_SELECTOR, f"[data-testid=to-award] a[href$='/events/{event.pk}/comparison/']"
        ),
    )
    results = "[data-testid=comparison-results]"
    assert driver.find_element(By.CSS_SELECTOR, results).get_attribute("data-weights")
    rows = driver.find_elements(By.CSS_SELECTOR, "[data-testid=ranking-row]")
    assert {r.get_attribute("data-vendor") for r in rows} == set(BIDS)
    # Typing one weight gives the others the rest in proportion (sum 100) and re-ranks at once.
    saved = driver.find_element(By.CSS_SELECTOR, results).get_attribute("data-weights")
    weights = parse_weights_query(text=saved)
    field = driver.find_element(By.ID, "weight-cost")
    field.send_keys(Keys.CONTROL, "a")
    field.send_keys("60")
    moved = rescale_weights(weights=weights, criterion=Criterion.COST, value=60)
    # An event that weighs no track record leaves performance out of its weights.
    what_if = ",".join(
        f"{c.value}:{moved.of(c)}"
        for c in Criterion
        if c is not Criterion.PERFORMANCE or moved.of(c)
    )
    wait(driver).until(
        lambda d: d.find_element(By.CSS_SELECTOR, results).get_attribute("data-weights") == what_if
    )
    assert driver.find_element(By.CSS_SELECTOR, "[data-testid=what-if]").is_displayed()


def award(driver, event, start) -> Contract:
    """Procurement awards the first-ranked proposal from the award page."""
    driver.get(f"{driver.base_url}/contracts/award/{event.pk}/")
    driver.find_element(By.CSS_SELECTOR, "input[type=radio][name=proposal]").click()
    fill(driver, "reference", REFERENCE)
    set_value(driver, "start_date", start.isoformat())
    click_and_load(
        driver, driver.find_element(By.CSS_SELECTOR, "[data-testid=award-review-button]")
    )
    driver.find_element(By.CSS_SELECTOR, "[data-testid=award-confirm]").click()  # the review step
    message_wait(driver, f"contract {REFERENCE} created")
    return Contract.objects.get(reference=REFERENCE)


def set_targets_baseline_and_activate(driver) -> None:
    """The manager opens the new contract from the home page and completes it."""
    click_link(driver, REFERENCE)
    click_and_load(driver, driver.find_element(By.CSS_SELECTOR, "[data-testid=edit-targets]"))
    choose(driver, "target-0-metric", "service_level")
    choose(driver, "target-0-channel", "phone")
    for name, value in (("expected", "80"), ("minimum", "75"), ("allocation_percent", "50")):
        fill(driver, f"target-0-{name}", value)
    driver.find_element(By.CSS_SELECTOR, "[data-testid=save-targets]").click()
    message_wait(driver, "SLA targets saved.")
    click_link(driver, "Edit baseline")
    fill(driver, "monthly_amount", "95000")
    driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    message_wait(driver, "Baseline saved.")
    assert text_of(driver, "baseline-total") == "€95,000.00"
    driver.find_element(By.XPATH, "//main//button[normalize-space()='Activate']").click()
    message_wait(driver, "Contract activated.")


def read_in_dutch(driver) -> None:
    """The manager picks Nederlands in the footer: amounts take a decimal comma; then back."""
    for code, total in (("nl", "€ 95.000,00"), ("en", "€95,000.00")):
        Select(driver.find_element(By.CSS_SELECTOR, "[data-testid=language]")).select_by_value(code)
        click_and_load(driver, driver.find_element(By.CSS_SELECTOR, "[data-testid=set-language]"))
        wait(driver).until(
            lambda d, c=code: d.find_element(By.TAG_NAME, "html").get_attribute("lang") == c
        )
        assert text_of(driver, "baseline-total").replace("\xa0", " ") == total


def upload_a_bad_file_then_the_fixed_one(driver, tmp_path, period: str) -> None:
    """The vendor's first file has a typo in a value; the page says which row and why."""
    bad = kpi_file(tmp_path, "march-bad.csv", "7x,5", period)
    assert upload(driver, bad) == "Failed"
    problems = driver.find_elements(By.CSS_SELECTOR, "[data-testid=problems] tbody tr")
    cells = [c.text for c in problems[0].find_elements(By.TAG_NAME, "td")]
    assert cells[:3] == ["2", "value", "7x,5"]
    assert cells[3].startswith("Not a number")
    good = kpi_file(tmp_path, "march-fixed.csv", "70,5", period)
    assert upload(driver, good) == "Done"
    assert KpiUpload.objects.filter(status="done").count() == 1


def breach_reevaluated(breach) -> bool:
    """The waiver's re-evaluation ran: a new evaluation of the month is in force."""
    return WaiverReevaluation.objects.filter(breach=breach, status="done").exists()


def waive_the_breach(driver) -> None:
    """The manager follows the home panel to the breach list and waives with a reason."""
    click_link(driver, "Acknowledge or waive them")
    row = "[data-testid=breach-row]"
    driver.find_element(By.CSS_SELECTOR, f"{row} button[value=waive]").click()
    wait(driver).until(lambda d: d.find_elements(By.CSS_SELECTOR, "[data-testid=reason-error]"))
    driver.find_element(By.CSS_SELECTOR, f"{row} input[name=reason]").send_keys(
        "Storm outage at the Lisbon site; force majeure under clause 14."
    )
    driver.find_element(By.CSS_SELECTOR, f"{row} button[value=waive]").click()
    wait(driver).until(lambda d: text_of(d, "breach-status") == "Waived")
    assert "force majeure" in driver.find_element(By.CSS_SELECTOR, row).text


def generate_and_download_the_roi_report(driver, contract, period: str) -> None:
    """The auditor asks the report centre for the ROI report, waits, and downloads the PDF."""
    click_link(driver, "Reports")
    form = driver.find_element(By.CSS_SELECTOR, "[data-testid=report-form]")
    Select(form.find_element(By.NAME, "kind")).select_by_value("roi")
    Select(form.find_element(By.NAME, "contract")).select_by_value(str(contract.pk))
    for name in ("from", "to"):
        driver.execute_script(
            "arguments[0].value = arguments[1];", form.find_element(By.NAME, name), period
        )
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait(driver, 90).until(lambda d: text_of(d, "report-status") in ("Done", "Failed"))
    assert text_of(driver, "report-status") == "Done"
    report = Report.objects.get(kind="roi")
    link = driver.find_element(By.LINK_TEXT, "Download PDF").get_attribute("href")
    assert link.endswith(f"/reports/{report.pk}/download/")
    head = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch(arguments[0]).then(r => r.arrayBuffer().then(b => done("
        "[r.status, r.headers.get('content-type'), b.byteLength,"
        " String.fromCharCode(...new Uint8Array(b.slice(0, 5)))])));",
        link,
    )
    assert head[:2] == [200, "application/pdf"] and head[2] == report.size and head[3] == "%PDF-"


def test_from_an_rfp_to_an_audited_roi_report(
    celery_worker, browser, make_user, tmp_path, settings
):
    # The picker offers complete catalogs only (docs/i18n.md); the journey reads in Dutch too.
    settings.COMPLETE_LANGUAGES = ["en", "nl"]
    vendors = {name: vendor_make(name) for name in BIDS}
    buyer = make_user("procurement")
    vendor_users = {name: make_user("vendor", vendor=v) for name, v in vendors.items()}
    manager = make_user("manager")
    auditor = make_user("auditor")
    browser.set_script_timeout(30)
    step = Steps(browser)
    # The contract starts on the first of last month, so last month's KPI file is due now.
    start = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    period = start.strftime("%Y-%m")

    with step("procurement-opens-event"):
        log_in_as(browser, buyer)
        create_and_open_event(browser)
        event = SourcingEvent.objects.get()
        assert event.invited_vendors.count() == 2

    with step("vendors-bid"):
        for name, bid in BIDS.items():
            log_in_as(browser, vendor_users[name])
            submit_proposal(browser, event.title, bid)
        assert event.proposals.filter(status="submitted").count() == 2

    with step("deadline-passes"):
        # The code reads the deadline from the row at every request: moving it is enough.
        SourcingEvent.objects.filter(pk=event.pk).update(
            bid_deadline=timezone.now() - timedelta(minutes=1)
        )
        log_in_as(browser, buyer)
        assert event.title in text_of(browser, "to-award")

    with step("procurement-rates-compares-awards"):
        rate_every_proposal(browser, event)
        compare_with_a_what_if(browser, event)
        contract = award(browser, event, start)
        assert text_of(browser, "contract-status") == "Draft"

    with step("manager-sets-targets-and-baseline"):
        log_in_as(browser, manager)
        set_targets_baseline_and_activate(browser)
        read_in_dutch(browser)
        contract.refresh_from_db()
        assert contract.status == "active" and contract.targets.count() == 1

    with step("vendor-uploads-kpis"):
        awarded = vendor_users[contract.vendor.name]
        log_in_as(browser, awarded)
        upload_a_bad_file_then_the_fixed_one(browser, tmp_path, period)
        click_link(browser, "Home")  # the uploads with their findings
        uploads = browser.find_element(By.ID, "kpi-uploads-title").find_element(By.XPATH, "..")
        assert "1 problem" in uploads.text and "march-fixed.csv" in uploads.text

    with step("breach-on-manager-home"):
        log_in_as(browser, manager)
        reload_until(
            browser,
            lambda d: (
                REFERENCE
                in "".join(
                    e.text for e in d.find_elements(By.CSS_SELECTOR, "[data-testid=new-breaches]")
                )
            ),
        )
        status = browser.find_element(By.CSS_SELECTOR, "[data-testid=sla-status-row]")
        assert REFERENCE in status.text and formatting.month(period) in status.text
        assert status.find_element(By.CSS_SELECTOR, ".status-breach").text == "1"

    with step("manager-waives"):
        waive_the_breach(browser)
        breach = Breach.objects.get()
        assert breach.status == "waived" and breach.decided_by == manager
        # The month's re-evaluation runs on the worker, and the row stops saying so when done.
        assert wait_for(lambda: breach_reevaluated(breach), timeout=60)
        busy = "[data-testid=breach-reevaluating]"
        wait(browser).until(lambda d: not d.find_elements(By.CSS_SELECTOR, busy))

    with step("auditor-roi-report"):
        log_in_as(browser, auditor)
        generate_and_download_the_roi_report(browser, contract, period)
        click_link(browser, "Home")
        assert "ROI report" in text_of(browser, "recent-reports")
        assert REFERENCE in text_of(browser, "recent-changes")
