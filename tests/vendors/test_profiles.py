"""Seasons, time bands, scoped hybrids and Erlang A (DOMAIN.md "Volume profiles", "Erlang A").

The reference checks are DOMAIN.md's figures; the hybrid is priced by hand month by month here.
"""

import dataclasses
import math
from datetime import date
from decimal import ROUND_CEILING, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.channels import Channel
from tests.support.scoring import EVENT, PROPOSAL_A, PROPOSAL_B, PROPOSAL_C, VENDOR_A, at
from vendors.domain.pricing import (
    ChannelPrice,
    ChannelUsage,
    MonthlyFee,
    OneOffFees,
    PriceComponent,
    PriceList,
    PricingError,
    PricingModel,
    coverage_problems,
    price_usage,
    validate_price_list,
)
from vendors.domain.scoring import (
    EventChannel,
    ProposalSpec,
    event_monthly_staffing,
    event_staffing,
    forecast_usage,
    price_forecast,
    rank_event,
    tco,
    term_calendar_months,
)
from vendors.domain.staffing import (
    Band,
    VolumeProfile,
    average_speed_of_answer,
    channel_staffing,
    erlang_a,
    erlang_c,
    profile_problems,
    required_agents,
    service_level,
    traffic_erlangs,
)

D = Decimal
M = PricingModel
EIGHTY = D("0.8")


# Erlang C and Erlang A: DOMAIN.md's reference checks ----------------------------------------
# 100 calls per 30 minutes = 200 an hour, AHT 180 s: A = 200 x 180 / 3600 = 10 Erlangs.


def test_erlang_c_at_14_agents_gives_the_reference_figures():
    assert erlang_c(agents=14, traffic=10) == pytest.approx(0.1741319, abs=5e-8)
    assert service_level(agents=14, traffic=10, sl_seconds=20, aht_seconds=180) == pytest.approx(
        0.88835, abs=5e-6
    )
    assert average_speed_of_answer(agents=14, traffic=10, aht_seconds=180) == pytest.approx(
        7.836, abs=5e-4
    )
    assert pytest.approx(0.7143, abs=5e-5) == 10 / 14  # occupancy A / N


def test_erlang_a_at_14_agents_with_300_seconds_patience_gives_the_reference_figures():
    result = erlang_a(
        agents=14, arrivals_per_hour=200, aht_seconds=180, patience_seconds=300, sl_seconds=20
    )
    assert result.p_wait == pytest.approx(0.14526, abs=5e-6)
    assert result.p_abandon == pytest.approx(0.013984, abs=5e-7)
    assert result.service_level == pytest.approx(0.916792, abs=5e-7)
    assert result.occupancy == pytest.approx(0.704297, abs=5e-7)


def test_erlang_a_abandonment_is_little_law_and_the_chance_of_leaving_the_queue_agree():
    # Two routes to P_abandon: theta x E[queue] / lambda (DOMAIN.md), and per waiting position j
    # the chance that the caller's own patience runs out first: 1 - N mu / (N mu + (j+1) theta).
    agents, lam, mu, theta = 12, 200 / 3600, 1 / 180, 1 / 120
    result = erlang_a(
        agents=agents, arrivals_per_hour=200, aht_seconds=180, patience_seconds=120, sl_seconds=20
    )
    weights = [1.0]
    for k in range(1, 400):
        rate = lam / (k * mu) if k <= agents else lam / (agents * mu + (k - agents) * theta)
        weights.append(weights[-1] * rate)
    pi = [w / sum(weights) for w in weights]
    by_position = sum(
        p * (j + 1) * theta / (agents * mu + (j + 1) * theta) for j, p in enumerate(pi[agents:])
    )
    assert result.p_abandon == pytest.approx(by_position, rel=1e-9)
    assert result.p_wait == pytest.approx(sum(pi[agents:]), rel=1e-9)


