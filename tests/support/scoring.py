"""The sourcing event scored by hand as plain domain specs (no database): three vendors, their
bids and the figures worked out in the comments. Shared by the scoring and comparison tests."""

from datetime import UTC, date, datetime
from decimal import Decimal

from core.channels import Channel
from vendors.domain.pricing import ChannelPrice, MonthlyFee, OneOffFees, PriceList, PricingModel
from vendors.domain.scoring import (
    Certification,
    DesiredCertification,
    EventChannel,
    EventSpec,
    OfferedLanguage,
    ProposalSpec,
    RequiredLanguage,
    VendorProfile,
    Weights,
)

D = Decimal
M = PricingModel
START = date(2026, 1, 1)


def at(day: int) -> datetime:
    return datetime(2025, 11, day, 10, 0, tzinfo=UTC)


# The hand-calculated event ------------------------------------------------------------------
#
# Phone: 10,000 calls, AHT 300 s, 80/20, 176 open hours.
#   A = 10,000 / 176 x 300 / 3600 = 4.7348 Erlangs -> N = 8 agents (SL 89.4%).
#   Required production hours = 8 x 176 = 1,408; paid = 1,408 / 0.70 = 2,011.43;
#   required FTE = ceil(2,011.43 / 160) = ceil(12.57) = 13.
# Email: 3,400 emails, AHT 360 s.
#   Workload 3,400 x 360 / 3600 = 340 h; production = 340 / 0.85 = 400 h;
#   paid = 400 / 0.70 = 571.43; required FTE = ceil(3.57) = 4; handled minutes = 20,400.

EVENT = EventSpec(
    currency="EUR",
    term_months=24,
    start_date=START,
    industry="Retail",
    weights=Weights(cost=40, expertise=20, security=20, language=20),
    channels=(
        EventChannel(
            channel=Channel.PHONE,
            monthly_volume=10_000,
            aht_seconds=300,
            opening_hours=D(176),
            sl_percent=D(80),
            sl_seconds=20,
        ),
        EventChannel(
            channel=Channel.EMAIL, monthly_volume=3_400, aht_seconds=360, opening_hours=D(176)
        ),
    ),
    languages=(
        RequiredLanguage(tag="nl-NL", share=D("0.6")),
        RequiredLanguage(tag="en-GB", share=D("0.4")),
    ),
    must_have_certifications=("ISO 27001",),
    desired_certifications=(
        DesiredCertification(name="PCI DSS", points=30),
        DesiredCertification(name="SOC 2 Type II", points=20),
    ),
    fx_rates={"USD": D("0.9")},
)

# A: an hourly bid, EUR. Phone 30/h stating only 1,300 h (understaffed: priced on 1,408 h),
# every other channel 28/h. Phone 1,408 x 30 = 42,240; email 400 x 28 = 11,200;
# usage 53,440 + management 1,000 = 54,440 a month; one-off 10,000 + 5,000 = 15,000.
# TCO = 15,000 + 24 x 54,440 = 1,321,560 (the lowest).
VENDOR_A = VendorProfile(
    id=1,
    name="Alpha",
    channels=frozenset({Channel.PHONE, Channel.EMAIL}),
    certifications=(
        Certification(name="ISO 27001", valid_until=date(2027, 6, 30)),
        Certification(name="PCI DSS", valid_until=date(2025, 12, 31)),  # expired at start
    ),
    industries={"retail": 12},
)
PROPOSAL_A = ProposalSpec(
    id=101,
    vendor=VENDOR_A,
    submitted_at=at(1),
    price_list=PriceList(
        currency="EUR",
        channel_prices=(
            ChannelPrice(
                channel=Channel.PHONE, model=M.PER_PRODUCTION_HOUR, rate=D(30), stated_hours=D(1300)
            ),
            ChannelPrice(channel=None, model=M.PER_PRODUCTION_HOUR, rate=D(28)),
        ),
        monthly_fees=(MonthlyFee(name="management", amount=D(1000)),),
        one_off_fees=OneOffFees(setup=D(10_000), training=D(5000)),
    ),
    languages=(
        OfferedLanguage(tag="nl-BE", level="native"),
        OfferedLanguage(tag="en-US", level="C1"),
    ),
    ratings=(4, 5, 3),
)

# B: an FTE bid in USD at 0.9 EUR per USD. Phone states 14 FTE (>= 13 required), email 4.
# 18 x 4,000 = 72,000 USD < minimum 80,000 USD -> 80,000 USD = 72,000 EUR a month;
# one-off 5,000 USD = 4,500 EUR. TCO = 4,500 + 24 x 72,000 = 1,732,500.
VENDOR_B = VendorProfile(
    id=2,
    name="Bravo",
    channels=frozenset({Channel.PHONE}),
    certifications=(
        Certification(name="iso27001", valid_until=None),
        Certification(name="SOC 2 Type II"),
        Certification(name="pci dss", valid_until=START),  # valid on the start date itself
    ),
    industries={"Retail": 4},
)
PROPOSAL_B = ProposalSpec(
    id=102,
    vendor=VENDOR_B,
    submitted_at=at(2),
    price_list=PriceList(
        currency="USD",
        channel_prices=(
            ChannelPrice(
                channel=Channel.PHONE, model=M.PER_FTE_MONTH, rate=D(4000), stated_fte=D(14)
            ),
            ChannelPrice(channel=None, model=M.PER_FTE_MONTH, rate=D(4000)),
        ),
        minimum_monthly_charge=D(80_000),
        one_off_fees=OneOffFees(setup=D(5000)),
    ),
    languages=(
        OfferedLanguage(tag="nl", level="C2", hours_coverage=D("0.5")),
        OfferedLanguage(tag="EN", level="native"),
    ),
    ratings=(3, 4),
)

# C: a per-contact bid, EUR. Phone 10,000 x 4.50 = 45,000; email 20,400 min x 0.80 = 16,320;
# usage 61,320 + fees 250 + 430 = 62,000 a month; one-off 2,000 + 3,000 = 5,000.
# TCO = 5,000 + 24 x 62,000 = 1,493,000. No ratings yet: provisional.
VENDOR_C = VendorProfile(
    id=3,
    name="Charlie",
    channels=frozenset({Channel.PHONE, Channel.EMAIL, Channel.CHAT}),
    certifications=(
        Certification(name="ISO 27001", valid_until=date(2026, 12, 31)),
        Certification(name="SOC 2 Type II", valid_until=date(2027, 1, 1)),
    ),
    industries={"Telecom": 8},
)
PROPOSAL_C = ProposalSpec(
    id=103,
    vendor=VENDOR_C,
    submitted_at=at(3),
    price_list=PriceList(
        currency="EUR",
        channel_prices=(
            ChannelPrice(channel=Channel.PHONE, model=M.PER_CONTACT, rate=D("4.50")),
            ChannelPrice(channel=Channel.EMAIL, model=M.PER_HANDLED_MINUTE, rate=D("0.80")),
        ),
        monthly_fees=(
            MonthlyFee(name="numbers", amount=D(250)),
            MonthlyFee(name="licences", amount=D(430)),
        ),
        one_off_fees=OneOffFees(setup=D(2000), project_management=D(3000)),
    ),
    languages=(
        OfferedLanguage(tag="nl", level="B2"),
        OfferedLanguage(tag="en", level="C2"),
        OfferedLanguage(tag="de", level="native"),
    ),
)
