"""Rounding rules of DOMAIN.md: full Decimal precision inside, half-up only when shown or stored."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def cents(amount: Decimal) -> Decimal:
    """Round a money amount half-up to cents, for showing or storing a result."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def two_places(value: Decimal) -> Decimal:
    """Round a score or a percentage half-up to two decimals, for showing or storing."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


# ISO 4217 codes that name no money (precious metals, fund units, testing, no currency):
# a price or a contract in one of them is refused everywhere.
NON_MONEY_CURRENCIES = frozenset(
    {"XAG", "XAU", "XPD", "XPT", "XBA", "XBB", "XBC", "XBD", "XDR", "XSU", "XTS", "XUA", "XXX"}
)
