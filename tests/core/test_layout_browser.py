"""In headless Chromium: every main page fits the window at 1280 px and at 390 px (only a table
inside a `.table-scroll` box may be wider), the skip link comes first, and the comparison's
weight sliders work by keyboard and say their value.

Screenshots of every page at both widths go to test-artifacts/layout-*.png for a person to look
at.
"""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.support.browser import ARTIFACTS, log_in_as, wait
from tests.support.evaluation import breached_contract
from tests.support.ranking import hand_event
from tests.support.vendors import vendor_make

pytestmark = pytest.mark.browser

WIDTHS = {"desktop": (1280, 900, False), "phone": (390, 844, True)}

# What spills: the elements wider than the window that no .table-scroll box holds.
SPILLS = """
const width = arguments[0];
const out = [];
for (const el of document.body.querySelectorAll('*')) {
  if (el.closest('.table-scroll')) continue;
  const box = el.getBoundingClientRect();
  if (box.width && box.right > width + 1) {
    out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
      (el.className && el.className.baseVal === undefined ? '.' + el.className : '') +
      ' right=' + Math.round(box.right));
  }
}
return out.slice(0, 8);
"""


def _viewport(driver, name: str) -> None:
    width, height, mobile = WIDTHS[name]
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile},
    )


@pytest.fixture
def pages(make_user):
    """(user, [urls]) for every role: the sourcing pages on the hand-calculated event, the SLA
    pages on a contract breached in Jan-Mar 2026 (its dashboard over 12 months)."""
    event, _ = hand_event(make_user)
    vendor = vendor_make("Layout Contact")
    contract = breached_contract(vendor)
    sla = f"/contracts/{contract.pk}/sla/"
    return [
        (make_user("procurement"), ["/", "/events/", f"/events/{event.pk}/",
                                    f"/events/{event.pk}/comparison/",
                                    f"/contracts/award/{event.pk}/", "/vendors/", "/reports/"]),
        (make_user("manager"), ["/", f"/contracts/{contract.pk}/",
                                f"/contracts/{contract.pk}/targets/",
                                f"{sla}?from=2025-05&to=2026-04", f"{sla}2026-03/", "/kpis/",
                                "/breaches/", "/reports/"]),
        (make_user("vendor", vendor=vendor), ["/", "/vendors/me/", "/kpis/"]),
        (make_user("auditor"), ["/", f"/contracts/{contract.pk}/"]),
        (make_user("admin"), ["/"]),
    ]  # fmt: skip


@pytest.mark.parametrize("width", WIDTHS)
def test_every_main_page_fits_the_window_and_only_tables_scroll(browser, pages, width):
    ARTIFACTS.mkdir(exist_ok=True)
    spilled = {}
    for user, urls in pages:
        _viewport(browser, "desktop")  # log_in_as reads the name in the (open) menu
        log_in_as(browser, user)
        _viewport(browser, width)
        for url in urls:
            browser.get(browser.base_url + url)
            wait(browser).until(
                lambda d: d.execute_script("return document.readyState") == "complete"
            )
            assert browser.find_elements(By.CSS_SELECTOR, "main#content"), url
            page = url.split("?")[0].strip("/").replace("/", "_") or "home"
            name = f"layout-{width}-{user.role}-{page}"
            browser.save_screenshot(str(ARTIFACTS / f"{name}.png"))
            # A phone widens its layout viewport (and innerWidth) to what spills: compare with
            # the width asked for as well.
            fits = browser.execute_script(
                "return document.documentElement.scrollWidth <= Math.min(window.innerWidth,"
                " arguments[0]);",
                WIDTHS[width][0],
            )
            if not fits:
                spilled[f"{user.role} {url}"] = browser.execute_script(SPILLS, WIDTHS[width][0])
    assert spilled == {}


def test_the_sla_grid_shows_the_newest_month_first_and_says_so(browser, pages):
    manager, urls = pages[1]
    log_in_as(browser, manager)
    browser.get(browser.base_url + urls[3])
    heads = browser.find_elements(By.CSS_SELECTOR, "[data-testid=sla-grid] thead th")
    months = [h.text.split("\n")[0] for h in heads[2:]]
    assert months[0] == "April 2026" and months[-1] == "May 2025"
    assert "Newest month first" in browser.find_element(
        By.CSS_SELECTOR, "[data-testid=sla-grid-caption]").text  # fmt: skip
    box = browser.find_element(By.CSS_SELECTOR, ".table-scroll:has([data-testid=sla-grid])")
    assert box.get_attribute("tabindex") == "0" and box.get_attribute("aria-label")


def test_the_skip_link_is_the_first_stop_and_moves_focus_to_the_content(browser, pages):
    user, _ = pages[0]
    log_in_as(browser, user)
    _viewport(browser, "phone")
    browser.get(browser.base_url + "/events/")
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    link = browser.switch_to.active_element
    assert link.get_attribute("data-testid") == "skip-link"
    assert link.text == "Skip to content"
    assert link.rect["y"] >= 0 and link.rect["height"] > 0  # shown while focused
    link.send_keys(Keys.ENTER)
    wait(browser).until(lambda d: d.switch_to.active_element.get_attribute("id") == "content")
    # on a phone the menu is one toggle: Space opens it, the links can then be reached
    links = browser.find_element(By.ID, "nav-links")
    assert not links.is_displayed()
    toggle = browser.find_element(By.ID, "nav-toggle")
    toggle.send_keys(Keys.SPACE)
    wait(browser).until(lambda d: d.find_element(By.ID, "nav-links").is_displayed())
    assert browser.find_element(By.LINK_TEXT, "Events").is_displayed()


def test_a_weight_slider_moves_by_one_with_the_arrow_keys_and_says_its_value(browser, pages):
    user, urls = pages[0]
    log_in_as(browser, user)
    browser.get(browser.base_url + urls[3])
    slider = browser.find_element(By.ID, "weight-cost-slider")
    assert slider.is_displayed()
    assert slider.get_attribute("aria-valuetext") == "Cost 40%"
    slider.send_keys(Keys.ARROW_RIGHT)
    wait(browser).until(lambda d: slider.get_attribute("value") == "41")
    assert slider.get_attribute("aria-valuetext") == "Cost 41%"
    slider.send_keys(Keys.ARROW_LEFT, Keys.ARROW_LEFT)
    wait(browser).until(lambda d: slider.get_attribute("aria-valuetext") == "Cost 39%")
    focused = browser.switch_to.active_element
    assert focused.get_attribute("id") == "weight-cost-slider"
    assert browser.execute_script(
        "return getComputedStyle(arguments[0]).outlineStyle !== 'none'", focused
    )
