"""In headless Chromium: procurement moves one weight and the table re-ranks live.

Moving one weight (its slider by keyboard, or its number) gives the other three the rest in
proportion, whole numbers summing to 100, and the table re-ranks without pressing anything.
The page's rescaling is compared with `vendors.domain.scoring.rescale_weights`, and the table
it shows with the ranking API at the same weights.
"""

import math
import os
import random
from decimal import Decimal

import pytest
from django.core.management import call_command
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.support.browser import ARTIFACTS, login_in_browser, wait
from tests.support.factories import PASSWORD
from tests.support.ranking import BIDS, hand_event
from vendors.domain.scoring import Criterion, Weights, rescale_weights
from vendors.models import SourcingEvent

pytestmark = pytest.mark.browser

ORDER = [c.value for c in Criterion]
# The four criteria the hand event weighs (its performance weight stays 0).
FOUR = [c for c in ORDER if c != Criterion.PERFORMANCE.value]

# Bravo (TCO 1,040,400; expertise 49, security 100, language 68.5) against the cheaper Charlie
# (TCO 953,680; expertise 42.86, security 40, language 68); cost scores 91.66 and 100.
#   cost 40, expertise 20, security 20, language 20: Bravo 80.17 > Charlie 70.17
# Cost moved to 80: the other 20 in 20:20:20 is 6.67 each -> 6, 6, 6 and 2 points left over,
# to the largest remainders (all equal: expertise, then security): 7, 7, 6.
#   Bravo   0.80 x 91.6647 + 0.07 x 49 + 0.07 x 100 + 0.06 x 68.5 = 87.87
#   Charlie 0.80 x 100     + 0.07 x 42.8571 + 0.07 x 40 + 0.06 x 68 = 80 + 3 + 2.8 + 4.08 = 89.88
# Then cost typed as 60: the other 40 in the 7:7:6 they had then -> 14, 14, 12.
#   Bravo 54.9988 + 6.86 + 14 + 8.22 = 84.08 > Charlie 60 + 6 + 5.6 + 8.16 = 79.76


def text_of(driver, testid: str) -> str:
    return driver.find_element(By.CSS_SELECTOR, f"[data-testid={testid}]").text


def first_ranked(driver) -> str:
    row = driver.find_element(By.CSS_SELECTOR, "[data-testid=ranking-row][data-rank='1']")
    return row.get_attribute("data-vendor")


def weights_shown(driver, names=FOUR) -> dict[str, int]:
    return {
        name: int(driver.find_element(By.ID, f"weight-{name}").get_attribute("value"))
        for name in names
    }


def sliders_shown(driver, names=FOUR) -> dict[str, int]:
    return {
        name: int(driver.find_element(By.ID, f"weight-{name}-slider").get_attribute("value"))
        for name in names
    }


def ranked_with(driver) -> str:
    results = driver.find_element(By.CSS_SELECTOR, "[data-testid=comparison-results]")
    return results.get_attribute("data-weights")


def test_moving_one_slider_rescales_the_others_and_re_ranks_without_pressing_anything(
    browser, make_user, procurement_user, api_as
):
    event, ids = hand_event(make_user, bids={"Bravo": BIDS["Bravo"], "Charlie": BIDS["Charlie"]})
    login_in_browser(browser, procurement_user.username, PASSWORD)
    browser.get(f"{browser.base_url}/events/{event.pk}/comparison/")
    assert first_ranked(browser) == "Bravo Support"
    totals = browser.find_elements(By.CSS_SELECTOR, "[data-testid=total]")
    assert [t.text for t in totals] == ["80.17", "70.17"]

    # The cost slider, reached with the keyboard (Tab from the cost label's number is not
    # needed: the slider itself takes focus), moved up 40 steps with the arrow key.
    slider = browser.find_element(By.ID, "weight-cost-slider")
    assert slider.is_displayed() and slider.get_attribute("aria-label") == "Cost weight"
    slider.send_keys(*[Keys.ARROW_RIGHT] * 40)
    assert weights_shown(browser) == {"cost": 80, "expertise": 7, "security": 7, "language": 6}
    assert sliders_shown(browser) == weights_shown(browser)
    assert text_of(browser, "weights-sum") == "Sum: 100"
    wait(browser, 10).until(lambda d: first_ranked(d) == "Charlie Support")
    assert ranked_with(browser) == "cost:80,expertise:7,security:7,language:6"
    totals = browser.find_elements(By.CSS_SELECTOR, "[data-testid=total]")
    assert [t.text for t in totals] == ["89.88", "87.87"]
    assert browser.find_element(By.CSS_SELECTOR, "[data-testid=what-if]").is_displayed()

    # The server ranks those weights the same way (the API, not the page's fragment).
    body = api_as(procurement_user).get(
        f"/api/v1/events/{event.pk}/ranking/?weights=cost:80,expertise:7,security:7,language:6"
    )
    api_rows = [(r["proposal"], r["total"]) for r in body.json()["results"]]
    assert api_rows == [(ids["Charlie"], "89.88"), (ids["Bravo"], "87.87")]

    ARTIFACTS.mkdir(exist_ok=True)
    browser.set_window_size(1366, 1400)
    browser.save_screenshot(str(ARTIFACTS / "comparison-what-if.png"))

    # Typing a number rescales the others from the proportions when the field was picked up.
    field = browser.find_element(By.ID, "weight-cost")
    field.send_keys(Keys.CONTROL, "a")
    field.send_keys("60")
    assert weights_shown(browser) == {"cost": 60, "expertise": 14, "security": 14, "language": 12}
    wait(browser, 10).until(lambda d: first_ranked(d) == "Bravo Support")
    assert ranked_with(browser) == "cost:60,expertise:14,security:14,language:12"
    totals = browser.find_elements(By.CSS_SELECTOR, "[data-testid=total]")
    assert [t.text for t in totals] == ["84.08", "79.76"]
    assert text_of(browser, "weights-error") == ""
    if os.environ.get("SCREENSHOTS"):
        browser.set_window_size(1366, 2600)
        browser.save_screenshot(str(ARTIFACTS / "comparison.png"))


