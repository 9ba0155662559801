"""report_verify recomputes, from the SLA report's and the scorecard's JSON alone, every priced
line of a band-scoped hybrid (the band split included) and every chronic flag (docs/reports.md).

The hybrid is the hand-worked contract of tests/kpis/test_scoped_hybrid_contract.py (built by
tests/support/scoped_hybrid.py): in November the day band is billed per production hour
(EUR 40) and the night band per contact (EUR 3, 20 % of the contacts). The chronic contract is
the worked example with the service level in breach in
January, March and April 2026: April is chronic (breach in 3 of the last 6 months).
"""

import json
from decimal import Decimal

import pytest

from kpis.models.evaluation import Evaluation
from tests.support.evaluation import evaluate, report
from tests.support.reports import (
    detached,
    pdf_text,
    plain_months,
    rendered,
    roi_contract,
    verify_json,
)
from tests.support.scoped_hybrid import NOVEMBER, awarded, month

pytestmark = pytest.mark.django_db

DAY_LINE = "phone per_production_hour bands=day months=11,12"
NIGHT_LINE = "phone per_contact bands=night"


def extracted(data: bytes, tmp_path) -> dict:
    """The attached JSON as poppler's pdfdetach extracts it from the PDF's bytes."""
    return json.loads(detached(data, tmp_path, "_inputs.json"))


# A band-scoped hybrid ------------------------------------------------------------------------


@pytest.fixture
def hybrid_report(make_user, auditor_user):
    contract = awarded(make_user)
    report(contract, "2026-11", month(contract, "12000", "60000", "1900", sl="70"))
    evaluate(contract, "2026-11")
    assert Evaluation.objects.get(contract=contract, is_current=True).charges == NOVEMBER
    return rendered("sla", auditor_user, contract=contract.pk, period="2026-11")


def test_a_band_scoped_hybrid_s_sla_report_verifies_from_its_json(hybrid_report, tmp_path):
    document = extracted(hybrid_report.file.read(), tmp_path)
    assert document["inputs"]["terms"]["band_split"]["phone"]["agents"]["11"] == [8, 3]
    pricing = document["results"]["pricing"]
    assert len(pricing["lines"]) == 2 and pricing["minimum_applied"] is False
    assert {b["band"] for b in pricing["band_usage"]} == {"day", "night"}
    ok, output = verify_json(document, tmp_path)
    assert ok and output.strip() == "match", output


def test_the_sla_report_prints_each_line_with_its_band_share(hybrid_report):
    text = " ".join(pdf_text(hybrid_report.file.read()).split())
    assert "quantity x rate = amount" in text
    assert "night 20.00%" in text  # the night line bills 20 % of the contacts
    assert "2,400 x 3.00 = 7,200.00" in text
    assert "day 75.78%" in text  # the day line bills 1408 / 1858 of the production hours
    assert "x 40.00 = 57,593.11" in text


def test_altering_a_band_share_names_the_line_and_the_band_split(hybrid_report, tmp_path):
    document = extracted(hybrid_report.file.read(), tmp_path)
    night = document["inputs"]["terms"]["band_split"]["phone"]["bands"][1]
    assert night["name"] == "night"
    night["share"] = "0.3"
    ok, output = verify_json(document, tmp_path)
    assert not ok
    figure = f"results.pricing.lines[{NIGHT_LINE}].quantity"
    line = next(x for x in output.splitlines() if x.startswith(figure))
    assert "the report states 2400" in line and "its inputs give 3600" in line, line
    assert "inputs.terms.band_split[phone]" in line and "inputs.usage[phone]" in line, line
    assert "results.pricing.band_usage[phone/night].volume_share" in output
    assert "results.charges" in output


def test_altering_a_line_s_rate_names_that_line(hybrid_report, tmp_path):
    document = extracted(hybrid_report.file.read(), tmp_path)
    day = document["inputs"]["terms"]["pricing"][0]["components"][0]
    assert day["bands"] == ["day"] and Decimal(day["rate"]) == 40
    day["rate"] = "41"
    ok, output = verify_json(document, tmp_path)
    assert not ok
    lines = output.splitlines()
    amount = next(x for x in lines if x.startswith(f"results.pricing.lines[{DAY_LINE}].amount"))
    assert "per_production_hour at 41" in amount, amount
    assert any(x.startswith(f"results.pricing.lines[{DAY_LINE}].rate") for x in lines), lines
    assert not any(x.startswith(f"results.pricing.lines[{NIGHT_LINE}]") for x in lines), lines


# Chronic flags -------------------------------------------------------------------------------


@pytest.fixture
def chronic_contract(vendor):
    """The service level breaches in January, March and April 2026 (met in February)."""
    contract = roi_contract(vendor, years=1)
    breach = {"sl": "70"}
    plain_months(contract, 4, {"2026-01": breach, "2026-03": breach, "2026-04": breach})
    return contract


def _service_level(targets: list[dict]) -> dict:
    (found,) = [t for t in targets if t["metric"] == "service_level"]
    return found


