"""Pricing of a month of usage (DOMAIN.md "Proposals and pricing models")."""

from decimal import Decimal

import pytest

from core.channels import Channel
from vendors.domain.pricing import (
    ChannelPrice,
    ChannelUsage,
    InvalidPriceListError,
    MissingFxRateError,
    MonthlyFee,
    OneOffFees,
    PriceComponent,
    PriceList,
    PricingModel,
    UnpricedChannelError,
    billed_quantity,
    price_usage,
    validate_price_list,
)

D = Decimal
M = PricingModel


def price_list(*prices: ChannelPrice, **extra) -> PriceList:
    return PriceList(currency=extra.pop("currency", "EUR"), channel_prices=prices, **extra)


def phone_usage(**quantities) -> ChannelUsage:
    return ChannelUsage(channel=Channel.PHONE, **{k: D(v) for k, v in quantities.items()})


def test_per_production_hour_bills_rate_times_production_hours():
    prices = price_list(
        ChannelPrice(channel=Channel.PHONE, model=M.PER_PRODUCTION_HOUR, rate=D(32))
    )
    result = price_usage(price_list=prices, usage=[phone_usage(production_hours="1408")])
    (line,) = result.lines
    assert (line.model, line.rate, line.quantity, line.amount) == (
        M.PER_PRODUCTION_HOUR,
        D(32),
        D(1408),
        D(45_056),
    )
    assert result.quoted.usage_charge == D(45_056)


def test_per_fte_month_bills_ceil_of_paid_hours_over_160_when_no_fte_is_given():
    prices = price_list(ChannelPrice(channel=None, model=M.PER_FTE_MONTH, rate=D(4000)))
    # 2,011.43 paid hours / 160 = 12.57 -> 13 FTE (a part-time remainder is still a head).
    result = price_usage(price_list=prices, usage=[phone_usage(paid_hours="2011.43")])
    assert result.lines[0].quantity == 13
    assert result.quoted.usage_charge == D(52_000)


def test_per_fte_month_bills_the_fte_given_in_the_usage():
    prices = price_list(ChannelPrice(channel=None, model=M.PER_FTE_MONTH, rate=D(4000)))
    usage = [phone_usage(paid_hours="2011.43", fte="14")]
    assert price_usage(price_list=prices, usage=usage).quoted.usage_charge == D(56_000)


def test_fte_hours_can_differ_from_160():
    usage = phone_usage(paid_hours="1500")
    assert billed_quantity(model=M.PER_FTE_MONTH, usage=usage, fte_hours=D(150)) == 10
    assert billed_quantity(model=M.PER_FTE_MONTH, usage=usage, fte_hours=D(160)) == 10
    assert billed_quantity(model=M.PER_FTE_MONTH, usage=usage, fte_hours=D(140)) == 11


def test_blended_models_bill_handled_minutes_or_contacts():
    prices = price_list(
        ChannelPrice(channel=Channel.PHONE, model=M.PER_CONTACT, rate=D("4.50")),
        ChannelPrice(channel=Channel.EMAIL, model=M.PER_HANDLED_MINUTE, rate=D("0.80")),
    )
    usage = [
        phone_usage(contacts=10_000, handled_minutes=50_000),
        # 3,400 emails x 360 s / 60 = 20,400 handled minutes.
        ChannelUsage(channel=Channel.EMAIL, contacts=D(3400), handled_minutes=D(20_400)),
    ]
    result = price_usage(price_list=prices, usage=usage)
    assert [line.amount for line in result.lines] == [D(45_000), D(16_320)]
    assert result.quoted.usage_charge == D(61_320)


def test_hybrid_bills_each_component_on_its_share_of_the_usage():
    hybrid = ChannelPrice(
        channel=Channel.PHONE,
        model=M.HYBRID,
        components=(
            PriceComponent(model=M.PER_PRODUCTION_HOUR, rate=D(30), share=D("0.6")),
            PriceComponent(model=M.PER_CONTACT, rate=D(4), share=D("0.4")),
        ),
    )
    usage = [phone_usage(contacts=10_000, production_hours=1000)]
    result = price_usage(price_list=price_list(hybrid), usage=usage)
    # Dedicated by day: 0.6 x 1,000 h x 30 = 18,000; blended nights: 0.4 x 10,000 x 4 = 16,000.
    assert [(line.model, line.share, line.quantity, line.amount) for line in result.lines] == [
        (M.PER_PRODUCTION_HOUR, D("0.6"), D(600), D(18_000)),
        (M.PER_CONTACT, D("0.4"), D(4000), D(16_000)),
    ]
    assert result.quoted.usage_charge == D(34_000)


