"""In headless Chromium, the issue's "done": procurement creates and opens an event, two vendor
users bid through the portal form, procurement sees both bids but no price until the deadline
has passed, and then sees the prices."""

from datetime import timedelta

import pytest
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from tests.conftest import login_in_browser, message_wait
from tests.factories import PASSWORD
from tests.vendors.factories import vendor_make
from vendors.models import EventStage, Proposal, SourcingEvent

pytestmark = pytest.mark.browser

BIDS = {
    "Alpha Contact": {"rate": "4.37", "setup": "15125.50", "minimum": "20202.02"},
    "Bravo Support": {"rate": "5.19", "setup": "17171.17", "minimum": "30303.03"},
}


def fill(driver, name: str, value: str) -> None:
    field = driver.find_element(By.NAME, name)
    field.clear()
    field.send_keys(value)


def set_value(driver, name: str, value: str) -> None:
    """Date and time pickers take their value through the DOM (typing depends on the locale)."""
    field = driver.find_element(By.NAME, name)
    driver.execute_script("arguments[0].value = arguments[1];", field, value)


def choose(driver, name: str, value: str) -> None:
    Select(driver.find_element(By.NAME, name)).select_by_value(value)


def text_of(driver, testid: str) -> str:
    return driver.find_element(By.CSS_SELECTOR, f"[data-testid={testid}]").text


def log_in_as(driver, user) -> None:
    driver.delete_all_cookies()
    login_in_browser(driver, user.username, PASSWORD)
    assert driver.find_element(By.CSS_SELECTOR, "[data-testid=whoami]")


def create_and_open_event(driver) -> None:
    """Procurement fills the event form, invites both vendors and opens the event."""
    driver.find_element(By.LINK_TEXT, "Events").click()
    driver.find_element(By.LINK_TEXT, "New event").click()
    now = timezone.localtime()
    fill(driver, "title", "Customer service NL 2027")
    fill(driver, "currency", "EUR")
    fill(driver, "term_months", "24")
    set_value(driver, "start_date", (now + timedelta(days=30)).date().isoformat())
    set_value(driver, "bid_deadline", (now + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"))
    fill(driver, "industry", "e-commerce")
    choose(driver, "chan-0-channel", "phone")
    for name, value in (
        ("monthly_volume", "10000"),
        ("aht_seconds", "300"),
        ("sl_percent", "80"),
        ("sl_seconds", "20"),
        ("opening_hours", "176"),
    ):
        fill(driver, f"chan-0-{name}", value)
    fill(driver, "lang-0-tag", "nl")
    fill(driver, "lang-0-share", "0.7")
    driver.find_element(By.CSS_SELECTOR, "[data-add-row=lang]").click()  # a third row
    fill(driver, "lang-2-tag", "en")
    fill(driver, "lang-2-share", "0.3")
    for vendor in BIDS:
        driver.find_element(By.XPATH, f"//label[contains(., '{vendor}')]/input").click()
    driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    message_wait(driver, "Draft event created")
    driver.find_element(By.CSS_SELECTOR, "[data-testid=open-event]").click()
    message_wait(driver, "The event is open")
    assert text_of(driver, "event-status") == "Open"


def submit_proposal(driver, title: str, bid: dict[str, str]) -> None:
    """A vendor user finds its invitation and submits a proposal through the portal form."""
    driver.find_element(By.LINK_TEXT, "Events").click()
    driver.find_element(By.LINK_TEXT, title).click()
    driver.find_element(By.CSS_SELECTOR, "[data-testid=submit-proposal]").click()
    choose(driver, "price-0-model", "per_contact")  # channel left at "All channels"
    fill(driver, "price-0-rate", bid["rate"])
    fill(driver, "oneoff-setup", bid["setup"])
    fill(driver, "minimum_monthly_charge", bid["minimum"])
    fill(driver, "lang-0-tag", "nl")
    choose(driver, "lang-0-level", "native")
    driver.find_element(By.CSS_SELECTOR, "[data-testid=save-proposal]").click()
    message_wait(driver, "Proposal submitted")
    assert bid["setup"] in driver.page_source  # the vendor sees its own figures


def test_two_vendors_bid_and_procurement_sees_prices_only_after_the_deadline(
    browser, make_user, settings
):
    settings.CSP_ENABLED = True  # the pages work under the production policy (no inline script)
    vendors = {name: vendor_make(name) for name in BIDS}
    buyer = make_user("procurement")
    log_in_as(browser, buyer)
    create_and_open_event(browser)
    event = SourcingEvent.objects.get()
    assert event.stage == EventStage.OPEN and event.invited_vendors.count() == 2
    assert event.languages == [{"tag": "nl", "share": "0.7000"}, {"tag": "en", "share": "0.3000"}]

    for name, bid in BIDS.items():
        log_in_as(browser, make_user("vendor", vendor=vendors[name]))
        submit_proposal(browser, event.title, bid)
    assert Proposal.objects.filter(event=event, status="submitted").count() == 2

    log_in_as(browser, buyer)
    browser.get(f"{browser.base_url}/events/{event.pk}/")
    rows = text_of(browser, "bidders").splitlines()[1:]
    assert [row.split(" Submitted ")[0] for row in rows] == ["Alpha Contact", "Bravo Support"]
    html = browser.page_source
    amounts = [value for bid in BIDS.values() for value in bid.values()]
    assert [a for a in amounts if a in html] == []
    assert "Bids are sealed until" in html

    SourcingEvent.objects.filter(pk=event.pk).update(bid_deadline=timezone.now())
    browser.refresh()
    html = browser.page_source
    assert [a for a in amounts if a not in html] == []
    assert text_of(browser, "event-status") == "Closed"