@settings(max_examples=30, deadline=None)
@given(
    agents=st.integers(min_value=3, max_value=40),
    load=st.floats(min_value=0.3, max_value=0.95),
    aht=st.integers(min_value=60, max_value=900),
    sl_seconds=st.integers(min_value=5, max_value=120),
)
def test_erlang_a_tends_to_erlang_c_as_patience_grows(agents, load, aht, sl_seconds):
    traffic = agents * load
    rate = traffic * 3600 / aht
    gaps = []
    for patience in (10, 1e3, 1e7):
        result = erlang_a(
            agents=agents,
            arrivals_per_hour=rate,
            aht_seconds=aht,
            patience_seconds=aht * patience,
            sl_seconds=sl_seconds,
        )
        gaps.append(
            abs(
                result.service_level
                - service_level(
                    agents=agents, traffic=traffic, sl_seconds=sl_seconds, aht_seconds=aht
                )
            )  # fmt: skip
        )
    assert result.p_wait == pytest.approx(erlang_c(agents=agents, traffic=traffic), abs=1e-5)
    assert result.occupancy == pytest.approx(load, abs=1e-5)
    assert gaps[-1] < 1e-5
    assert gaps[2] <= gaps[1] + 1e-12 and gaps[1] <= gaps[0] + 1e-12


def test_callers_who_hang_up_need_fewer_agents_than_erlang_c_says():
    common = {"traffic": 10, "sl_target": EIGHTY, "sl_seconds": 20, "aht_seconds": 180}
    erlang_c_agents = required_agents(**common, max_occupancy=D("0.85"))
    erlang_a_agents = required_agents(**common, max_occupancy=D("0.85"), patience_seconds=300)
    assert (erlang_c_agents, erlang_a_agents) == (14, 13)
    thirteen = erlang_a(
        agents=13, arrivals_per_hour=200, aht_seconds=180, patience_seconds=300, sl_seconds=20
    )
    twelve = erlang_a(
        agents=12, arrivals_per_hour=200, aht_seconds=180, patience_seconds=300, sl_seconds=20
    )
    assert twelve.service_level < 0.8 <= thirteen.service_level


def test_the_occupancy_cap_asks_40_agents_where_the_service_level_alone_needs_38():
    traffic = traffic_erlangs(volume=1000, opening_hours=1, aht_seconds=120)
    common = {"traffic": traffic, "sl_target": EIGHTY, "sl_seconds": 20, "aht_seconds": 120}
    assert required_agents(**common, max_occupancy=D("0.85")) == 40
    assert required_agents(**common, max_occupancy=D(1)) == 38
    # The same cap holds under Erlang A (offered traffic A = lambda x AHT for the cap).
    assert required_agents(**common, max_occupancy=D("0.85"), patience_seconds=600) == 40


# Profiles and their validation --------------------------------------------------------------

PEAK = tuple([D("0.9")] * 10 + [D("1.5"), D("1.5")])  # sums to 12
BANDS = (Band(name="day", hours=D(132), share=D("0.75")), Band("evening", D(44), D("0.25")))


def test_a_valid_profile_has_no_problems_and_bad_ones_name_the_field():
    assert (
        profile_problems(profile=VolumeProfile(months=PEAK, bands=BANDS), opening_hours=D(176))
        == []
    )
    bad = VolumeProfile(
        months=(D(1),) * 11 + (D(2),),
        bands=(Band("day", D(100), D("0.7")), Band("Day", D(50), D("0.2"))),
    )
    problems = dict(profile_problems(profile=bad, opening_hours=D(176)))
    assert problems["profile.months"] == (
        "Factors must sum to 12 (an average of 1); they sum to 13."
    )
    assert "more than once" in problems["profile.bands[1].name"]
    listed = profile_problems(profile=bad, opening_hours=D(176))
    assert ("profile.bands", "Band shares must sum to 1; they sum to 0.9.") in listed
    assert (
        "profile.bands",
        "Band hours must sum to the opening hours (176); they sum to 150.",
    ) in listed
    short = VolumeProfile(months=(D(1),) * 11)
    assert (
        "12 factors" in dict(profile_problems(profile=short, opening_hours=D(1)))["profile.months"]
    )
    # Twelve to four decimals: thirds (0.3333... x 3 per month) are accepted, 12.0001 is not.
    thirds = VolumeProfile(months=(D(1) / 3 * 3,) * 12)
    assert profile_problems(profile=thirds, opening_hours=D(1)) == []
    over = VolumeProfile(months=(D(1),) * 11 + (D("1.0001"),))
    assert (
        "sum to 12.0001"
        in dict(profile_problems(profile=over, opening_hours=D(1)))["profile.months"]
    )
    negative = VolumeProfile(months=(D(2),) * 6 + (D(-1),) + (D(1),) * 5)
    assert (
        "negative" in dict(profile_problems(profile=negative, opening_hours=D(1)))["profile.months"]
    )


