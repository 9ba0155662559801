"""core.formatting: numbers as the reader writes them, and read back as the reader types them."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from core import formatting
from core.formatting import UnreadableNumber, parse_number


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "€1,486,572.80"),
        ("nl", "€\xa01.486.572,80"),
        ("ro", "1.486.572,80\xa0EUR"),
        ("es", "1.486.572,80\xa0€"),
    ],
)
def test_money_has_the_readers_separators_and_the_currency(language, expected):
    assert formatting.money(Decimal("1486572.80"), "EUR", language=language) == expected


def test_numbers_percentages_and_fractions():
    assert formatting.number(Decimal("34.7826086957"), 2, language="nl") == "34,78"
    assert formatting.number(Decimal("112320"), language="nl") == "112.320"
    assert formatting.number(Decimal("0.6000"), language="en") == "0.6"
    assert formatting.percent(Decimal("12"), language="nl") == "12%"
    assert formatting.percent(Decimal("12.5"), language="ro") == "12,5\xa0%"
    assert formatting.fraction_percent(Decimal("0.55"), language="es") == "55\xa0%"
    assert formatting.number(None) == ""
    assert formatting.number("n/a") == "n/a"


def test_filters_follow_the_active_language():
    template = Template("{% load display %}{{ a|money:'EUR' }}|{{ b|num:1 }}|{{ c|pct }}")
    with translation.override("nl"):
        out = template.render(Context({"a": Decimal("60000"), "b": Decimal("1234.56"), "c": 8}))
    assert out == "€\xa060.000,00|1.234,6|8%"


@pytest.mark.parametrize(
    ("language", "typed", "expected"),
    [
        ("nl", "4,20", "4.20"),
        ("nl", "1.234,50", "1234.50"),
        ("nl", "4.20", "4.20"),
        ("nl", "1.234", "1234"),
        ("nl", "-12,5", "-12.5"),
        ("ro", "1.234,5", "1234.5"),
        ("es", "0,55", "0.55"),
        ("en", "1,234.50", "1234.50"),
        ("en", "4.20", "4.20"),
        ("en", "4,20", "4.20"),
        ("nl", " 60 000,00 ", "60000.00"),
    ],
)
def test_parse_number_reads_the_readers_format(language, typed, expected):
    assert parse_number(typed, language=language) == Decimal(expected)


@pytest.mark.parametrize(("language", "typed"), [("nl", "1,234.50"), ("nl", "abc"), ("en", "")])
def test_parse_number_says_what_it_expected(language, typed):
    with translation.override("en"), pytest.raises(UnreadableNumber) as caught:
        parse_number(typed, language=language)
    assert "number" in str(caught.value)


@pytest.mark.parametrize(
    ("language", "long", "short"),
    [
        ("en", "November 2025", "Nov 2025"),
        ("nl", "november 2025", "nov 2025"),
        ("ro", "noiembrie 2025", "nov. 2025"),
        ("es", "noviembre de 2025", "nov 2025"),
    ],
)
def test_a_month_is_named_as_the_reader_names_it_in_full_and_on_a_chart_axis(language, long, short):
    assert formatting.month("2025-11", language=language) == long
    assert formatting.short_month("2025-11-01", language=language) == short


def test_what_is_not_a_month_is_shown_as_given():
    assert formatting.month("soon") == "soon" and formatting.short_month("soon") == "soon"
    assert formatting.month(None) == "" and formatting.short_month(None) == ""