def test_a_channel_price_wins_over_the_all_channels_price():
    prices = price_list(
        ChannelPrice(channel=None, model=M.PER_CONTACT, rate=D(5)),
        ChannelPrice(channel=Channel.PHONE, model=M.PER_CONTACT, rate=D(3)),
    )
    usage = [phone_usage(contacts=100), ChannelUsage(channel=Channel.CHAT, contacts=D(100))]
    result = price_usage(price_list=prices, usage=usage)
    assert [(line.channel, line.rate, line.price_channel) for line in result.lines] == [
        (Channel.PHONE, D(3), Channel.PHONE),
        (Channel.CHAT, D(5), None),
    ]


def test_the_minimum_applies_to_the_usage_charge_before_fixed_fees():
    prices = price_list(
        ChannelPrice(channel=None, model=M.PER_CONTACT, rate=D(4)),
        minimum_monthly_charge=D(10_000),
        monthly_fees=(MonthlyFee(name="management", amount=D(500)),),
    )
    result = price_usage(price_list=prices, usage=[phone_usage(contacts=2000)])
    assert result.quoted.usage_charge == D(8000)
    assert result.minimum_applied
    assert result.quoted.monthly_charge == D(10_000)
    assert result.quoted.fixed_fees == D(500)
    assert result.quoted.monthly_total == D(10_500)


def test_the_minimum_does_not_apply_when_usage_exceeds_it():
    prices = price_list(
        ChannelPrice(channel=None, model=M.PER_CONTACT, rate=D(4)), minimum_monthly_charge=D(1000)
    )
    result = price_usage(price_list=prices, usage=[phone_usage(contacts=2000)])
    assert not result.minimum_applied
    assert result.quoted.monthly_total == D(8000)


def test_amounts_are_converted_at_the_stated_rate_which_is_shown():
    prices = price_list(
        ChannelPrice(channel=None, model=M.PER_CONTACT, rate=D(4)),
        currency="USD",
        monthly_fees=(MonthlyFee(name="numbers", amount=D(100)),),
        one_off_fees=OneOffFees(setup=D(5000), training=D(1000)),
    )
    result = price_usage(
        price_list=prices, usage=[phone_usage(contacts=1000)], currency="EUR", fx_rate=D("0.9")
    )
    assert result.fx_rate == D("0.9")
    assert (result.quoted.currency, result.quoted.monthly_total) == ("USD", D(4100))
    assert result.converted.currency == "EUR"
    assert result.converted.usage_charge == D("3600.0")
    assert result.converted.monthly_total == D("3690.0")
    assert result.converted.one_off_fees == D("5400.0")


def test_the_same_currency_converts_at_one():
    prices = price_list(ChannelPrice(channel=None, model=M.PER_CONTACT, rate=D(4)))
    result = price_usage(price_list=prices, usage=[phone_usage(contacts=10)], currency="EUR")
    assert result.fx_rate == 1
    assert result.converted == result.quoted


def test_converting_without_a_rate_is_a_clear_error():
    prices = price_list(ChannelPrice(channel=None, model=M.PER_CONTACT, rate=D(4)), currency="USD")
    with pytest.raises(MissingFxRateError, match="USD to EUR"):
        price_usage(price_list=prices, usage=[phone_usage(contacts=10)], currency="EUR")


def test_an_unpriced_channel_with_usage_is_an_error_naming_the_channel():
    prices = price_list(ChannelPrice(channel=Channel.PHONE, model=M.PER_CONTACT, rate=D(4)))
    usage = [phone_usage(contacts=10), ChannelUsage(channel=Channel.CHAT, contacts=D(5))]
    with pytest.raises(UnpricedChannelError, match="chat") as raised:
        price_usage(price_list=prices, usage=usage)
    assert raised.value.channel is Channel.CHAT
    assert isinstance(raised.value, ValueError)