def test_term_months_start_at_the_start_date_and_wrap_around_the_year():
    event = dataclasses.replace(EVENT, start_date=date(2027, 11, 15), term_months=4)
    assert term_calendar_months(event=event) == (11, 12, 1, 2)


def test_a_band_in_a_month_is_staffed_on_its_own_arrival_rate():
    # December day band: 8,800 x 1.5 x 0.75 / 132 h = 75 calls an hour;
    # A = 75 x 300 / 3600 = 6.25 Erlangs.
    result = channel_staffing(
        channel=Channel.PHONE,
        monthly_volume=8800,
        aht_seconds=300,
        opening_hours=176,
        shrinkage=D("0.3"),
        max_occupancy=D("0.85"),
        sl_percent=80,
        sl_seconds=20,
        profile=VolumeProfile(months=PEAK, bands=BANDS),
        month=12,
    )
    day, evening = result.bands
    assert (day.band, day.month) == ("day", 12)
    assert day.arrivals_per_hour == D(75)
    assert day.traffic == D("6.25")
    expected_day = required_agents(
        traffic=D("6.25"), sl_target=EIGHTY, sl_seconds=20, aht_seconds=300, max_occupancy=D("0.85")
    )
    assert day.agents == expected_day
    assert evening.arrivals_per_hour == D(8800) * D("1.5") * D("0.25") / 44
    assert result.monthly_volume == D(13_200)
    assert result.production_hours == day.agents * 132 + evening.agents * 44
    assert result.paid_hours == result.production_hours / D("0.7")
    assert result.agents == max(day.agents, evening.agents)
    assert day.service_level >= EIGHTY and evening.service_level >= EIGHTY
    assert day.p_abandon is None


def test_deferred_channels_use_the_month_volume():
    result = channel_staffing(
        channel=Channel.EMAIL,
        monthly_volume=3400,
        aht_seconds=360,
        opening_hours=176,
        shrinkage=D("0.3"),
        max_occupancy=D("0.85"),
        profile=VolumeProfile(months=PEAK),
        month=11,
    )
    assert result.production_hours == D(3400) * D("1.5") * 360 / 3600 / D("0.85")


def test_erlang_a_staffing_reports_abandonment_per_band():
    result = channel_staffing(
        channel=Channel.PHONE,
        monthly_volume=8800,
        aht_seconds=300,
        opening_hours=176,
        shrinkage=D("0.3"),
        max_occupancy=D("0.85"),
        sl_percent=80,
        sl_seconds=20,
        patience_seconds=120,
        profile=VolumeProfile(months=PEAK, bands=BANDS),
        month=12,
    )
    for band in result.bands:
        figures = erlang_a(
            agents=band.agents,
            arrivals_per_hour=band.arrivals_per_hour,
            aht_seconds=300,
            patience_seconds=120,
            sl_seconds=20,
        )
        assert band.p_abandon == D(repr(figures.p_abandon))
        assert band.service_level >= EIGHTY
        assert 0 < band.p_abandon < D("0.1")
    weighted = sum(b.p_abandon * b.volume for b in result.bands) / result.monthly_volume
    assert result.p_abandon == weighted


# Flat profiles change nothing ---------------------------------------------------------------


def _explicitly_flat(event):
    """The same event with every profile stated: twelve factors of 1.0000 and one band."""
    channels = tuple(
        dataclasses.replace(
            c,
            profile=VolumeProfile(
                months=(D("1.0000"),) * 12,
                bands=(Band(name="all", hours=c.opening_hours, share=D(1)),),
            ),
        )
        for c in event.channels
    )
    return dataclasses.replace(event, channels=channels)