def test_the_pages_rescaling_is_the_servers(browser, make_user, procurement_user):
    event, _ = hand_event(make_user, bids={"Bravo": BIDS["Bravo"]})
    login_in_browser(browser, procurement_user.username, PASSWORD)
    browser.get(f"{browser.base_url}/events/{event.pk}/comparison/")
    draw = random.Random(17)
    cases = []
    for _ in range(300):
        cuts = sorted(draw.randint(0, 100) for _ in range(3))
        parts = [cuts[0], cuts[1] - cuts[0], cuts[2] - cuts[1], 100 - cuts[2]]
        cases.append((dict(zip(FOUR, parts, strict=True)), draw.choice(FOUR), draw.randint(0, 100)))
    cases.append(({"cost": 100, "expertise": 0, "security": 0, "language": 0}, "cost", 0))
    script = "return arguments[0].map(c => window.bposlaRescaleWeights(c[0], c[1], c[2]));"
    page_answers = browser.execute_script(script, cases)
    for (weights, criterion, value), answer in zip(cases, page_answers, strict=True):
        server = rescale_weights(
            weights=Weights(**weights), criterion=Criterion(criterion), value=value
        )
        assert answer == {name: server.of(Criterion(name)) for name in FOUR}, (
            weights,
            criterion,
            value,
        )


def test_on_the_demo_moving_a_slider_past_its_flip_weight_makes_the_named_vendor_first(
    browser, procurement_user
):
    call_command("load_demo")
    event = SourcingEvent.objects.get(title="Customer service NL/EN/DE 2027")
    login_in_browser(browser, procurement_user.username, PASSWORD)
    browser.get(f"{browser.base_url}/events/{event.pk}/comparison/")
    before = first_ranked(browser)
    # The sensitivity table names, per criterion, the weight and who would then rank first:
    # take the criterion whose flip is nearest today's weight and move its slider just past it.
    lines = []
    for name in ORDER:
        flip = browser.find_element(By.CSS_SELECTOR, f"[data-testid=flip-{name}]").text
        if flip and flip[0].isdigit():
            today = weights_shown(browser, ORDER)[name]
            winner = text_of(browser, f"new-winner-{name}")
            lines.append((abs(Decimal(flip) - today), name, Decimal(flip), today, winner))
    assert lines, "the demo's ranking is robust on every criterion"
    _, name, flip, today, winner = min(lines)
    target = math.ceil(flip) if flip > today else math.floor(flip)
    key = Keys.ARROW_RIGHT if target > today else Keys.ARROW_LEFT
    slider = browser.find_element(By.ID, f"weight-{name}-slider")
    slider.send_keys(*[key] * abs(target - today))
    shown = weights_shown(browser, ORDER)  # the demo event weighs performance too
    assert shown[name] == target and sum(shown.values()) == 100
    assert text_of(browser, "weights-sum") == "Sum: 100"
    wait(browser, 10).until(lambda d: first_ranked(d) == winner)
    assert winner != before
    assert ranked_with(browser) == ",".join(f"{c}:{shown[c]}" for c in ORDER)
    ARTIFACTS.mkdir(exist_ok=True)
    browser.set_window_size(1366, 1400)
    browser.save_screenshot(str(ARTIFACTS / "demo-comparison-what-if.png"))