def test_an_unpriced_channel_without_usage_is_simply_left_out():
    prices = price_list(ChannelPrice(channel=Channel.PHONE, model=M.PER_CONTACT, rate=D(4)))
    usage = [phone_usage(contacts=10), ChannelUsage(channel=Channel.CHAT)]
    assert [line.channel for line in price_usage(price_list=prices, usage=usage).lines] == [
        Channel.PHONE
    ]


def test_a_contract_month_is_priced_from_its_measured_usage_without_rounding():
    prices = price_list(
        ChannelPrice(channel=Channel.PHONE, model=M.PER_HANDLED_MINUTE, rate=D("0.333")),
        ChannelPrice(
            channel=Channel.EMAIL, model=M.PER_FTE_MONTH, rate=D("3999.99"), stated_fte=D(4)
        ),
    )
    usage = [
        phone_usage(contacts=11_800, handled_minutes="61234.5"),
        # The contracted FTE is billed, whatever the month's hours were.
        ChannelUsage(channel=Channel.EMAIL, production_hours=D("388.25"), fte=D(4)),
    ]
    result = price_usage(price_list=prices, usage=usage)
    assert result.lines[0].amount == D("20391.0885")  # 61,234.5 x 0.333, unrounded
    assert result.lines[1].amount == D("15999.96")
    assert result.quoted.usage_charge == D("36391.0485")


def test_a_valid_price_list_has_no_problems():
    prices = price_list(
        ChannelPrice(channel=None, model=M.PER_CONTACT, rate=D(4)),
        ChannelPrice(
            channel=Channel.PHONE,
            model=M.HYBRID,
            components=(
                PriceComponent(model=M.PER_FTE_MONTH, rate=D(4000), share=D("0.7")),
                PriceComponent(model=M.PER_HANDLED_MINUTE, rate=D("0.9"), share=D("0.3")),
            ),
        ),
    )
    assert validate_price_list(price_list=prices) == []


def test_validation_reports_every_problem_by_field():
    prices = PriceList(
        currency="euro",
        channel_prices=(
            ChannelPrice(channel=Channel.PHONE, model=M.PER_CONTACT, rate=D(-1)),
            ChannelPrice(channel=Channel.PHONE, model=M.PER_CONTACT, rate=D(1)),
            ChannelPrice(
                channel=Channel.CHAT,
                model=M.HYBRID,
                components=(
                    PriceComponent(model=M.PER_CONTACT, rate=D(-2), share=D("0.5")),
                    PriceComponent(model=M.HYBRID, rate=D(1), share=D("0.4")),
                ),
            ),
            ChannelPrice(channel=Channel.EMAIL, model=M.HYBRID),
            ChannelPrice(channel=Channel.SOCIAL, model=M.PER_CONTACT, stated_hours=D(-5)),
        ),
        monthly_fees=(MonthlyFee(name=" ", amount=D(-10)),),
        minimum_monthly_charge=D(-1),
        one_off_fees=OneOffFees(setup=D(-100)),
    )
    assert validate_price_list(price_list=prices) == [
        ("currency", "must be a three-letter ISO 4217 code"),
        ("pricing[0].rate", "must not be negative"),
        ("pricing[1].channel", "phone is priced more than once"),
        ("pricing[2].components[0].rate", "must not be negative"),
        ("pricing[2].components[1].model", "a component cannot itself be hybrid"),
        ("pricing[2].components", "shares must sum to 1, they sum to 0.9"),
        ("pricing[3].components", "a hybrid price needs components"),
        ("pricing[4].stated_hours", "must not be negative"),
        ("monthly_fees[0].name", "must not be blank"),
        ("monthly_fees[0].amount", "must not be negative"),
        ("minimum_monthly_charge", "must not be negative"),
        ("one_off_fees.setup", "must not be negative"),
    ]


def test_pricing_refuses_an_invalid_price_list_with_its_problems():
    prices = price_list(ChannelPrice(channel=None, model=M.PER_CONTACT, rate=D(-4)))
    with pytest.raises(InvalidPriceListError) as raised:
        price_usage(price_list=prices, usage=[phone_usage(contacts=10)])
    assert raised.value.problems == [("pricing[0].rate", "must not be negative")]
