"""Target status, service credits and chronic failure (DOMAIN.md, evaluation of a month)."""

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.catalogue import Direction
from kpis.evaluation.rules import (
    ChronicRule,
    TargetInput,
    TargetStatus,
    evaluate_month,
    is_chronic,
    target_status,
)

D = Decimal
MET, WARNING, BREACH, MISSING = (
    TargetStatus.MET,
    TargetStatus.WARNING,
    TargetStatus.BREACH,
    TargetStatus.MISSING,
)


def service_level_target(**overrides: object) -> TargetInput:
    """A critical phone service-level target: expected 80, minimum 75, actual 70 (a breach)."""
    values: dict[str, object] = {
        "id": 1,
        "metric": "service_level",
        "channel": "phone",
        "direction": Direction.HIGHER,
        "expected": D(80),
        "minimum": D(75),
        "critical": True,
        "allocation_percent": D(30),
        "actual": D(70),
    }
    values.update(overrides)
    return TargetInput(**values)  # type: ignore[arg-type]


# --- target status -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actual", "status"),
    [
        (D("80.01"), MET),
        (D("80"), MET),  # exactly at expected
        (D("79.99"), WARNING),
        (D("75"), WARNING),  # exactly at minimum
        (D("74.99"), BREACH),
    ],
)
def test_higher_is_better_levels_reach_a_threshold_when_equal_to_it(
    actual: Decimal, status: TargetStatus
) -> None:
    assert (
        target_status(direction=Direction.HIGHER, expected=D(80), minimum=D(75), actual=actual)
        is status
    )


@pytest.mark.parametrize(
    ("actual", "status"),
    [
        (D("19.99"), MET),
        (D("20"), MET),  # exactly at expected
        (D("20.01"), WARNING),
        (D("30"), WARNING),  # exactly at minimum
        (D("30.01"), BREACH),
    ],
)
def test_lower_is_better_levels_mirror_the_higher_is_better_rule(
    actual: Decimal, status: TargetStatus
) -> None:
    assert (
        target_status(direction=Direction.LOWER, expected=D(20), minimum=D(30), actual=actual)
        is status
    )


def test_no_actual_value_is_missing() -> None:
    assert (
        target_status(direction=Direction.LOWER, expected=D(20), minimum=D(30), actual=None)
        is MISSING
    )


def test_a_metric_without_a_direction_cannot_be_targeted() -> None:
    with pytest.raises(ValueError, match="direction"):
        target_status(direction=Direction.NONE, expected=D(1), minimum=D(1), actual=D(1))


# --- credits ------------------------------------------------------------------------------


def test_worked_example_two_breaches_give_6600_of_a_12000_at_risk_amount() -> None:
    # 12% x 100,000 = 12,000; 30% x 12,000 = 3,600; 25% x 12,000 = 3,000; 3,600 + 3,000 = 6,600.
    result = evaluate_month(
        charges=D("100000.00"),
        at_risk_percent=D(12),
        targets=[
            service_level_target(id=1, allocation_percent=D(30)),
            service_level_target(id=2, allocation_percent=D(25)),
        ],
    )
    assert result.at_risk_amount == D("12000.00")
    assert [t.credit for t in result.targets] == [D("3600.00"), D("3000.00")]
    assert result.credit_before_cap == D("6600.00")
    assert result.cap_adjustment == 0
    assert result.credit_total == D("6600.00")
    assert result.cap_applied is False


def test_breach_credit_is_capped_at_the_at_risk_amount() -> None:
    # Allocations 50% + 40% + 40% = 130%: 6,000 + 4,800 + 4,800 = 15,600, capped at 12,000.
    result = evaluate_month(
        charges=D("100000.00"),
        at_risk_percent=D(12),
        targets=[
            service_level_target(id=1, allocation_percent=D(50)),
            service_level_target(id=2, allocation_percent=D(40)),
            service_level_target(id=3, allocation_percent=D(40)),
        ],
    )
    assert [t.credit for t in result.targets] == [D("6000.00"), D("4800.00"), D("4800.00")]
    assert result.credit_before_cap == D("15600.00")
    assert result.cap_adjustment == D("-3600.00")
    assert result.credit_total == D("12000.00")
    assert result.cap_applied is True


