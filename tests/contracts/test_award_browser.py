"""In Chromium: procurement composes a split, reviews it, awards it with a justification and
finds the two draft contracts, each with the event's service level as its target."""

import pytest
from selenium.webdriver.common.by import By

from contracts.models import Contract
from tests.support.award import closed_event_with_two_plain_bids
from tests.support.browser import (
    choose,
    click_and_load,
    click_link,
    fill,
    log_in_as,
    message_wait,
    set_value,
    text_of,
)

pytestmark = pytest.mark.browser


def test_procurement_composes_reviews_and_awards_a_split(browser, make_user):
    driver = browser
    event, onshore, offshore = closed_event_with_two_plain_bids()
    log_in_as(driver, make_user("procurement"))
    driver.get(f"{driver.base_url}/contracts/award/{event.pk}/?split=phone:{onshore.pk}")
    assert driver.find_element(By.CSS_SELECTOR, "input[name=mode][value=split]").is_selected()
    choose(driver, "assign_email", str(offshore.pk))  # phone came pre-filled from ?split=
    fill(driver, f"reference_{onshore.pk}", "ON-PHONE-01")
    fill(driver, f"reference_{offshore.pk}", "OFF-MAIL-01")
    set_value(driver, "start_date", "2027-03-01")
    review = "[data-testid=award-review-button]"
    click_and_load(driver, driver.find_element(By.CSS_SELECTOR, review))
    assert "not the first-ranked proposal alone" in text_of(driver, "justification-error")
    fill(driver, "justification", "E-mail offshore costs less; phone stays onshore.")
    click_and_load(driver, driver.find_element(By.CSS_SELECTOR, review))
    reviewed = driver.find_element(By.CSS_SELECTOR, "[data-testid=award-review]").text
    assert "ON-PHONE-01" in reviewed and "OFF-MAIL-01" in reviewed and "701,100.00" in reviewed
    assert not Contract.objects.exists()
    click_and_load(driver, driver.find_element(By.CSS_SELECTOR, "[data-testid=award-confirm]"))
    message_wait(driver, "contracts ON-PHONE-01, OFF-MAIL-01 created as drafts")
    log_in_as(driver, make_user("manager"))
    driver.get(f"{driver.base_url}/contracts/?status=draft")
    click_link(driver, "ON-PHONE-01")
    assert text_of(driver, "contract-status") == "Draft"
    assert "Service level" in driver.page_source and "Terms for March 2027" in driver.page_source
    assert "phone stays onshore" in text_of(driver, "award-justification")
    driver.get(f"{driver.base_url}/contracts/?status=draft")
    click_link(driver, "OFF-MAIL-01")
    assert "No SLA targets in force this month." in driver.page_source  # e-mail has no SL
