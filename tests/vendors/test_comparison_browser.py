"""In headless Chromium: procurement moves the cost weight and the table re-ranks live."""

import os

import pytest
from selenium.webdriver.common.by import By

from tests.support.browser import ARTIFACTS, login_in_browser, wait
from tests.support.factories import PASSWORD
from tests.support.ranking import BIDS, hand_event

pytestmark = pytest.mark.browser

# Bravo (TCO 1,040,400; expertise 49, security 100, language 68.5) against the cheaper Charlie
# (TCO 953,680; expertise 42.86, security 40, language 68); cost scores 91.66 and 100.
#   cost 40, expertise 20, security 20, language 20: Bravo 80.17 > Charlie 70.17
#   cost 60, expertise 20, security 0, language 20:  Charlie 82.17 > Bravo 78.50


def text_of(driver, testid: str) -> str:
    return driver.find_element(By.CSS_SELECTOR, f"[data-testid={testid}]").text


def first_ranked(driver) -> str:
    row = driver.find_element(By.CSS_SELECTOR, "[data-testid=ranking-row][data-rank='1']")
    return row.get_attribute("data-vendor")


def set_weight(driver, name: str, value: int) -> None:
    field = driver.find_element(By.ID, f"weight-{name}")
    field.clear()
    field.send_keys(str(value))


def test_moving_the_cost_weight_changes_the_first_ranked_vendor(
    browser, make_user, procurement_user
):
    event, _ = hand_event(make_user, bids={"Bravo": BIDS["Bravo"], "Charlie": BIDS["Charlie"]})
    login_in_browser(browser, procurement_user.username, PASSWORD)
    wait(browser, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "[data-testid=whoami]"))
    browser.get(f"{browser.base_url}/events/{event.pk}/comparison/")
    assert first_ranked(browser) == "Bravo Support"
    totals = browser.find_elements(By.CSS_SELECTOR, "[data-testid=total]")
    assert [t.text for t in totals] == ["80.17", "70.17"]

    set_weight(browser, "cost", 60)  # the weights now sum to 120: an inline error, no re-rank
    wait(browser, 10).until(lambda d: "must sum to 100" in text_of(d, "weights-error"))
    assert first_ranked(browser) == "Bravo Support"

    set_weight(browser, "security", 0)
    wait(browser, 10).until(lambda d: first_ranked(d) == "Charlie Support")
    results = browser.find_element(By.CSS_SELECTOR, "[data-testid=comparison-results]")
    assert results.get_attribute("data-weights") == "cost:60,expertise:20,security:0,language:20"
    totals = browser.find_elements(By.CSS_SELECTOR, "[data-testid=total]")
    assert [t.text for t in totals] == ["82.17", "78.50"]
    assert text_of(browser, "weights-error") == ""
    assert browser.find_element(By.CSS_SELECTOR, "[data-testid=what-if]").is_displayed()
    if os.environ.get("SCREENSHOTS"):  # SCREENSHOTS=1 to look at the page as a user would
        ARTIFACTS.mkdir(exist_ok=True)
        browser.set_window_size(1366, 2600)
        browser.save_screenshot(str(ARTIFACTS / "comparison.png"))