def test_a_target_breaching_in_3_of_6_months_is_chronic_and_verifies(
    chronic_contract, auditor_user, tmp_path
):
    data = rendered("sla", auditor_user, contract=chronic_contract.pk, period="2026-04").file.read()
    document = extracted(data, tmp_path)
    target = _service_level(document["inputs"]["targets"])
    history = {h["period"]: h["status"] for h in target["history"]}
    assert len(history) == 11 and history["2026-01"] == "breach" and history["2026-03"] == "breach"
    assert history["2025-12"] is None  # before the contract: not evaluated
    result = next(t for t in document["results"]["targets"] if t["id"] == target["id"])
    assert result["chronic"] is True and result["chronic_rules"] == ["breach_3_of_6"]
    assert result["breaches_in_last_6"] == 3
    ok, output = verify_json(document, tmp_path)
    assert ok and output.strip() == "match", output
    text = " ".join(pdf_text(data).split())
    assert "breach in 3 of the last 6 months: Jan 2026, Mar 2026, Apr 2026" in text


def test_altering_one_history_status_names_the_target_s_chronic_flag(
    chronic_contract, auditor_user, tmp_path
):
    sla = rendered("sla", auditor_user, contract=chronic_contract.pk, period="2026-04")
    document = extracted(sla.file.read(), tmp_path)
    target = _service_level(document["inputs"]["targets"])
    march = next(h for h in target["history"] if h["period"] == "2026-03")
    march["status"] = "met"
    ok, output = verify_json(document, tmp_path)
    assert not ok
    where = f"results.targets[{target['id']}]"
    assert f"{where}.chronic: the report states True, its inputs give False" in output, output
    assert f"{where}.breaches_in_last_6: the report states 3, its inputs give 2" in output
    assert f"inputs.targets[{target['id']}].history (2025-05 to 2026-03)" in output


def scorecard_inputs(contract, user, tmp_path) -> dict:
    """The JSON of the vendor's scorecard from February to April 2026 (January lies before)."""
    range_ = {"from": "2026-02", "to": "2026-04"}
    scorecard = rendered("scorecard", user, vendor=contract.vendor_id, **range_)
    return extracted(scorecard.file.read(), tmp_path)


def _april(document: dict, ref: str) -> dict:
    (contract,) = [c for c in document["results"]["contracts"] if c["reference"] == ref]
    return next(m for m in contract["months"] if m["period"] == "2026-04")


def test_the_scorecard_states_and_verifies_the_chronic_flag_of_each_target_month(
    chronic_contract, auditor_user, tmp_path
):
    document = scorecard_inputs(chronic_contract, auditor_user, tmp_path)
    (contract,) = document["inputs"]["contracts"]
    (history,) = [h for h in contract["history_before"] if h["months"][-1]["status"] == "breach"]
    assert history["months"][-1]["period"] == "2026-01"  # the month before the range
    april = _april(document, chronic_contract.reference)
    sl = _service_level(contract["months"][-1]["targets"])
    (flag,) = [t for t in april["targets"] if t["id"] == sl["id"]]
    assert flag["chronic"] is True and flag["breaches_in_last_6"] == 3
    assert all("chronic" in t for m in document["results"]["contracts"][0]["months"]
               for t in m["targets"])  # fmt: skip
    ok, output = verify_json(document, tmp_path)
    assert ok and output.strip() == "match", output


def test_altering_an_in_range_actual_changes_the_recomputed_chronic_flag(
    chronic_contract, auditor_user, tmp_path
):
    document = scorecard_inputs(chronic_contract, auditor_user, tmp_path)
    (contract,) = document["inputs"]["contracts"]
    march = next(m for m in contract["months"] if m["period"] == "2026-03")
    sl = _service_level(march["targets"])
    sl["actual"] = "95"  # March's breach becomes met
    ok, output = verify_json(document, tmp_path)
    assert not ok
    ref = chronic_contract.reference
    april_sl = _service_level(contract["months"][-1]["targets"])["id"]
    figure = f"results.contracts[{ref}].months[2026-04].targets[{april_sl}].chronic"
    line = next(x for x in output.splitlines() if x.startswith(figure))
    assert "the report states True, its inputs give False" in line, line
    assert f"history_before[{sl['lineage']}]" in line and "recomputed statuses" in line, line


def test_altering_a_status_before_the_range_names_the_chronic_flag(
    chronic_contract, auditor_user, tmp_path
):
    document = scorecard_inputs(chronic_contract, auditor_user, tmp_path)
    (contract,) = document["inputs"]["contracts"]
    for history in contract["history_before"]:
        for h in history["months"]:
            if h["status"] == "breach":
                h["status"] = "met"
    ok, output = verify_json(document, tmp_path)
    assert not ok
    april_sl = _service_level(contract["months"][-1]["targets"])["id"]
    ref = chronic_contract.reference
    assert f"results.contracts[{ref}].months[2026-04].targets[{april_sl}].chronic" in output
