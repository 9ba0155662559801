"""Steps in headless Chromium that wait for the page state they need, never a fixed time.

A click that loads another page returns before that page exists, and an element of the old
page (the "Events" link, the flash messages) may still be found: every step that navigates
waits until the old page is gone, and then for what the next step needs.
"""

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.utils import timezone
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from core import formatting
from tests.support.factories import PASSWORD

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def wait(driver, seconds: float = 30) -> WebDriverWait:
    """Wait for a condition on the page. While a page loads or htmx swaps part of it, a found
    element may be stale, or Chromium may answer that the node "does not belong to the
    document" (a bare WebDriverException): the condition is tried again until the timeout."""
    return WebDriverWait(
        driver, seconds, poll_frequency=0.1, ignored_exceptions=(WebDriverException,)
    )


def click_and_load(driver, element, seconds: float = 30) -> None:
    """Click something that loads a new page and wait until the new page has loaded.

    The old page is marked with a window property: it is gone when a page without the mark has
    finished loading. (Asking the old page's elements whether they are stale may fail
    otherwise while Chromium swaps the documents; scripts that fail then are tried again.)
    """
    driver.execute_script("window.__testOldPage = true;")
    element.click()
    wait(driver, seconds).until(
        lambda d: d.execute_script(
            "return window.__testOldPage === undefined && document.readyState === 'complete';"
        ),
        message="the click loaded no new page",
    )


def login_in_browser(driver, username: str, password: str, *, succeeds: bool = True) -> None:
    """Log in through the real login form and wait for the page it leads to: the home page
    naming the user, or (`succeeds=False`) the form again with its error."""
    driver.get(driver.base_url + "/login/")
    driver.find_element(By.ID, "id_username").send_keys(username)
    driver.find_element(By.ID, "id_password").send_keys(password)
    click_and_load(driver, driver.find_element(By.CSS_SELECTOR, "form button[type=submit]"))
    if succeeds:
        wait(driver).until(
            lambda d: (
                username
                in " ".join(
                    e.text for e in d.find_elements(By.CSS_SELECTOR, "[data-testid=whoami]")
                )
            ),
            message=f"{username} is not logged in",
        )
    else:
        wait(driver).until(
            lambda d: d.find_elements(By.CSS_SELECTOR, "[role=alert]"),
            message="the login form shows no error",
        )


def message_wait(driver, text: str, timeout: float = 30) -> str:
    """Wait until the page's flash messages contain `text` (a click may still be loading the
    next page, so the previous page's messages are stale or do not match yet)."""

    def shown(driver) -> str | None:
        found = driver.find_elements(By.CSS_SELECTOR, ".messages")
        joined = " ".join(element.text for element in found)
        return joined if text in joined else None

    return wait(driver, timeout).until(shown, message=f"no message containing {text!r}")


def click_link(driver, text: str) -> None:
    """Follow a link by its text and wait for the page it leads to."""
    click_and_load(driver, driver.find_element(By.LINK_TEXT, text))


# Sourcing through the pages (the sourcing browser test and the journey) ----------------------

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


def create_and_open_event(driver) -> None:
    """Procurement fills the event form, invites both vendors and opens the event."""
    click_link(driver, "Events")
    click_link(driver, "New event")
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
    driver.find_element(By.CSS_SELECTOR, "[data-testid=confirm-open]").click()  # the confirmation
    message_wait(driver, "The event is open")
    assert text_of(driver, "event-status") == "Open"


def submit_proposal(driver, title: str, bid: dict[str, str]) -> None:
    """A vendor user finds its invitation and submits a proposal through the portal form."""
    click_link(driver, "Events")
    click_link(driver, title)
    click_and_load(driver, driver.find_element(By.CSS_SELECTOR, "[data-testid=submit-proposal]"))
    choose(driver, "price-0-model", "per_contact")  # channel left at "All channels"
    fill(driver, "price-0-rate", bid["rate"])
    fill(driver, "oneoff-setup", bid["setup"])
    fill(driver, "minimum_monthly_charge", bid["minimum"])
    fill(driver, "lang-0-tag", "nl")
    choose(driver, "lang-0-level", "native")
    driver.find_element(By.CSS_SELECTOR, "[data-testid=save-proposal]").click()
    message_wait(driver, "Proposal submitted")
    # The vendor sees its own figures, written the reader's way (English: 1,500.00).
    assert formatting.number(Decimal(bid["setup"]), 2) in driver.page_source