def test_credits_are_computed_from_the_at_risk_amount_in_cents_and_add_up() -> None:
    # 12% x 87,654.33 = 10,518.5196 -> 10,518.52.
    # 30% x 10,518.52 = 3,155.556 -> 3,155.56; 25% x 10,518.52 = 2,629.63 -> 2,629.63.
    # Total = 3,155.56 + 2,629.63 = 5,785.19, the sum of the printed lines.
    result = evaluate_month(
        charges=D("87654.33"),
        at_risk_percent=D(12),
        targets=[
            service_level_target(id=1, allocation_percent=D(30)),
            service_level_target(id=2, allocation_percent=D(25)),
        ],
    )
    assert result.at_risk_amount == D("10518.52")
    assert [t.credit for t in result.targets] == [D("3155.56"), D("2629.63")]
    assert result.credit_total == D("5785.19")


def test_a_warning_carries_no_credit() -> None:
    result = evaluate_month(
        charges=D(100000), at_risk_percent=D(12), targets=[service_level_target(actual=D(77))]
    )
    assert result.targets[0].status is WARNING
    assert result.targets[0].credit == 0
    assert result.credit_total == 0


def test_missing_data_is_reported_but_carries_no_credit() -> None:
    result = evaluate_month(
        charges=D(100000), at_risk_percent=D(12), targets=[service_level_target(actual=None)]
    )
    assert result.targets[0].status is MISSING
    assert result.targets[0].actual is None
    assert result.targets[0].credit == 0
    assert result.credit_total == 0


def test_a_breached_key_measurement_carries_no_credit() -> None:
    key = service_level_target(metric="csat", critical=False, allocation_percent=D(20))
    result = evaluate_month(charges=D(100000), at_risk_percent=D(12), targets=[key])
    assert result.targets[0].status is BREACH
    assert result.targets[0].credit == 0
    assert result.credit_total == 0


def test_a_waived_credit_stays_visible_on_its_target_but_is_left_out_of_the_total() -> None:
    result = evaluate_month(
        charges=D("100000.00"),
        at_risk_percent=D(12),
        targets=[
            service_level_target(id=1, allocation_percent=D(30), waived=True),
            service_level_target(id=2, allocation_percent=D(25)),
        ],
    )
    waived, kept = result.targets
    assert (waived.status, waived.credit, waived.waived, waived.deducted) == (
        BREACH,
        D("3600.00"),
        True,
        D(0),
    )
    assert kept.deducted == D("3000.00")
    assert result.credit_waived == D("3600.00")
    assert result.credit_before_cap == D("3000.00")
    assert result.credit_total == D("3000.00")


def test_a_lower_is_better_target_earns_its_credit_when_breached() -> None:
    asa = service_level_target(
        metric="asa_seconds", direction=Direction.LOWER, expected=D(20), minimum=D(30)
    )
    result = evaluate_month(
        charges=D("100000.00"), at_risk_percent=D(12), targets=[replace(asa, actual=D(31))]
    )
    assert result.targets[0].credit == D("3600.00")


def test_a_month_without_targets_has_no_credit() -> None:
    result = evaluate_month(charges=D("50000.00"), at_risk_percent=D(12), targets=[])
    assert (result.at_risk_amount, result.credit_total, result.targets) == (D("6000.00"), D(0), ())


@pytest.mark.parametrize(
    ("charges", "at_risk_percent"),
    [(D(-1), D(12)), (D(100), D(-1)), (D(100), D("100.01"))],
)
def test_negative_charges_or_an_at_risk_percent_outside_0_to_100_are_refused(
    charges: Decimal, at_risk_percent: Decimal
) -> None:
    with pytest.raises(ValueError):
        evaluate_month(charges=charges, at_risk_percent=at_risk_percent, targets=[])


def test_a_negative_allocation_is_refused() -> None:
    with pytest.raises(ValueError, match="allocation"):
        evaluate_month(
            charges=D(100),
            at_risk_percent=D(12),
            targets=[service_level_target(allocation_percent=D(-5))],
        )


# --- credit properties ----------------------------------------------------------------------

money = st.decimals(min_value=0, max_value=10_000_000, places=2)
percent = st.decimals(min_value=0, max_value=100, places=2)
targets_strategy = st.lists(
    st.builds(
        service_level_target,
        id=st.integers(1, 1000),
        critical=st.booleans(),
        allocation_percent=st.decimals(min_value=0, max_value=150, places=2),
        actual=st.one_of(st.none(), st.decimals(min_value=0, max_value=100, places=2)),
        waived=st.booleans(),
    ),
    max_size=8,
)


@given(charges=money, at_risk_percent=percent, targets=targets_strategy)
def test_the_credit_total_never_exceeds_the_at_risk_amount_and_reconciles(
    charges: Decimal, at_risk_percent: Decimal, targets: list[TargetInput]
) -> None:
    result = evaluate_month(charges=charges, at_risk_percent=at_risk_percent, targets=targets)
    assert 0 <= result.credit_total <= result.at_risk_amount
    assert result.credit_total == min(result.credit_before_cap, result.at_risk_amount)
    lines = sum((t.deducted for t in result.targets), D(0))
    assert lines + result.cap_adjustment == result.credit_total
    assert result.credit_total == result.credit_total.quantize(D("0.01"))


