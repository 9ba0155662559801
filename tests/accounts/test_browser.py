"""In headless Chromium: a user logs in through the form and sees the role's home page."""

import pytest
from selenium.webdriver.common.by import By

from tests.support.browser import login_in_browser
from tests.support.factories import PASSWORD

pytestmark = pytest.mark.browser


def test_manager_logs_in_and_sees_the_contract_home(browser, manager_user):
    login_in_browser(browser, manager_user.username, PASSWORD)
    assert browser.find_element(By.CSS_SELECTOR, "[data-testid=home-title]").text == (
        "Contract management"
    )
    assert (
        manager_user.username in browser.find_element(By.CSS_SELECTOR, "[data-testid=whoami]").text
    )


def test_wrong_password_shows_an_error_on_the_form(browser, manager_user):
    login_in_browser(browser, manager_user.username, "wrong", succeeds=False)
    assert browser.find_element(By.CSS_SELECTOR, "[role=alert]").text
