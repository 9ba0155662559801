"""ROI over a range of contract months and KPI deltas against the baseline (DOMAIN.md "ROI")."""

from decimal import Decimal

import pytest

from kpis.roi.arithmetic import Change, MonthFigures, compute_roi, kpi_deltas

D = Decimal


def month(period: str, charges: str, credits: str = "0") -> MonthFigures:
    """A month with an in-house baseline of 50,000 and retained management cost of 2,000."""
    return MonthFigures(
        period=period,
        inhouse=D("50000.00"),
        charges=D(charges),
        credits=D(credits),
        retained=D("2000.00"),
    )


# Hand calculation, in-house 50,000 and retained 2,000 every month:
#   period   charges  credits  outsourced = charges - credits + 2,000  savings  cumulative
#   2026-01   45,000        0                                  47,000    3,000       3,000
#   2026-02   40,000    1,200                                  40,800    9,200      12,200
#   2026-03   42,000        0                                  44,000    6,000      18,200
#   2026-04   41,000    2,460                                  40,540    9,460      27,660
#   2026-05   43,000        0                                  45,000    5,000      32,660
# Totals: in-house 250,000; charges 211,000; credits 3,660; retained 10,000;
#         outsourced 217,340; savings 32,660.
FIVE_MONTHS = [
    month("2026-01", "45000.00"),
    month("2026-02", "40000.00", "1200.00"),
    month("2026-03", "42000.00"),
    month("2026-04", "41000.00", "2460.00"),
    month("2026-05", "43000.00"),
]


def test_month_rows_follow_the_hand_calculation() -> None:
    roi = compute_roi(months=FIVE_MONTHS, one_off=D("20000.00"))
    rows = [(r.period, r.outsourced_cost, r.savings, r.cumulative_savings) for r in roi.months]
    assert rows == [
        ("2026-01", D("47000.00"), D("3000.00"), D("3000.00")),
        ("2026-02", D("40800.00"), D("9200.00"), D("12200.00")),
        ("2026-03", D("44000.00"), D("6000.00"), D("18200.00")),
        ("2026-04", D("40540.00"), D("9460.00"), D("27660.00")),
        ("2026-05", D("45000.00"), D("5000.00"), D("32660.00")),
    ]


def test_totals_savings_percent_and_roi_follow_the_hand_calculation() -> None:
    roi = compute_roi(months=FIVE_MONTHS, one_off=D("20000.00"))
    t = roi.totals
    assert (t.inhouse, t.charges, t.credits, t.retained) == (
        D("250000.00"),
        D("211000.00"),
        D("3660.00"),
        D("10000.00"),
    )
    assert (t.outsourced_cost, t.savings, t.one_off) == (
        D("217340.00"),
        D("32660.00"),
        D("20000.00"),
    )
    # 32,660 / 250,000 x 100 = 13.064 -> 13.06
    assert roi.savings_percent == D("13.06")
    # (32,660 - 20,000) / 20,000 x 100 = 63.3
    assert roi.roi_percent == D("63.30")


def test_payback_is_the_first_month_whose_cumulative_savings_reach_the_one_off_fees() -> None:
    # Cumulative 18,200 in March is short of 20,000; 27,660 in April reaches it.
    assert compute_roi(months=FIVE_MONTHS, one_off=D("20000.00")).payback_period == "2026-04"


def test_cumulative_savings_equal_to_the_one_off_fees_pay_back_in_that_month() -> None:
    assert compute_roi(months=FIVE_MONTHS, one_off=D("12200.00")).payback_period == "2026-02"


def test_a_range_that_never_pays_back_has_no_payback_month_and_a_negative_roi() -> None:
    roi = compute_roi(months=FIVE_MONTHS, one_off=D("100000.00"))
    assert roi.payback_period is None
    # (32,660 - 100,000) / 100,000 x 100 = -67.34
    assert roi.roi_percent == D("-67.34")


