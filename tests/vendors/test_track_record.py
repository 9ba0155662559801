"""The track-record score (DOMAIN.md "performance"): 100 x (met + 0.5 x warning) / judged over
judged target-months; fewer than 6 judged is no track record (a newcomer)."""

from decimal import Decimal

import pytest

from vendors.domain.track_record import performance_score, track_record, track_record_of


def test_missing_months_count_as_judged_and_zero():
    record = track_record(statuses=["met"] * 6 + ["warning"] * 2 + ["breach", "missing"])
    assert (record.judged, record.met, record.warning, record.breach, record.missing) == (
        10, 6, 2, 1, 1,
    )  # fmt: skip
    assert record.score == Decimal(70)  # 100 x (6 + 0.5 x 2) / 10
    assert not record.newcomer


def test_months_not_evaluated_are_not_judged():
    record = track_record(statuses=["met", None, "breach", None, "met", "met", "met", "met"])
    assert record.judged == 6 and record.score == Decimal(100) * 5 / 6


def test_fewer_than_six_judged_is_no_track_record_but_the_month_rate_remains():
    record = track_record(statuses=["met", "met", "warning", "breach", "met"])
    assert record.newcomer and record.score is None
    assert record.rate == Decimal(70)  # 100 x (3 + 0.5) / 5, the trend's monthly figure
    assert performance_score(record=record, newcomer_performance=Decimal(50)) == Decimal(50)


def test_a_vendor_with_a_record_is_scored_on_it_not_the_newcomer_default():
    record = track_record_of(met=5, warning=1, breach=0, missing=0)
    assert performance_score(record=record, newcomer_performance=Decimal(50)) == (
        Decimal(100) * Decimal("5.5") / 6
    )


def test_nothing_judged_has_no_rate():
    assert track_record(statuses=[]).rate is None


def test_an_unknown_status_is_refused():
    with pytest.raises(ValueError, match="not a target status: chronic"):
        track_record(statuses=["met", "chronic"])