@pytest.mark.parametrize("stated", [False, True], ids=["default", "stated one band"])
def test_a_flat_profile_ranks_with_every_figure_of_the_flat_rules(stated):
    event = _explicitly_flat(EVENT) if stated else EVENT
    proposals = (PROPOSAL_A, PROPOSAL_B, PROPOSAL_C)
    ranking = rank_event(event=event, proposals=proposals)
    flat = event_staffing(event=EVENT)
    for row in ranking.results:
        proposal = next(p for p in proposals if p.id == row.proposal)
        forecast = forecast_usage(event=EVENT, staffing=flat, price_list=proposal.price_list)
        breakdown = price_forecast(event=EVENT, price_list=proposal.price_list, forecast=forecast)
        if breakdown is None:
            assert row.tco is None
            continue
        assert row.tco == tco(breakdown=breakdown, term_months=EVENT.term_months)
        assert row.monthly_cost == breakdown.converted.monthly_total
        assert row.peak_month_cost == row.low_month_cost == breakdown.converted.monthly_total
        assert row.monthly_costs == (breakdown.converted.monthly_total,) * EVENT.term_months
        assert row.understaffed == tuple(f.channel for f in forecast if f.understaffed)
        assert [f.production_hours for f in row.explanation.forecast] == [
            f.production_hours for f in forecast
        ]
    for seasonal, today in zip(ranking.staffing, flat, strict=True):
        assert seasonal.production_hours == today.production_hours
        assert seasonal.agents == today.agents
        assert seasonal.service_level == today.service_level
        assert seasonal.occupancy == today.occupancy


# A two-band, two-season hybrid priced by hand ------------------------------------------------
#
# Phone 8,800 calls a month, AHT 300 s, 80/20, 176 h: day 132 h with 75% of the calls, evening
# 44 h with 25%; January-October x 0.9, November and December x 1.5. The bid: dedicated at
# EUR 40 an hour by day in November and December; per contact EUR 3 by day the rest of the
# year and in the evening all year; EUR 1,000 a month in fees; EUR 5,000 setup; 12 months
# from 1 October 2027 (so October, then November and December, then January to September).

SEASONAL = dataclasses.replace(
    EVENT,
    term_months=12,
    start_date=date(2027, 10, 1),
    channels=(
        EventChannel(
            channel=Channel.PHONE,
            monthly_volume=8800,
            aht_seconds=300,
            opening_hours=D(176),
            sl_percent=D(80),
            sl_seconds=20,
            profile=VolumeProfile(months=PEAK, bands=BANDS),
        ),
    ),
    must_have_certifications=(),
)
HYBRID = PriceList(
    currency="EUR",
    channel_prices=(
        ChannelPrice(
            channel=Channel.PHONE,
            model=M.HYBRID,
            components=(
                PriceComponent(
                    model=M.PER_PRODUCTION_HOUR, rate=D(40), bands=("day",), months=(11, 12)
                ),
                PriceComponent(
                    model=M.PER_CONTACT, rate=D(3), bands=("day",), months=tuple(range(1, 11))
                ),
                PriceComponent(model=M.PER_CONTACT, rate=D(3), bands=("evening",)),
            ),
        ),
    ),
    monthly_fees=(MonthlyFee(name="management", amount=D(1000)),),
    one_off_fees=OneOffFees(setup=D(5000)),
)


def _agents(calls_per_hour: Decimal) -> int:
    traffic = calls_per_hour * 300 / 3600
    return required_agents(
        traffic=traffic, sl_target=EIGHTY, sl_seconds=20, aht_seconds=300, max_occupancy=D("0.85")
    )


