"""The in-house baseline from a stated amount or its fully loaded parts (DOMAIN.md "Contract")."""

from dataclasses import replace
from decimal import Decimal

import pytest

from contracts.domain.baseline import (
    BaselineInvalid,
    BaselineParts,
    BaselineSource,
    baseline_breakdown,
    baseline_from_parts,
    validate_baseline_parts,
)

D = Decimal

# Hand calculation:
#   paid FTE     = 10 / (1 - 20/100) = 12.5
#   per-FTE cost = 3,000 x 1.25 + 400 + 150 + 100 = 4,400
#   monthly      = 12.5 x 4,400 + 2,500 + 500 = 58,000
PARTS = BaselineParts(
    fte=D(10),
    gross_salary=D("3000.00"),
    employer_oncost_percent=D(25),
    facilities_per_fte=D("400.00"),
    ict_per_fte=D("150.00"),
    recruitment_training_per_fte=D("100.00"),
    management_overhead=D("2500.00"),
    depreciation=D("500.00"),
    absenteeism_percent=D(20),
)


def test_fully_loaded_parts_give_the_hand_calculated_monthly_amount() -> None:
    breakdown = baseline_from_parts(parts=PARTS)
    assert breakdown.source is BaselineSource.PARTS
    assert breakdown.paid_fte == D("12.5")
    assert breakdown.per_fte_cost == D(4400)
    assert breakdown.monthly_amount == D("58000.00")


def test_the_breakdown_shows_each_part_and_adds_up_to_the_monthly_amount() -> None:
    breakdown = baseline_from_parts(parts=PARTS)
    assert [(line.label, line.amount) for line in breakdown.lines] == [
        ("Gross salaries", D("30000.00")),  # 10 x 3,000
        ("Employer on-cost", D("7500.00")),  # 10 x 3,000 x 25%
        ("Facilities", D("4000.00")),  # 10 x 400
        ("ICT", D("1500.00")),  # 10 x 150
        ("Recruitment and training", D("1000.00")),  # 10 x 100
        ("Absence cover", D("11000.00")),  # (12.5 - 10) x 4,400
        ("Management overhead", D("2500.00")),
        ("Depreciation", D("500.00")),
    ]
    assert sum(line.amount for line in breakdown.lines) == breakdown.monthly_amount
    assert all(line.formula for line in breakdown.lines)


def test_a_paid_fte_that_does_not_divide_evenly_is_rounded_only_on_its_line() -> None:
    # paid FTE = 10 / 0.9 = 11.111...; absence cover = 1.111... x 4,400 = 4,888.888... -> 4,888.89
    # monthly = 44,000 (FTE lines) + 4,888.89 + 2,500 + 500 = 51,888.89
    breakdown = baseline_from_parts(parts=replace(PARTS, absenteeism_percent=D(10)))
    assert breakdown.lines[5].amount == D("4888.89")
    assert breakdown.monthly_amount == D("51888.89")


def test_no_absenteeism_means_no_absence_cover() -> None:
    breakdown = baseline_from_parts(parts=replace(PARTS, absenteeism_percent=D(0)))
    assert breakdown.paid_fte == D(10)
    assert breakdown.lines[5].amount == 0
    assert breakdown.monthly_amount == D("47000.00")  # 10 x 4,400 + 3,000


def test_a_stated_monthly_amount_is_one_line() -> None:
    breakdown = baseline_breakdown(monthly_amount=D("61250.5"))
    assert breakdown.source is BaselineSource.AMOUNT
    assert [(line.label, line.amount) for line in breakdown.lines] == [
        ("Monthly amount", D("61250.50"))
    ]
    assert (breakdown.monthly_amount, breakdown.paid_fte) == (D("61250.50"), None)


def test_baseline_breakdown_accepts_parts() -> None:
    assert baseline_breakdown(parts=PARTS) == baseline_from_parts(parts=PARTS)


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"monthly_amount": D(1), "parts": PARTS}],
)
def test_a_baseline_needs_exactly_one_of_amount_or_parts(kwargs: dict[str, object]) -> None:
    with pytest.raises(BaselineInvalid):
        baseline_breakdown(**kwargs)  # type: ignore[arg-type]


def test_a_negative_monthly_amount_is_refused() -> None:
    with pytest.raises(BaselineInvalid) as caught:
        baseline_breakdown(monthly_amount=D(-1))
    assert caught.value.problems == [("monthly_amount", "must not be negative")]


def test_valid_parts_have_no_problems() -> None:
    assert validate_baseline_parts(parts=PARTS) == []


def test_validation_lists_every_problem_by_field() -> None:
    bad = replace(
        PARTS,
        fte=D(0),
        gross_salary=D(-1),
        depreciation=D("-0.01"),
        absenteeism_percent=D(100),
    )
    assert validate_baseline_parts(parts=bad) == [
        ("fte", "must be greater than 0"),
        ("gross_salary", "must not be negative"),
        ("depreciation", "must not be negative"),
        ("absenteeism_percent", "must be below 100"),
    ]


def test_negative_absenteeism_is_refused() -> None:
    assert validate_baseline_parts(parts=replace(PARTS, absenteeism_percent=D(-1))) == [
        ("absenteeism_percent", "must not be negative")
    ]


def test_computing_invalid_parts_raises_with_the_problems() -> None:
    with pytest.raises(BaselineInvalid) as caught:
        baseline_from_parts(parts=replace(PARTS, fte=D(-2)))
    assert caught.value.problems == [("fte", "must be greater than 0")]