def test_zero_one_off_fees_give_no_roi_percent() -> None:
    roi = compute_roi(months=FIVE_MONTHS, one_off=D(0))
    assert roi.roi_percent is None
    assert roi.savings_percent == D("13.06")
    # Nothing to pay back: the first month with cumulative savings >= 0.
    assert roi.payback_period == "2026-01"


def test_payback_waits_for_cumulative_savings_to_recover_from_a_loss_making_month() -> None:
    months = [month("2026-01", "60000.00"), month("2026-02", "40000.00")]
    roi = compute_roi(months=months, one_off=D(0))
    # Savings -12,000 then +8,000: cumulative -12,000, -4,000; never reaches 0.
    assert [r.cumulative_savings for r in roi.months] == [D("-12000.00"), D("-4000.00")]
    assert roi.payback_period is None


def test_a_zero_in_house_total_gives_no_savings_percent() -> None:
    zero = MonthFigures(period="2026-01", inhouse=D(0), charges=D(0), credits=D(0), retained=D(0))
    roi = compute_roi(months=[zero], one_off=D(0))
    assert roi.savings_percent is None


def test_an_empty_range_has_zero_totals_and_no_payback() -> None:
    roi = compute_roi(months=[], one_off=D("1000.00"))
    assert (roi.months, roi.totals.savings, roi.savings_percent) == ((), D(0), None)
    assert (roi.roi_percent, roi.payback_period) == (D("-100.00"), None)


@pytest.mark.parametrize(
    "periods",
    [["2026-02", "2026-01"], ["2026-01", "2026-01"], ["2026-13"], ["2026-1"], ["202601"]],
)
def test_months_out_of_order_repeated_or_not_yyyy_mm_are_refused(periods: list[str]) -> None:
    with pytest.raises(ValueError):
        compute_roi(months=[month(p, "1.00") for p in periods], one_off=D(0))


def test_negative_one_off_fees_are_refused() -> None:
    with pytest.raises(ValueError):
        compute_roi(months=FIVE_MONTHS, one_off=D(-1))


# --- KPI deltas -----------------------------------------------------------------------------


def test_kpi_deltas_say_better_or_worse_from_the_metric_direction() -> None:
    deltas = kpi_deltas(
        baseline={
            "asa_seconds": D(40),
            "service_level": D(75),
            "csat": D(80),
            "contacts_handled": D(1000),
        },
        actual={
            "service_level": D("82.50"),
            "asa_seconds": D(45),
            "csat": D(80),
            "contacts_handled": D(1200),
        },
    )
    # Catalogue order: service_level, asa_seconds, csat, contacts_handled.
    assert [(d.metric, d.delta, d.change) for d in deltas] == [
        ("service_level", D("7.50"), Change.BETTER),  # higher is better, went up
        ("asa_seconds", D(5), Change.WORSE),  # lower is better, went up
        ("csat", D(0), Change.SAME),
        ("contacts_handled", D(200), None),  # a count has no better way
    ]


def test_a_lower_is_better_metric_that_falls_is_better() -> None:
    (delta,) = kpi_deltas(baseline={"aht_seconds": D(320)}, actual={"aht_seconds": D(290)})
    assert (delta.delta, delta.change) == (D(-30), Change.BETTER)


def test_a_baseline_kpi_without_data_in_the_range_has_no_delta() -> None:
    (delta,) = kpi_deltas(baseline={"nps": D(12)}, actual={})
    assert (delta.baseline, delta.actual, delta.delta, delta.change) == (D(12), None, None, None)


def test_metrics_not_in_the_baseline_are_left_out() -> None:
    assert kpi_deltas(baseline={}, actual={"csat": D(80)}) == ()


def test_an_unknown_baseline_metric_is_refused() -> None:
    with pytest.raises(ValueError, match="speed"):
        kpi_deltas(baseline={"speed": D(1)}, actual={})