def test_a_two_band_two_season_hybrid_is_priced_month_by_month_by_hand():
    proposal = ProposalSpec(id=1, vendor=VENDOR_A, submitted_at=at(1), price_list=HYBRID)
    row = rank_event(event=SEASONAL, proposals=(proposal,)).results[0]
    assert row.qualified, row.disqualification_reasons

    # Peak months: day calls = 8,800 x 1.5 x 0.75 = 9,900 over 132 h = 75 an hour;
    # evening calls = 8,800 x 1.5 x 0.25 = 3,300.
    day_hours = _agents(D(75)) * 132
    peak = 40 * day_hours + 3 * D(3300) + 1000
    # Other months: all 8,800 x 0.9 = 7,920 calls at EUR 3.
    low = 3 * D(7920) + 1000
    by_hand = [low] + [peak, peak] + [low] * 9  # October, November, December, January-September
    assert row.monthly_costs == tuple(by_hand)
    assert row.tco == 5000 + sum(by_hand)
    assert (row.peak_month, row.peak_month_cost) == (11, peak)
    assert (row.low_month, row.low_month_cost) == (10, low)
    assert row.monthly_cost == sum(by_hand) / 12
    # The explanation shows the peak month's lines: the dedicated day team and evening contacts.
    lines = row.explanation.pricing.lines
    assert [(x.model, x.quantity) for x in lines] == [
        (M.PER_PRODUCTION_HOUR, day_hours),
        (M.PER_CONTACT, D(3300)),
    ]


def test_a_month_scoped_component_outside_its_months_prices_nothing():
    usage = ChannelUsage(channel=Channel.PHONE, contacts=D(100), handled_minutes=D(500))
    breakdown = price_usage(
        price_list=dataclasses.replace(
            HYBRID,
            channel_prices=(
                ChannelPrice(
                    channel=Channel.PHONE,
                    model=M.HYBRID,
                    components=(
                        PriceComponent(model=M.PER_CONTACT, rate=D(2), months=(1, 2)),
                        PriceComponent(
                            model=M.PER_HANDLED_MINUTE, rate=D(1), months=tuple(range(3, 13))
                        ),
                    ),
                ),
            ),
        ),
        usage=[usage],
        month=2,
    )
    assert [(x.model, x.amount) for x in breakdown.lines] == [(M.PER_CONTACT, D(200))]
    with pytest.raises(PricingError, match="calendar month"):
        price_usage(price_list=breakdown_list(), usage=[usage])


def breakdown_list() -> PriceList:
    return dataclasses.replace(
        HYBRID,
        channel_prices=(
            ChannelPrice(
                channel=Channel.PHONE,
                model=M.HYBRID,
                components=(PriceComponent(model=M.PER_CONTACT, rate=D(2), months=(1, 2)),),
            ),
        ),
    )


# Coverage of scoped components ---------------------------------------------------------------


def test_coverage_names_the_band_and_months_left_out_or_priced_twice():
    price = ChannelPrice(
        channel=Channel.PHONE,
        model=M.HYBRID,
        components=(
            PriceComponent(
                model=M.PER_PRODUCTION_HOUR, rate=D(40), bands=("day",), months=(11, 12)
            ),
            PriceComponent(model=M.PER_CONTACT, rate=D(3), bands=("day",), months=(1, 2, 12)),
            PriceComponent(model=M.PER_CONTACT, rate=D(3), bands=("night",)),
        ),
    )
    problems = coverage_problems(price=price, bands=("day", "evening"))
    assert problems == [
        "component 3 names band night, which the channel does not have",
        "band day is priced by no component in March, April, May, June, July, August, "
        "September, October",
        "band day is priced twice in December (components 1 and 2)",
        "band evening is priced by no component in every month",
    ]
    proposal = ProposalSpec(
        id=2,
        vendor=VENDOR_A,
        submitted_at=at(2),
        price_list=dataclasses.replace(HYBRID, channel_prices=(price,)),
    )
    row = rank_event(event=SEASONAL, proposals=(proposal,)).results[0]
    assert not row.qualified
    assert "channel phone: band day is priced twice in December (components 1 and 2)" in (
        row.disqualification_reasons
    )
    assert row.tco is None


