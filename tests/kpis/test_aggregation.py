"""Monthly aggregates of KPI rows: volume-weighted means, sums, and months given whole."""

import io
from datetime import date
from decimal import Context, Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.channels import Channel
from kpis.ingestion.aggregation import NO_VOLUME, MonthlyAccumulator, MonthlyAggregate
from kpis.ingestion.detect import open_kpi_file
from kpis.ingestion.rows import ParsedRow
from kpis.ingestion.table import RawRow
from kpis.ingestion.validation import ContractInfo, validate_file

SAMPLES = Path(__file__).parents[1] / "samples"
ACME = ContractInfo("ACME-NL-01", date(2025, 1, 1), date(2027, 12, 31), vendor_id=1)
NO_HYPOTHESIS_FILES = settings(database=None, deadline=None)


def parsed(
    value: str,
    volume: str | None = None,
    metric: str = "service_level",
    day: int | None = 1,
    channel: Channel | None = Channel.PHONE,
    month: int = 3,
    contract: str = "ACME-NL-01",
) -> ParsedRow:
    raw = RawRow(2, contract, "", "", metric, value, volume or "")
    vol = None if volume is None else Decimal(volume)
    return ParsedRow(2, contract, 2026, month, day, channel, metric, Decimal(value), vol, raw)


def aggregate(*rows: ParsedRow) -> list[MonthlyAggregate]:
    accumulator = MonthlyAccumulator()
    accumulator.add_many(rows)
    return accumulator.results()


def test_a_rate_is_the_volume_weighted_mean_of_its_days_never_their_plain_average():
    (month,) = aggregate(parsed("90", "100", day=1), parsed("60", "300", day=2))
    assert month.value == Decimal("67.5")  # (90 x 100 + 60 x 300) / 400; the plain mean is 75
    assert (month.total, month.volume, month.rows, month.daily) == (
        Decimal(27000),
        Decimal(400),
        2,
        True,
    )
    assert month.reason is None


def test_a_count_is_the_sum_of_its_days_and_has_no_volume():
    rows = [parsed(str(v), None, "contacts_handled", day=d) for d, v in ((1, 100), (2, 250))]
    (month,) = aggregate(*rows)
    assert (month.value, month.volume, month.total, month.rows) == (Decimal(350), None, 350, 2)


def test_a_count_ignores_a_volume_given_with_it():
    (month,) = aggregate(parsed("100", "7", "handled_minutes"))
    assert (month.value, month.volume) == (Decimal(100), None)


def test_a_day_with_zero_volume_does_not_move_the_mean():
    (month,) = aggregate(parsed("100", "0", day=1), parsed("80", "50", day=2))
    assert month.value == Decimal(80)


def test_a_month_whose_days_have_no_volume_at_all_has_no_value_and_says_why():
    (month,) = aggregate(parsed("100", "0", day=1), parsed("95", "0", day=2))
    assert (month.value, month.volume, month.reason) == (None, Decimal(0), NO_VOLUME)
    assert NO_VOLUME == "The month's rows report a total volume of 0, so there is no weighted mean."


def test_a_month_given_as_one_row_keeps_its_value_and_volume_as_submitted():
    (month,) = aggregate(parsed("100", "0", day=None))
    assert (month.value, month.volume, month.rows, month.daily) == (Decimal(100), 0, 1, False)
    assert month.reason is None


def test_a_weighted_mean_is_carried_to_28_significant_digits_unrounded():
    (month,) = aggregate(parsed("100", "1", day=1), parsed("0", "2", day=2))
    assert month.value == Decimal("33.33333333333333333333333333")


