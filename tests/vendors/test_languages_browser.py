"""In headless Chromium: procurement makes languages required, in a row it added too."""

import pytest
from selenium.webdriver.common.by import By

from tests.support.browser import choose, click_and_load, fill, login_in_browser, wait
from tests.support.factories import PASSWORD
from tests.support.vendors import event_make, vendor_make
from vendors.models import SourcingEvent

pytestmark = pytest.mark.browser


def require(driver, row: int, tag: str, share: str, level: str, percent: str = "") -> None:
    fill(driver, f"lang-{row}-tag", tag)
    fill(driver, f"lang-{row}-share", share)
    box = driver.find_element(By.NAME, f"lang-{row}-required")
    if not box.is_selected():
        box.click()
    choose(driver, f"lang-{row}-minimum_level", level)
    if percent:
        fill(driver, f"lang-{row}-minimum_hours_coverage", percent)


def test_required_languages_are_set_with_a_checkbox_a_level_and_a_percentage(
    browser, procurement_user
):
    event = event_make(
        invited=[vendor_make()],
        opened=False,
        languages=[{"tag": "nl", "share": "0.55"}, {"tag": "en", "share": "0.45"}],
    )
    login_in_browser(browser, procurement_user.username, PASSWORD)
    browser.get(f"{browser.base_url}/events/{event.pk}/edit/")
    fill(browser, "lang-1-share", "0.30")
    require(browser, 0, "nl", "0.55", "C1")
    last = len(browser.find_elements(By.CSS_SELECTOR, "[data-formset=lang] tbody tr")) - 1
    require(browser, last, "de", "0.1", "B2", "50")
    # "Add a row" copies that last row, ticked box included, as an empty, unticked row.
    browser.find_element(By.CSS_SELECTOR, "[data-add-row=lang]").click()
    added = last + 1
    wait(browser, 10).until(lambda d: d.find_elements(By.NAME, f"lang-{added}-tag"))
    assert not browser.find_element(By.NAME, f"lang-{added}-required").is_selected()
    require(browser, added, "fr", "0.05", "A2", "25")
    click_and_load(browser, browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    event = SourcingEvent.objects.get(pk=event.pk)
    required = {"required": True}
    assert event.languages == [
        {"tag": "nl", "share": "0.5500", **required, "minimum_level": "C1",
         "minimum_hours_coverage": "1"},
        {"tag": "en", "share": "0.3000"},
        {"tag": "de", "share": "0.1000", **required, "minimum_level": "B2",
         "minimum_hours_coverage": "0.5"},
        {"tag": "fr", "share": "0.0500", **required, "minimum_level": "A2",
         "minimum_hours_coverage": "0.25"},
    ]  # fmt: skip