@given(charges=money, at_risk_percent=percent, targets=targets_strategy, data=st.data())
def test_turning_a_met_critical_target_into_a_breach_never_lowers_the_credit_total(
    charges: Decimal, at_risk_percent: Decimal, targets: list[TargetInput], data: st.DataObject
) -> None:
    extra = data.draw(
        st.builds(
            service_level_target,
            actual=st.just(D(90)),
            allocation_percent=st.decimals(min_value=0, max_value=150, places=2),
            waived=st.booleans(),
        )
    )
    before = evaluate_month(
        charges=charges, at_risk_percent=at_risk_percent, targets=[*targets, extra]
    )
    after = evaluate_month(
        charges=charges,
        at_risk_percent=at_risk_percent,
        targets=[*targets, replace(extra, actual=D(50))],
    )
    assert before.targets[-1].status is MET and after.targets[-1].status is BREACH
    assert after.credit_total >= before.credit_total


@given(charges=money, at_risk_percent=percent, targets=targets_strategy, data=st.data())
def test_waiving_a_target_never_raises_the_credit_total(
    charges: Decimal, at_risk_percent: Decimal, targets: list[TargetInput], data: st.DataObject
) -> None:
    if not targets:
        return
    index = data.draw(st.integers(0, len(targets) - 1))
    waived = [*targets]
    waived[index] = replace(targets[index], waived=True)
    before = evaluate_month(charges=charges, at_risk_percent=at_risk_percent, targets=targets)
    after = evaluate_month(charges=charges, at_risk_percent=at_risk_percent, targets=waived)
    assert after.credit_total <= before.credit_total


# --- chronic failure ------------------------------------------------------------------------


def test_breach_in_3_of_the_last_6_months_is_chronic() -> None:
    flag = is_chronic(statuses=[BREACH, MET, BREACH, MET, MET, BREACH])
    assert flag.chronic and flag
    assert flag.rules == (ChronicRule.BREACH_3_OF_6,)
    assert flag.breaches_in_last_6 == 3


def test_breaches_older_than_6_months_do_not_count_towards_the_breach_rule() -> None:
    # Oldest first: the first breach is 7 months before the month judged.
    flag = is_chronic(statuses=[BREACH, MET, MET, MET, MET, BREACH, BREACH])
    assert flag.breaches_in_last_6 == 2
    assert not flag.chronic


def test_warning_or_breach_in_4_of_the_last_12_months_is_chronic() -> None:
    statuses = [WARNING, MET, MET, MET, WARNING, MET, MET, BREACH, MET, MET, WARNING, MET]
    flag = is_chronic(statuses=statuses)
    assert flag.rules == (ChronicRule.BELOW_EXPECTED_4_OF_12,)
    assert (flag.breaches_in_last_6, flag.below_expected_in_last_12) == (1, 4)


def test_months_older_than_12_do_not_count_towards_the_below_expected_rule() -> None:
    statuses = [WARNING, WARNING, MET, MET, MET, MET, MET, MET, MET, MET, MET, WARNING, WARNING]
    assert is_chronic(statuses=statuses).below_expected_in_last_12 == 3
    assert not is_chronic(statuses=statuses)


def test_both_rules_can_fire_together() -> None:
    flag = is_chronic(statuses=[WARNING, BREACH, MET, BREACH, BREACH])
    assert flag.rules == (ChronicRule.BREACH_3_OF_6, ChronicRule.BELOW_EXPECTED_4_OF_12)
    assert "3 or more of the last 6" in flag.rules[0].label


def test_missing_months_count_as_neither_breach_nor_warning() -> None:
    flag = is_chronic(statuses=[MISSING, BREACH, MISSING, BREACH, MISSING, WARNING])
    assert (flag.breaches_in_last_6, flag.below_expected_in_last_12) == (2, 3)
    assert not flag.chronic


def test_months_before_the_contract_started_count_as_nothing() -> None:
    flag = is_chronic(statuses=[None, None, None, BREACH, BREACH])
    assert (flag.breaches_in_last_6, flag.chronic) == (2, False)


def test_a_short_history_can_already_be_chronic() -> None:
    assert is_chronic(statuses=[BREACH, BREACH, BREACH]).rules == (ChronicRule.BREACH_3_OF_6,)


def test_no_history_is_not_chronic() -> None:
    assert not is_chronic(statuses=[])