def test_a_hybrid_does_not_mix_shares_and_scopes():
    price = ChannelPrice(
        channel=Channel.PHONE,
        model=M.HYBRID,
        components=(
            PriceComponent(model=M.PER_CONTACT, rate=D(3), share=D("0.5"), bands=("day",)),
            PriceComponent(model=M.PER_CONTACT, rate=D(3)),
            PriceComponent(model=M.PER_CONTACT, rate=D(3), months=(13,)),
        ),
    )
    problems = validate_price_list(price_list=PriceList(currency="EUR", channel_prices=(price,)))
    assert (
        "pricing[0].components[0].share",
        "components scoped by bands or months take no share",
    ) in problems
    assert (
        "pricing[0].components[1].bands",
        "name its bands or months: the other components are scoped",
    ) in problems
    assert ("pricing[0].components[2].months", "months are 1-12, not 13") in problems


def test_unscoped_shares_still_sum_to_one():
    price = ChannelPrice(
        channel=Channel.PHONE,
        model=M.HYBRID,
        components=(
            PriceComponent(model=M.PER_CONTACT, rate=D(3), share=D("0.5")),
            PriceComponent(model=M.PER_HANDLED_MINUTE, rate=D(1), share=D("0.4")),
        ),
    )
    problems = validate_price_list(price_list=PriceList(currency="EUR", channel_prices=(price,)))
    assert problems == [("pricing[0].components", "shares must sum to 1, they sum to 0.9")]
    assert coverage_problems(price=price, bands=("day",)) == []


# Understaffing per band and month -----------------------------------------------------------


def test_stated_hours_are_judged_against_each_month_and_the_short_bands_are_named():
    staffing = {m.month: m.staffing[0] for m in event_monthly_staffing(event=SEASONAL)}
    peak_hours, low_hours = staffing[12].production_hours, staffing[1].production_hours
    assert low_hours < peak_hours
    stated = low_hours  # enough for the quiet months, short in November and December
    price_list = PriceList(
        currency="EUR",
        channel_prices=(
            ChannelPrice(
                channel=Channel.PHONE, model=M.PER_PRODUCTION_HOUR, rate=D(30), stated_hours=stated
            ),
        ),
    )
    row = rank_event(
        event=SEASONAL,
        proposals=(ProposalSpec(id=3, vendor=VENDOR_A, submitted_at=at(3), price_list=price_list),),
    ).results[0]
    assert row.understaffed == (Channel.PHONE,)
    short = {m.month: m.forecast[0] for m in row.explanation.months if m.forecast[0].understaffed}
    assert sorted(short) == [11, 12]
    december = short[12]
    even = stated / 176
    named = [(b.band, b.agents_needed) for b in december.short_bands]
    assert named == [(b.band, b.agents) for b in staffing[12].bands if b.agents > even]
    assert named  # a short total always leaves some band short
    assert all(b.agents_stated == even for b in december.short_bands)
    # Priced on the larger figure month by month: the stated hours in quiet months.
    costs = dict(zip(term_calendar_months(event=SEASONAL), row.monthly_costs, strict=True))
    assert costs[1] == 30 * stated
    assert costs[12] == 30 * peak_hours


def test_fte_billing_of_a_band_scoped_dedicated_component_counts_its_own_bands():
    price_list = PriceList(
        currency="EUR",
        channel_prices=(
            ChannelPrice(
                channel=Channel.PHONE,
                model=M.HYBRID,
                components=(
                    PriceComponent(model=M.PER_FTE_MONTH, rate=D(4000), bands=("day",)),
                    PriceComponent(model=M.PER_CONTACT, rate=D(3), bands=("evening",)),
                ),
            ),
        ),
    )
    row = rank_event(
        event=SEASONAL,
        proposals=(ProposalSpec(id=4, vendor=VENDOR_A, submitted_at=at(4), price_list=price_list),),
    ).results[0]
    january = next(m for m in row.explanation.months if m.month == 1)
    day = next(b for b in january.forecast[0].staffing.bands if b.band == "day")
    fte = (day.agents * D(132) / D("0.7") / 160).to_integral_value(ROUND_CEILING)
    assert january.pricing.lines[0].quantity == fte
    assert january.pricing.lines[1].quantity == day.volume / 3  # evening = a third of day calls
    assert math.isclose(float(january.pricing.lines[1].quantity), 7920 * 0.25)
