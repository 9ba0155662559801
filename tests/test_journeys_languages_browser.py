"""The main journeys read in Dutch and in Romanian, in headless Chromium on the demo data.

For each language, users of every role whose saved language it is walk their main pages; each
page is saved as test-artifacts/<lang>/<role>-<page>.png and its visible text must hold no
English word of ours (data such as vendor names, references and the demo's titles removed) and
show amounts the language's way (1.234,56 with a dot and a decimal comma, never 1,234.56).
"""

import re
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from selenium.webdriver.common.by import By

from contracts.models import Contract
from demo.contract_story import REFERENCE
from demo.loader import DEMO_PASSWORD, DEMO_USERS, EVENT_TITLE
from kpis.models import Breach
from tests.support.browser import ARTIFACTS, login_in_browser, wait
from vendors.models import SourcingEvent, Vendor

pytestmark = [pytest.mark.browser]

ENGLISH = (
    "Contract", "Contracts", "Vendor", "Vendors", "Breach", "Breaches", "Service credit",
    "Proposal", "Proposals", "Submit", "Save", "Month", "Target", "Targets", "Upload", "Uploads",
    "Report", "Reports", "Deadline", "Score", "Award", "Dispute", "Invoice", "Invoices",
    "Earn-back", "Expected", "Minimum", "Total", "Events", "Home", "Status", "Period",
    "Download", "History", "Ranking", "Weights", "Cancel", "Back", "Any", "Yes", "No",
)  # fmt: skip
# Words that are also Dutch or Romanian (or both): checked only in the other language.
SAME_WORD = {
    "nl": {"Contract", "Upload", "Status", "Minimum", "Score", "Ranking"},  # glossary-nl.md
    "ro": {"Contract", "Total", "Minimum", "Status", "Score"},
}
ENGLISH_AMOUNT = re.compile(r"\d,\d{3}\.\d{2}")
LOCAL_AMOUNT = re.compile(r"\d{1,3}(?:\.\d{3})+,\d{2}")


def data_words() -> list[str]:
    """Names that are data, not our words: vendors, references, event titles, user names."""
    names = [*Vendor.objects.values_list("name", flat=True)]
    names += [*Contract.objects.values_list("reference", flat=True)]
    names += [*SourcingEvent.objects.values_list("title", flat=True)]
    names += [username for username, _, _ in DEMO_USERS]
    return sorted(names, key=len, reverse=True)


def english_in(text: str, language: str) -> list[str]:
    for name in data_words():
        text = text.replace(name, " ")
    words = [w for w in ENGLISH if w not in SAME_WORD[language]]
    return [w for w in words if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text)]


class Walk:
    """Visits pages as one user in one language, keeping a screenshot and the findings."""

    def __init__(self, driver, language: str):
        self.driver = driver
        self.language = language
        self.folder = ARTIFACTS / language
        self.folder.mkdir(parents=True, exist_ok=True)
        self.found: dict[str, list[str]] = {}
        self.amounts: dict[str, bool] = {}
        self.english_amounts: dict[str, list[str]] = {}

    def as_user(self, username: str) -> None:
        user = get_user_model().objects.get(username=username)
        user.language = self.language
        user.save(update_fields=["language"])
        self.driver.delete_all_cookies()
        login_in_browser(self.driver, username, DEMO_PASSWORD)

    def visit(self, name: str, path: str) -> str:
        self.driver.get(self.driver.base_url + path)
        wait(self.driver).until(
            lambda d: d.execute_script("return document.readyState === 'complete';")
        )
        height = self.driver.execute_script("return document.body.scrollHeight;")
        self.driver.set_window_size(1366, min(max(height, 900), 6000))
        self.driver.save_screenshot(str(self.folder / f"{name}.png"))
        text = self.driver.find_element(By.TAG_NAME, "body").text
        (self.folder / f"{name}.txt").write_text(text, encoding="utf-8")
        assert self.driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == self.language
        assert "Server Error" not in text and "Not Found" not in text, (name, path)
        self.found[name] = english_in(text, self.language)
        self.amounts[name] = bool(LOCAL_AMOUNT.search(text))
        self.english_amounts[name] = ENGLISH_AMOUNT.findall(text)
        return text


def journeys(walk: Walk) -> None:
    event = SourcingEvent.objects.get(title=EVENT_TITLE)
    contract = Contract.objects.get(reference=REFERENCE)
    breach = Breach.objects.filter(contract=contract).order_by("-period").first()
    month = (breach.period if breach else date(2026, 1, 1)).strftime("%Y-%m")
    walk.as_user("procurement")
    walk.visit("procurement-events", "/events/")
    walk.visit("procurement-event", f"/events/{event.pk}/")
    walk.visit("procurement-comparison", f"/events/{event.pk}/comparison/")
    walk.visit("procurement-award", f"/contracts/award/{event.pk}/")
    walk.as_user("manager")
    walk.visit("manager-home", "/")
    walk.visit("manager-contract", f"/contracts/{contract.pk}/")
    walk.visit("manager-terms", f"/contracts/{contract.pk}/targets/")
    walk.visit("manager-sla", f"/contracts/{contract.pk}/sla/")
    walk.visit("manager-month", f"/contracts/{contract.pk}/sla/{month}/")
    walk.visit("manager-breaches", "/breaches/")
    walk.visit("manager-invoices", f"/contracts/{contract.pk}/invoices/")
    walk.visit("manager-roi", f"/contracts/{contract.pk}/roi/")
    walk.visit("manager-reports", "/reports/")
    walk.as_user("vendor-northwind")
    walk.visit("vendor-home", "/")
    walk.visit("vendor-event", f"/portal/events/{event.pk}/")
    walk.visit("vendor-breaches", "/breaches/")
    walk.visit("vendor-uploads", "/kpis/")
    walk.as_user("auditor")
    walk.visit("auditor-reports", "/reports/")
    walk.visit("auditor-history", f"/history/contracts/contract/{contract.pk}/")


@pytest.mark.parametrize("language", ["nl", "ro"])
def test_the_main_journeys_read_in_the_language_with_its_number_formats(browser, language):
    call_command("load_demo")
    walk = Walk(browser, language)
    journeys(walk)
    leftovers = {page: words for page, words in walk.found.items() if words}
    assert leftovers == {}
    english_amounts = {page: found for page, found in walk.english_amounts.items() if found}
    assert english_amounts == {}
    money_pages = ("manager-contract", "manager-month", "manager-roi", "procurement-comparison")
    assert [page for page in money_pages if not walk.amounts[page]] == []
