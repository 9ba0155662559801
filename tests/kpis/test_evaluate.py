"""Evaluation of contract months through the ORM: charges, credits, cap, findings, revisions."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from contracts.services.amendments import amendment_create
from kpis.evaluation.service import (
    EvaluationRefused,
    Trigger,
    contract_month_evaluate,
    contract_months_evaluate,
    previous_month_evaluate,
)
from kpis.models import Breach, ChronicFlag, Evaluation, KpiValue, TargetResult
from tests.support.evaluation import make_contract, month_rows, report, target

pytestmark = pytest.mark.django_db

D = Decimal
MARCH, APRIL = date(2026, 3, 1), date(2026, 4, 1)


@pytest.fixture
def contract(vendor):
    return make_contract(vendor)


def results(evaluation) -> dict[str, TargetResult]:
    return {r.metric: r for r in evaluation.results.all()}


def test_worked_example_two_breaches_allocated_30_and_25_percent_credit_6600(contract):
    report(contract, "2026-03", month_rows(sl="70", asa="35", aht="310"))

    evaluation = contract_month_evaluate(contract=contract, period=MARCH)

    assert evaluation.charges == D("100000.00")
    assert evaluation.at_risk_amount == D("12000.00")
    found = results(evaluation)
    assert {m: r.status for m, r in found.items()} == {
        "service_level": "breach", "asa_seconds": "breach", "abandonment_rate": "met",
        "aht_seconds": "warning", "csat": "met",
    }  # fmt: skip
    assert found["service_level"].credit == D("3600.00")
    assert found["asa_seconds"].credit == D("3000.00")
    assert found["aht_seconds"].credit == 0
    assert evaluation.credit_total == D("6600.00")
    assert evaluation.cap_adjustment == 0


def test_breaches_allocated_130_percent_give_15600_capped_at_the_at_risk_amount(contract):
    report(contract, "2026-04", month_rows(sl="70", asa="35", abandon="9", aht="400"))

    evaluation = contract_month_evaluate(contract=contract, period=APRIL)

    assert evaluation.at_risk_amount == D("12000.00")
    assert sum(r.credit for r in evaluation.results.all()) == D("15600.00")
    assert evaluation.credit_before_cap == D("15600.00")
    assert evaluation.cap_adjustment == D("-3600.00")
    assert evaluation.credit_total == D("12000.00")
    assert Breach.objects.filter(contract=contract, period=APRIL).count() == 4


def test_charges_are_the_priced_usage_with_minimum_fees_and_contracted_fte(vendor):
    contract = make_contract(
        vendor,
        reference="FTE-01",
        pricing=[
            {"channel": "phone", "model": "per_fte_month", "rate": "4000"},
            {"channel": "chat", "model": "per_handled_minute", "rate": "0.80"},
        ],
        contracted_fte={"phone": "12"},
        monthly_fees=[{"name": "Numbers", "amount": "250.00"}],
        minimum_monthly_charge=D("10000"),
        targets=[target("service_level", "phone", "80", "75", "30")],
    )
    # 12 FTE x 4,000 + 20,000.5 minutes x 0.80 = 64,000.40; above the minimum; + 250 fees.
    report(contract, "2026-03", {("phone", "service_level"): ("81", "100"),
                                 ("chat", "handled_minutes"): "20000.5"})  # fmt: skip
    evaluation = contract_month_evaluate(contract=contract, period=MARCH)

    assert evaluation.charges == D("64250.40")
    lines = {line["channel"]: line for line in evaluation.pricing["lines"]}
    assert (lines["phone"]["model"], lines["phone"]["quantity"]) == ("per_fte_month", "12")
    assert lines["chat"]["amount"] == "16000.400"
    assert evaluation.pricing["minimum_applied"] is False
    assert evaluation.at_risk_amount == D("7710.05")  # 12 % of 64,250.40 = 7,710.048


def test_a_month_without_usage_is_charged_the_minimum(vendor):
    contract = make_contract(vendor, reference="MIN-01", minimum_monthly_charge=D("20000"))
    evaluation = contract_month_evaluate(contract=contract, period=MARCH)
    assert evaluation.charges == D("20000.00")
    assert evaluation.pricing["minimum_applied"] is True


def test_missing_reports_are_findings_and_carry_no_credit(contract):
    report(contract, "2026-03", month_rows(sl=None, asa="35"))

    evaluation = contract_month_evaluate(contract=contract, period=MARCH)

    found = results(evaluation)
    assert found["service_level"].status == "missing"
    assert found["service_level"].credit == 0
    assert found["service_level"].actual is None
    assert evaluation.credit_total == D("3000.00")  # only the ASA breach
    missing = [f for f in evaluation.findings if f["code"] == "missing"]
    assert [f["metric"] for f in missing] == ["service_level"]
    assert "did not report" in missing[0]["message"]


def test_a_month_with_no_report_at_all_is_evaluated_with_every_target_missing(contract):
    evaluation = contract_month_evaluate(contract=contract, period=MARCH)
    assert {r.status for r in evaluation.results.all()} == {"missing"}
    assert evaluation.credit_total == 0
    assert len([f for f in evaluation.findings if f["code"] == "missing"]) == 5


def test_usage_reported_only_for_all_channels_is_a_finding_not_a_guess(contract):
    rows = month_rows(contacts=None)
    rows[("", "contacts_handled")] = "10000"
    report(contract, "2026-03", rows)

    evaluation = contract_month_evaluate(contract=contract, period=MARCH)

    assert evaluation.charges == D("0.00")  # nothing priced on a guessed channel
    codes = [f["code"] for f in evaluation.findings]
    assert "usage_all_channels" in codes
    assert evaluation.pricing["lines"] == []


def test_an_unpriced_channel_with_usage_is_stored_with_the_error_as_a_finding(contract):
    rows = month_rows(sl="70")
    rows[("chat", "contacts_handled")] = "500"  # the contract prices phone only
    report(contract, "2026-03", rows)

    evaluation = contract_month_evaluate(contract=contract, period=MARCH)

    assert evaluation.charges is None and evaluation.credit_total is None
    failure = next(f for f in evaluation.findings if f["code"] == "pricing_failed")
    assert "chat has usage but no price" in failure["message"]
    sl = results(evaluation)["service_level"]
    assert sl.status == "breach" and sl.credit is None  # earned, but not computable
    breach = Breach.objects.get(contract=contract, period=MARCH)
    assert breach.credit is None


def test_the_inputs_used_are_stored_with_the_evaluation(contract):
    report(contract, "2026-03", month_rows())
    evaluation = contract_month_evaluate(contract=contract, period=MARCH)

    current = KpiValue.objects.filter(contract=contract, period=MARCH, is_current=True)
    assert {(v["id"], v["revision"]) for v in evaluation.kpi_values} == {
        (v.pk, v.revision) for v in current
    }
    sl = results(evaluation)["service_level"]
    value = current.get(metric="service_level", channel="phone")
    assert (sl.kpi_value_id, sl.kpi_revision, sl.actual) == (value.pk, 1, D("82"))
    assert evaluation.pricing["lines"][0]["quantity"] == "10000"
    assert evaluation.amendments == []
    assert evaluation.usage == [{"channel": "phone", "contacts": "10000", "fte": None,
                                 "handled_minutes": "0", "production_hours": "0"}]  # fmt: skip


def test_evaluating_again_without_a_change_keeps_the_current_revision(contract):
    report(contract, "2026-03", month_rows(sl="70"))
    first = contract_month_evaluate(contract=contract, period=MARCH)
    again = contract_month_evaluate(contract=contract, period=MARCH)
    assert again.pk == first.pk and again.revision == 1
    assert Evaluation.objects.filter(contract=contract).count() == 1


def test_a_revised_kpi_value_gives_a_new_revision_and_keeps_the_earlier_one(contract):
    report(contract, "2026-03", month_rows(sl="70"))
    first = contract_month_evaluate(contract=contract, period=MARCH)
    report(contract, "2026-03", {("phone", "service_level"): ("79", "10000")})

    second = contract_month_evaluate(contract=contract, period=MARCH, trigger=Trigger.INGESTION)

    first.refresh_from_db()
    assert (first.revision, first.is_current) == (1, False)
    assert (second.revision, second.is_current, second.trigger) == (2, True, "ingestion")
    assert results(first)["service_level"].status == "breach"
    assert results(second)["service_level"].status == "warning"
    assert results(second)["service_level"].kpi_revision == 2
    assert (first.credit_total, second.credit_total) == (D("3600.00"), D("0.00"))
    breach = Breach.objects.get(contract=contract, period=MARCH)
    assert breach.cleared  # kept for the history, no longer shown as in breach


def test_an_amendment_mid_term_changes_targets_and_fees_from_its_month(contract, manager_user):
    sl = contract.targets.get(metric="service_level")
    amendment = amendment_create(
        contract=contract, effective_month=date(2026, 7, 1), user=manager_user,
        reason="Volume growth",
        changes={"monthly_fees": [{"name": "Account management", "amount": "1800.00"}],
                 "targets": {"change": [{"id": sl.pk, "minimum": "78"}]}},
    )  # fmt: skip
    for period in ("2026-06", "2026-07"):
        report(contract, period, month_rows(sl="76"))

    june = contract_month_evaluate(contract=contract, period=date(2026, 6, 1))
    july = contract_month_evaluate(contract=contract, period=date(2026, 7, 1))

    assert (june.charges, july.charges) == (D("100000.00"), D("101800.00"))
    assert (june.amendments, july.amendments) == ([], [amendment.pk])
    june_sl, july_sl = results(june)["service_level"], results(july)["service_level"]
    assert (june_sl.minimum, june_sl.status, june_sl.credit) == (D("75"), "warning", 0)
    assert (july_sl.minimum, july_sl.status) == (D("78"), "breach")
    assert july_sl.credit == D("3664.80")  # 30 % of 12 % of 101,800.00 = 30 % of 12,216.00
    assert june_sl.target_id == sl.pk != july_sl.target_id
    assert june_sl.lineage_id == july_sl.lineage_id == sl.pk


def months(contract, statuses: dict[str, str]) -> dict[str, Evaluation]:
    """Report and evaluate months in order; `b` breach, `w` warning, `m` met for SL."""
    level = {"b": "70", "w": "77", "m": "85"}
    done = {}
    for period, status in statuses.items():
        report(contract, period, month_rows(sl=level[status]))
        year, month = map(int, period.split("-"))
        done[period] = contract_month_evaluate(contract=contract, period=date(year, month, 1))
    return done


def sl_result(evaluation) -> TargetResult:
    return results(evaluation)["service_level"]


def test_three_breaches_in_six_months_make_the_month_chronic(contract):
    done = months(contract, {"2026-01": "b", "2026-02": "m", "2026-03": "b", "2026-04": "m",
                             "2026-05": "m", "2026-06": "b"})  # fmt: skip
    assert [sl_result(e).chronic for e in done.values()] == [False] * 5 + [True]
    june = sl_result(done["2026-06"])
    assert june.chronic_rules == ["breach_3_of_6"]
    assert (june.breaches_in_last_6, june.below_expected_in_last_12) == (3, 3)
    flag = ChronicFlag.objects.get(contract=contract)
    assert flag.period == date(2026, 6, 1) and flag.rules == ["breach_3_of_6"]
    assert Breach.objects.get(contract=contract, period=date(2026, 6, 1)).chronic


def test_four_months_below_expected_in_twelve_make_the_month_chronic(contract, clock):
    done = months(contract, {"2026-01": "w", "2026-03": "w", "2026-06": "b", "2026-09": "m",
                             "2026-11": "w"})  # fmt: skip
    november = sl_result(done["2026-11"])
    assert november.chronic and november.chronic_rules == ["below_expected_4_of_12"]
    assert (november.breaches_in_last_6, november.below_expected_in_last_12) == (1, 4)
    assert not sl_result(done["2026-09"]).chronic
    # A year on, January has left the window (in March 2027: February has happened by then).
    clock.move_to(datetime(2027, 3, 2, 10, 30, tzinfo=UTC))
    later = months(contract, {"2027-02": "w"})
    assert sl_result(later["2027-02"]).below_expected_in_last_12 == 4  # Mar, Jun, Nov, Feb


def test_the_chronic_window_follows_a_target_through_its_amendments(contract, manager_user):
    months(contract, {"2026-04": "b", "2026-05": "b"})
    sl = contract.targets.get(metric="service_level")
    amendment_create(
        contract=contract, effective_month=date(2026, 6, 1), user=manager_user, reason="Tighter",
        changes={"targets": {"change": [{"id": sl.pk, "expected": "81"}]}},
    )  # fmt: skip
    june = sl_result(months(contract, {"2026-06": "b"})["2026-06"])
    assert june.target_id != sl.pk and june.lineage_id == sl.pk
    assert june.chronic and june.breaches_in_last_6 == 3


def test_re_evaluating_an_earlier_month_brings_later_chronic_flags_up_to_date(contract):
    done = months(contract, {"2026-01": "b", "2026-02": "m", "2026-03": "b"})
    assert not sl_result(done["2026-03"]).chronic
    report(contract, "2026-02", {("phone", "service_level"): ("70", "10000")})

    contract_month_evaluate(contract=contract, period=date(2026, 2, 1), trigger="ingestion")

    march = Evaluation.objects.get(contract=contract, period=MARCH, is_current=True)
    assert march.revision == 2 and march.trigger == "cascade"
    assert sl_result(march).chronic
    assert ChronicFlag.objects.filter(contract=contract, period=MARCH, cleared=False).exists()


def test_a_month_outside_the_contract_is_refused(contract):
    with pytest.raises(EvaluationRefused, match="outside the term"):
        contract_month_evaluate(contract=contract, period=date(2025, 12, 1))


def test_the_monthly_job_evaluates_last_month_of_every_contract_in_force(vendor, contract):
    draft = make_contract(vendor, reference="DRAFT-01", activate=False)
    ended = make_contract(vendor, reference="ENDED-01", start=date(2025, 1, 1),
                          end=date(2026, 1, 31))  # fmt: skip
    report(contract, "2026-03", month_rows())

    done = previous_month_evaluate(today=date(2026, 4, 1))

    assert [d.evaluation.contract_id for d in done] == [contract.pk]
    evaluation = done[0].evaluation
    assert (evaluation.period, evaluation.trigger) == (MARCH, "schedule")
    assert not Evaluation.objects.filter(contract__in=[draft, ended]).exists()
    # The next month nobody reported anything: every target is a missing-report finding.
    april = previous_month_evaluate(today=date(2026, 5, 3))[0].evaluation
    assert {r.status for r in april.results.all()} == {"missing"}


def test_a_batch_evaluates_many_contracts_at_once(vendor):
    contracts = [make_contract(vendor, reference=f"BATCH-{i:02d}") for i in range(3)]
    for i, contract in enumerate(contracts):
        report(contract, "2026-03", month_rows(sl=str(70 + 5 * i)))
    done = contract_months_evaluate(contracts=contracts, period=MARCH)
    statuses = [sl_result(d.evaluation).status for d in done]
    assert statuses == ["breach", "warning", "met"]
    assert [d.new_breaches for d in done] == [1, 0, 0]