def test_months_are_kept_apart_by_contract_month_channel_and_metric():
    rows = [
        parsed("90", "10", day=1),
        parsed("80", "10", day=1, channel=None),  # "all channels" is its own series
        parsed("70", "10", day=1, channel=Channel.CHAT),
        parsed("60", "10", day=1, month=4),
        parsed("50", "10", day=1, metric="csat"),
        parsed("40", "10", day=1, contract="ACME-DE-02"),
    ]
    keys = [(m.contract, m.month, m.channel, m.metric, m.value) for m in aggregate(*rows)]
    assert keys == [
        ("ACME-DE-02", 3, Channel.PHONE, "service_level", 40),
        ("ACME-NL-01", 3, None, "service_level", 80),
        ("ACME-NL-01", 3, Channel.CHAT, "service_level", 70),
        ("ACME-NL-01", 3, Channel.PHONE, "csat", 50),
        ("ACME-NL-01", 3, Channel.PHONE, "service_level", 90),
        ("ACME-NL-01", 4, Channel.PHONE, "service_level", 60),
    ]


@pytest.mark.parametrize(
    "rows",
    [
        (parsed("90", "10", day=None), parsed("80", "10", day=2)),
        (parsed("90", "10", day=2), parsed("80", "10", day=None)),
        (parsed("90", "10", day=None), parsed("80", "10", day=None)),
    ],
)
def test_a_month_mixing_a_whole_month_row_with_others_is_refused(rows):
    with pytest.raises(ValueError, match="mixes a monthly row with others"):
        aggregate(*rows)


def test_a_weighted_row_without_a_volume_is_refused():
    with pytest.raises(ValueError, match="service_level needs a volume"):
        aggregate(parsed("90", None))


def test_the_daily_sample_file_aggregates_to_its_documented_monthly_figures():
    stream = io.BytesIO((SAMPLES / "daily_march.csv").read_bytes())
    table = open_kpi_file(stream=stream, filename="daily_march.csv", max_bytes=10**6)
    accumulator = MonthlyAccumulator()
    result = validate_file(
        rows=table.rows(),
        decimal_mark=table.decimal_mark,
        lookup_contract={"ACME-NL-01": ACME}.get,
        vendor_id=1,
        on_valid=accumulator.add_many,
        batch_size=10,
    )
    counts, level = accumulator.results()
    assert result.ok
    assert (counts.metric, counts.value, counts.rows) == ("contacts_handled", 13144, 31)
    assert (level.total, level.volume, level.rows) == (Decimal("1078925.0"), 13950, 31)
    assert level.value == Decimal("77.34229390681003584229390681")
    assert level.value == Context(prec=28).divide(level.total, level.volume)


volumes = st.integers(min_value=0, max_value=10**7)
levels = st.decimals(min_value=0, max_value=100, places=4)


@NO_HYPOTHESIS_FILES
@given(st.lists(st.tuples(levels, volumes), min_size=1, max_size=31), st.randoms())
def test_a_weighted_mean_is_exact_order_free_and_within_its_days(days, shuffler):
    rows = [parsed(str(v), str(w), day=d) for d, (v, w) in enumerate(days, start=1)]
    (month,) = aggregate(*rows)
    shuffled = rows[:]
    shuffler.shuffle(shuffled)
    assert aggregate(*shuffled) == [month]
    exact = sum(Fraction(v) * w for v, w in days)
    assert Fraction(month.total) == exact  # sums carry every digit
    if month.value is None:
        assert month.volume == 0
        return
    assert Fraction(month.value) == pytest.approx(exact / sum(w for _, w in days), rel=1e-25)
    weighted = [v for v, w in days if w]
    assert min(weighted) <= month.value <= max(weighted)


def test_sums_keep_every_digit_even_where_the_default_28_digit_context_would_round():
    value, volume = "12.345678901234567891", "999999999999"
    (month,) = aggregate(parsed(value, volume, day=1), parsed("0.000000000000000001", "1", day=2))
    exact = Fraction(value) * int(volume) + Fraction(1, 10**18)
    assert Fraction(month.total) == exact
    assert Fraction(Decimal(value) * Decimal(volume)) != Fraction(value) * int(volume)
